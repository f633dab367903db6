// With an 'unhandledRejection' listener the process survives; it sees rejections only after the
// microtask checkpoint, so one handled within the checkpoint is never reported.
process.on('unhandledRejection', (reason) => console.log('unhandledRejection:', reason instanceof Error ? reason.message : reason));
const late = Promise.reject(new Error('handled in a microtask'));
Promise.resolve().then(() => late.catch(() => console.log('caught in time')));
Promise.reject(new Error('nobody'));
Promise.reject('a string reason');
setTimeout(() => console.log('process still alive'), 5);
console.log('main done');
