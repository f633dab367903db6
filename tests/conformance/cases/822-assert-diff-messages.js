// The messages of failed deep comparisons: Node's "+ actual - expected" diff, with identical
// lines collapsed, and the other operators' formats.
const assert = require('assert');

function msg(label, fn) {
  try {
    fn();
    console.log(`[${label}] passed`);
  } catch (e) {
    console.log(`[${label}] ${e.operator}`);
    console.log(e.message);
  }
}

msg('small objects', () => assert.deepStrictEqual({ a: 1 }, { a: 2 }));
msg('nested', () =>
  assert.deepStrictEqual({ user: { name: 'ann', tags: ['x', 'y'] } }, { user: { name: 'bob', tags: ['x', 'y'] } }),
);
msg('arrays', () => assert.deepStrictEqual([1, 2, 3], [1, 2, 4]));
msg('array lengths', () => assert.deepStrictEqual([1, 2, 3, 4], [1, 2]));
msg('expected longer', () => assert.deepStrictEqual([1], [1, 2, 3]));
msg('primitives', () => assert.deepStrictEqual(1, 2));
msg('strings', () => assert.deepStrictEqual('a', 'b'));
msg('long array', () =>
  assert.deepStrictEqual(
    Array.from({ length: 20 }, (_, i) => i),
    Array.from({ length: 20 }, (_, i) => (i === 10 ? -1 : i)),
  ),
);
msg('same structure', () => assert.deepStrictEqual({ a: NaN, s: Symbol.for('q') }, { a: NaN, s: Symbol('q') }));
msg('maps', () => assert.deepStrictEqual(new Map([['k', 1]]), new Map([['k', 2]])));
msg('sets', () => assert.deepStrictEqual(new Set([1, 2]), new Set([1, 3])));
msg('class', () => {
  class P {
    constructor(x) {
      this.x = x;
    }
  }
  assert.deepStrictEqual(new P(1), { x: 1 });
});
msg('deepEqual', () => assert.deepEqual({ a: 1, b: 2 }, { a: 1, b: 3 }));
msg('deepEqual prims', () => assert.deepEqual(1, 2));
msg('notDeepStrictEqual', () => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }));
msg('notDeepStrictEqual prim', () => assert.notDeepStrictEqual(1, 1));
msg('notDeepEqual', () => assert.notDeepEqual({ a: 1 }, { a: '1' }));
msg('notDeepEqual same', () => assert.notDeepEqual([1, 2], [1, 2]));
msg('with message', () => assert.deepStrictEqual({ a: 1 }, { a: 2 }, 'they differ'));
msg('multiline string', () => assert.deepStrictEqual('line one\nline two\nline three', 'line one\nline 2\nline three'));
msg('undefined vs missing', () => assert.deepStrictEqual({ a: undefined }, {}));
msg('date', () => assert.deepStrictEqual(new Date(0), new Date(1000)));
msg('error objects', () => assert.deepStrictEqual(new Error('a'), new Error('b')));
msg('many keys', () => {
  const a = {};
  const b = {};
  for (let i = 0; i < 12; i++) {
    a['k' + i] = i;
    b['k' + i] = i === 6 ? 'six' : i;
  }
  assert.deepStrictEqual(a, b);
});
