// Timers (lib/timers.js, lib/internal/timers.js) and immediates, nextTick, queueMicrotask.
//
// HOW: Node's timer lists, its immediate queue and its nextTick queue live in the model
// (crates/model/src/timers.rs, immediates.rs, sim/): this file keeps only what a program holds,
// the `Timeout` and `Immediate` objects with `ref`/`unref`/`refresh`/`close`, and registers their
// callbacks. A `Timeout` converted to a number (`+timeout`) is its model id, which
// `clearTimeout(id)` accepts, as in Node.

/* global register, runAgain, unregister, validateFunction */

// Timers converted to a number (`+timeout`), by id, for clearTimeout(id): integer keys, so a
// delete is O(1) (a boa Map's is O(n)).
const knownTimers = Object.create(null);

// Only objects this file made have a model timer: `ref`/`unref` called on anything else (a
// bound `{}`, a fired or cleared timer's leftovers) change the flag Node keeps on the object and
// never reach the model.
const kRefed = Symbol('refed');
function isArmed(timer) {
  return timer instanceof Timeout && !timer._destroyed && knownTimeouts.has(timer);
}
const knownTimeouts = new WeakSet();

class Timeout {
  constructor(callback, after, args, isRepeat, isRefed = true) {
    this._onTimeout = callback;
    this._idleTimeout = after;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this._args = args;
    this[kRefed] = isRefed;
    this._callbackId = register(callback, args, this, isRepeat);
    this._id = host.setTimeout(this._callbackId, Number(after), !!isRepeat, callback);
    knownTimeouts.add(this);
    if (!isRefed) host.timerRef(this._id, false);
  }
  ref() {
    if (!this[kRefed]) {
      this[kRefed] = true;
      if (isArmed(this)) host.timerRef(this._id, true);
    }
    return this;
  }
  unref() {
    if (this[kRefed]) {
      this[kRefed] = false;
      if (isArmed(this)) host.timerRef(this._id, false);
    }
    return this;
  }
  hasRef() {
    return this[kRefed];
  }
  refresh() {
    if (!isArmed(this)) return this;
    if (host.timerRefresh(this._id)) {
      // Refreshed from inside its own callback: its entry must outlive this run.
      runAgain(this._callbackId);
      return this;
    }
    // It already fired: Node re-arms it with the same callback and delay.
    this._callbackId = register(this._onTimeout, this._args, this, this._repeat !== null);
    this._id = host.setTimeout(
      this._callbackId,
      Number(this._idleTimeout),
      this._repeat !== null,
      this._onTimeout,
    );
    if (!this[kRefed]) host.timerRef(this._id, false);
    return this;
  }
  close() {
    clearTimeout(this);
    return this;
  }
  [Symbol.toPrimitive]() {
    knownTimers[this._id] = this;
    return this._id;
  }
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
  if (typeof timer === 'number' || typeof timer === 'string') timer = knownTimers[Number(timer)];
  if (!isArmed(timer)) return;
  timer._destroyed = true;
  delete knownTimers[timer._id];
  unregister(timer._callbackId);
  host.clearTimer(timer._id);
}
const clearInterval = clearTimeout;

class Immediate {
  constructor(callback, args, isRefed = true) {
    this._onImmediate = callback;
    this._destroyed = false;
    this[kRefed] = true;
    this._callbackId = register(callback, args, this, false);
    this._id = host.setImmediate(this._callbackId, callback);
    knownImmediates.add(this);
    if (!isRefed) this.unref();
  }
  ref() {
    if (!this[kRefed]) {
      this[kRefed] = true;
      if (knownImmediates.has(this) && !this._destroyed) host.immediateRef(this._id, true);
    }
    return this;
  }
  unref() {
    if (this[kRefed]) {
      this[kRefed] = false;
      if (knownImmediates.has(this) && !this._destroyed) host.immediateRef(this._id, false);
    }
    return this;
  }
  hasRef() {
    return !!this[kRefed];
  }
}
const knownImmediates = new WeakSet();
function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return new Immediate(callback, args);
}
function clearImmediate(immediate) {
  if (!knownImmediates.has(immediate) || immediate._destroyed) return;
  immediate._destroyed = true;
  unregister(immediate._callbackId);
  host.clearImmediate(immediate._id);
}

function queueMicrotask(callback) {
  validateFunction(callback, 'callback');
  host.queueMicrotask(register(callback, undefined, undefined, false), callback);
}

function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  host.nextTick(register(callback, args, undefined, false), callback);
}
