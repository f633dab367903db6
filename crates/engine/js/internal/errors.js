// Node's errors and argument checks that every module shares (lib/internal/errors.js,
// lib/internal/validators.js): an error with a `code`, the ERR_INVALID_ARG_TYPE message with
// Node's description of what was received.

/* global inspect */

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
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type function. Received ${describeReceived(fn)}`,
    );
  }
}
