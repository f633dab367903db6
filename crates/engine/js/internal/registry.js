// The callback registry: the only place JavaScript functions wait for the loop.
//
// HOW: the model never holds a JavaScript value. When Node's layer schedules a callback (a timer,
// an immediate, a pool job's completion, a socket's read), it registers the function here and
// hands the host an integer id with a frame label; when the model decides the callback runs, the
// engine calls `dispatch(id)`. Ids start at 1 and are never reused.
//
// Also here: the label a callback is shown by, and the argument checks every module shares
// (`validateFunction`, Node's ERR_INVALID_ARG_TYPE messages).

/* global inspect */

const callbacks = new Map();
let nextCallbackId = 1;

function register(fn, args, thisArg, keep) {
  const id = nextCallbackId++;
  callbacks.set(id, { fn, args, thisArg, keep });
  return id;
}

function dispatch(id) {
  const entry = callbacks.get(id);
  if (entry === undefined) return;
  if (!entry.keep) callbacks.delete(id);
  const { fn, args, thisArg } = entry;
  if (args === undefined || args.length === 0) fn.call(thisArg);
  else fn.apply(thisArg, args);
}

// The label a callback is shown by (queues, call stack, captions, traces): its name, or for an
// anonymous function the start of its source, `() => console.log('tick 1')`, so that three
// arrow functions in one queue can be told apart. A closure made again and again (one per
// request) has the same source each time: labels are cached by source text, so the whitespace
// is folded once per distinct function, not once per call.
const FRAME_NAME_MAX = 40;
const WHITESPACE = /\s+/g;
const frameNamesBySource = new Map();
function frameName(fn) {
  if (typeof fn !== 'function') return '(anonymous)';
  if (typeof fn.name === 'string' && fn.name !== '') return fn.name;
  let src;
  try {
    src = Function.prototype.toString.call(fn).slice(0, 4 * FRAME_NAME_MAX);
  } catch (e) {
    return '(anonymous)';
  }
  let name = frameNamesBySource.get(src);
  if (name === undefined) {
    const flat = src.replace(WHITESPACE, ' ').trim();
    if (flat === '' || flat.includes('[native code]')) name = '(anonymous)';
    else name = flat.length > FRAME_NAME_MAX ? flat.slice(0, FRAME_NAME_MAX - 1) + '…' : flat;
    // Bounded: programs that generate functions (eval, new Function) cannot grow it forever.
    if (frameNamesBySource.size < 10000) frameNamesBySource.set(src, name);
  }
  return name;
}

function makeNodeError(Ctor, code, message) {
  const e = new Ctor(message);
  e.code = code;
  return e;
}

function describeReceived(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return `function ${v.name || ''}`.trimEnd();
  if (typeof v === 'object') {
    const n = v.constructor && v.constructor.name;
    return n ? `an instance of ${n}` : inspect(v, { depth: -1 });
  }
  let shown = inspect(v);
  if (shown.length > 28) shown = shown.slice(0, 25) + '...';
  return `type ${typeof v} (${shown})`;
}

function validateFunction(fn, name) {
  if (typeof fn !== 'function') {
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type function. Received ${describeReceived(fn)}`,
    );
  }
}
