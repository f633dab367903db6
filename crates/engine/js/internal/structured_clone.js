// structuredClone (Node 20's global, V8's ValueSerializer as the HTML structured clone
// algorithm describes it): a deep copy that keeps shared and circular references, copies the
// cloneable built-ins (Date, RegExp, Map, Set, ArrayBuffer and its views, the primitive
// wrappers, errors) and makes every other object a plain object of its own enumerable
// properties; functions, symbols and host objects throw a DataCloneError.
//
// HOW: one walk with a memo (original → copy) made before the children are copied, so a cycle
// finds its copy. Buffers are copied first and views rebuilt over the copied buffer, so two views
// of one buffer still share it. `{ transfer }` moves each listed ArrayBuffer's bytes to the copy
// and detaches the original (a host call: JavaScript cannot detach a fixed-length buffer).

/* global DOMException, makeNodeError */

const errorNames = new Set([
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
]);
const typedArrays = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

function dataCloneError(value) {
  let shown;
  if (typeof value === 'function') shown = Function.prototype.toString.call(value);
  else if (typeof value === 'symbol') shown = value.toString();
  else {
    const ctor = value.constructor;
    shown = `#<${(typeof ctor === 'function' && ctor.name) || 'Object'}>`;
  }
  return new DOMException(`${shown} could not be cloned.`, 'DataCloneError');
}

function is(value, ctor) {
  return typeof ctor === 'function' && value instanceof ctor;
}

function structuredClone(value, options = undefined) {
  if (arguments.length === 0)
    throw makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The value argument must be specified');
  const memo = new Map();
  const transfer = options && options.transfer ? [...options.transfer] : [];
  for (const buffer of transfer) {
    if (!(buffer instanceof ArrayBuffer)) throw dataCloneError(buffer);
    const bytes = new Uint8Array(buffer).slice();
    memo.set(buffer, bytes.buffer);
  }
  const copy = cloneValue(value, memo);
  // Transferred buffers are detached in the sender once the copy is made.
  for (const buffer of transfer) host.detachArrayBuffer(buffer);
  return copy;
}

function cloneValue(value, memo) {
  if (typeof value === 'function' || typeof value === 'symbol') throw dataCloneError(value);
  if (value === null || typeof value !== 'object') return value;
  if (memo.has(value)) return memo.get(value);
  if (value instanceof ArrayBuffer) {
    const copy = value.slice(0);
    memo.set(value, copy);
    return copy;
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = cloneValue(value.buffer, memo);
    let copy;
    if (value instanceof DataView) copy = new DataView(buffer, value.byteOffset, value.byteLength);
    else {
      const Ctor = typedArrays.find((T) => value instanceof T) || Uint8Array;
      copy = new Ctor(buffer, value.byteOffset, value.length);
    }
    memo.set(value, copy);
    return copy;
  }
  let copy;
  if (value instanceof Date) copy = new Date(value.getTime());
  else if (value instanceof RegExp) copy = new RegExp(value.source, value.flags);
  else if (value instanceof Boolean) copy = new Boolean(value.valueOf());
  else if (value instanceof Number) copy = new Number(value.valueOf());
  else if (value instanceof String) copy = new String(value.valueOf());
  else if (
    typeof BigInt === 'function' &&
    Object.prototype.toString.call(value) === '[object BigInt]'
  )
    copy = Object(value.valueOf());
  else if (value instanceof Error) return cloneError(value, memo);
  else if (value instanceof Map) {
    copy = new Map();
    memo.set(value, copy);
    for (const [k, v] of value) copy.set(cloneValue(k, memo), cloneValue(v, memo));
    return copy;
  } else if (value instanceof Set) {
    copy = new Set();
    memo.set(value, copy);
    for (const v of value) copy.add(cloneValue(v, memo));
    return copy;
  } else if (Array.isArray(value)) {
    copy = new Array(value.length);
    memo.set(value, copy);
    for (const key of Object.keys(value)) copy[key] = cloneValue(value[key], memo);
    return copy;
  } else if (
    value instanceof Promise ||
    value instanceof WeakMap ||
    value instanceof WeakSet ||
    is(value, globalThis.WeakRef) ||
    is(value, globalThis.EventTarget)
  ) {
    throw dataCloneError(value);
  } else {
    copy = {};
    memo.set(value, copy);
    for (const key of Object.keys(value)) copy[key] = cloneValue(value[key], memo);
    return copy;
  }
  memo.set(value, copy);
  return copy;
}

// An error keeps its standard name (a subclass becomes the nearest standard one), its message,
// its stack and its cause; other own properties are not copied.
function cloneError(value, memo) {
  const name = errorNames.has(value.name) ? value.name : 'Error';
  const Ctor = globalThis[name];
  const copy = Object.create(Ctor.prototype);
  memo.set(value, copy);
  const define = (key, v) =>
    Object.defineProperty(copy, key, { value: v, writable: true, configurable: true });
  if (Object.prototype.hasOwnProperty.call(value, 'message'))
    define('message', String(value.message));
  if (typeof value.stack === 'string') define('stack', value.stack);
  if (Object.prototype.hasOwnProperty.call(value, 'cause'))
    define('cause', cloneValue(value.cause, memo));
  return copy;
}
