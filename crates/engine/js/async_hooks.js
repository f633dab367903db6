// async_hooks (lib/async_hooks.js, lib/internal/async_local_storage/async_hooks.js):
// AsyncLocalStorage and AsyncResource.
//
// HOW: the model passes an async context from each callback to everything it schedules (timers,
// immediates, pool jobs, sockets' watchers, ticks and promise jobs), the way it passes a
// request's tag (Sim::set_async_context). Here a context is a numbered frame: a map from each
// AsyncLocalStorage to its store. `run(store, fn)` makes a frame with this storage's store added
// to the current one's, makes it current while fn runs (what fn schedules inherits its number)
// and puts the previous one back after; `enterWith` makes one current for the rest of the
// callback; `getStore` reads the current frame. An AsyncResource keeps the frame current when
// it was made and runs functions in it.
//
// A promise reaction runs in the context current when `then` was called or `await` reached (the
// engine's HostMakeJobCallback records it, as Node's PromiseHook does), whatever context settles
// the promise.
//
// WHY frames are numbers: the model is JavaScript-free; it carries an integer per task.

/* global invalidArgType, validateFunction */

// Frames ever entered: number → Map(AsyncLocalStorage → store). Never freed: a frame's number
// may wait in any queue of the model.
const alsFrames = new Map();
let nextAlsFrame = 1;

function currentAlsFrame() {
  const id = host.asyncContext();
  return id === 0 ? undefined : alsFrames.get(id);
}

function enterAlsFrame(map) {
  const id = nextAlsFrame++;
  alsFrames.set(id, map);
  host.setAsyncContext(id);
  return id;
}

// Runs fn with frame number `id` current, then puts the previous one back.
function runInAlsFrame(id, fn, thisArg, args) {
  const previous = host.asyncContext();
  host.setAsyncContext(id);
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    host.setAsyncContext(previous);
  }
}

function withStore(storage, store, remove) {
  const map = new Map(currentAlsFrame() || []);
  if (remove) map.delete(storage);
  else map.set(storage, store);
  return map;
}

const kAlsEnabled = Symbol('kEnabled');

class AsyncLocalStorage {
  constructor() {
    this[kAlsEnabled] = false;
  }
  static bind(fn) {
    validateFunction(fn, 'fn');
    const run = AsyncLocalStorage.snapshot();
    return function bound(...args) {
      return run.call(this, fn, ...args);
    };
  }
  static snapshot() {
    const id = host.asyncContext();
    return function runInAsyncScope(fn, ...args) {
      return runInAlsFrame(id, fn, this, args);
    };
  }
  disable() {
    this[kAlsEnabled] = false;
  }
  getStore() {
    if (!this[kAlsEnabled]) return undefined;
    const frame = currentAlsFrame();
    return frame ? frame.get(this) : undefined;
  }
  enterWith(store) {
    this[kAlsEnabled] = true;
    enterAlsFrame(withStore(this, store, false));
  }
  run(store, callback, ...args) {
    this[kAlsEnabled] = true;
    const previous = host.asyncContext();
    enterAlsFrame(withStore(this, store, false));
    try {
      return Reflect.apply(callback, null, args);
    } finally {
      host.setAsyncContext(previous);
    }
  }
  exit(callback, ...args) {
    if (!this[kAlsEnabled]) return Reflect.apply(callback, null, args);
    const previous = host.asyncContext();
    enterAlsFrame(withStore(this, undefined, true));
    try {
      return Reflect.apply(callback, null, args);
    } finally {
      host.setAsyncContext(previous);
    }
  }
}

const kAsyncFrame = Symbol('async frame');

class AsyncResource {
  constructor(type) {
    if (typeof type !== 'string') throw invalidArgType('type', 'of type string', type);
    this.type = type;
    this[kAsyncFrame] = host.asyncContext();
  }
  runInAsyncScope(fn, thisArg, ...args) {
    return runInAlsFrame(this[kAsyncFrame], fn, thisArg, args);
  }
  // No async hooks can be created (createHook is not modelled): nothing listens for destroy.
  emitDestroy() {
    return this;
  }
  bind(fn, thisArg) {
    validateFunction(fn, 'fn');
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (...args) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : (...args) => resource.runInAsyncScope(fn, thisArg, ...args);
    Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
    return bound;
  }
  static bind(fn, type, thisArg) {
    return new AsyncResource(type || fn.name || 'bound-anonymous-fn').bind(fn, thisArg);
  }
}

const asyncHooks = { AsyncLocalStorage, AsyncResource };
