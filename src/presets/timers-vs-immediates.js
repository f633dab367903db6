// setTimeout(0) or setImmediate: who goes first?
// In the main script it is a race (it depends on how fast the process starts),
// but inside an I/O callback the answer is always the same: the check phase
// comes right after poll, the timers only in the next iteration.
const fs = require('fs');

fs.readFile(__filename, () => {
  console.log('readFile done (poll phase)');
  setTimeout(() => console.log('timeout (timers phase, next iteration)'), 0);
  setImmediate(() => console.log('immediate (check phase, same iteration)'));
  process.nextTick(() => console.log('nextTick (right after the callback)'));
});
console.log('main script done');
