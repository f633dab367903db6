// nextTicks before promise reactions, both before timers and immediates.
setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
Promise.resolve().then(() => console.log('promise 1'));
queueMicrotask(() => console.log('microtask'));
process.nextTick(() => console.log('tick 1'));
Promise.resolve().then(() => console.log('promise 2'));
process.nextTick(() => console.log('tick 2'));
console.log('sync');
const t = Date.now(); while (Date.now() - t < 5) {}
