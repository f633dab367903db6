// A timer created by a timer callback never runs in the same timers phase.
const t = Date.now(); while (Date.now() - t < 10) {}
setTimeout(() => {
  console.log('outer');
  setTimeout(() => console.log('inner timeout 0'), 0);
  setImmediate(() => console.log('inner immediate'));
  process.nextTick(() => console.log('inner tick'));
}, 1);
setTimeout(() => console.log('sibling 1ms'), 1);
