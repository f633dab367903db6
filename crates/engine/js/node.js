// Node's JavaScript layer, over the model's primitives.
//
// HOW: real Node is mostly JavaScript (lib/*.js) over C++ bindings. Looplab keeps that shape:
// this file implements the Node APIs a program can use (timers, process, console, Buffer, fs,
// crypto, dns, zlib, events, net, and the teaching modules express and db) in JavaScript, and
// every operation that involves the event loop goes through `host`, a small native object whose
// methods schedule work on the model (a timer, an immediate, a pool job, a watcher in the
// kernel). The model decides when each callback runs and calls back through `dispatch(id)`.
//
// WHY JavaScript: the order in which Node's own JS code emits events and queues nextTicks is
// part of the behaviour being taught (a 'listening' event comes two nextTicks after `listen()`,
// a socket's 'end' comes before its 'close'); writing that logic as JS, the way Node does,
// keeps it readable side by side with Node's source.
//
// Contract with the host (crates/engine/src/host.rs): callbacks are registered here and passed
// to the host as integer ids with a frame label; `dispatch(id)` runs one. Ids start at 1.

'use strict';

// ---------------------------------------------------------------------------------------------
// The callback registry: the only place JavaScript functions wait for the loop.
// ---------------------------------------------------------------------------------------------

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
    throw makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type function. Received ${describeReceived(fn)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Timers (lib/timers.js, lib/internal/timers.js): the lists and their rules live in the model.
// ---------------------------------------------------------------------------------------------

const knownTimers = new Map();

class Timeout {
  constructor(callback, after, args, isRepeat) {
    this._onTimeout = callback;
    this._idleTimeout = after;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this._args = args;
    this._callbackId = register(callback, args, this, isRepeat);
    this._id = host.setTimeout(this._callbackId, Number(after), !!isRepeat, frameName(callback));
  }
  ref() { host.timerRef(this._id, true); return this; }
  unref() { host.timerRef(this._id, false); return this; }
  hasRef() { return host.timerHasRef(this._id); }
  refresh() {
    if (this._destroyed) return this;
    if (host.timerRefresh(this._id)) {
      // Refreshed from inside its own callback: the registry entry was consumed; put it back.
      if (!callbacks.has(this._callbackId)) {
        callbacks.set(this._callbackId, { fn: this._onTimeout, args: this._args, thisArg: this, keep: this._repeat !== null });
      }
      return this;
    }
    // It already fired: Node re-arms it with the same callback and delay.
    this._callbackId = register(this._onTimeout, this._args, this, this._repeat !== null);
    this._id = host.setTimeout(this._callbackId, Number(this._idleTimeout), this._repeat !== null, frameName(this._onTimeout));
    return this;
  }
  close() { clearTimeout(this); return this; }
  [Symbol.toPrimitive]() { knownTimers.set(this._id, this); return this._id; }
}

function setTimeout(callback, after, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, after, args, false);
}
function setInterval(callback, repeat, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, repeat, args, true);
}
function clearTimeout(timer) {
  if (timer === null || timer === undefined) return;
  if (typeof timer === 'number' || typeof timer === 'string') timer = knownTimers.get(Number(timer));
  if (!(timer instanceof Timeout) || timer._destroyed) return;
  timer._destroyed = true;
  knownTimers.delete(timer._id);
  callbacks.delete(timer._callbackId);
  host.clearTimer(timer._id);
}
const clearInterval = clearTimeout;

class Immediate {
  constructor(callback, args) {
    this._onImmediate = callback;
    this._destroyed = false;
    this._refed = true;
    this._callbackId = register(callback, args, this, false);
    this._id = host.setImmediate(this._callbackId, frameName(callback));
  }
  ref() { this._refed = true; host.immediateRef(this._id, true); return this; }
  unref() { this._refed = false; host.immediateRef(this._id, false); return this; }
  hasRef() { return this._refed; }
}
function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return new Immediate(callback, args);
}
function clearImmediate(immediate) {
  if (!(immediate instanceof Immediate) || immediate._destroyed) return;
  immediate._destroyed = true;
  callbacks.delete(immediate._callbackId);
  host.clearImmediate(immediate._id);
}

function queueMicrotask(callback) {
  validateFunction(callback, 'callback');
  host.queueMicrotask(register(callback, undefined, undefined, false), frameName(callback));
}

function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  host.nextTick(register(callback, args, undefined, false), frameName(callback));
}

// ---------------------------------------------------------------------------------------------
// EventEmitter (lib/events.js): synchronous emit, listeners in registration order.
// ---------------------------------------------------------------------------------------------

class EventEmitter {
  constructor() { this._events = Object.create(null); this._maxListeners = 10; }
  _list(name) {
    if (this._events === undefined) this._events = Object.create(null);
    return this._events[name] || (this._events[name] = []);
  }
  on(name, listener) {
    validateFunction(listener, 'listener');
    if (this._events && this._events.newListener && name !== 'newListener') this.emit('newListener', name, listener);
    this._list(name).push({ listener, once: false });
    return this;
  }
  addListener(name, listener) { return this.on(name, listener); }
  prependListener(name, listener) { validateFunction(listener, 'listener'); this._list(name).unshift({ listener, once: false }); return this; }
  once(name, listener) { validateFunction(listener, 'listener'); this._list(name).push({ listener, once: true }); return this; }
  prependOnceListener(name, listener) { validateFunction(listener, 'listener'); this._list(name).unshift({ listener, once: true }); return this; }
  off(name, listener) {
    const list = this._events && this._events[name];
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].listener === listener) { list.splice(i, 1); break; }
    }
    if (list.length === 0) delete this._events[name];
    return this;
  }
  removeListener(name, listener) { return this.off(name, listener); }
  removeAllListeners(name) {
    if (name === undefined) this._events = Object.create(null);
    else if (this._events) delete this._events[name];
    return this;
  }
  emit(name, ...args) {
    const list = this._events && this._events[name];
    if (!list || list.length === 0) {
      if (name === 'error') {
        const err = args[0];
        if (err instanceof Error) throw err;
        const e = new Error(`Unhandled error. (${inspect(err)})`);
        e.code = 'ERR_UNHANDLED_ERROR';
        e.context = err;
        throw e;
      }
      return false;
    }
    for (const entry of list.slice()) {
      if (entry.once) this.off(name, entry.listener);
      entry.listener.apply(this, args);
    }
    return true;
  }
  listenerCount(name) { const l = this._events && this._events[name]; return l ? l.length : 0; }
  listeners(name) { const l = this._events && this._events[name]; return l ? l.map((e) => e.listener) : []; }
  rawListeners(name) { return this.listeners(name); }
  eventNames() { return this._events ? Reflect.ownKeys(this._events) : []; }
  setMaxListeners(n) { this._maxListeners = n; return this; }
  getMaxListeners() { return this._maxListeners; }
}
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => { emitter.off(name, onEvent); reject(err); };
    const onEvent = (...args) => { if (name !== 'error') emitter.off('error', onError); resolve(args); };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
  });
};

// ---------------------------------------------------------------------------------------------
// process
// ---------------------------------------------------------------------------------------------

const process = new EventEmitter();
process.env = {};
process.argv = ['/usr/local/bin/node', filename];
process.argv0 = 'node';
process.execArgv = [];
process.pid = 4242;
process.ppid = 4241;
process.platform = 'linux';
process.arch = 'x64';
process.title = 'node';
process.version = 'v20.20.2';
process.versions = { node: '20.20.2', uv: '1.46.0', v8: '11.3.244.8-node.38', modules: '115' };
process.release = { name: 'node', lts: 'Iron' };
process.nextTick = nextTick;
process.cwd = () => dirname(filename);
process.uptime = () => host.performanceNow() / 1000;
process.hrtime = function hrtime(prev) {
  const ns = Math.round(host.performanceNow() * 1e6) + 1_000_000_000;
  let s = Math.floor(ns / 1e9);
  let n = ns % 1e9;
  if (Array.isArray(prev)) {
    s -= prev[0];
    n -= prev[1];
    if (n < 0) { s -= 1; n += 1e9; }
  }
  return [s, n];
};
process.hrtime.bigint = () => BigInt(Math.round(host.performanceNow() * 1e6) + 1_000_000_000);
process.exit = (code) => {
  if (code !== undefined) process.exitCode = code;
  host.exit(process.exitCode === undefined ? 0 : Number(process.exitCode) | 0);
};
let exitCode;
Object.defineProperty(process, 'exitCode', {
  get() { return exitCode; },
  set(v) { exitCode = v; host.setExitCode(v === undefined ? 0 : Number(v) | 0); },
  enumerable: true,
});
process.stdout = { write(s) { host.write(1, String(s)); return true; }, isTTY: false, fd: 1 };
process.stderr = { write(s) { host.write(2, String(s)); return true; }, isTTY: false, fd: 2 };

// ---------------------------------------------------------------------------------------------
// console
// ---------------------------------------------------------------------------------------------

const counts = new Map();
const timersByLabel = new Map();
let groupIndent = '';
function out(stream, text) {
  const lines = groupIndent === '' ? text : text.split('\n').map((l) => groupIndent + l).join('\n');
  host.write(stream, lines + '\n');
}
const console = {
  log(...args) { out(1, format(...args)); },
  info(...args) { out(1, format(...args)); },
  debug(...args) { out(1, format(...args)); },
  error(...args) { out(2, format(...args)); },
  warn(...args) { out(2, format(...args)); },
  trace(...args) { out(2, 'Trace' + (args.length ? ': ' + format(...args) : '')); },
  dir(v, opts) { out(1, inspect(v, opts)); },
  assert(cond, ...args) { if (!cond) out(2, 'Assertion failed' + (args.length ? ': ' + format(...args) : '')); },
  count(label = 'default') { const n = (counts.get(label) || 0) + 1; counts.set(label, n); out(1, `${label}: ${n}`); },
  countReset(label = 'default') { counts.delete(label); },
  time(label = 'default') { timersByLabel.set(label, host.performanceNow()); },
  timeEnd(label = 'default') {
    const t = timersByLabel.get(label);
    if (t === undefined) return;
    timersByLabel.delete(label);
    out(1, `${label}: ${formatDuration(host.performanceNow() - t)}`);
  },
  timeLog(label = 'default', ...args) {
    const t = timersByLabel.get(label);
    if (t === undefined) return;
    out(1, `${label}: ${formatDuration(host.performanceNow() - t)}` + (args.length ? ' ' + format(...args) : ''));
  },
  group(...args) { if (args.length) out(1, format(...args)); groupIndent += '  '; },
  groupEnd() { groupIndent = groupIndent.slice(2); },
};
function formatDuration(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}

// ---------------------------------------------------------------------------------------------
// Buffer: enough of it for fs, crypto and zlib results.
// ---------------------------------------------------------------------------------------------

function utf8Encode(str) {
  const bytes = [];
  for (const ch of str) {
    let c = ch.codePointAt(0);
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return bytes;
}
function utf8Decode(bytes, start, end) {
  let s = '';
  let i = start;
  while (i < end) {
    const b = bytes[i];
    let c;
    let n = 0;
    if (b < 0x80) { c = b; n = 1; }
    else if ((b & 0xe0) === 0xc0) { c = b & 0x1f; n = 2; }
    else if ((b & 0xf0) === 0xe0) { c = b & 0x0f; n = 3; }
    else if ((b & 0xf8) === 0xf0) { c = b & 0x07; n = 4; }
    else { s += '\ufffd'; i++; continue; }
    if (i + n > end) { s += '\ufffd'; break; }
    for (let k = 1; k < n; k++) c = (c << 6) | (bytes[i + k] & 63);
    s += String.fromCodePoint(c);
    i += n;
  }
  return s;
}
const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

class Buffer extends Uint8Array {
  static from(value, encoding) {
    if (typeof value === 'string') {
      if (encoding === 'hex') {
        const b = new Buffer(value.length >> 1);
        for (let i = 0; i < b.length; i++) b[i] = parseInt(value.substr(i * 2, 2), 16);
        return b;
      }
      if (encoding === 'base64') {
        const clean = value.replace(/[^A-Za-z0-9+/]/g, '');
        const bytes = [];
        for (let i = 0; i < clean.length; i += 4) {
          const n = (b64.indexOf(clean[i]) << 18) | (b64.indexOf(clean[i + 1]) << 12) |
            ((clean[i + 2] ? b64.indexOf(clean[i + 2]) : 0) << 6) | (clean[i + 3] ? b64.indexOf(clean[i + 3]) : 0);
          bytes.push((n >> 16) & 255);
          if (clean[i + 2]) bytes.push((n >> 8) & 255);
          if (clean[i + 3]) bytes.push(n & 255);
        }
        return Buffer.from(bytes);
      }
      if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') {
        const b = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) b[i] = value.charCodeAt(i) & 255;
        return b;
      }
      const bytes = utf8Encode(value);
      const b = new Buffer(bytes.length);
      b.set(bytes);
      return b;
    }
    if (value instanceof ArrayBuffer) return new Buffer(value);
    const arr = Array.from(value, (x) => x & 255);
    const b = new Buffer(arr.length);
    b.set(arr);
    return b;
  }
  static alloc(n, fill) { const b = new Buffer(n); if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : 0); return b; }
  static allocUnsafe(n) { return new Buffer(n); }
  static isBuffer(v) { return v instanceof Buffer; }
  static byteLength(s) { return typeof s === 'string' ? utf8Encode(s).length : s.length; }
  static concat(list, total) {
    const n = total === undefined ? list.reduce((a, b) => a + b.length, 0) : total;
    const b = new Buffer(n);
    let off = 0;
    for (const part of list) { b.set(part.subarray(0, Math.min(part.length, n - off)), off); off += part.length; if (off >= n) break; }
    return b;
  }
  toString(encoding, start = 0, end = this.length) {
    if (encoding === 'hex') {
      let s = '';
      for (let i = start; i < end; i++) s += this[i].toString(16).padStart(2, '0');
      return s;
    }
    if (encoding === 'base64') {
      let s = '';
      for (let i = start; i < end; i += 3) {
        const n = (this[i] << 16) | ((i + 1 < end ? this[i + 1] : 0) << 8) | (i + 2 < end ? this[i + 2] : 0);
        s += b64[(n >> 18) & 63] + b64[(n >> 12) & 63] + (i + 1 < end ? b64[(n >> 6) & 63] : '=') + (i + 2 < end ? b64[n & 63] : '=');
      }
      return s;
    }
    if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(this[i]);
      return s;
    }
    return utf8Decode(this, start, end);
  }
  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
  equals(other) { if (other.length !== this.length) return false; for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false; return true; }
  slice(s, e) { const sub = this.subarray(s, e); return Object.setPrototypeOf(sub, Buffer.prototype); }
  write(str, offset = 0) { const bytes = utf8Encode(str); this.set(bytes.slice(0, this.length - offset), offset); return Math.min(bytes.length, this.length - offset); }
}

// Deterministic pseudo-random bytes for results whose content nobody can check (derived keys,
// random bytes): the model's seeded generator, never the OS.
function pseudoBytes(n, seedText) {
  const b = new Buffer(n);
  if (seedText === undefined) {
    for (let i = 0; i < n; i++) b[i] = Math.floor(host.random() * 256);
    return b;
  }
  let h = 2166136261;
  for (let i = 0; i < seedText.length; i++) h = Math.imul(h ^ seedText.charCodeAt(i), 16777619) >>> 0;
  for (let i = 0; i < n; i++) { h = Math.imul(h ^ (h >>> 15), 2246822519) >>> 0; h ^= h >>> 13; b[i] = h & 255; }
  return b;
}

// ---------------------------------------------------------------------------------------------
// The thread pool and the kernel, as seen from Node's bindings.
// ---------------------------------------------------------------------------------------------

const costs = host.costs();
let poolStarted = false;

// libuv reads UV_THREADPOOL_SIZE once, when the first request is queued (init_once).
function toPool(name, costUs, kind, frame, done) {
  if (!poolStarted) {
    poolStarted = true;
    const v = process.env.UV_THREADPOOL_SIZE;
    if (v !== undefined) {
      let n = parseInt(String(v), 10);
      if (!(n > 0)) n = 1;
      if (n > 1024) n = 1024;
      host.setPoolSize(n);
    }
  }
  return host.work(register(done, undefined, undefined, false), name, Math.max(0, Math.round(costUs)), kind, frame);
}

function toKernel(name, latencyUs, handle, frame, done) {
  return host.watch(register(done, undefined, undefined, false), name, Math.max(0, Math.round(latencyUs)), handle, frame);
}

// A synchronous call: the main thread is busy for `us`, nothing else runs meanwhile.
function onMainThread(name, us, fn) {
  host.pushFrame(name);
  try {
    host.spend(Math.max(0, Math.round(us)));
    return fn();
  } finally {
    host.popFrame();
  }
}

// A host call frame (e.g. `fs.readFile`) on top of the calling callback while it runs.
function hostCall(name, fn) {
  host.pushFrame(name);
  try { return fn(); } finally { host.popFrame(); }
}

// ---------------------------------------------------------------------------------------------
// path and os
// ---------------------------------------------------------------------------------------------

function normalizeParts(parts) {
  const out = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop(); else out.push(p);
  }
  return out;
}
function resolvePath(...segs) {
  let acc = '';
  for (let i = segs.length - 1; i >= 0 && !acc.startsWith('/'); i--) acc = segs[i] + (acc ? '/' + acc : '');
  if (!acc.startsWith('/')) acc = dirname(filename) + '/' + acc;
  return '/' + normalizeParts(acc.split('/')).join('/');
}
function dirname(p) { const i = p.lastIndexOf('/'); return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i); }
function basename(p, ext) { let b = p.slice(p.lastIndexOf('/') + 1); if (ext && b.endsWith(ext)) b = b.slice(0, -ext.length); return b; }
function extname(p) { const b = basename(p); const i = b.lastIndexOf('.'); return i <= 0 ? '' : b.slice(i); }
const path = {
  sep: '/', delimiter: ':',
  join: (...parts) => { const j = parts.filter((x) => x !== '').join('/'); const abs = j.startsWith('/'); const n = normalizeParts(j.split('/')).join('/'); return (abs ? '/' : '') + (n || (abs ? '' : '.')); },
  resolve: resolvePath, dirname, basename, extname,
  isAbsolute: (p) => p.startsWith('/'),
  relative: (a, b) => { const x = resolvePath(a).split('/').filter(Boolean); const y = resolvePath(b).split('/').filter(Boolean); let i = 0; while (i < x.length && x[i] === y[i]) i++; return [...x.slice(i).map(() => '..'), ...y.slice(i)].join('/'); },
};
path.posix = path;
const os = {
  EOL: '\n', tmpdir: () => '/tmp', homedir: () => '/home/node', hostname: () => 'looplab', platform: () => 'linux',
  type: () => 'Linux', arch: () => 'x64', release: () => '6.18.0',
  cpus: () => [0, 1].map(() => ({ model: 'Looplab virtual CPU', speed: 2400, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })),
  availableParallelism: () => 2,
  totalmem: () => 24 * 2 ** 30, freemem: () => 20 * 2 ** 30,
};

// ---------------------------------------------------------------------------------------------
// fs: an in-memory file system that holds the script itself; each request is a pool job.
// ---------------------------------------------------------------------------------------------

const files = new Map([[filename, Buffer.from(source)]]);
const dirs = new Set(['/', '/tmp', dirname(filename)]);
{ let d = dirname(filename); while (d !== '/' && d !== '.') { dirs.add(d); d = dirname(d); } }

function fsError(code, syscall, p) {
  const messages = { ENOENT: 'no such file or directory', EISDIR: 'illegal operation on a directory', ENOTDIR: 'not a directory', EEXIST: 'file already exists' };
  const errnos = { ENOENT: -2, EISDIR: -21, ENOTDIR: -20, EEXIST: -17 };
  const e = new Error(`${code}: ${messages[code]}, ${syscall} '${p}'`);
  e.errno = errnos[code];
  e.code = code;
  e.syscall = syscall;
  e.path = p;
  return e;
}
function toPath(p) {
  if (typeof URL === 'function' && p instanceof URL) p = p.pathname;
  if (typeof p !== 'string' && !(p instanceof Buffer)) {
    throw makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "path" argument must be of type string or an instance of Buffer or URL. Received ${describeReceived(p)}`);
  }
  return resolvePath(String(p));
}
function encodingOf(options) {
  if (typeof options === 'string') return options;
  if (options && typeof options === 'object' && typeof options.encoding === 'string') return options.encoding;
  return null;
}
function decode(buf, enc) { return enc === null || enc === 'buffer' ? buf : buf.toString(enc); }
function toBytes(data, enc) {
  if (data instanceof Uint8Array) return Buffer.from(data);
  return Buffer.from(String(data), typeof enc === 'string' ? enc : 'utf8');
}

class Stats {
  constructor(size, isDir) {
    this.dev = 2049; this.mode = isDir ? 16877 : 33188; this.nlink = 1; this.uid = 1000; this.gid = 1000;
    this.rdev = 0; this.blksize = 4096; this.ino = 1000 + (size % 997); this.size = size;
    this.blocks = Math.ceil(size / 512);
    const t = host.dateNow();
    this.atimeMs = t; this.mtimeMs = t; this.ctimeMs = t; this.birthtimeMs = t;
    this.atime = new Date(t); this.mtime = new Date(t); this.ctime = new Date(t); this.birthtime = new Date(t);
    Object.defineProperty(this, '_dir', { value: isDir });
  }
  isFile() { return !this._dir; }
  isDirectory() { return this._dir; }
  isSymbolicLink() { return false; }
}
function statOf(p) {
  if (files.has(p)) return { stats: new Stats(files.get(p).length, false) };
  if (dirs.has(p)) return { stats: new Stats(4096, true) };
  return { err: fsError('ENOENT', 'stat', p) };
}
const readCost = (n) => costs.fsRead + n * costs.fsReadPerByte;

// fs.readFile: open, fstat, read, close, each a trip through the pool and the poll phase.
function readFileSteps(p, done) {
  toPool('fs.open', costs.fsOpen, 'fast', 'readFileAfterOpen', () => {
    if (!files.has(p)) return done(fsError(dirs.has(p) ? 'EISDIR' : 'ENOENT', dirs.has(p) ? 'read' : 'open', p));
    toPool('fs.fstat', costs.fsStat, 'fast', 'readFileAfterStat', () => {
      const data = files.get(p);
      toPool('fs.read', readCost(data.length), 'fast', 'readFileAfterRead', () => {
        toPool('fs.close', costs.fsClose, 'fast', 'readFileAfterClose', () => done(null, Buffer.from(data)));
      });
    });
  });
}
function writeFileSteps(p, bytes, append, done) {
  toPool('fs.open', costs.fsOpen, 'fast', 'writeFileAfterOpen', () => {
    if (!dirs.has(dirname(p))) return done(fsError('ENOENT', 'open', p));
    toPool('fs.write', costs.fsWrite + bytes.length * costs.fsReadPerByte, 'fast', 'writeAll', () => {
      const before = append && files.has(p) ? files.get(p) : null;
      files.set(p, before ? Buffer.concat([before, bytes]) : bytes);
      toPool('fs.close', costs.fsClose, 'fast', 'writeFileAfterClose', () => done(null));
    });
  });
}

function callbackArg(args) {
  const cb = args[args.length - 1];
  validateFunction(cb, 'cb');
  return cb;
}

const fs = {
  readFile(p, ...rest) {
    const cb = callbackArg(rest);
    const enc = encodingOf(rest.length > 1 ? rest[0] : undefined);
    const file = toPath(p);
    hostCall('fs.readFile', () => readFileSteps(file, (err, buf) => err ? cb(err) : cb(null, decode(buf, enc))));
  },
  writeFile(p, data, ...rest) {
    const cb = callbackArg(rest);
    const bytes = toBytes(data, encodingOf(rest.length > 1 ? rest[0] : undefined));
    const file = toPath(p);
    hostCall('fs.writeFile', () => writeFileSteps(file, bytes, false, (err) => cb(err)));
  },
  appendFile(p, data, ...rest) {
    const cb = callbackArg(rest);
    const file = toPath(p);
    hostCall('fs.appendFile', () => writeFileSteps(file, toBytes(data), true, (err) => cb(err)));
  },
  stat(p, ...rest) {
    const cb = callbackArg(rest);
    const file = toPath(p);
    hostCall('fs.stat', () => toPool('fs.stat', costs.fsStat, 'fast', frameName(cb), () => {
      const r = statOf(file);
      if (r.err) cb(r.err); else cb(null, r.stats);
    }));
  },
  access(p, ...rest) {
    const cb = callbackArg(rest);
    const file = toPath(p);
    hostCall('fs.access', () => toPool('fs.access', costs.fsStat, 'fast', frameName(cb), () => {
      cb(files.has(file) || dirs.has(file) ? null : fsError('ENOENT', 'access', file));
    }));
  },
  unlink(p, cb) {
    validateFunction(cb, 'cb');
    const file = toPath(p);
    hostCall('fs.unlink', () => toPool('fs.unlink', costs.fsStat, 'fast', frameName(cb), () => {
      if (!files.delete(file)) return cb(fsError('ENOENT', 'unlink', file));
      cb(null);
    }));
  },
  readdir(p, ...rest) {
    const cb = callbackArg(rest);
    const dir = toPath(p);
    hostCall('fs.readdir', () => toPool('fs.readdir', costs.fsStat, 'fast', frameName(cb), () => {
      if (!dirs.has(dir)) return cb(fsError('ENOENT', 'scandir', dir));
      cb(null, listDir(dir));
    }));
  },
  readFileSync(p, options) {
    const file = toPath(p);
    return onMainThread('fs.readFileSync', costs.fsOpen + costs.fsStat + costs.fsClose + readCost(files.has(file) ? files.get(file).length : 0), () => {
      if (!files.has(file)) throw fsError(dirs.has(file) ? 'EISDIR' : 'ENOENT', dirs.has(file) ? 'read' : 'open', file);
      return decode(Buffer.from(files.get(file)), encodingOf(options));
    });
  },
  writeFileSync(p, data, options) {
    const file = toPath(p);
    const bytes = toBytes(data, encodingOf(options));
    onMainThread('fs.writeFileSync', costs.fsOpen + costs.fsWrite + costs.fsClose, () => {
      if (!dirs.has(dirname(file))) throw fsError('ENOENT', 'open', file);
      files.set(file, bytes);
    });
  },
  appendFileSync(p, data) {
    const file = toPath(p);
    onMainThread('fs.appendFileSync', costs.fsOpen + costs.fsWrite + costs.fsClose, () => {
      files.set(file, files.has(file) ? Buffer.concat([files.get(file), toBytes(data)]) : toBytes(data));
    });
  },
  existsSync(p) { const f = toPath(p); return onMainThread('fs.existsSync', costs.fsStat, () => files.has(f) || dirs.has(f)); },
  statSync(p) {
    const f = toPath(p);
    return onMainThread('fs.statSync', costs.fsStat, () => { const r = statOf(f); if (r.err) throw r.err; return r.stats; });
  },
  readdirSync(p) {
    const d = toPath(p);
    return onMainThread('fs.readdirSync', costs.fsStat, () => { if (!dirs.has(d)) throw fsError('ENOENT', 'scandir', d); return listDir(d); });
  },
  mkdirSync(p) { dirs.add(toPath(p)); },
  unlinkSync(p) { const f = toPath(p); if (!files.delete(f)) throw fsError('ENOENT', 'unlink', f); },
  Stats,
};
function listDir(dir) {
  const names = new Set();
  const prefix = dir === '/' ? '/' : dir + '/';
  for (const p of [...files.keys(), ...dirs]) {
    if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0]);
  }
  return [...names].sort();
}

// fs.promises: the same trips, awaited one by one, as Node's FileHandle-based code does.
function poolPromise(name, costUs, frame, compute) {
  return new Promise((resolve, reject) => {
    toPool(name, costUs, 'fast', frame, () => {
      let r;
      try { r = compute(); } catch (e) { reject(e); return; }
      resolve(r);
    });
  });
}
const fsPromises = {
  async readFile(p, options) {
    const file = toPath(p);
    const enc = encodingOf(options);
    await hostCall('fs.promises.readFile', () => poolPromise('fs.open', costs.fsOpen, 'open', () => {
      if (!files.has(file)) throw fsError(dirs.has(file) ? 'EISDIR' : 'ENOENT', dirs.has(file) ? 'read' : 'open', file);
    }));
    const size = await poolPromise('fs.fstat', costs.fsStat, 'fstat', () => files.get(file).length);
    const data = await poolPromise('fs.read', readCost(size), 'read', () => Buffer.from(files.get(file)));
    await poolPromise('fs.close', costs.fsClose, 'close', () => undefined);
    return decode(data, enc);
  },
  async writeFile(p, data, options) {
    const file = toPath(p);
    const bytes = toBytes(data, encodingOf(options));
    await hostCall('fs.promises.writeFile', () => poolPromise('fs.open', costs.fsOpen, 'open', () => {
      if (!dirs.has(dirname(file))) throw fsError('ENOENT', 'open', file);
    }));
    await poolPromise('fs.write', costs.fsWrite + bytes.length * costs.fsReadPerByte, 'write', () => { files.set(file, bytes); });
    await poolPromise('fs.close', costs.fsClose, 'close', () => undefined);
  },
  stat(p) {
    const file = toPath(p);
    return hostCall('fs.promises.stat', () => poolPromise('fs.stat', costs.fsStat, 'stat', () => {
      const r = statOf(file);
      if (r.err) throw r.err;
      return r.stats;
    }));
  },
  readdir(p) {
    const dir = toPath(p);
    return hostCall('fs.promises.readdir', () => poolPromise('fs.readdir', costs.fsStat, 'readdir', () => {
      if (!dirs.has(dir)) throw fsError('ENOENT', 'scandir', dir);
      return listDir(dir);
    }));
  },
  unlink(p) {
    const file = toPath(p);
    return poolPromise('fs.unlink', costs.fsStat, 'unlink', () => { if (!files.delete(file)) throw fsError('ENOENT', 'unlink', file); });
  },
};
fs.promises = fsPromises;

// ---------------------------------------------------------------------------------------------
// crypto, dns, zlib: pool jobs whose cost grows with the work asked for.
// ---------------------------------------------------------------------------------------------

function digestCost(digest) {
  const d = String(digest).toLowerCase().replace('-', '');
  if (d === 'sha512' || d === 'sha384') return costs.pbkdf2Sha512PerIter;
  if (d === 'sha1' || d === 'md5') return costs.pbkdf2Sha1PerIter;
  return costs.pbkdf2Sha256PerIter;
}
function scryptCost(options) {
  const N = (options && (options.N || options.cost)) || 16384;
  const r = (options && (options.r || options.blockSize)) || 8;
  const p = (options && (options.p || options.parallelization)) || 1;
  return N * r * p * costs.scryptPerNr;
}
const crypto = {
  pbkdf2(password, salt, iterations, keylen, digest, cb) {
    validateFunction(cb, 'callback');
    hostCall('crypto.pbkdf2', () => toPool('crypto.pbkdf2', iterations * digestCost(digest), 'cpu', frameName(cb), () => {
      cb(null, pseudoBytes(keylen, `pbkdf2:${password}:${salt}:${iterations}:${digest}`));
    }));
  },
  pbkdf2Sync(password, salt, iterations, keylen, digest) {
    return onMainThread('crypto.pbkdf2Sync', iterations * digestCost(digest), () => pseudoBytes(keylen, `pbkdf2:${password}:${salt}:${iterations}:${digest}`));
  },
  scrypt(password, salt, keylen, options, cb) {
    if (typeof options === 'function') { cb = options; options = undefined; }
    validateFunction(cb, 'callback');
    hostCall('crypto.scrypt', () => toPool('crypto.scrypt', scryptCost(options), 'cpu', frameName(cb), () => {
      cb(null, pseudoBytes(keylen, `scrypt:${password}:${salt}`));
    }));
  },
  scryptSync(password, salt, keylen, options) {
    return onMainThread('crypto.scryptSync', scryptCost(options), () => pseudoBytes(keylen, `scrypt:${password}:${salt}`));
  },
  randomBytes(size, cb) {
    if (cb === undefined) return onMainThread('crypto.randomBytes', costs.randomBytesBase + size * costs.randomBytesPerByte, () => pseudoBytes(size));
    validateFunction(cb, 'callback');
    hostCall('crypto.randomBytes', () => toPool('crypto.randomBytes', costs.randomBytesBase + size * costs.randomBytesPerByte, 'cpu', frameName(cb), () => cb(null, pseudoBytes(size))));
  },
  randomInt(min, max) { if (max === undefined) { max = min; min = 0; } return min + Math.floor(host.random() * (max - min)); },
  randomUUID() {
    const b = pseudoBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
};

const dns = {
  lookup(hostname, options, cb) {
    if (typeof options === 'function') { cb = options; options = {}; }
    validateFunction(cb, 'callback');
    const fam = typeof options === 'number' ? options : (options && options.family) || 0;
    hostCall('dns.lookup', () => toPool('dns.lookup (getaddrinfo)', costs.dnsLookup, 'slow', frameName(cb), () => {
      const name = String(hostname);
      if (name === 'localhost' || name === '127.0.0.1' || name === '') return fam === 6 ? cb(null, '::1', 6) : cb(null, '127.0.0.1', 4);
      if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return cb(null, name, 4);
      if (name.endsWith('.test') || name.endsWith('.invalid')) {
        const e = new Error(`getaddrinfo ENOTFOUND ${name}`);
        e.errno = -3008; e.code = 'ENOTFOUND'; e.syscall = 'getaddrinfo'; e.hostname = name;
        return cb(e);
      }
      // Any other name resolves to a documentation address (RFC 5737): no real DNS is asked.
      let h = 0;
      for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) & 255;
      cb(null, `192.0.2.${h}`, 4);
    }));
  },
};
dns.promises = { lookup: (h, o) => new Promise((res, rej) => dns.lookup(h, o || {}, (e, address, family) => e ? rej(e) : res({ address, family }))) };

function zlibJob(name, inflate) {
  return function (input, options, cb) {
    if (typeof options === 'function') { cb = options; options = {}; }
    validateFunction(cb, 'callback');
    const bytes = toBytes(input);
    hostCall('zlib.' + name, () => toPool('zlib.' + name, costs.zlibBase + bytes.length * costs.zlibPerByte, 'cpu', frameName(cb), () => {
      let out;
      try { out = Buffer.from(host.zlib(name, Array.from(bytes))); } catch (e) { return cb(zlibError(e)); }
      cb(null, out);
    }));
  };
}
function zlibSync(name) {
  return function (input) {
    const bytes = toBytes(input);
    return onMainThread('zlib.' + name + 'Sync', costs.zlibBase + bytes.length * costs.zlibPerByte, () => {
      try { return Buffer.from(host.zlib(name, Array.from(bytes))); } catch (e) { throw zlibError(e); }
    });
  };
}
function zlibError(e) {
  const err = new Error(String(e && e.message ? e.message : e));
  err.code = 'Z_DATA_ERROR';
  err.errno = -3;
  return err;
}
const zlib = {};
for (const name of ['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip']) {
  zlib[name] = zlibJob(name);
  zlib[name + 'Sync'] = zlibSync(name);
}

// ---------------------------------------------------------------------------------------------
// util, timers/promises, perf_hooks
// ---------------------------------------------------------------------------------------------

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
function promisify(fn) {
  validateFunction(fn, 'original');
  if (fn[kCustomPromisify]) return fn[kCustomPromisify];
  return function (...args) {
    return new Promise((resolve, reject) => {
      fn.call(this, ...args, (err, ...values) => (err ? reject(err) : resolve(values.length > 1 ? values : values[0])));
    });
  };
}
const timersPromises = {
  setTimeout: (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value)),
  setImmediate: (value) => new Promise((resolve) => setImmediate(resolve, value)),
};
setTimeout[kCustomPromisify] = timersPromises.setTimeout;
setImmediate[kCustomPromisify] = timersPromises.setImmediate;
const util = {
  format, inspect, promisify,
  inherits(ctor, superCtor) { Object.setPrototypeOf(ctor.prototype, superCtor.prototype); Object.setPrototypeOf(ctor, superCtor); },
  types: { isPromise: (v) => v instanceof Promise },
};
util.promisify.custom = kCustomPromisify;

const performance = {
  now: () => host.performanceNow(),
  timeOrigin: host.dateNow() - host.performanceNow(),
  eventLoopUtilization: () => host.elu(),
};
const perfHooks = {
  performance,
  monitorEventLoopDelay() {
    let enabled = false;
    return {
      enable() { if (enabled) return false; enabled = true; host.eldReset(); return true; },
      disable() { enabled = false; return true; },
      reset() { host.eldReset(); },
      percentile(p) { return host.eld('p', p) * 1e3; },
      get min() { return host.eld('min', 0) * 1e3; },
      get max() { return host.eld('max', 0) * 1e3; },
      get mean() { return host.eld('mean', 0) * 1e3; },
      get count() { return host.eld('count', 0); },
      get enabled() { return enabled; },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// net: TCP over loopback. Servers and sockets are handles; bytes travel through the kernel.
// ---------------------------------------------------------------------------------------------

let nextPort = 40000;
const listeners = new Map(); // "host:port" -> Server

function ipFamily(address) { return address.includes(':') ? 'IPv6' : 'IPv4'; }

class Server extends EventEmitter {
  constructor(options, connectionListener) {
    super();
    if (typeof options === 'function') { connectionListener = options; options = {}; }
    if (connectionListener) this.on('connection', connectionListener);
    this._handle = null;
    this._connections = 0;
    this._address = null;
    this._closeCallbacks = 0;
    this.listening = false;
  }
  listen(...args) {
    let cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    let port = 0;
    let hostname;
    if (typeof args[0] === 'object' && args[0] !== null) { port = args[0].port || 0; hostname = args[0].host; }
    else { port = args[0] === undefined ? 0 : Number(args[0]); if (typeof args[1] === 'string') hostname = args[1]; }
    if (cb) this.once('listening', cb);
    const bind = (address) => {
      const p = port === 0 ? nextPort++ : port;
      const key = `${address}:${p}`;
      if (listeners.has(key)) {
        const e = new Error(`listen EADDRINUSE: address already in use ${address}:${p}`);
        e.code = 'EADDRINUSE'; e.errno = -98; e.syscall = 'listen'; e.address = address; e.port = p;
        nextTick(() => this.emit('error', e));
        return;
      }
      this._handle = host.openHandle('server', `${this._kind || 'net.Server'} ${address}:${p}`);
      this._address = { address, family: ipFamily(address), port: p };
      listeners.set(key, this);
      listeners.set(`*:${p}`, this);
      this.listening = true;
      // setupListenHandle: 'listening' is emitted from a nextTick.
      nextTick(() => this.emit('listening'));
    };
    if (hostname === undefined) bind('::');
    // lookupAndListen: dns.lookup of a literal address answers through a nextTick.
    else if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) nextTick(() => bind(hostname));
    else dns.lookup(hostname, (err, address) => (err ? this.emit('error', err) : bind(address)));
    return this;
  }
  address() { return this._address ? { ...this._address } : null; }
  close(cb) {
    if (typeof cb === 'function') {
      if (!this._handle) this.once('close', () => cb(makeNodeError(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.')));
      else this.once('close', cb);
    }
    if (this._handle) {
      host.closeHandle(this._handle, 0, 'server.close');
      this._handle = null;
      for (const [k, s] of listeners) if (s === this) listeners.delete(k);
      this.listening = false;
    }
    this._emitCloseIfDrained();
    return this;
  }
  _emitCloseIfDrained() {
    if (this._handle || this._connections > 0) return;
    nextTick(() => this.emit('close'));
  }
  getConnections(cb) { nextTick(cb, null, this._connections); return this; }
  ref() { if (this._handle) host.handleRef(this._handle, true); return this; }
  unref() { if (this._handle) host.handleRef(this._handle, false); return this; }
}

class Socket extends EventEmitter {
  constructor() {
    super();
    this._handle = null;
    this._peer = null;
    this._server = null;
    this.connecting = false;
    this.destroyed = false;
    this._readEnded = false;   // EOF received
    this._writeEnded = false;  // end() called
    this._finished = false;
    this._unread = null;
    this._encoding = null;
    this.bytesRead = 0;
    this.bytesWritten = 0;
    this.remoteAddress = undefined;
    this.remotePort = undefined;
    this.localAddress = undefined;
    this.localPort = undefined;
  }
  setEncoding(enc) { this._encoding = enc; return this; }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() { if (this._handle) host.handleRef(this._handle, true); return this; }
  unref() { if (this._handle) host.handleRef(this._handle, false); return this; }
  address() { return { address: this.localAddress, family: ipFamily(this.localAddress || '127.0.0.1'), port: this.localPort }; }
  connect(...args) {
    let cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    let port;
    let hostname = 'localhost';
    if (typeof args[0] === 'object' && args[0] !== null) { port = args[0].port; hostname = args[0].host || 'localhost'; }
    else { port = Number(args[0]); if (typeof args[1] === 'string') hostname = args[1]; }
    if (cb) this.once('connect', cb);
    this.connecting = true;
    this._handle = host.openHandle('socket', `net.Socket -> ${hostname}:${port}`);
    const go = (address) => this._startConnect(address, port);
    if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) nextTick(() => go(hostname));
    else dns.lookup(hostname, (err, address) => (err ? this.destroy(err) : go(address)));
    return this;
  }
  _startConnect(address, port) {
    if (this.destroyed) return;
    const server = listeners.get(`${address}:${port}`) || listeners.get(`*:${port}`);
    if (!server) {
      // The kernel refuses at once; libuv reports it through the pending queue.
      const e = new Error(`connect ECONNREFUSED ${address}:${port}`);
      e.errno = -111; e.code = 'ECONNREFUSED'; e.syscall = 'connect'; e.address = address; e.port = port;
      host.pending(register(() => this.destroy(e), undefined, undefined, false), 'afterConnect');
      return;
    }
    const peer = new Socket();
    peer._handle = host.openHandle('socket', `net.Socket <- ${address}:${port}`);
    peer._server = server;
    peer._peer = this;
    this._peer = peer;
    const clientPort = nextPort++;
    this.remoteAddress = address; this.remotePort = port; this.localAddress = address; this.localPort = clientPort;
    peer.remoteAddress = address; peer.remotePort = clientPort; peer.localAddress = address; peer.localPort = port;
    // The listening socket is already in epoll when the handshake completes inside connect(),
    // while the client's socket joins epoll only at the next poll: the server hears first.
    toKernel('accept', costs.loopbackLatency, server._handle, 'onconnection', () => {
      if (!server._handle) { peer.destroy(); return; }
      server._connections++;
      server.emit('connection', peer);
    });
    toKernel('connect', costs.loopbackLatency, this._handle, 'afterConnect', () => {
      if (this.destroyed) return;
      this.connecting = false;
      this.emit('connect');
      this.emit('ready');
    });
  }
  write(data, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this._writeEnded || this.destroyed) {
      const e = makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      nextTick(() => { if (cb) cb(e); this.emit('error', e); });
      return false;
    }
    const bytes = toBytes(data, encoding);
    this.bytesWritten += bytes.length;
    this._send({ data: bytes });
    // A synchronous write completes at once; the stream calls back from a nextTick.
    if (cb) nextTick(cb, null);
    return true;
  }
  _send(chunk) {
    const peer = this._peer;
    if (!peer || peer.destroyed || !peer._handle) return;
    // Bytes not yet read by the peer sit in its kernel buffer: a later write joins them, and
    // one read returns them together (then the EOF, if it came too), as TCP on loopback does.
    const pending = peer._unread;
    if (pending && !pending.eof) {
      if (chunk.eof) pending.eof = true;
      else pending.data = pending.data ? Buffer.concat([pending.data, chunk.data]) : chunk.data;
      return;
    }
    const record = { data: chunk.eof ? null : chunk.data, eof: !!chunk.eof };
    peer._unread = record;
    toKernel(chunk.eof ? 'EOF' : 'data', costs.loopbackLatency, peer._handle, 'onStreamRead', () => {
      if (peer._unread === record) peer._unread = null;
      if (record.data && record.data.length) peer._receive({ data: record.data });
      if (record.eof) peer._receive({ eof: true });
    });
  }
  _receive(chunk) {
    if (this.destroyed) return;
    if (chunk.eof) {
      this._readEnded = true;
      // push(null): 'end' is emitted from a nextTick (endReadableNT).
      nextTick(() => {
        if (this.destroyed) return;
        this.emit('end');
        // allowHalfOpen is false: answer the peer's end with our own.
        if (!this._writeEnded) this.end();
        else this._maybeDestroy();
      });
      return;
    }
    this.bytesRead += chunk.data.length;
    this.emit('data', this._encoding ? chunk.data.toString(this._encoding) : chunk.data);
  }
  end(data, encoding, cb) {
    if (typeof data === 'function') { cb = data; data = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (data !== undefined && data !== null) this.write(data, encoding);
    if (cb) this.once('finish', cb);
    if (this._writeEnded) return this;
    this._writeEnded = true;
    if (this.connecting) { this.once('connect', () => this._shutdown()); return this; }
    this._shutdown();
    return this;
  }
  _shutdown() {
    this._send({ eof: true });
    if (!this._handle) return;
    const done = () => {
      if (this.destroyed) return;
      this._finished = true;
      this.emit('finish');
      this._maybeDestroy();
    };
    // uv_shutdown completes when the socket is next writable: a later poll phase. If the peer
    // has closed completely, epoll reports a hang-up with the EOF and libuv drains the shutdown
    // in the same I/O callback (uv__stream_io → uv__drain).
    if (this._readEnded && this._peer && this._peer.destroyed) nextTick(done);
    else toKernel('shutdown', 0, this._handle, 'afterShutdown', done);
  }
  _maybeDestroy() {
    if (this._readEnded && this._finished && !this.destroyed) this.destroy();
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.connecting = false;
    if (this._peer && !this._writeEnded && !this._peer.destroyed && this._peer._handle) this._send({ eof: true });
    if (this._server) {
      this._server._connections--;
      this._server._emitCloseIfDrained();
    }
    const handle = this._handle;
    this._handle = null;
    const hadError = err !== undefined && err !== null;
    if (hadError) nextTick(() => this.emit('error', err));
    if (handle) {
      host.closeHandle(handle, register(() => this.emit('close', hadError), undefined, undefined, false), 'onClose');
    } else {
      nextTick(() => this.emit('close', hadError));
    }
    return this;
  }
}

const net = {
  Server, Socket,
  createServer: (options, listener) => new Server(options, listener),
  connect: (...args) => new Socket().connect(...args),
  createConnection: (...args) => new Socket().connect(...args),
  isIP: (s) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? 4 : String(s).includes(':') ? 6 : 0),
};

// ---------------------------------------------------------------------------------------------
// Teaching modules real Node lacks: an HTTP server the page can send requests to, an
// Express-like router on top of it, and a database client whose replies come over the network.
// ---------------------------------------------------------------------------------------------

const httpServers = [];
let nextRequestId = 1;

class ServerResponse extends EventEmitter {
  constructor(request) {
    super();
    this._request = request;
    this.statusCode = 200;
    this.headersSent = false;
    this.finished = false;
    this._headers = {};
    this._body = '';
  }
  status(code) { this.statusCode = code; return this; }
  setHeader(k, v) { this._headers[String(k).toLowerCase()] = v; return this; }
  getHeader(k) { return this._headers[String(k).toLowerCase()]; }
  set(k, v) { return this.setHeader(k, v); }
  writeHead(code, headers) { this.statusCode = code; if (headers) for (const k of Object.keys(headers)) this.setHeader(k, headers[k]); this.headersSent = true; return this; }
  write(chunk) { this._body += String(chunk); this.headersSent = true; return true; }
  end(chunk) {
    if (this.finished) return this;
    if (chunk !== undefined) this._body += String(chunk);
    this.finished = true;
    this.headersSent = true;
    host.requestDone(this._request.id, this.statusCode, this._body.slice(0, 200));
    nextTick(() => this.emit('finish'));
    return this;
  }
  json(value) { this.setHeader('content-type', 'application/json'); return this.end(JSON.stringify(value)); }
  send(value) {
    if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) return this.json(value);
    return this.end(value === undefined ? '' : String(value));
  }
  sendStatus(code) { this.statusCode = code; return this.end(String(code)); }
}

class HttpServer extends Server {
  constructor(handler) {
    super();
    this._kind = 'http.Server';
    if (handler) this.on('request', handler);
  }
  listen(...args) {
    httpServers.push(this);
    return super.listen(...args);
  }
  close(cb) {
    const i = httpServers.indexOf(this);
    if (i >= 0) httpServers.splice(i, 1);
    return super.close(cb);
  }
  _incoming(id, method, url) {
    const [pathname, search = ''] = url.split('?');
    const query = {};
    for (const part of search.split('&')) {
      if (!part) continue;
      const [k, v = ''] = part.split('=');
      query[decodeURIComponent(k)] = decodeURIComponent(v);
    }
    host.requestStart(id);
    const req = new EventEmitter();
    Object.assign(req, { id, method, url, path: pathname, query, params: {}, headers: { host: 'localhost' } });
    const res = new ServerResponse(req);
    this.emit('request', req, res);
  }
}

const http = {
  createServer: (options, handler) => new HttpServer(typeof options === 'function' ? options : handler),
  Server: HttpServer,
  STATUS_CODES: { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error' },
};

// Called by the host between steps: a client sends `method url` to the first listening server.
function injectRequest(method, url) {
  const server = httpServers.find((s) => s._handle !== null);
  if (!server) return 0;
  const id = nextRequestId++;
  // Everything this request causes (its handler, its query, its pool jobs, its continuations)
  // carries its number, the way AsyncLocalStorage would: the page shows "#id" on each.
  host.setTag(id);
  try {
    toKernel('HTTP request', 0, server._handle, 'onconnection (request)', () => server._incoming(id, method, url));
  } finally {
    host.setTag(0);
  }
  return id;
}

function compileRoute(pattern) {
  if (pattern instanceof RegExp) return { re: pattern, names: [] };
  const names = [];
  const re = new RegExp('^' + String(pattern).replace(/\/+$/, '').replace(/[.+*?^$()[\]{}|\\]/g, '\\$&')
    .replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '/?$');
  return { re, names };
}

function express() {
  const stack = [];
  function app(req, res) {
    let i = 0;
    res.req = req;
    req.res = res;
    function next(err) {
      while (i < stack.length) {
        const layer = stack[i++];
        if (layer.method && layer.method !== req.method) continue;
        let params = {};
        if (layer.route) {
          const m = layer.route.re.exec(req.path);
          if (!m) continue;
          layer.route.names.forEach((n, k) => { params[n] = decodeURIComponent(m[k + 1]); });
        } else if (layer.prefix && !req.path.startsWith(layer.prefix)) {
          continue;
        }
        const isErrorHandler = layer.fn.length === 4;
        if (err ? !isErrorHandler : isErrorHandler) continue;
        req.params = params;
        try {
          const r = err ? layer.fn(err, req, res, next) : layer.fn(req, res, next);
          // Like Express 5: a rejected promise from a handler goes to the error handlers.
          if (r && typeof r.then === 'function') r.then(undefined, (e) => next(e));
        } catch (e) {
          next(e);
        }
        return;
      }
      if (err) {
        console.error(err instanceof Error ? (err.stack || String(err)) : String(err));
        if (!res.finished) res.status(500).send('Internal Server Error');
      } else if (!res.finished) {
        res.status(404).send(`Cannot ${req.method} ${req.path}`);
      }
    }
    next();
  }
  for (const m of ['get', 'post', 'put', 'delete', 'patch']) {
    app[m] = (path, ...fns) => { for (const fn of fns) stack.push({ method: m.toUpperCase(), route: compileRoute(path), fn }); return app; };
  }
  app.all = (path, ...fns) => { for (const fn of fns) stack.push({ route: compileRoute(path), fn }); return app; };
  app.use = (a, ...fns) => {
    if (typeof a === 'function') { for (const fn of [a, ...fns]) stack.push({ fn }); }
    else for (const fn of fns) stack.push({ prefix: a, fn });
    return app;
  };
  app.routes = () => stack.filter((l) => l.route && l.method).map((l) => ({ method: l.method, path: l.route.re.source }));
  app.listen = (...args) => http.createServer(app).listen(...args);
  return app;
}
express.json = () => (req, res, next) => next();

const users = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Alan', 'Frances'];
function fakeRows(sql, params) {
  const table = (/from\s+(\w+)/i.exec(sql) || [])[1] || 'rows';
  const byId = /where\s+\w*id\s*=\s*\?/i.test(sql);
  const row = (id) => {
    const n = Number(id);
    if (table === 'users') return { id: n, name: users[(n - 1 + users.length * 1000) % users.length] || 'user' + id, email: `user${id}@example.com` };
    return { id: n, [table.replace(/s$/, '') + '_name']: `${table} #${id}` };
  };
  if (/^\s*(insert|update|delete)/i.test(sql)) return { affectedRows: 1, insertId: 1 + Math.floor(host.random() * 1000) };
  if (byId) return [row(params && params.length ? params[0] : 1)];
  return [1, 2, 3].map(row);
}
const db = {
  // The query goes out on a socket; the reply arrives over the network after a latency, and the
  // kernel reports it in the poll phase. No thread waits for it.
  query(sql, params, cb) {
    if (typeof params === 'function') { cb = params; params = []; }
    const latency = costs.dbLatency + host.random() * costs.dbJitter;
    const run = (resolve, reject) => toKernel('db.query', latency, 0, 'onQueryReply', () => {
      let rows;
      try { rows = fakeRows(String(sql), params || []); } catch (e) { return reject(e); }
      resolve(rows);
    });
    if (typeof cb === 'function') {
      hostCall('db.query', () => run((rows) => cb(null, rows), (e) => cb(e)));
      return undefined;
    }
    return hostCall('db.query', () => new Promise(run));
  },
};

// ---------------------------------------------------------------------------------------------
// require
// ---------------------------------------------------------------------------------------------

const builtins = {
  fs, 'fs/promises': fsPromises, path, os, events: EventEmitter, util, crypto, dns, 'dns/promises': dns.promises,
  zlib, net, http, express, db, timers: { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate },
  'timers/promises': timersPromises, perf_hooks: perfHooks, buffer: { Buffer }, process, console,
  assert: Object.assign((v, m) => { if (!v) throw makeNodeError(Error, 'ERR_ASSERTION', m || 'The expression evaluated to a falsy value'); }, {
    strictEqual: (a, b, m) => { if (!Object.is(a, b)) throw makeNodeError(Error, 'ERR_ASSERTION', m || `Expected values to be strictly equal:\n\n${inspect(a)} !== ${inspect(b)}\n`); },
    ok: (v, m) => { if (!v) throw makeNodeError(Error, 'ERR_ASSERTION', m || 'The expression evaluated to a falsy value'); },
  }),
};
const unsupported = ['child_process', 'cluster', 'worker_threads', 'https', 'http2', 'tls', 'dgram', 'vm', 'v8', 'inspector', 'repl', 'readline', 'stream', 'tty'];

function require(id) {
  if (typeof id !== 'string') throw makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "id" argument must be of type string. Received ${describeReceived(id)}`);
  const name = id.startsWith('node:') ? id.slice(5) : id;
  if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name];
  if (unsupported.includes(name)) {
    const e = new Error(`Looplab does not model the '${name}' module: it simulates one Node.js process's event loop. ` +
      `Modules available: ${Object.keys(builtins).sort().join(', ')}.`);
    e.code = 'ERR_LOOPLAB_UNSUPPORTED_MODULE';
    throw e;
  }
  const e = new Error(`Cannot find module '${id}'\nRequire stack:\n- ${filename}`);
  e.code = 'MODULE_NOT_FOUND';
  e.requireStack = [filename];
  throw e;
}
require.resolve = (id) => { require(id); return id; };
require.cache = {};

// ---------------------------------------------------------------------------------------------
// Globals, and what the host calls.
// ---------------------------------------------------------------------------------------------

Object.assign(globalThis, {
  setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate,
  queueMicrotask, process, console, Buffer, performance, global: globalThis, require,
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

return {
  dispatch,
  main: (fn) => fn.call(module.exports, module.exports, require, module, filename, dirname(filename)),
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
  emitExit(code) { process.emit('exit', code); },
  // processPromiseRejections: with an 'unhandledRejection' listener, Node emits instead of dying.
  emitUnhandled(reasons, promises) {
    if (process.listenerCount('unhandledRejection') === 0) return false;
    for (let i = 0; i < reasons.length; i++) process.emit('unhandledRejection', reasons[i], promises[i]);
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
