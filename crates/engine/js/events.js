// EventEmitter (lib/events.js): synchronous emit, listeners in registration order.
//
// HOW: the storage is Node's, because programs and tests look at it: `_events` (an object with
// no prototype) maps an event name (string or symbol) to one listener function, or to an array
// once there are two; `_eventsCount` counts the names; `_maxListeners` is undefined until set.
// `EventEmitter` is a plain constructor function (old-style `EventEmitter.call(this)` with
// `util.inherits` works, as does `class extends`). What follows lib/events.js:
// - `emit` copies the array before calling, so listeners added or removed during an emit do not
//   change that emit; 'error' with no listener throws (an Error as it is, anything else wrapped
//   in ERR_UNHANDLED_ERROR); `errorMonitor` listeners see every 'error' first.
// - `once` wraps the listener in a bound `onceWrapper` that removes itself before calling;
//   `rawListeners` shows the wrappers, `listeners` the originals.
// - 'newListener' is emitted before a listener is added, 'removeListener' after one is removed.
// - More than `getMaxListeners()` listeners for one event emits a MaxListenersExceededWarning.
// - `captureRejections`: a listener's rejected promise becomes an 'error' event (or a call of
//   `emitter[Symbol.for('nodejs.rejection')]`), from a nextTick.
// - `events.once(emitter, name)` (a promise) and `events.on(emitter, name)` (an async iterator).
// AbortSignal options are not modelled (Looplab has no AbortController).

/* global atNodeSite, inspect, invalidArgType, makeNodeError, nextTick, outOfRange, process,
   validateFunction */

const kCapture = Symbol('kCapture');
const kErrorMonitor = Symbol('events.errorMonitor');
const kRejection = Symbol.for('nodejs.rejection');
let defaultMaxListeners = 10;

// validateNumber(n, name, 0): Node's check for a max-listeners count.
function checkCount(n, name) {
  if (typeof n !== 'number') throw invalidArgType(name, 'of type number', n);
  if (n < 0 || Number.isNaN(n)) throw outOfRange(name, '>= 0', n);
}

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}
EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
Object.defineProperty(EventEmitter.prototype, kCapture, {
  __proto__: null,
  value: false,
  writable: true,
});

EventEmitter.init = function init(opts) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts && opts.captureRejections) {
    if (typeof opts.captureRejections !== 'boolean')
      throw invalidArgType(
        'options.captureRejections',
        'of type boolean',
        opts.captureRejections,
        'property',
      );
    this[kCapture] = true;
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

function maxListenersOf(emitter) {
  return emitter._maxListeners === undefined ? defaultMaxListeners : emitter._maxListeners;
}

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  checkCount(n, 'setMaxListeners');
  this._maxListeners = n;
  return this;
};

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return maxListenersOf(this);
};

// A listener returned a promise and the emitter captures rejections: a rejection becomes an
// 'error' event, from a nextTick (so that it is not itself an unhandled rejection).
function captureRejection(emitter, result, type, args) {
  if (!emitter[kCapture]) return;
  try {
    const then = result.then;
    if (typeof then === 'function') {
      then.call(result, undefined, (err) => nextTick(emitRejection, emitter, err, type, args));
    }
  } catch (err) {
    emitter.emit('error', err);
  }
}

function emitRejection(emitter, err, type, args) {
  if (typeof emitter[kRejection] === 'function') {
    emitter[kRejection](err, type, ...args);
    return;
  }
  // Off while the 'error' is emitted, or a throwing 'error' listener would loop.
  const before = emitter[kCapture];
  try {
    emitter[kCapture] = false;
    emitter.emit('error', err);
  } finally {
    emitter[kCapture] = before;
  }
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  const events = this._events;
  let unhandledError = type === 'error';
  if (events !== undefined) {
    if (unhandledError && events[kErrorMonitor] !== undefined) this.emit(kErrorMonitor, ...args);
    unhandledError = unhandledError && events.error === undefined;
  } else if (!unhandledError) {
    return false;
  }
  if (unhandledError) {
    const er = args.length > 0 ? args[0] : undefined;
    if (er instanceof Error) {
      // Where the 'error' was emitted, for the report if nothing catches it.
      const emittedAt = new Error();
      const target = this;
      try {
        Object.defineProperty(er, kEnhanceStackBeforeInspector, {
          __proto__: null,
          value: () => enhanceStack(target, er, emittedAt),
          configurable: true,
        });
      } catch (e) {
        // A frozen error is reported without where it was emitted.
      }
      throw atNodeSite(er, 'node:events:502', "      throw er; // Unhandled 'error' event");
    }
    let shown;
    try {
      shown = inspect(er);
    } catch (e) {
      shown = er;
    }
    const err = makeNodeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${shown})`);
    err.context = er;
    throw atNodeSite(err, 'node:events:515', "    throw err; // Unhandled 'error' event");
  }
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    const result = handler.apply(this, args);
    if (result !== undefined && result !== null) captureRejection(this, result, type, args);
  } else {
    // A copy: listeners added or removed by a listener take effect at the next emit.
    const listeners = handler.slice();
    for (let i = 0; i < listeners.length; i++) {
      const result = listeners[i].apply(this, args);
      if (result !== undefined && result !== null) captureRejection(this, result, type, args);
    }
  }
  return true;
};

// An unhandled 'error' event's error, as the uncaught report prints it: its stack, then where
// the event was emitted (frames it shares with the error's own collapsed to one line).
const kEnhanceStackBeforeInspector = Symbol('kEnhanceStackBeforeInspector');
function enhanceStack(target, err, emittedAt) {
  let ctorInfo = '';
  try {
    const { name } = target.constructor;
    if (name !== 'EventEmitter') ctorInfo = ` on ${name} instance`;
  } catch (e) {
    // No constructor name: no instance information.
  }
  const errStack = String(err.stack).split('\n').slice(1);
  const ownStack = String(emittedAt.stack).split('\n').slice(1);
  const [len, offset] = identicalSequenceRange(ownStack, errStack);
  if (len > 0) {
    ownStack.splice(offset + 1, len - 2, '    [... lines matching original stack trace ...]');
  }
  return `${err.stack}\nEmitted 'error' event${ctorInfo} at:\n${ownStack.join('\n')}`;
}

// The length and start in `a` of the first run of at least four lines of `a` found in `b`.
function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i]);
    if (pos === -1) continue;
    const rest = b.length - pos;
    if (rest <= 3) continue;
    let len = 1;
    const maxLen = Math.min(a.length - i, rest);
    while (maxLen > len && a[i + len] === b[pos + len]) len++;
    if (len > 3) return [len, i];
  }
  return [0, 0];
}

function registerListener(target, type, listener, prepend) {
  validateFunction(listener, 'listener');
  let events = target._events;
  let existing;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else {
    if (events.newListener !== undefined) {
      target.emit('newListener', type, listener.listener ?? listener);
      // A 'newListener' listener may have replaced the table.
      events = target._events;
    }
    existing = events[type];
  }
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
    return target;
  }
  if (typeof existing === 'function') {
    existing = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else if (prepend) {
    existing.unshift(listener);
  } else {
    existing.push(listener);
  }
  const max = maxListenersOf(target);
  if (max > 0 && existing.length > max && !existing.warned) {
    existing.warned = true;
    const w = new Error(
      `Possible EventEmitter memory leak detected. ${existing.length} ${String(type)} listeners ` +
        `added to ${inspect(target, { depth: -1 })}. MaxListeners is ${max}. ` +
        'Use emitter.setMaxListeners() to increase limit',
    );
    w.name = 'MaxListenersExceededWarning';
    w.emitter = target;
    w.type = type;
    w.count = existing.length;
    process.emitWarning(w);
  }
  return target;
}

EventEmitter.prototype.addListener = function addListener(type, listener) {
  return registerListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return registerListener(this, type, listener, true);
};

function onceWrapper(...args) {
  if (this.fired) return undefined;
  this.target.removeListener(this.type, this.wrapFn);
  this.fired = true;
  return this.listener.apply(this.target, args);
}

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = onceWrapper.bind(state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  validateFunction(listener, 'listener');
  this.on(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  validateFunction(listener, 'listener');
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  validateFunction(listener, 'listener');
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    if (--this._eventsCount === 0) {
      this._events = Object.create(null);
    } else {
      delete events[type];
      if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
    }
    return this;
  }
  if (typeof list === 'function') return this;
  // The last registration of the listener goes.
  let position = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      position = i;
      break;
    }
  }
  if (position < 0) return this;
  list.splice(position, 1);
  if (list.length === 1) events[type] = list[0];
  if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  const all = arguments.length === 0;
  if (events.removeListener === undefined) {
    if (all) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
    }
    return this;
  }
  // Someone listens for 'removeListener': remove one at a time so that each is announced.
  if (all) {
    for (const key of Reflect.ownKeys(events)) {
      if (key !== 'removeListener') this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = Object.create(null);
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === 'function') return unwrap ? [l.listener || l] : [l];
  return unwrap ? l.map((f) => (typeof f.listener === 'function' ? f.listener : f)) : l.slice();
}

EventEmitter.prototype.listeners = function listeners(type) {
  return listenersOf(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return listenersOf(this, type, false);
};

EventEmitter.prototype.listenerCount = function listenerCount(type, listener) {
  const events = this._events;
  if (events === undefined) return 0;
  const l = events[type];
  if (l === undefined) return 0;
  if (typeof l === 'function') {
    if (listener == null) return 1;
    return l === listener || l.listener === listener ? 1 : 0;
  }
  if (listener == null) return l.length;
  return l.filter((f) => f === listener || f.listener === listener).length;
};

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.errorMonitor = kErrorMonitor;
EventEmitter.captureRejectionSymbol = kRejection;
Object.defineProperty(EventEmitter, 'captureRejections', {
  __proto__: null,
  get() {
    return EventEmitter.prototype[kCapture];
  },
  set(value) {
    if (typeof value !== 'boolean')
      throw invalidArgType('EventEmitter.captureRejections', 'of type boolean', value);
    EventEmitter.prototype[kCapture] = value;
  },
  enumerable: true,
});
Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  __proto__: null,
  get() {
    return defaultMaxListeners;
  },
  set(n) {
    if (typeof n !== 'number' || n < 0 || Number.isNaN(n))
      throw outOfRange('defaultMaxListeners', 'a non-negative number', n);
    defaultMaxListeners = n;
  },
  enumerable: true,
});

EventEmitter.setMaxListeners = function setMaxListeners(n = defaultMaxListeners, ...targets) {
  if (typeof n !== 'number' || n < 0 || Number.isNaN(n))
    throw outOfRange('n', 'a non-negative number', n);
  if (targets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  for (const t of targets) {
    if (t && typeof t.setMaxListeners === 'function') t.setMaxListeners(n);
    else throw invalidArgType('eventTargets', 'an instance of EventEmitter or EventTarget', t);
  }
};

EventEmitter.listenerCount = function listenerCount(emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return EventEmitter.prototype.listenerCount.call(emitter, type);
};

EventEmitter.getEventListeners = function getEventListeners(emitter, type) {
  if (emitter && typeof emitter.listeners === 'function') return emitter.listeners(type);
  throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitter);
};

EventEmitter.getMaxListeners = function getMaxListeners(emitter) {
  if (emitter && typeof emitter.getMaxListeners === 'function') return emitter.getMaxListeners();
  throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitter);
};

function checkEmitter(emitter) {
  if (!emitter || typeof emitter.on !== 'function' || typeof emitter.removeListener !== 'function')
    throw invalidArgType('emitter', 'an instance of EventEmitter', emitter);
}

// events.once: the arguments of the next `name` event, or the next 'error' as a rejection.
// An async function, as in Node, so that its promise takes the same microtask hops.
EventEmitter.once = async function once(emitter, name) {
  checkEmitter(emitter);
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      emitter.removeListener(name, onEvent);
      reject(err);
    };
    const onEvent = (...args) => {
      emitter.removeListener('error', onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
  });
};

// events.on: an async iterator over `name` events (each an array of arguments); an 'error'
// event rejects the next read and ends the iteration.
EventEmitter.on = function on(emitter, name) {
  checkEmitter(emitter);
  const unread = [];
  const waiting = [];
  let error = null;
  let finished = false;
  const done = () => ({ value: undefined, done: true });
  const stop = () => {
    emitter.removeListener(name, onEvent);
    emitter.removeListener('error', onError);
    finished = true;
    for (const w of waiting.splice(0)) w.resolve(done());
  };
  function onEvent(...args) {
    const w = waiting.shift();
    if (w) w.resolve({ value: args, done: false });
    else unread.push(args);
  }
  function onError(err) {
    finished = true;
    const w = waiting.shift();
    if (w) w.reject(err);
    else error = err;
    stop();
  }
  const iterator = Object.setPrototypeOf(
    {
      next() {
        if (unread.length > 0) return Promise.resolve({ value: unread.shift(), done: false });
        if (error) {
          const p = Promise.reject(error);
          error = null;
          return p;
        }
        if (finished) return Promise.resolve(done());
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return() {
        stop();
        return Promise.resolve(done());
      },
      throw(err) {
        if (!(err instanceof Error))
          throw invalidArgType('EventEmitter.AsyncIterator', 'an instance of Error', err);
        error = err;
        stop();
        return Promise.resolve(done());
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    },
    Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype),
  );
  emitter.on(name, onEvent);
  if (name !== 'error') emitter.on('error', onError);
  return iterator;
};
