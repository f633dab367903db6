// assert (lib/assert.js): the checks a program makes of itself. An AssertionError carries
// Node's code, ERR_ASSERTION.

/* global inspect, makeNodeError */

const assert = Object.assign(
  (v, m) => {
    if (!v)
      throw makeNodeError(Error, 'ERR_ASSERTION', m || 'The expression evaluated to a falsy value');
  },
  {
    strictEqual: (a, b, m) => {
      if (!Object.is(a, b))
        throw makeNodeError(
          Error,
          'ERR_ASSERTION',
          m || `Expected values to be strictly equal:\n\n${inspect(a)} !== ${inspect(b)}\n`,
        );
    },
    ok: (v, m) => {
      if (!v)
        throw makeNodeError(
          Error,
          'ERR_ASSERTION',
          m || 'The expression evaluated to a falsy value',
        );
    },
  },
);
