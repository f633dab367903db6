// The thread pool and the kernel, as seen from Node's bindings (src/node_file.cc, cares_wrap.cc,
// node_crypto.cc, node_zlib.cc over libuv's uv_queue_work; stream_wrap over epoll).
//
// HOW: every asynchronous operation a module starts goes through one of three doors:
// `toPool` (a job for libuv's thread pool: fs, dns.lookup, crypto, zlib), `toKernel` (a watcher
// the kernel reports ready later: a socket's data, a connection, a database reply) and
// `onMainThread` (a synchronous call that keeps the loop thread busy). `hostCall` draws a host
// frame (`fs.readFile`) on top of the calling callback while the call is made.

/* global process */

// The callback registry lives in the host (crates/engine/src/registry.rs): a callback is
// registered with what to call it with, and the model gets its id; the engine calls it from there.
const { register, unregister, runAgain } = host;

const costs = host.costs();

// A property whose value comes from the lazy part of the layer (prelude.rs, LAZY): the first
// read compiles that part (`loadLazy`) and leaves the plain data property the value is, as
// Node's `defineLazyProperties` does (lib/internal/util.js: Node installs Blob, Headers and its
// other lazily loaded globals so). A write sets the data property.
function lazyProperty(object, name, get, enumerable) {
  const settle = (value) =>
    Object.defineProperty(object, name, { value, writable: true, enumerable, configurable: true });
  const getter = () => {
    loadLazy();
    const value = get();
    // (Read while the lazy part is still loading: not settled yet.)
    if (lazyLoaded) settle(value);
    return value;
  };
  Object.defineProperty(getter, 'name', { value: `get ${name}` });
  Object.defineProperty(settle, 'name', { value: `set ${name}` });
  Object.defineProperty(object, name, { get: getter, set: settle, enumerable, configurable: true });
}
let poolStarted = false;

// libuv reads UV_THREADPOOL_SIZE once, when the first request is queued (init_once).
function toPool(name, costUs, kind, frame, done) {
  if (!poolStarted) {
    poolStarted = true;
    const v = process.env.UV_THREADPOOL_SIZE;
    if (v !== undefined) {
      // libuv's atoi: what is not a number reads as 0; the host clamps as libuv does.
      const n = parseInt(String(v), 10);
      host.setPoolSize(Number.isNaN(n) ? 0 : n);
    }
  }
  return host.work(
    register(done, undefined, undefined, false),
    name,
    Math.max(0, Math.round(costUs)),
    kind,
    frame,
  );
}

// `atUs`, when given, dates the event absolutely instead (input from outside the process).
function toKernel(name, latencyUs, handle, frame, done, atUs) {
  return host.watch(
    register(done, undefined, undefined, false),
    name,
    Math.max(0, Math.round(latencyUs)),
    handle,
    frame,
    atUs,
  );
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
  try {
    return fn();
  } finally {
    host.popFrame();
  }
}
