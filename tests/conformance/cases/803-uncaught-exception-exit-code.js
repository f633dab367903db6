// An uncaught exception ends the process with status 1 after earlier output.
setTimeout(() => console.log('never'), 10);
setImmediate(() => { console.log('before throw'); throw new Error('boom'); });
console.log('main');
