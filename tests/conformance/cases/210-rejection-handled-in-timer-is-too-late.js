// A rejection not handled by the end of the checkpoint crashes the process, even if a timer would catch it.
const p = Promise.reject(new Error('late'));
setTimeout(() => p.catch(() => console.log('caught in timer')), 0);
process.nextTick(() => console.log('tick'));
console.log('main');
