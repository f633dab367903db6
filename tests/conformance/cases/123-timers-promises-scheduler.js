// timers/promises: scheduler.wait (a timer), scheduler.yield (an immediate), the values and
// argument checks of setTimeout / setImmediate / setInterval, and the scheduler's constructor.
const tp = require('timers/promises');
const { scheduler } = tp;
const order = [];
(async () => {
  const t0 = performance.now();
  await scheduler.wait(20);
  order.push('waited ' + (performance.now() - t0 >= 19));
  setImmediate(() => order.push('immediate queued before yield'));
  await scheduler.yield();
  order.push('yielded');
  console.log('setTimeout value', await tp.setTimeout(1, 'val'));
  console.log('setImmediate value', await tp.setImmediate('imm'));
  let n = 0;
  for await (const v of tp.setInterval(5, 'iv')) {
    console.log('interval', v, ++n);
    if (n === 3) break;
  }
  for (const bad of [() => tp.setTimeout(1, 'x', 'not options'), () => tp.setTimeout(1, 'x', { ref: 'yes' })]) {
    try {
      await bad();
    } catch (e) {
      console.log(e.code, e.message);
    }
  }
  try {
    new scheduler.constructor();
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
  console.log(typeof scheduler.wait, typeof scheduler.yield, Object.keys(tp).sort().join(' '));
  console.log(order.join(', '));
})();
