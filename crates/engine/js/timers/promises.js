// timers/promises (lib/timers/promises.js): the promise forms of setTimeout and setImmediate
// (which util.promisify also returns for them), setInterval as an async iterator, and
// `scheduler.wait` / `scheduler.yield`.
//
// HOW: each is a Timeout or an Immediate (timers.js) whose callback settles the promise;
// `{ ref: false }` makes it an unref'd one. Arguments are checked as Node checks them, and a bad
// one rejects the promise rather than throwing. A `signal` (an AbortSignal, AbortSignal.timeout's
// included) clears the timer when it aborts and rejects with an AbortError whose cause is the
// signal's reason, as Node's cancelListenerHandler does.

/* global AbortError, Immediate, Timeout, clearImmediate, clearInterval, clearTimeout,
   invalidArgType, kCustomPromisify, makeNodeError, setImmediate, setTimeout,
   validateAbortSignal */

// AbortError is stream's (the lazy part of the layer: prelude.rs).
function abortError(signal) {
  loadLazy();
  return new AbortError(undefined, { cause: signal.reason });
}

// validateObject(options), validateAbortSignal(signal), validateBoolean(ref).
function timerOptions(options) {
  if (options === null || typeof options !== 'object')
    throw invalidArgType('options', 'of type object', options);
  const { signal, ref = true } = options;
  if (signal !== undefined) validateAbortSignal(signal, 'options.signal');
  if (typeof ref !== 'boolean')
    throw invalidArgType('options.ref', 'of type boolean', ref, 'property');
  return { ref, signal };
}

// A timer whose signal aborts clears it and rejects with an AbortError caused by the reason.
function cancelOnAbort(promise, signal, clear, timer, reject) {
  if (!signal) return promise;
  const oncancel = () => {
    if (!timer._destroyed) {
      clear(timer);
      reject(abortError(signal));
    }
  };
  signal.addEventListener('abort', oncancel);
  return promise.finally(() => signal.removeEventListener('abort', oncancel));
}

function promiseSetTimeout(after, value, options = {}) {
  let opts;
  try {
    opts = timerOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  const { ref, signal } = opts;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  let timer;
  let rejectIt;
  const promise = new Promise((resolve, reject) => {
    rejectIt = reject;
    timer = new Timeout(resolve, after, [value], false, ref);
  });
  return cancelOnAbort(promise, signal, clearTimeout, timer, rejectIt);
}

function promiseSetImmediate(value, options = {}) {
  let opts;
  try {
    opts = timerOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  const { ref, signal } = opts;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  let immediate;
  let rejectIt;
  const promise = new Promise((resolve, reject) => {
    rejectIt = reject;
    immediate = new Immediate(resolve, [value], ref);
  });
  return cancelOnAbort(promise, signal, clearImmediate, immediate, rejectIt);
}

async function* promiseSetInterval(after, value, options = {}) {
  const { ref, signal } = timerOptions(options);
  if (signal && signal.aborted) throw abortError(signal);
  let interval;
  let onCancel;
  try {
    // Ticks not yet consumed by the loop below, and the read waiting for the next one.
    let notYielded = 0;
    let wake;
    interval = new Timeout(
      () => {
        notYielded++;
        if (wake) {
          wake();
          wake = undefined;
        }
      },
      after,
      undefined,
      true,
      ref,
    );
    if (signal) {
      onCancel = () => {
        clearInterval(interval);
        if (wake) {
          wake(Promise.reject(abortError(signal)));
          wake = undefined;
        }
      };
      signal.addEventListener('abort', onCancel, { once: true });
    }
    while (!(signal && signal.aborted)) {
      if (notYielded === 0) await new Promise((resolve) => (wake = resolve));
      for (; notYielded > 0; notYielded--) yield value;
    }
    throw abortError(signal);
  } finally {
    clearInterval(interval);
    if (signal) signal.removeEventListener('abort', onCancel);
  }
}

const kScheduler = Symbol('kScheduler');
class Scheduler {
  constructor() {
    throw makeNodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  yield() {
    if (!this[kScheduler])
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_THIS',
        'Value of "this" must be of type Scheduler',
      );
    return promiseSetImmediate();
  }
  wait(delay, options) {
    if (!this[kScheduler])
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_THIS',
        'Value of "this" must be of type Scheduler',
      );
    return promiseSetTimeout(delay, undefined, options);
  }
}

const timersPromises = {
  setTimeout: promiseSetTimeout,
  setImmediate: promiseSetImmediate,
  setInterval: promiseSetInterval,
  scheduler: Reflect.construct(
    function () {
      this[kScheduler] = true;
    },
    [],
    Scheduler,
  ),
};
setTimeout[kCustomPromisify] = timersPromises.setTimeout;
setImmediate[kCustomPromisify] = timersPromises.setImmediate;
