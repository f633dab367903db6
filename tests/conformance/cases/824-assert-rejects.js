// assert.rejects / doesNotReject: with a promise or a function returning one; the expected
// error forms of assert.throws; their results arrive as microtasks in order.
const assert = require('assert');

async function show(label, p) {
  try {
    await p;
    console.log(`[${label}] resolved`);
  } catch (e) {
    console.log(`[${label}] ${e.name} ${e.code} ${e.operator}`);
    console.log(e.message);
  }
}
const reject = (e) => Promise.reject(e);

(async () => {
  await show('rejects class', assert.rejects(reject(new TypeError('t')), TypeError));
  await show('rejects fn', assert.rejects(async () => { throw new Error('x'); }, /x/));
  await show('rejects object', assert.rejects(() => reject(Object.assign(new Error('m'), { code: 'C' })), { code: 'C', message: 'm' }));
  await show('rejects wrong', assert.rejects(reject(new TypeError('t')), RangeError));
  await show('rejects resolved', assert.rejects(Promise.resolve(1)));
  await show('rejects resolved class', assert.rejects(Promise.resolve(1), TypeError));
  await show('rejects not a promise', assert.rejects(() => 5));
  await show('rejects bad arg', assert.rejects(5));
  await show('rejects sync throw', assert.rejects(() => { throw new Error('sync'); }));
  await show('doesNotReject ok', assert.doesNotReject(Promise.resolve(2)));
  await show('doesNotReject rejected', assert.doesNotReject(reject(new Error('no'))));
  await show('doesNotReject msg', assert.doesNotReject(() => reject(new Error('no')), 'should not'));
  await show('doesNotReject other class', assert.doesNotReject(reject(new TypeError('tt')), RangeError));
  console.log('done');
})();
const order = [];
assert.rejects(reject(new Error('a'))).then(() => order.push('rejects settled'));
Promise.resolve().then(() => order.push('tick 1')).then(() => order.push('tick 2')).then(() => order.push('tick 3'));
setTimeout(() => console.log(order.join(', ')), 5);
