// The module system and the globals, and what the engine calls (lib/internal/bootstrap/node.js,
// lib/internal/modules/cjs/loader.js).
//
// HOW: `require` answers from the built-in modules above; modules Looplab does not model say so
// and list what is modelled. The last statement declares the api the engine holds: `main`
// (run the module wrapper), `injectRequest`, and the hooks
// through which the engine emits 'exit', 'uncaughtException' and 'unhandledRejection'.

/* global Blob, lazyProperty, asyncHooks, intlObject, installLocaleMethods, ReadableStream, streamWeb, AbortController, TextDecoder, TextEncoder, atob, btoa, structuredClone, Headers, Request, Response, fetch, AbortSignal, Buffer, CustomEvent, DOMException, Event, EventEmitter,
   EventTarget, assert, atNodeSite, clearImmediate, clearInterval, clearTimeout,
   console, costs, crypto, db, describeReceived, dirname, dns, express, fs, fsPromises,
   http, httpServers, injectRequest, inspect, kEnhanceStackBeforeInspector, makeNodeError,
   net, nodeThrowSite, os, path, perfHooks, performance, process, queueMicrotask,
   setImmediate, setInterval, setTimeout, Stream, URL, URLSearchParams, querystring, url, stdioStream, streamPromises, stringDecoder, timersPromises,
   util, zlib */

const builtins = {
  fs,
  'fs/promises': fsPromises,
  path,
  os,
  events: EventEmitter,
  util,
  crypto,
  dns,
  'dns/promises': dns.promises,
  zlib,
  db,
  timers: { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate },
  'timers/promises': timersPromises,
  string_decoder: stringDecoder,
  perf_hooks: perfHooks,
  async_hooks: asyncHooks,
  buffer: { Buffer, Blob: undefined, atob, btoa },
  process,
  console,
};
// The modules whose code is in the lazy part of the layer (prelude.rs, LAZY): loaded by the
// first require.
for (const [id, get] of [
  ['net', () => net],
  ['http', () => http],
  ['url', () => url],
  ['querystring', () => querystring],
  ['express', () => express],
  ['stream', () => Stream],
  ['stream/promises', () => streamPromises],
  ['stream/web', () => streamWeb],
  ['assert', () => assert],
])
  lazyProperty(builtins, id, get, true);
lazyProperty(builtins.buffer, 'Blob', () => Blob, true);
const unsupported = [
  'child_process',
  'cluster',
  'worker_threads',
  'https',
  'http2',
  'tls',
  'dgram',
  'vm',
  'v8',
  'inspector',
  'repl',
  'readline',
  'tty',
];

function require(id) {
  if (typeof id !== 'string')
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      `The "id" argument must be of type string. Received ${describeReceived(id)}`,
    );
  const name = id.startsWith('node:') ? id.slice(5) : id;
  if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name];
  if (unsupported.includes(name)) {
    const e = new Error(
      `Looplab does not model the '${name}' module: it simulates one Node.js process's event loop. ` +
        `Modules available: ${Object.keys(builtins).sort().join(', ')}.`,
    );
    e.code = 'ERR_LOOPLAB_UNSUPPORTED_MODULE';
    throw e;
  }
  const e = new Error(`Cannot find module '${id}'\nRequire stack:\n- ${filename}`);
  e.code = 'MODULE_NOT_FOUND';
  e.requireStack = [filename];
  throw atNodeSite(e, 'node:internal/modules/cjs/loader:1210', '  throw err;');
}
require.resolve = (id) => {
  require(id);
  return id;
};
require.cache = {};

// The globals a program sees, and what the engine calls.

Object.assign(globalThis, {
  setTimeout,
  setInterval,
  setImmediate,
  clearTimeout,
  clearInterval,
  clearImmediate,
  queueMicrotask,
  process,
  console,
  Buffer,
  performance,
  global: globalThis,
  require,
});
// Node 20's web globals: not enumerable, as in Node, and in Node's order. A `lazy` entry is a
// class of the lazy part of the layer (prelude.rs, LAZY): the global loads it when first read
// (`lazyProperty`), as Node 20 loads Blob, Headers and the web streams.
const lazy = (get) => ({ lazy: get });
for (const [name, value] of Object.entries({
  EventTarget,
  Event,
  CustomEvent,
  DOMException,
  AbortController,
  AbortSignal,
  URL: lazy(() => URL),
  URLSearchParams: lazy(() => URLSearchParams),
  TextEncoder,
  TextDecoder,
  ReadableStream: lazy(() => ReadableStream),
  Blob: lazy(() => Blob),
  Intl: intlObject,
  Headers: lazy(() => Headers),
  Request: lazy(() => Request),
  Response: lazy(() => Response),
})) {
  if (value !== null && typeof value === 'object' && typeof value.lazy === 'function')
    lazyProperty(globalThis, name, value.lazy, false);
  else Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
}
// These are enumerable in Node 20 (the classes are not). fetch is a plain function that loads
// the rest when first called, as Node's is (Node 20's
// lib/internal/bootstrap/web/exposed-window-or-worker.js).
for (const [name, value] of Object.entries({
  fetch: {
    fetch(input, init = undefined) {
      loadLazy();
      return fetch(input, init);
    },
  }.fetch,
  structuredClone,
  atob,
  btoa,
}))
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
// process.stdout and process.stderr are streams (the lazy part): getters, as in Node.
for (const [name, fd] of [
  ['stdout', 1],
  ['stderr', 2],
]) {
  let stream;
  Object.defineProperty(process, name, {
    get() {
      loadLazy();
      stream ??= stdioStream(fd);
      return stream;
    },
    enumerable: true,
    configurable: true,
  });
}
// Node 20's language level is V8 11.3's: what boa has beyond it must be absent, so that feature
// tests (`if (Object.groupBy)`, `typeof Promise.withResolvers`) take the path they take in Node
// 20. Each was checked with `typeof` against real node (conformance 850).
{
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  const absent = [
    [Object, 'groupBy'],
    [Map, 'groupBy'],
    [Promise, 'withResolvers'],
    [Promise, 'try'],
    [RegExp, 'escape'],
    [JSON, 'rawJSON'],
    [JSON, 'isRawJSON'],
    ...[
      'union',
      'intersection',
      'difference',
      'symmetricDifference',
      'isSubsetOf',
      'isSupersetOf',
      'isDisjointFrom',
    ].map((name) => [Set.prototype, name]),
    // Iterator helpers came in V8 12.
    ...[
      'map',
      'filter',
      'take',
      'drop',
      'flatMap',
      'reduce',
      'toArray',
      'forEach',
      'some',
      'every',
      'find',
    ].map((name) => [iteratorPrototype, name]),
    [globalThis, 'Iterator'],
  ];
  for (const [object, name] of absent) delete object[name];
  // With the helpers, %IteratorPrototype% got a constructor and a tag of its own.
  delete iteratorPrototype[Symbol.toStringTag];
  if (Object.prototype.hasOwnProperty.call(iteratorPrototype, 'constructor'))
    delete iteratorPrototype.constructor;
}
installLocaleMethods();
// V8 names the time zone after the offset; the model's is UTC.
{
  const toString = Date.prototype.toString;
  Object.defineProperty(Date.prototype, 'toString', {
    value: function toString_() {
      const s = toString.call(this);
      return s.endsWith('GMT+0000') ? `${s} (Coordinated Universal Time)` : s;
    },
    writable: true,
    configurable: true,
  });
}
Math.random = () => host.random();
Date.now = () => host.dateNow();
// JSON.parse of a big string is CPU on the main thread: charge for it.
{
  const parse = JSON.parse;
  JSON.parse = function parse_(text, reviver) {
    host.spend(String(text).length * costs.jsonParsePerChar);
    return parse(text, reviver);
  };
}

function isErrorLike(v) {
  return (
    v instanceof Error ||
    (typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, 'stack'))
  );
}

// V8's side-effect-free string of a value, as Node quotes a rejection reason.
function reasonString(v) {
  if (typeof v === 'function') return Function.prototype.toString.call(v);
  if (typeof v === 'symbol') return v.toString();
  if (typeof v !== 'object' || v === null) return String(v);
  if (Array.isArray(v)) return '[object Array]';
  const ctor = v.constructor;
  return `#<${(typeof ctor === 'function' && ctor.name) || 'Object'}>`;
}

class UnhandledPromiseRejection extends Error {
  constructor(reason) {
    super(
      'This error originated either by throwing inside of an async function without a catch ' +
        'block, or by rejecting a promise which was not handled with .catch(). The promise ' +
        `rejected with the reason "${reasonString(reason)}".`,
    );
    this.code = 'ERR_UNHANDLED_REJECTION';
    Object.defineProperty(this, 'name', {
      __proto__: null,
      value: 'UnhandledPromiseRejection',
      writable: true,
      configurable: true,
    });
  }
}

const module = { id: '.', filename, loaded: false, exports: {}, children: [], paths: [] };
require.main = module;

// What the engine holds: `prelude.rs` ends the joined function with `return looplabApi;`.
const looplabApi = {
  main: (fn) =>
    fn.call(module.exports, module.exports, require, module, filename, dirname(filename)),
  injectRequest(...args) {
    loadLazy();
    return injectRequest(...args);
  },
  // (No server before the lazy part of the layer is loaded: it holds `http`.)
  hasHttpServer: () => lazyLoaded && httpServers.some((s) => s._handle !== null),
  // An uncaught exception as Node prints it: util.inspect of the value (an error's stack and
  // its own properties).
  formatError(e) {
    // An unhandled 'error' event also says where it was emitted (events.js).
    if (
      e !== null &&
      typeof e === 'object' &&
      typeof e[kEnhanceStackBeforeInspector] === 'function'
    ) {
      try {
        e.stack = e[kEnhanceStackBeforeInspector]();
      } catch (err) {
        // The plain stack, then.
      }
    }
    // A thrown string is printed as it is.
    return typeof e === 'string' ? e : inspect(e);
  },
  // Where Node's own code would have thrown `e` (see internal/errors.js), or undefined.
  nodeThrowSite,
  emitExit(code) {
    process.emit('exit', code);
  },
  // Node's SpinEventLoop emits 'beforeExit' whenever uv_run returns; the model asks only when
  // the program listens (the emit is a callback of its own, with its checkpoint).
  hasBeforeExit: () => process.listenerCount('beforeExit') > 0,
  emitBeforeExit() {
    process.emit('beforeExit', process.exitCode === undefined ? 0 : process.exitCode);
  },
  // processPromiseRejections in the default --unhandled-rejections=throw mode, for one
  // rejection still unhandled: an 'unhandledRejection' listener takes it (null: handled);
  // otherwise it is raised as an uncaught exception, a reason that is not an error wrapped in
  // an UnhandledPromiseRejection (the value returned, for the engine to raise).
  unhandledRejection(reason, promise) {
    if (process.emit('unhandledRejection', reason, promise)) return null;
    return isErrorLike(reason) ? reason : new UnhandledPromiseRejection(reason);
  },
  // An exception no callback caught (origin 'uncaughtException' or 'unhandledRejection'):
  // 'uncaughtExceptionMonitor' listeners see it; an 'uncaughtException' listener keeps the
  // process alive.
  emitUncaught(err, origin) {
    process.emit('uncaughtExceptionMonitor', err, origin);
    if (process.listenerCount('uncaughtException') === 0) return false;
    process.emit('uncaughtException', err, origin);
    return true;
  },
  inspect,
};
