// An unhandled rejection ends the process after the microtask checkpoint.
setTimeout(() => console.log('never'), 10);
Promise.reject(new Error('nobody catches this'));
process.nextTick(() => console.log('tick still runs'));
Promise.resolve().then(() => console.log('microtask still runs'));
console.log('main');
