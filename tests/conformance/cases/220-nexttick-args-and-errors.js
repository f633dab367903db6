// process.nextTick: extra arguments, `this`, ticks queued from ticks, argument checks, and a
// tick that throws: with an 'uncaughtException' listener it runs once, and the queue goes on.
const order = [];
let calls = 0;
process.nextTick(function (a, b, c, d, e) {
  calls++;
  order.push(`args ${a} ${b} ${c} ${d} ${e} this=${this === undefined ? 'undefined' : typeof this}`);
}, 1, 'two', null, undefined, 5);
process.nextTick(() => {
  order.push('A');
  process.nextTick(() => order.push('A.1 (queued from A)'));
  what(); // eslint-disable-line no-undef
});
process.nextTick(() => {
  order.push('C');
  process.nextTick((x) => order.push('C.1 ' + x), 'x');
});
Promise.resolve().then(() => order.push('microtask'));
for (const bad of [false, 1, {}, [], 'fn', null]) {
  try {
    process.nextTick(bad);
  } catch (err) {
    order.push(`${err.code}: ${err.message}`);
  }
}
let handled = 0;
process.on('uncaughtException', (err, origin) => {
  handled++;
  order.push(`uncaught ${err.name} (${origin}), handled ${handled} time(s)`);
});
process.on('exit', () => {
  console.log(order.join('\n'));
  console.log('calls', calls, 'handled', handled);
});
