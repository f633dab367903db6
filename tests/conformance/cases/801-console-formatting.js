// console.log formats values the way util.inspect does.
console.log({ a: 1, b: 'two', c: [1, 2, 3], d: { e: null, f: undefined } });
console.log([1, 'a', true, null, undefined]);
console.log('%s is %d years and %i days, %j', 'Ada', 36.5, 7.9, { x: 1 });
console.log('100%', 'done', 5);
console.log([]);
console.log({});
console.log([[1, [2, [3, [4]]]]]);
console.log({ nested: { deeper: { deepest: { gone: 1 } } } });
console.log(new Map([['k', 1]]), new Set([1, 2]));
console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
console.log({ longPropertyNameNumberOne: 'some long string value', longPropertyNameNumberTwo: 'another long value' });
console.log(-0, 1e21, 0.1 + 0.2, NaN, -Infinity, 10n);
console.log(function named() {}, () => {}, class Foo {});
console.log(Symbol('s'), 'quote\'s', ["it's"]);
console.log(Buffer.from('hi'));
console.log(new Error('boom').message);
console.log([undefined, , 3]);
console.log(Object.create(null));
class Point { constructor() { this.x = 1; this.y = 2; } }
console.log(new Point());
