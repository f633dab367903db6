// timers/promises (lib/timers/promises.js): the promise forms of setTimeout and setImmediate
// (which util.promisify also returns for them), setInterval as an async iterator, and
// `scheduler.wait` / `scheduler.yield`.
//
// HOW: each is a Timeout or an Immediate (timers.js) whose callback settles the promise;
// `{ ref: false }` makes it an unref'd one. Arguments are checked as Node checks them, and a bad
// one rejects the promise rather than throwing. AbortSignal is not modelled (Looplab has no
// AbortController): a `signal` option is rejected as not an AbortSignal.

/* global Immediate, Timeout, clearInterval, invalidArgType, kCustomPromisify, makeNodeError,
   setImmediate, setTimeout */

// validateObject(options), validateAbortSignal(signal), validateBoolean(ref).
function timerOptions(options) {
  if (options === null || typeof options !== 'object')
    throw invalidArgType('options', 'of type object', options);
  const { signal, ref = true } = options;
  if (signal !== undefined)
    throw invalidArgType('options.signal', 'an instance of AbortSignal', signal, 'property');
  if (typeof ref !== 'boolean')
    throw invalidArgType('options.ref', 'of type boolean', ref, 'property');
  return ref;
}

function promiseSetTimeout(after, value, options = {}) {
  let ref;
  try {
    ref = timerOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve) => {
    new Timeout(resolve, after, [value], false, ref);
  });
}

function promiseSetImmediate(value, options = {}) {
  let ref;
  try {
    ref = timerOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve) => {
    new Immediate(resolve, [value], ref);
  });
}

async function* promiseSetInterval(after, value, options = {}) {
  const ref = timerOptions(options);
  let interval;
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
    for (;;) {
      if (notYielded === 0) await new Promise((resolve) => (wake = resolve));
      for (; notYielded > 0; notYielded--) yield value;
    }
  } finally {
    clearInterval(interval);
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
