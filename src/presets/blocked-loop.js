// A timer due in 30 ms cannot run while the main thread is busy.
const start = Date.now();

setTimeout(() => {
  const late = Date.now() - start - 30;
  console.log(late >= 50 ? 'timer: ran at least 50 ms late' : 'timer: ran on time');
}, 30);

setImmediate(() => {
  console.log('immediate: busy for 100 ms');
  const t = Date.now();
  while (Date.now() - t < 100) {}
  console.log('immediate: done, the loop can move on');
});

console.log('main script done');
