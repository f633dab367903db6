// util (lib/util.js), timers/promises (lib/timers/promises.js) and perf_hooks
// (lib/perf_hooks.js): promisify, the promise forms of the timers, and the loop's own metrics
// (`monitorEventLoopDelay`, `eventLoopUtilization`), which the model measures.

/* global format, inspect, setImmediate, setTimeout, validateFunction */

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
function promisify(fn) {
  validateFunction(fn, 'original');
  if (fn[kCustomPromisify]) return fn[kCustomPromisify];
  return function (...args) {
    return new Promise((resolve, reject) => {
      fn.call(this, ...args, (err, ...values) =>
        err ? reject(err) : resolve(values.length > 1 ? values : values[0]),
      );
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
  format,
  inspect,
  promisify,
  inherits(ctor, superCtor) {
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
    Object.setPrototypeOf(ctor, superCtor);
  },
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
      enable() {
        if (enabled) return false;
        enabled = true;
        host.eldReset();
        return true;
      },
      disable() {
        enabled = false;
        return true;
      },
      reset() {
        host.eldReset();
      },
      percentile(p) {
        return host.eld('p', p) * 1e3;
      },
      get min() {
        return host.eld('min', 0) * 1e3;
      },
      get max() {
        return host.eld('max', 0) * 1e3;
      },
      get mean() {
        return host.eld('mean', 0) * 1e3;
      },
      get count() {
        return host.eld('count', 0);
      },
      get enabled() {
        return enabled;
      },
    };
  },
};
