// Ticks queued by ticks run before microtasks; ticks queued by microtasks after all microtasks.
process.nextTick(() => {
  console.log('tick A');
  process.nextTick(() => console.log('tick A.1'));
  Promise.resolve().then(() => {
    console.log('promise from A');
    process.nextTick(() => console.log('tick from promise'));
    Promise.resolve().then(() => console.log('promise from promise'));
  });
});
process.nextTick(() => console.log('tick B'));
Promise.resolve().then(() => console.log('promise main'));
