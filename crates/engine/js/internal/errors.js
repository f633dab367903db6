// Node's internal errors and argument checks that every module shares (lib/internal/errors.js,
// lib/internal/validators.js): an error with a `code` (`makeNodeError`), the messages of the
// common codes the way Node words them (ERR_INVALID_ARG_TYPE with Node's description of what
// was received, ERR_OUT_OF_RANGE, ...), and the stack Node prints for an error.

/* global inspect */

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

// ERR_INVALID_ARG_TYPE: `The "name" argument must be <expected>. Received <what it was>`
// (`what` is 'property' for an option: `The "options.ref" property must be ...`).
function invalidArgType(name, expected, value, what = 'argument') {
  return makeNodeError(
    TypeError,
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${what} must be ${expected}. Received ${describeReceived(value)}`,
  );
}

// ERR_OUT_OF_RANGE: `The value of "name" is out of range. It must be <range>. Received <value>`.
function outOfRange(name, range, value) {
  return makeNodeError(
    RangeError,
    'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`,
  );
}

// ---- Error stacks, the way V8 and Node write them ------------------------------------------
//
// boa records where an error was created (its frames, innermost first) and writes them as
// `    at name (path:line:column)`, with no header, naming anonymous functions `<main>`, and
// listing the frames of this layer (`node:internal/looplab`) and of native functions. Node's
// `err.stack` is `Name: message` followed by V8's frames. So `Error.prototype.stack` is
// replaced by a getter that, on first read (V8 also formats lazily, then keeps the string),
// rewrites boa's frames:
// - frames of this layer and of native functions are hidden;
// - columns on the program's first line lose the module wrapper written before it;
// - the outermost frame of the program gets the name V8 gives the callback that Node's own
//   code called (`Object.<anonymous>` for the main module, `Timeout._onTimeout`,
//   `Immediate.<anonymous>` ...) and Node's internal frames below it follow, as in Node 20;
// - an anonymous function's frame is `at path:line:column`;
// - at most `Error.stackTraceLimit` (10) frames.
// An error made by this layer with a code (ERR_INVALID_ARG_TYPE, ...) gets Node's header
// `TypeError [ERR_INVALID_ARG_TYPE]: message`. What kind of callback was running comes from the
// engine (`host.callbackKind()`): the kind when the stack is first read, which is the kind the
// error was made in unless it is read later from another callback.

const nativeStack = Object.getOwnPropertyDescriptor(Error.prototype, 'stack');
const LAYER_PATH = host.layerPath;
const MAIN_TRAILER = [
  'Module._compile (node:internal/modules/cjs/loader:1521:14)',
  'Module._extensions..js (node:internal/modules/cjs/loader:1623:10)',
  'Module.load (node:internal/modules/cjs/loader:1266:32)',
  'Module._load (node:internal/modules/cjs/loader:1091:12)',
  'Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)',
  'node:internal/main/run_main_module:28:49',
];
// Per callback kind: the name of the callback's own frame (anonymous, named), and the frames
// of Node's code below it.
const CALLBACK_FRAMES = {
  main: [() => 'Object.<anonymous>', MAIN_TRAILER],
  timer: [
    (name) => (name ? `Timeout.${name} [as _onTimeout]` : 'Timeout._onTimeout'),
    [
      'listOnTimeout (node:internal/timers:581:17)',
      'process.processTimers (node:internal/timers:519:7)',
    ],
  ],
  immediate: [
    (name) => (name ? `Immediate.${name} [as _onImmediate]` : 'Immediate._onImmediate'),
    ['process.processImmediate (node:internal/timers:483:21)'],
  ],
  // Read after the immediate ran (an uncaught error's report): Node has cleared
  // `_onImmediate` by then, and V8 names the frame without it.
  immediateDone: [
    (name) => (name ? `Immediate.${name}` : 'Immediate.<anonymous>'),
    ['process.processImmediate (node:internal/timers:483:21)'],
  ],
  tick: [
    (name) => name,
    ['process.processTicksAndRejections (node:internal/process/task_queues:77:11)'],
  ],
  microtask: [
    (name) => name,
    [
      'node:internal/process/task_queues:140:7',
      'AsyncResource.runInAsyncScope (node:async_hooks:206:9)',
      'AsyncResource.runMicrotask (node:internal/process/task_queues:137:8)',
    ],
  ],
};

// One of boa's frame lines, parsed: { name, path, line, column } (path null for a native).
function parseFrame(text) {
  const m = /^\s*at (.*?) \((.*)\)$/.exec(text);
  if (m === null) return null;
  const name = m[1] === '<main>' || m[1] === '<anonymous>' ? '' : m[1];
  const loc = /^(.*):(\d+):(\d+)$/.exec(m[2]);
  if (loc === null) return { name, path: null, line: 0, column: 0 };
  const line = Number(loc[2]);
  let column = Number(loc[3]);
  if (loc[1] === filename && line === 1) column = Math.max(1, column - host.wrapperLength);
  return { name, path: loc[1], line, column };
}

function errorHeader(err) {
  let name;
  let message;
  try {
    name = err.name === undefined ? 'Error' : String(err.name);
    message = err.message === undefined ? '' : String(err.message);
  } catch (e) {
    return 'Error';
  }
  if (name === '') return message;
  if (message === '') return name;
  return `${name}: ${message}`;
}

// The frames of a boa stack, as Node would list them.
function nodeFrames(raw, kind) {
  const frames = [];
  let madeByLayer = null;
  for (const text of raw.split('\n')) {
    const f = parseFrame(text);
    if (f === null) continue;
    if (madeByLayer === null && f.path !== null) madeByLayer = f.path === LAYER_PATH;
    if (f.path === filename) frames.push(f);
  }
  const lines = frames.map((f, i) => {
    let name = f.name;
    const outermost = i === frames.length - 1 && CALLBACK_FRAMES[kind] !== undefined;
    if (outermost) name = CALLBACK_FRAMES[kind][0](name);
    const where = `${f.path}:${f.line}:${f.column}`;
    return name ? `${name} (${where})` : where;
  });
  if (frames.length > 0 && CALLBACK_FRAMES[kind] !== undefined) {
    lines.push(...CALLBACK_FRAMES[kind][1]);
  }
  return { lines, madeByLayer: madeByLayer === true };
}

function formatStack(err) {
  const raw = nativeStack.get.call(err);
  if (typeof raw !== 'string') return raw;
  const { lines, madeByLayer } = nodeFrames(raw, host.callbackKind());
  let header = errorHeader(err);
  if (
    madeByLayer &&
    typeof err.code === 'string' &&
    /^ERR_/.test(err.code) &&
    err.name !== undefined
  ) {
    // Node's internal errors: `TypeError [ERR_X]: message`.
    header = header.replace(String(err.name), `${err.name} [${err.code}]`);
  }
  const limit = typeof Error.stackTraceLimit === 'number' ? Error.stackTraceLimit : 10;
  return [header, ...lines.slice(0, Math.max(0, limit)).map((l) => `    at ${l}`)].join('\n');
}

Object.defineProperty(Error.prototype, 'stack', {
  __proto__: null,
  configurable: true,
  enumerable: false,
  get() {
    const stack = formatStack(this);
    if (stack !== undefined) {
      Object.defineProperty(this, 'stack', {
        __proto__: null,
        value: stack,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    return stack;
  },
  set(value) {
    Object.defineProperty(this, 'stack', {
      __proto__: null,
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  },
});
Error.stackTraceLimit = 10;

// Error.captureStackTrace(obj, fn): `obj.stack` becomes the stack here, less the frames above
// `fn` (by name) when it is given.
Error.captureStackTrace = function captureStackTrace(obj, fn) {
  if (obj === null || typeof obj !== 'object')
    throw invalidArgType('object', 'of type object', obj);
  const here = new Error();
  let lines = here.stack.split('\n').slice(1);
  if (typeof fn === 'function' && fn.name) {
    const i = lines.findIndex((l) => new RegExp(`^\\s*at (\\S+\\.)?${fn.name}( |$)`).test(l));
    if (i >= 0) lines = lines.slice(i + 1);
  }
  Object.defineProperty(obj, 'stack', {
    __proto__: null,
    value: [errorHeader(obj), ...lines].join('\n'),
    writable: true,
    configurable: true,
    enumerable: false,
  });
};

// Where the program called into this layer: the innermost frame in the user's file, as
// `{ line, column }` (1-based, the user's own columns), or null.
function callSite() {
  const raw = nativeStack.get.call(new Error());
  if (typeof raw !== 'string') return null;
  for (const text of raw.split('\n')) {
    const f = parseFrame(text);
    if (f !== null && f.path === filename) return { line: f.line, column: f.column };
  }
  return null;
}

// ---- Where Node's own code throws --------------------------------------------------------
//
// An uncaught error thrown by Node's JavaScript (a failed assert, an unhandled 'error' event,
// a bad argument) is reported by Node at its own source line: `node:assert:90` and the
// `throw new AssertionError(obj);` under it. The places in this layer that mirror those throws
// record Node 20.20.2's line on the error (`atNodeSite`); the engine prints it when the error
// leaves this layer uncaught. Argument errors thrown by a validator are all thrown by Node's
// `hideStackFrames` wrapper, at one place.

const kNodeThrowSite = Symbol('kNodeThrowSite');
const VALIDATOR_SITE = ['node:internal/errors:541', '      throw error;'];

function atNodeSite(err, where, code) {
  if (err !== null && typeof err === 'object') {
    try {
      Object.defineProperty(err, kNodeThrowSite, {
        __proto__: null,
        value: [where, code],
        configurable: true,
      });
    } catch (e) {
      // A frozen object keeps no site; the report then points at the program.
    }
  }
  return err;
}

// `file:LINE`, the line and its caret, for the report of an error thrown by this layer.
function nodeThrowSite(err) {
  if (err === null || typeof err !== 'object') return undefined;
  let site = err[kNodeThrowSite];
  const code = err.code;
  if (site === undefined && typeof code === 'string' && /^ERR_(?!ASSERTION$)/.test(code))
    site = VALIDATOR_SITE;
  if (site === undefined) return undefined;
  const [where, line] = site;
  const indent = line.length - line.trimStart().length;
  return `${where}\n${line}\n${' '.repeat(indent)}^\n`;
}
