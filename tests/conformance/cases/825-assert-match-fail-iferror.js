// assert.match / doesNotMatch, fail, ifError, assert.strict, and the argument checks.
const assert = require('assert');

function msg(label, fn) {
  try {
    fn();
    console.log(`[${label}] passed`);
  } catch (e) {
    console.log(`[${label}] ${e.name} ${e.code} ${e.operator} generated=${e.generatedMessage}`);
    console.log(e.message);
  }
}

msg('match', () => assert.match('abc', /b/));
msg('match miss', () => assert.match('abc', /x/));
msg('match not string', () => assert.match(123, /1/));
msg('match bad regexp', () => assert.match('a', 'a'));
msg('match msg', () => assert.match('abc', /x/, 'no x'));
msg('doesNotMatch', () => assert.doesNotMatch('abc', /x/));
msg('doesNotMatch hit', () => assert.doesNotMatch('abc', /b/));
msg('fail', () => assert.fail());
msg('fail msg', () => assert.fail('boom'));
msg('fail error', () => assert.fail(new TypeError('typed')));
msg('ifError null', () => assert.ifError(null));
msg('ifError undefined', () => assert.ifError(undefined));
msg('ifError error', () => assert.ifError(new Error('bad thing')));
msg('ifError string', () => assert.ifError('str'));
msg('ifError 0', () => assert.ifError(0));
msg('ifError false', () => assert.ifError(false));
msg('strict.deepEqual', () => assert.strict.deepEqual({ a: 1 }, { a: '1' }));
msg('strict.notEqual', () => assert.strict.notEqual(1, 1));
msg('strict.notDeepEqual', () => assert.strict.notDeepEqual({ a: 1 }, { a: '1' }));
msg('strict()', () => assert.strict(0 > 1, 'zero is not more than one'));
msg('AssertionError no options', () => new assert.AssertionError());
console.log(typeof assert.strict, assert.strict.AssertionError === assert.AssertionError);
console.log(Object.keys(assert).sort().join(' '));
