// timers/promises (lib/timers/promises.js): the promise forms of setTimeout and setImmediate,
// which util.promisify also returns for them.

/* global kCustomPromisify, setImmediate, setTimeout */

const timersPromises = {
  setTimeout: (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value)),
  setImmediate: (value) => new Promise((resolve) => setImmediate(resolve, value)),
};
setTimeout[kCustomPromisify] = timersPromises.setTimeout;
setImmediate[kCustomPromisify] = timersPromises.setImmediate;
