// timers/promises and util.promisify(setTimeout).
const { setTimeout: sleep, setImmediate: immediate } = require('timers/promises');
const util = require('util');
(async () => {
  console.log('start');
  const v = await sleep(20, 'slept');
  console.log(v);
  console.log(await immediate('imm'));
  await util.promisify(setTimeout)(10);
  console.log('promisified');
})();
