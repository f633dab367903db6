// nextTicks queued from a nextTick all run before the loop moves on (a recursive tick chain).
let k = 0;
function tick() { k++; if (k < 1000) process.nextTick(tick); else console.log('1000 ticks done'); }
setImmediate(() => console.log('immediate after all ticks, k =', k));
setTimeout(() => console.log('timeout after all ticks, k =', k), 0);
process.nextTick(tick);
