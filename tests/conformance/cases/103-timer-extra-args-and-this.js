// Extra arguments reach timers, immediates and nextTicks.
setTimeout((a, b) => console.log('timeout', a, b), 1, 'x', 2);
setImmediate((a) => console.log('immediate', a), 'y');
process.nextTick((a, b, c) => console.log('tick', a, b, c), 1, 2, 3);
const iv = setInterval((n) => { console.log('interval', n); clearInterval(iv); }, 30, 'z');
