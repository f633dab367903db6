// With no listener at all, an unhandled rejection ends the process with status 1 after the
// checkpoint that found it: the 'exit' listeners run, later work never does.
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => console.log('never'), 1);
Promise.reject(new Error('nobody listens'));
process.nextTick(() => console.log('tick still runs'));
Promise.resolve().then(() => console.log('microtask still runs'));
console.log('main');
