// assert.deepEqual / deepStrictEqual / notDeepEqual / notDeepStrictEqual over the values
// programs compare: primitives, objects, arrays, nesting, prototypes, Maps, Sets, Dates, RegExps,
// boxed primitives, errors, symbols, typed arrays, cycles.
const assert = require('assert');

function check(label, a, b) {
  const r = [];
  for (const op of ['deepEqual', 'deepStrictEqual', 'notDeepEqual', 'notDeepStrictEqual']) {
    try {
      assert[op](a, b);
      r.push(op + ':pass');
    } catch (e) {
      r.push(op + ':' + (e.code === 'ERR_ASSERTION' ? 'fail' : e.message));
    }
  }
  console.log(label.padEnd(28), r.join(' '));
}

check('1 / 1', 1, 1);
check('1 / "1"', 1, '1');
check('NaN / NaN', NaN, NaN);
check('0 / -0', 0, -0);
check('null / undefined', null, undefined);
check('objects equal', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 });
check('objects loose', { a: 1 }, { a: '1' });
check('extra key', { a: 1 }, { a: 1, b: undefined });
check('arrays', [1, 2, 3], [1, 2, 3]);
check('array vs object', [1], { 0: 1 });
check('sparse', [1, , 3], [1, undefined, 3]);
check('array extra prop', Object.assign([1], { x: 1 }), [1]);
check('nested differ', { a: [{ b: 1 }] }, { a: [{ b: 2 }] });
class A {
  constructor() {
    this.x = 1;
  }
}
class B {
  constructor() {
    this.x = 1;
  }
}
check('prototypes', new A(), new B());
check('null proto', Object.create(null), {});
check('dates', new Date(5), new Date(5));
check('dates differ', new Date(5), new Date(6));
check('regexps', /a/g, /a/g);
check('regexp flags', /a/g, /a/i);
check('maps', new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']]));
check('maps differ', new Map([[1, 'a']]), new Map([[1, 'b']]));
check('map object keys', new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']]));
check('sets', new Set([1, 2, 3]), new Set([3, 2, 1]));
check('sets loose', new Set([1]), new Set(['1']));
check('set objects', new Set([{ a: 1 }, { b: 2 }]), new Set([{ b: 2 }, { a: 1 }]));
check('boxed', new Number(1), new Number(1));
check('boxed differ', new String('a'), new String('b'));
check('boxed vs prim', new Number(1), 1);
check('errors', new Error('x'), new Error('x'));
check('errors differ', new Error('x'), new Error('y'));
check('error types', new TypeError('x'), new Error('x'));
const s = Symbol('s');
check('symbol keys', { [s]: 1 }, { [s]: 1 });
check('symbol keys differ', { [s]: 1 }, { [s]: 2 });
check('typed arrays', new Uint8Array([1, 2]), new Uint8Array([1, 2]));
check('typed differ', new Uint8Array([1, 2]), new Uint8Array([1, 3]));
check('typed kinds', new Uint8Array([1]), new Int8Array([1]));
check('buffers', Buffer.from('ab'), Buffer.from('ab'));
const c1 = { a: 1 };
c1.self = c1;
const c2 = { a: 1 };
c2.self = c2;
check('cycles', c1, c2);
check('functions same', check, check);
check('functions differ', () => {}, () => {});
check('non-enumerable ignored', Object.defineProperty({}, 'h', { value: 1 }), {});
check('string objects', 'abc', 'abc');
check('arguments vs array', (function () { return arguments; })(1), [1]);
check('bigints', 1n, 1n);
check('dates with props', Object.assign(new Date(1), { x: 1 }), new Date(1));
