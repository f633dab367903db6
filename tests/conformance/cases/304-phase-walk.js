// One callback of each kind, with the loop's order visible.
const fs = require('fs');
setTimeout(() => console.log('timers: timeout 30'), 30);
fs.readFile(__filename, () => {
  console.log('poll: readFile');
  setImmediate(() => console.log('check: immediate from poll'));
  setTimeout(() => console.log('timers: timeout 0 from poll'), 0);
});
setImmediate(() => console.log('check: immediate from main'));
process.nextTick(() => console.log('tick from main'));
