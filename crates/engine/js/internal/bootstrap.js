// The module system and the globals, and what the engine calls (lib/internal/bootstrap/node.js,
// lib/internal/modules/cjs/loader.js).
//
// HOW: `require` answers from the built-in modules above; modules Looplab does not model say so
// and list what is modelled. The last statement declares the api the engine holds: `main`
// (run the module wrapper), `injectRequest`, and the hooks
// through which the engine emits 'exit', 'uncaughtException' and 'unhandledRejection'.

/* global Buffer, EventEmitter, assert, clearImmediate, clearInterval, clearTimeout, console,
   costs, crypto, db, describeReceived, dirname, dns, express, fs, fsPromises, http,
   httpServers, injectRequest, inspect, keyString, makeNodeError, net, os, path, perfHooks,
   performance, process, queueMicrotask, setImmediate, setInterval, setTimeout,
   timersPromises, util, zlib */

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
  net,
  http,
  express,
  db,
  timers: { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate },
  'timers/promises': timersPromises,
  perf_hooks: perfHooks,
  buffer: { Buffer },
  process,
  console,
  assert,
};
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
  'stream',
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
  throw e;
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

const module = { id: '.', filename, loaded: false, exports: {}, children: [], paths: [] };
require.main = module;

// What the engine holds: `prelude.rs` ends the joined function with `return looplabApi;`.
const looplabApi = {
  main: (fn) =>
    fn.call(module.exports, module.exports, require, module, filename, dirname(filename)),
  injectRequest,
  hasHttpServer: () => httpServers.some((s) => s._handle !== null),
  formatError(e) {
    if (e instanceof Error) {
      const props = Object.keys(e).filter((k) => k !== 'stack' && k !== 'message');
      const head = `${e.name || 'Error'}: ${e.message}`;
      if (props.length === 0) return head;
      const extra = props.map((k) => `  ${keyString(k)}: ${inspect(e[k])}`).join(',\n');
      return `${head} {\n${extra}\n}`;
    }
    return inspect(e);
  },
  emitExit(code) {
    process.emit('exit', code);
  },
  // processPromiseRejections: with an 'unhandledRejection' listener, Node emits instead of dying.
  emitUnhandled(reasons, promises) {
    if (process.listenerCount('unhandledRejection') === 0) return false;
    for (let i = 0; i < reasons.length; i++)
      process.emit('unhandledRejection', reasons[i], promises[i]);
    return true;
  },
  // An exception no callback caught: an 'uncaughtException' listener keeps the process alive.
  emitUncaught(err) {
    if (process.listenerCount('uncaughtException') === 0) return false;
    process.emit('uncaughtException', err, 'uncaughtException');
    return true;
  },
  inspect,
};
