// assert: ok, equal, notEqual, strictEqual, notStrictEqual. A failure throws an AssertionError
// with Node's code, name, actual, expected, operator, generatedMessage and message.
const assert = require('assert');

function show(label, fn) {
  try {
    fn();
    console.log(label, 'passed');
  } catch (e) {
    console.log(label, '->', e.name, e.code, e.constructor.name, e instanceof assert.AssertionError);
    console.log('  message:', JSON.stringify(e.message));
    console.log('  operator:', e.operator, 'generated:', e.generatedMessage);
    console.log('  actual:', e.actual, 'expected:', e.expected);
  }
}

show('assert(true)', () => assert(true));
show('assert(0)', () => assert(0));
show('assert(false, msg)', () => assert(false, 'custom message'));
show('assert()', () => assert());
show('ok(null)', () => assert.ok(null));
show('ok("")', () => assert.ok(''));
show('equal 1 "1"', () => assert.equal(1, '1'));
show('equal 1 2', () => assert.equal(1, 2));
show('equal NaN NaN', () => assert.equal(NaN, NaN));
show('equal obj', () => assert.equal({ a: 1 }, { a: 1 }));
show('notEqual 1 "1"', () => assert.notEqual(1, '1'));
show('notEqual 1 2', () => assert.notEqual(1, 2));
show('strictEqual 1 1', () => assert.strictEqual(1, 1));
show('strictEqual 1 "1"', () => assert.strictEqual(1, '1'));
show('strictEqual 1 2', () => assert.strictEqual(1, 2));
show('strictEqual NaN', () => assert.strictEqual(NaN, NaN));
show('strictEqual 0 -0', () => assert.strictEqual(0, -0));
show('strictEqual long strings', () =>
  assert.strictEqual('hello world, this is long', 'hello world, this is wrong'),
);
show('strictEqual objects', () => assert.strictEqual({ a: 1 }, { a: 1 }));
show('strictEqual objects differ', () => assert.strictEqual({ a: 1, b: [1, 2] }, { a: 2, b: [1, 2] }));
show('strictEqual with message', () => assert.strictEqual(1, 2, 'one is not two'));
show('strictEqual undefined null', () => assert.strictEqual(undefined, null));
show('strictEqual true false', () => assert.strictEqual(true, false));
show('strictEqual multiline', () => assert.strictEqual('a\nb\nc', 'a\nB\nc'));
show('notStrictEqual 1 1', () => assert.notStrictEqual(1, 1));
show('notStrictEqual long', () => assert.notStrictEqual('abcdefgh', 'abcdefgh'));
show('notStrictEqual obj', () => {
  const o = { x: 1 };
  assert.notStrictEqual(o, o);
});
show('notStrictEqual 1 2', () => assert.notStrictEqual(1, 2));

const err = new TypeError('my own error');
try {
  assert.strictEqual(1, 2, err);
} catch (e) {
  console.log('message is an Error: thrown as is', e === err);
}
try {
  assert.ok(false, err);
} catch (e) {
  console.log('ok with an Error message: thrown as is', e === err);
}
console.log('assert.strict.equal is strictEqual', assert.strict.equal === assert.strictEqual);
console.log('assert.strict.strict', assert.strict.strict === assert.strict);
try {
  assert.strict.equal(1, '1');
} catch (e) {
  console.log('strict equal operator', e.operator);
}
const ae = new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
console.log('constructed:', JSON.stringify(ae.message), ae.code, ae.name, ae.generatedMessage);
const ae2 = new assert.AssertionError({ message: 'mine', actual: 1, expected: 2, operator: 'x' });
console.log('constructed with message:', ae2.message, ae2.generatedMessage, ae2.operator);
console.log(String(ae2));
