// util (lib/util.js): format and inspect (inspect.js), promisify (honouring
// util.promisify.custom), inherits, types.

/* global format, inspect, isDeepStrictEqual, kCustomInspect, validateFunction */

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
function promisify(fn) {
  validateFunction(fn, 'original');
  if (fn[kCustomPromisify]) return fn[kCustomPromisify];
  return function (...args) {
    return new Promise((resolve, reject) => {
      fn.call(this, ...args, (err, ...values) =>
        err ? reject(err) : resolve(values.length > 1 ? values : values[0]),
      );
    });
  };
}
const util = {
  format,
  inspect,
  promisify,
  inherits(ctor, superCtor) {
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
    Object.setPrototypeOf(ctor, superCtor);
  },
  // (Its code is assert's, in the lazy part of the layer: prelude.rs.)
  isDeepStrictEqual(a, b) {
    loadLazy();
    return isDeepStrictEqual(a, b);
  },
  types: { isPromise: (v) => v instanceof Promise },
};
util.promisify.custom = kCustomPromisify;
inspect.custom = kCustomInspect;
