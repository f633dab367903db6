// EventEmitter (lib/events.js): synchronous emit, listeners in registration order.
//
// HOW: `emit` copies the listener list before calling it, so a listener added or removed during
// an emit does not change that emit; `once` listeners are removed before they run. An 'error'
// with no listener throws (ERR_UNHANDLED_ERROR for a non-Error).

/* global inspect, validateFunction */

class EventEmitter {
  constructor() {
    this._events = Object.create(null);
    this._maxListeners = 10;
  }
  _list(name) {
    if (this._events === undefined) this._events = Object.create(null);
    return this._events[name] || (this._events[name] = []);
  }
  on(name, listener) {
    validateFunction(listener, 'listener');
    if (this._events && this._events.newListener && name !== 'newListener')
      this.emit('newListener', name, listener);
    this._list(name).push({ listener, once: false });
    return this;
  }
  addListener(name, listener) {
    return this.on(name, listener);
  }
  prependListener(name, listener) {
    validateFunction(listener, 'listener');
    this._list(name).unshift({ listener, once: false });
    return this;
  }
  once(name, listener) {
    validateFunction(listener, 'listener');
    this._list(name).push({ listener, once: true });
    return this;
  }
  prependOnceListener(name, listener) {
    validateFunction(listener, 'listener');
    this._list(name).unshift({ listener, once: true });
    return this;
  }
  off(name, listener) {
    const list = this._events && this._events[name];
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].listener === listener) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) delete this._events[name];
    return this;
  }
  removeListener(name, listener) {
    return this.off(name, listener);
  }
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
  listenerCount(name) {
    const l = this._events && this._events[name];
    return l ? l.length : 0;
  }
  listeners(name) {
    const l = this._events && this._events[name];
    return l ? l.map((e) => e.listener) : [];
  }
  rawListeners(name) {
    return this.listeners(name);
  }
  eventNames() {
    return this._events ? Reflect.ownKeys(this._events) : [];
  }
  setMaxListeners(n) {
    this._maxListeners = n;
    return this;
  }
  getMaxListeners() {
    return this._maxListeners;
  }
}
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      emitter.off(name, onEvent);
      reject(err);
    };
    const onEvent = (...args) => {
      if (name !== 'error') emitter.off('error', onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
  });
};
