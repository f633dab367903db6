// Both queues drain after every callback: all nextTicks first, then microtasks.
console.log('script start');

setTimeout(() => console.log('timeout'), 0);

Promise.resolve().then(() => {
  console.log('promise 1');
  process.nextTick(() => console.log('nextTick inside a promise'));
}).then(() => console.log('promise 2'));

process.nextTick(() => {
  console.log('nextTick 1');
  Promise.resolve().then(() => console.log('promise inside a nextTick'));
});
process.nextTick(() => console.log('nextTick 2'));

queueMicrotask(() => console.log('queueMicrotask'));

console.log('script end');
