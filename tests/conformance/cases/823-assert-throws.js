// assert.throws / doesNotThrow: the expected error as a class, a RegExp, a validation function
// or an object of properties (nested, code, RegExp values); the messages when they fail.
const assert = require('assert');

function msg(label, fn) {
  try {
    fn();
    console.log(`[${label}] passed`);
  } catch (e) {
    console.log(`[${label}] ${e.name} ${e.code} ${e.operator}`);
    console.log(e.message);
  }
}
const thrower = (err) => () => {
  throw err;
};
class MyError extends Error {
  constructor(m) {
    super(m);
    this.name = 'MyError';
    this.code = 'E_MINE';
    this.info = { depth: { level: 2 }, list: [1, 2] };
  }
}

msg('class', () => assert.throws(thrower(new TypeError('t')), TypeError));
msg('base class', () => assert.throws(thrower(new TypeError('t')), Error));
msg('wrong class', () => assert.throws(thrower(new TypeError('t')), RangeError));
msg('regexp', () => assert.throws(thrower(new Error('hello world')), /world/));
msg('regexp miss', () => assert.throws(thrower(new Error('hello world')), /planet/));
msg('validate fn', () => assert.throws(thrower(new Error('x')), (e) => e.message === 'x'));
msg('validate fn false', () => assert.throws(thrower(new Error('x')), (e) => e.message === 'y'));
msg('object', () => assert.throws(thrower(new MyError('m')), { name: 'MyError', code: 'E_MINE' }));
msg('object message regexp', () => assert.throws(thrower(new MyError('abc')), { message: /b/ }));
msg('object nested', () =>
  assert.throws(thrower(new MyError('m')), { info: { depth: { level: 2 }, list: [1, 2] } }),
);
msg('object nested miss', () =>
  assert.throws(thrower(new MyError('m')), { info: { depth: { level: 3 }, list: [1, 2] } }),
);
msg('object code miss', () => assert.throws(thrower(new MyError('m')), { code: 'E_OTHER' }));
msg('object missing key', () => assert.throws(thrower(new MyError('m')), { nope: 1 }));
msg('object message miss', () => assert.throws(thrower(new Error('abc')), { message: 'abd' }));
msg('error instance', () => assert.throws(thrower(new Error('e1')), new Error('e1')));
msg('no throw', () => assert.throws(() => {}));
msg('no throw class', () => assert.throws(() => {}, TypeError));
msg('no throw message', () => assert.throws(() => {}, TypeError, 'should throw'));
msg('no throw string msg', () => assert.throws(() => {}, 'wanted a throw'));
msg('not a function', () => assert.throws('nope'));
msg('doesNotThrow', () => assert.doesNotThrow(() => 1));
msg('doesNotThrow threw', () => assert.doesNotThrow(thrower(new Error('oops'))));
msg('doesNotThrow threw msg', () => assert.doesNotThrow(thrower(new Error('oops')), 'it threw'));
msg('doesNotThrow other class', () => assert.doesNotThrow(thrower(new TypeError('oops')), RangeError));
msg('doesNotThrow same class', () => assert.doesNotThrow(thrower(new TypeError('oops')), TypeError));
msg('throws a primitive', () => assert.throws(thrower('str'), /str/));
msg('validation fn throws', () => assert.throws(thrower(new Error('x')), (e) => { throw new RangeError('inner'); }));
msg('arrow fn class check', () => assert.throws(thrower(new Error('x')), () => true));
msg('regexp on object', () => assert.throws(thrower({ message: 'abc' }), /abc/));
try {
  assert.throws(() => {
    throw new Error('original');
  }, RangeError);
} catch (e) {
  console.log('rethrown the original:', e.message, e instanceof assert.AssertionError);
}
