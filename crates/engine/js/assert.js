// assert (lib/assert.js, lib/internal/assert/assertion_error.js, the comparisons of
// lib/internal/util/comparisons.js): the checks a program makes of itself, with Node 20's
// messages.
//
// HOW: every failed check throws an `AssertionError` (code ERR_ASSERTION, with `actual`,
// `expected`, `operator` and `generatedMessage`). Its message is built the way Node 20 builds it:
// both values are shown with `util.inspect` in its expanded form (`compact: false`, keys
// sorted), and strict comparisons get the "+ actual - expected" line diff, in which runs of
// identical lines are collapsed to `...`. A failed `assert(value)` with no message quotes the
// call from the program's source, as Node does: the call site comes from the stack (the first
// frame in the user's file), and the call's text is cut out of `source` there.
// `throws` / `rejects` take the expected error as a class, a RegExp, a validation function or
// an object of properties (compared deeply, RegExps matching strings); `rejects` and
// `doesNotReject` are async functions that await an inner async function, as Node's are, so
// their results settle after the same number of microtask hops.

/* global atNodeSite, callSite, describeReceived, inspect, invalidArgType, makeNodeError, process */

const kReadableOperator = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};
// Two short primitives are shown as `a !== b` instead of a diff.
const kMaxShortLength = 12;

function assertInspect(value) {
  return inspect(value, {
    compact: false,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Infinity,
    sorted: true,
    getters: true,
  });
}

// Errors compared by a diff are shown without their stacks: a copy with the same prototype,
// own enumerable properties and message.
function copyForDiff(source) {
  const target = Object.create(Object.getPrototypeOf(source));
  for (const key of Object.keys(source)) target[key] = source[key];
  Object.defineProperty(target, 'message', { __proto__: null, value: source.message });
  return target;
}

// The "+ actual - expected" message of a failed strictEqual / deepStrictEqual. `header` is the
// user's message when there is one (Node 20 keeps the diff under it).
function diffMessage(actual, expected, operator, header) {
  const inspectedActual = assertInspect(actual);
  const actualLines = inspectedActual.split('\n');
  const expectedLines = assertInspect(expected).split('\n');
  if (
    operator === 'strictEqual' &&
    ((typeof actual === 'object' &&
      actual !== null &&
      typeof expected === 'object' &&
      expected !== null) ||
      (typeof actual === 'function' && typeof expected === 'function'))
  ) {
    operator = 'strictEqualObject';
  }
  const title = header || kReadableOperator[operator];

  // One line each: short primitives are shown side by side; a longer single line gets a caret
  // under the first differing character.
  let caret = '';
  if (
    actualLines.length === 1 &&
    expectedLines.length === 1 &&
    actualLines[0] !== expectedLines[0]
  ) {
    const a = actualLines[0];
    const b = expectedLines[0];
    const length = a.length + b.length;
    if (length <= kMaxShortLength) {
      const primitive = (v) => typeof v !== 'object' || v === null;
      if (primitive(actual) && primitive(expected) && (actual !== 0 || expected !== 0)) {
        return `${title}\n\n${a} !== ${b}\n`;
      }
    } else if (operator !== 'strictEqualObject' && length < 80) {
      let i = 0;
      while (a[i] === b[i]) i++;
      if (i > 2) caret = `\n  ${' '.repeat(i)}^`;
    }
  }

  // Identical trailing lines are dropped from the diff; the last three are shown after it
  // (more than three: the one before them too, and a `...` for the rest).
  let tail = '';
  let farthestTail = '';
  let dropped = 0;
  while (actualLines.length > 0 && expectedLines.length > 0) {
    const a = actualLines[actualLines.length - 1];
    if (a !== expectedLines[expectedLines.length - 1]) break;
    if (dropped++ < 3) tail = `\n  ${a}${tail}`;
    else farthestTail = a;
    actualLines.pop();
    expectedLines.pop();
  }
  // With a caret the counter started past the equal prefix; Node counts from there.
  const longest = Math.max(actualLines.length, expectedLines.length);
  if (longest === 0) {
    const lines = inspectedActual.split('\n');
    if (lines.length > 50) {
      lines[46] = '...';
      lines.length = 47;
    }
    // (Node 20 keeps this heading even under a message of the program's own.)
    return `${kReadableOperator.notIdentical}\n\n${lines.join('\n')}\n`;
  }
  let skipped = false;
  if (dropped >= 5) {
    tail = `\n...${tail}`;
    skipped = true;
  }
  if (farthestTail !== '') tail = `\n  ${farthestTail}${tail}`;

  const heading = `${title}\n+ actual - expected`;
  const skippedNote = ' ... Lines skipped';
  let out = '';
  // Expected lines waiting to be printed after a run of differing actual lines, so that a
  // block reads +++--- rather than +-+-+-.
  let pendingMinus = '';
  let printed = 0;
  let identical = 0;

  // Lines before a difference: up to the last two of a run are shown; a longer run is
  // shortened (a run of exactly five shows its third line, longer ones `...`).
  const flushIdentical = (lines, i) => {
    if (identical > 2) {
      if (identical > 3) {
        if (identical > 4) {
          if (identical === 5) {
            out += `\n  ${lines[i - 3]}`;
            printed++;
          } else {
            out += '\n...';
            skipped = true;
          }
        }
        out += `\n  ${lines[i - 2]}`;
        printed++;
      }
      out += `\n  ${lines[i - 1]}`;
      printed++;
    }
    identical = 0;
  };

  const actualIsLonger = actualLines.length >= longest;
  const longer = actualIsLonger ? actualLines : expectedLines;
  const sign = actualIsLonger ? '+' : '-';
  const shorterLength = actualIsLonger ? expectedLines.length : actualLines.length;
  for (let i = 0; i < longest; i++) {
    if (i >= shorterLength) {
      // Only the longer side has lines left.
      flushIdentical(longer, i);
      if (actualIsLonger) out += `\n${sign} ${longer[i]}`;
      else pendingMinus += `\n${sign} ${longer[i]}`;
      printed++;
    } else {
      const expectedLine = expectedLines[i];
      let actualLine = actualLines[i];
      // A line that differs only by a trailing comma is the same line.
      let differs =
        actualLine !== expectedLine &&
        (!actualLine.endsWith(',') || actualLine.slice(0, -1) !== expectedLine);
      if (differs && expectedLine.endsWith(',') && expectedLine.slice(0, -1) === actualLine) {
        differs = false;
        actualLine += ',';
      }
      if (differs) {
        flushIdentical(actualLines, i);
        out += `\n+ ${actualLine}`;
        pendingMinus += `\n- ${expectedLine}`;
        printed += 2;
      } else {
        out += pendingMinus;
        pendingMinus = '';
        identical++;
        if (identical <= 2) {
          out += `\n  ${actualLine}`;
          printed++;
        }
      }
    }
    // Very long: stop after about 50 lines.
    if (printed > 50 && i < longest - 2) {
      return `${heading}${skippedNote}\n${out}\n...${pendingMinus}\n...`;
    }
  }
  return `${heading}${skipped ? skippedNote : ''}\n${out}${pendingMinus}${tail}${caret}`;
}

class AssertionError extends Error {
  constructor(options) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw invalidArgType('options', 'of type object', options);
    }
    const { message, operator, details } = options;
    let { actual, expected } = options;
    let text;
    if (message != null) {
      text =
        operator === 'deepStrictEqual' || operator === 'strictEqual'
          ? diffMessage(actual, expected, operator, String(message))
          : String(message);
    } else {
      if (
        actual instanceof Error &&
        expected instanceof Error &&
        'stack' in actual &&
        'stack' in expected
      ) {
        actual = copyForDiff(actual);
        expected = copyForDiff(expected);
      }
      text = generatedMessage(actual, expected, operator);
    }
    super(text);
    Object.defineProperty(this, 'name', {
      __proto__: null,
      value: 'AssertionError',
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.generatedMessage = !message;
    this.code = 'ERR_ASSERTION';
    if (details) {
      this.actual = undefined;
      this.expected = undefined;
      this.operator = undefined;
      for (let i = 0; i < details.length; i++) {
        this['message ' + i] = details[i].message;
        this['actual ' + i] = details[i].actual;
        this['expected ' + i] = details[i].expected;
        this['operator ' + i] = details[i].operator;
        this['stack trace ' + i] = details[i].stack;
      }
    } else {
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
    }
  }
  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

function generatedMessage(actual, expected, operator) {
  if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
    return diffMessage(actual, expected, operator);
  }
  if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
    // The values are equal where they should not be: show one of them.
    let base = kReadableOperator[operator];
    const lines = assertInspect(actual).split('\n');
    if (
      operator === 'notStrictEqual' &&
      ((typeof actual === 'object' && actual !== null) || typeof actual === 'function')
    ) {
      base = kReadableOperator.notStrictEqualObject;
    }
    if (lines.length > 50) {
      lines[46] = '...';
      lines.length = 47;
    }
    if (lines.length === 1) return `${base}${lines[0].length > 5 ? '\n\n' : ' '}${lines[0]}`;
    return `${base}\n\n${lines.join('\n')}\n`;
  }
  let res = assertInspect(actual);
  let other = assertInspect(expected);
  const known = kReadableOperator[operator];
  if (operator === 'notDeepEqual' && res === other) {
    res = `${known}\n\n${res}`;
    return res.length > 1024 ? `${res.slice(0, 1021)}...` : res;
  }
  if (res.length > 512) res = `${res.slice(0, 509)}...`;
  if (other.length > 512) other = `${other.slice(0, 509)}...`;
  if (operator === 'deepEqual') {
    res = `${known}\n\n${res}\n\nshould loosely deep-equal\n\n`;
  } else {
    const unequal = kReadableOperator[`${operator}Unequal`];
    if (unequal) res = `${unequal}\n\n${res}\n\nshould not loosely deep-equal\n\n`;
    else other = ` ${operator} ${other}`;
  }
  return `${res}${other}`;
}

// ---- deep equality (lib/internal/util/comparisons.js) ------------------------------------

const kStrict = true;
const kLoose = false;
const objectToString = (v) => Object.prototype.toString.call(v);
const isBoxedPrimitive = (v) =>
  v instanceof Number ||
  v instanceof String ||
  v instanceof Boolean ||
  (typeof BigInt === 'function' && v instanceof BigInt) ||
  v instanceof Symbol;

function ownEnumerableKeys(v, strict) {
  const keys = Object.keys(v);
  if (!strict) return keys;
  for (const s of Object.getOwnPropertySymbols(v)) {
    if (Object.prototype.propertyIsEnumerable.call(v, s)) keys.push(s);
  }
  return keys;
}

function isArrayIndex(key, length) {
  if (typeof key !== 'string') return false;
  const n = Number(key);
  return String(n >>> 0) === key && n >>> 0 < length;
}

function deepEqual(a, b, strict, memos) {
  if (a === b) return a !== 0 || !strict || Object.is(a, b);
  if (strict) {
    if (typeof a !== 'object') return typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b);
    if (typeof b !== 'object' || a === null || b === null) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') {
        return a == b || (Number.isNaN(a) && Number.isNaN(b));
      }
      return false;
    }
    if (b === null || typeof b !== 'object') return false;
  }
  const tag = objectToString(a);
  if (tag !== objectToString(b)) return false;

  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const keysA = ownEnumerableKeys(a, strict).filter((k) => !isArrayIndex(k, a.length));
    const keysB = ownEnumerableKeys(b, strict).filter((k) => !isArrayIndex(k, b.length));
    if (keysA.length !== keysB.length) return false;
    return compareObjects(a, b, strict, memos, 'array', keysA);
  }
  if (tag === '[object Object]' && !isBoxedPrimitive(a) && !isBoxedPrimitive(b)) {
    return compareObjects(a, b, strict, memos, 'object');
  }
  if (a instanceof Date) {
    if (!(b instanceof Date) || a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp) {
    if (
      !(b instanceof RegExp) ||
      a.source !== b.source ||
      a.flags !== b.flags ||
      a.lastIndex !== b.lastIndex
    )
      return false;
  } else if (a instanceof Error) {
    if (!(b instanceof Error) || a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || a.length !== b.length || a.byteLength !== b.byteLength)
      return false;
    for (let i = 0; i < a.length; i++) {
      if (strict ? !Object.is(a[i], b[i]) : a[i] !== b[i]) {
        if (strict || !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
      }
    }
    const keysA = ownEnumerableKeys(a, strict).filter((k) => !isArrayIndex(k, a.length));
    const keysB = ownEnumerableKeys(b, strict).filter((k) => !isArrayIndex(k, b.length));
    if (keysA.length !== keysB.length) return false;
    return compareObjects(a, b, strict, memos, 'object', keysA);
  } else if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    return compareObjects(a, b, strict, memos, 'set');
  } else if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    return compareObjects(a, b, strict, memos, 'map');
  } else if (isBoxedPrimitive(a)) {
    if (!isBoxedPrimitive(b) || !Object.is(a.valueOf(), b.valueOf())) return false;
    if (typeof a.valueOf() === 'symbol') return false;
  } else if (isBoxedPrimitive(b) || Array.isArray(b) || b instanceof Date) {
    return false;
  }
  return compareObjects(a, b, strict, memos, 'object');
}

function compareObjects(a, b, strict, memos, kind, keysA) {
  if (keysA === undefined) {
    keysA = ownEnumerableKeys(a, strict);
    const keysB = ownEnumerableKeys(b, strict);
    if (keysA.length !== keysB.length) return false;
  }
  for (const k of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
  }
  // A pair already being compared further up is assumed equal (cycles).
  if (memos === undefined) memos = { a: new Map(), b: new Map(), position: 0 };
  else {
    const seenA = memos.a.get(a);
    if (seenA !== undefined) {
      const seenB = memos.b.get(b);
      if (seenB !== undefined) return seenA === seenB;
    }
    memos.position++;
  }
  memos.a.set(a, memos.position);
  memos.b.set(b, memos.position);
  const result = compareEntries(a, b, strict, memos, kind, keysA);
  memos.a.delete(a);
  memos.b.delete(b);
  return result;
}

function compareEntries(a, b, strict, memos, kind, keys) {
  if (kind === 'set' && !setsEqual(a, b, strict, memos)) return false;
  if (kind === 'map' && !mapsEqual(a, b, strict, memos)) return false;
  if (kind === 'array') {
    for (let i = 0; i < a.length; i++) {
      const hasA = Object.prototype.hasOwnProperty.call(a, i);
      if (hasA !== Object.prototype.hasOwnProperty.call(b, i)) return false;
      if (hasA && !deepEqual(a[i], b[i], strict, memos)) return false;
    }
  }
  for (const k of keys) {
    if (!deepEqual(a[k], b[k], strict, memos)) return false;
  }
  return true;
}

function setsEqual(a, b, strict, memos) {
  // Primitives match by value; objects (and, loosely, primitives that == others) need a
  // deep match with some unmatched member of the other set.
  let pending = null;
  for (const v of a) {
    if (typeof v === 'object' && v !== null) {
      (pending || (pending = [])).push(v);
    } else if (!b.has(v)) {
      if (strict) return false;
      if (!looseSetHas(b, v)) return false;
      (pending || (pending = [])).push(v);
    }
  }
  if (pending === null) return true;
  const candidates = [];
  for (const v of b) {
    if ((typeof v === 'object' && v !== null) || (!strict && !a.has(v))) candidates.push(v);
  }
  for (const v of pending) {
    const i = candidates.findIndex((c) => deepEqual(v, c, strict, memos));
    if (i < 0) return false;
    candidates.splice(i, 1);
  }
  return true;
}

function looseSetHas(set, v) {
  for (const x of set) {
    if ((typeof x !== 'object' || x === null) && x == v) return true;
  }
  return false;
}

function mapsEqual(a, b, strict, memos) {
  let pending = null;
  for (const [k, v] of a) {
    if (typeof k === 'object' && k !== null) {
      (pending || (pending = [])).push([k, v]);
    } else if (!b.has(k) || !deepEqual(v, b.get(k), strict, memos)) {
      if (strict) return false;
      (pending || (pending = [])).push([k, v]);
    }
  }
  if (pending === null) return true;
  const candidates = [];
  for (const [k, v] of b) {
    if ((typeof k === 'object' && k !== null) || !strict) candidates.push([k, v]);
  }
  for (const [k, v] of pending) {
    const i = candidates.findIndex(
      ([k2, v2]) => deepEqual(k, k2, strict, memos) && deepEqual(v, v2, strict, memos),
    );
    if (i < 0) return false;
    candidates.splice(i, 1);
  }
  return true;
}

function isDeepEqual(a, b) {
  return deepEqual(a, b, kLoose);
}
// Also util.isDeepStrictEqual.
function isDeepStrictEqual(a, b) {
  return deepEqual(a, b, kStrict);
}

// ---- the checks -------------------------------------------------------------------------

const NO_EXCEPTION = {};

function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  throw atNodeSite(new AssertionError(obj), 'node:assert:90', '  throw new AssertionError(obj);');
}

// `assert(value)` failed with no message: Node quotes the call from the source,
// "The expression evaluated to a falsy value:\n\n  assert.ok(x)\n".
function falsyValueMessage() {
  const site = callSite();
  if (site === null) return undefined;
  const lines = source.split('\n');
  const text = lines.slice(site.line - 1).join('\n');
  // The frame's column is the callee's start, or (V8, a method call) its property's:
  // `assert.ok(x)` is found from `ok` as from `assert`.
  let offset = Math.min(site.column - 1, text.length);
  while (offset > 0 && /[\w$.]/.test(text[offset - 1])) offset--;
  const call = callExpressionAt(text, offset);
  if (call === null) return undefined;
  // Later lines lose the indentation of the call's own column.
  const [first, ...rest] = call.split('\n');
  let message = first;
  for (const line of rest) {
    let pos = 0;
    while (pos < offset && (line[pos] === ' ' || line[pos] === '\t')) pos++;
    message += `\n  ${line.slice(pos)}`;
  }
  // eslint-disable-next-line no-control-regex
  message = message.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `The expression evaluated to a falsy value:\n\n  ${message}\n`;
}

// The text of the call expression that starts at `start` in `text`: the callee up to its
// argument list, and that list up to its closing parenthesis (strings, template literals,
// comments and regular expressions skipped).
function callExpressionAt(text, start) {
  let i = start;
  let depth = 0;
  let sawParen = false;
  let prev = '';
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i, c);
      prev = 'x';
      continue;
    }
    if (c === '`') {
      i = skipTemplate(text, i);
      prev = 'x';
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === '/' && /[(,=:[!&|?{};+\-*%<>~^]|^$/.test(prev)) {
      i = skipQuoted(text, i, '/');
      while (/[a-z]/.test(text[i] || '')) i++;
      prev = 'x';
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      if (c === '(' && depth === 0) sawParen = true;
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) return null;
      if (depth === 0 && c === ')' && sawParen) {
        // `f(a)(b)` and `f(a).g(b)`: the call goes on.
        let j = i + 1;
        while (text[j] === ' ') j++;
        if (text[j] !== '(' && text[j] !== '.') return text.slice(start, i + 1);
      }
    } else if (depth === 0 && sawParen && c === ';') {
      return null;
    }
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return null;
}

function skipQuoted(text, i, quote) {
  i++;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\') i++;
    else if (text[i] === '\n' && quote !== '`') return i;
    i++;
  }
  return i + 1;
}

function skipTemplate(text, i) {
  i++;
  while (i < text.length && text[i] !== '`') {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        else if (text[i] === '`') i = skipTemplate(text, i) - 1;
        else if (text[i] === '"' || text[i] === "'") i = skipQuoted(text, i, text[i]) - 1;
        i++;
      }
    } else i++;
  }
  return i + 1;
}

function innerOk(argCount, value, message) {
  if (value) return;
  let generated = false;
  if (argCount === 0) {
    generated = true;
    message = 'No value argument passed to `assert.ok()`';
  } else if (message == null) {
    generated = true;
    message = falsyValueMessage();
  } else if (message instanceof Error) {
    throw message;
  }
  const err = new AssertionError({ actual: value, expected: true, message, operator: '==' });
  err.generatedMessage = generated;
  throw atNodeSite(err, 'node:internal/assert/utils:281', '    throw err;');
}

function ok(...args) {
  innerOk(args.length, ...args);
}

function equal(actual, expected, message) {
  if (actual != expected && (!Number.isNaN(actual) || !Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '==' });
  }
}

function notEqual(actual, expected, message) {
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '!=' });
  }
}

function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'strictEqual' });
  }
}

function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notStrictEqual' });
  }
}

function missingArgs(count) {
  if (count < 2)
    throw makeNodeError(
      TypeError,
      'ERR_MISSING_ARGS',
      'The "actual" and "expected" arguments must be specified',
    );
}

function deepEqualCheck(...args) {
  missingArgs(args.length);
  const [actual, expected, message] = args;
  if (!isDeepEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepEqual' });
  }
}

function notDeepEqual(...args) {
  missingArgs(args.length);
  const [actual, expected, message] = args;
  if (isDeepEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepEqual' });
  }
}

function deepStrictEqual(...args) {
  missingArgs(args.length);
  const [actual, expected, message] = args;
  if (!isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepStrictEqual' });
  }
}

function notDeepStrictEqual(...args) {
  missingArgs(args.length);
  const [actual, expected, message] = args;
  if (isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepStrictEqual' });
  }
}

let failDeprecationShown = false;
function fail(actual, expected, message, operator, stackStartFn) {
  const count = arguments.length;
  let internalMessage = false;
  if (actual == null && count <= 1) {
    internalMessage = true;
    message = 'Failed';
  } else if (count === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (!failDeprecationShown) {
      failDeprecationShown = true;
      process.emitWarning(
        'assert.fail() with more than one argument is deprecated. ' +
          'Please use assert.strictEqual() instead or only pass a message.',
        'DeprecationWarning',
        'DEP0094',
      );
    }
    if (count === 2) operator = '!=';
  }
  if (message instanceof Error) throw message;
  const err = new AssertionError({
    actual,
    expected,
    operator: operator === undefined ? 'fail' : operator,
    message,
  });
  if (internalMessage) err.generatedMessage = true;
  throw atNodeSite(err, 'node:assert:137', '  throw err;');
}

function isRegExp(v) {
  return v instanceof RegExp;
}

function checkIsPromise(v) {
  return (
    v instanceof Promise ||
    (v !== null &&
      typeof v === 'object' &&
      typeof v.then === 'function' &&
      typeof v.catch === 'function')
  );
}

// The expected error was given as an object of properties: each is compared deeply (a RegExp
// may match a string). The failure shows only the compared keys, as `Comparison` objects.
class Comparison {
  constructor(obj, keys, actual) {
    for (const key of keys) {
      if (!(key in obj)) continue;
      if (
        actual !== undefined &&
        typeof actual[key] === 'string' &&
        isRegExp(obj[key]) &&
        obj[key].exec(actual[key]) !== null
      ) {
        this[key] = actual[key];
      } else {
        this[key] = obj[key];
      }
    }
  }
}

function compareExceptionKey(actual, expected, key, message, keys, operator) {
  if (key in actual && isDeepStrictEqual(actual[key], expected[key])) return;
  if (!message) {
    const err = new AssertionError({
      actual: new Comparison(actual, keys),
      expected: new Comparison(expected, keys, actual),
      operator: 'deepStrictEqual',
    });
    err.actual = actual;
    err.expected = expected;
    err.operator = operator;
    throw atNodeSite(err, 'node:assert:377', '      throw err;');
  }
  innerFail({ actual, expected, message, operator });
}

function expectedException(actual, expected, message, operator) {
  let generated = false;
  let mismatch = false;
  if (typeof expected !== 'function') {
    if (isRegExp(expected)) {
      const str = String(actual);
      if (expected.exec(str) !== null) return;
      if (!message) {
        generated = true;
        message =
          'The input did not match the regular expression ' +
          `${inspect(expected)}. Input:\n\n${inspect(str)}\n`;
      }
      mismatch = true;
    } else if (typeof actual !== 'object' || actual === null) {
      const err = new AssertionError({ actual, expected, message, operator: 'deepStrictEqual' });
      err.operator = operator;
      throw err;
    } else {
      const keys = Object.keys(expected);
      if (expected instanceof Error) keys.push('name', 'message');
      else if (keys.length === 0) {
        throw makeNodeError(
          TypeError,
          'ERR_INVALID_ARG_VALUE',
          `The argument 'error' may not be an empty object. Received {}`,
        );
      }
      for (const key of keys) {
        if (
          typeof actual[key] === 'string' &&
          isRegExp(expected[key]) &&
          expected[key].exec(actual[key]) !== null
        ) {
          continue;
        }
        compareExceptionKey(actual, expected, key, message, keys, operator);
      }
      return;
    }
  } else if (expected.prototype !== undefined && actual instanceof expected) {
    return;
  } else if (Object.prototype.isPrototypeOf.call(Error, expected)) {
    if (!message) {
      generated = true;
      message = `The error is expected to be an instance of "${expected.name}". Received `;
      if (actual instanceof Error) {
        const name = (actual.constructor && actual.constructor.name) || actual.name;
        if (expected.name === name) {
          message += 'an error with identical name but a different prototype.';
        } else {
          message += `"${name}"`;
        }
        if (actual.message) message += `\n\nError message:\n\n${actual.message}`;
      } else {
        message += `"${inspect(actual, { depth: -1 })}"`;
      }
    }
    mismatch = true;
  } else {
    // A validation function.
    const res = Reflect.apply(expected, {}, [actual]);
    if (res !== true) {
      if (!message) {
        generated = true;
        const name = expected.name ? `"${expected.name}" ` : '';
        message = `The ${name}validation function is expected to return "true". Received ${inspect(res)}`;
        if (actual instanceof Error) message += `\n\nCaught error:\n\n${actual}`;
      }
      mismatch = true;
    }
  }
  if (mismatch) {
    const err = new AssertionError({ actual, expected, message, operator });
    err.generatedMessage = generated;
    throw atNodeSite(err, 'node:assert:491', '    throw err;');
  }
}

function expectsError(operator, actual, error, message) {
  if (typeof error === 'string') {
    if (arguments.length === 4) {
      throw invalidArgType(
        'error',
        'of type function or an instance of Error, RegExp, or Object',
        error,
      );
    }
    if (typeof actual === 'object' && actual !== null) {
      if (actual.message === error) {
        throw makeNodeError(
          TypeError,
          'ERR_AMBIGUOUS_ARGUMENT',
          `The "error/message" argument is ambiguous. The error message "${actual.message}" is identical to the message.`,
        );
      }
    } else if (actual === error) {
      throw makeNodeError(
        TypeError,
        'ERR_AMBIGUOUS_ARGUMENT',
        `The "error/message" argument is ambiguous. The error "${actual}" is identical to the message.`,
      );
    }
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
    throw invalidArgType(
      'error',
      'of type function or an instance of Error, RegExp, or Object',
      error,
    );
  }
  if (actual === NO_EXCEPTION) {
    let details = '';
    if (error && error.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : '.';
    const kind = operator === 'rejects' ? 'rejection' : 'exception';
    innerFail({
      actual: undefined,
      expected: error,
      operator,
      message: `Missing expected ${kind}${details}`,
    });
  }
  if (!error) return;
  expectedException(actual, error, message, operator);
}

function hasMatchingError(actual, expected) {
  if (typeof expected !== 'function') {
    if (isRegExp(expected)) return expected.exec(String(actual)) !== null;
    throw invalidArgType('expected', 'of type function or an instance of RegExp', expected);
  }
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (Object.prototype.isPrototypeOf.call(Error, expected)) return false;
  return Reflect.apply(expected, {}, [actual]) === true;
}

function expectsNoError(operator, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || hasMatchingError(actual, error)) {
    const details = message ? `: ${message}` : '.';
    const kind = operator === 'doesNotReject' ? 'rejection' : 'exception';
    innerFail({
      actual,
      expected: error,
      operator,
      message: `Got unwanted ${kind}${details}\nActual message: "${actual && actual.message}"`,
    });
  }
  throw actual;
}

function getActual(fn) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

async function waitForActual(promiseFn) {
  let promise;
  if (typeof promiseFn === 'function') {
    promise = promiseFn();
    if (!checkIsPromise(promise)) {
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_RETURN_VALUE',
        `Expected instance of Promise to be returned from the "promiseFn" function but got ${describeReceived(promise)}.`,
      );
    }
  } else if (checkIsPromise(promiseFn)) {
    promise = promiseFn;
  } else {
    throw invalidArgType('promiseFn', 'of type function or an instance of Promise', promiseFn);
  }
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function throws(fn, ...args) {
  expectsError('throws', getActual(fn), ...args);
}

async function rejects(promiseFn, ...args) {
  expectsError('rejects', await waitForActual(promiseFn), ...args);
}

function doesNotThrow(fn, ...args) {
  expectsNoError('doesNotThrow', getActual(fn), ...args);
}

async function doesNotReject(fn, ...args) {
  expectsNoError('doesNotReject', await waitForActual(fn), ...args);
}

function ifError(err) {
  if (err === null || err === undefined) return;
  let message = 'ifError got unwanted exception: ';
  if (typeof err === 'object' && typeof err.message === 'string') {
    if (err.message.length === 0 && err.constructor) message += err.constructor.name;
    else message += err.message;
  } else {
    message += inspect(err);
  }
  const newErr = new AssertionError({ actual: err, expected: null, operator: 'ifError', message });
  throw atNodeSite(newErr, 'node:assert:733', '    throw newErr;');
}

function internalMatch(string, regexp, message, operator) {
  if (!isRegExp(regexp)) throw invalidArgType('regexp', 'an instance of RegExp', regexp);
  const match = operator === 'match';
  if (typeof string !== 'string' || (regexp.exec(string) !== null) !== match) {
    if (message instanceof Error) throw message;
    const generated = !message;
    message =
      message ||
      (typeof string !== 'string'
        ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
        : (match
            ? 'The input did not match the regular expression '
            : 'The input was expected to not match the regular expression ') +
          `${inspect(regexp)}. Input:\n\n${inspect(string)}\n`);
    const err = new AssertionError({ actual: string, expected: regexp, message, operator });
    err.generatedMessage = generated;
    throw atNodeSite(err, 'node:assert:768', '    throw err;');
  }
}

function match(string, regexp, message) {
  internalMatch(string, regexp, message, 'match');
}

function doesNotMatch(string, regexp, message) {
  internalMatch(string, regexp, message, 'doesNotMatch');
}

// assert.CallTracker (deprecated in Node 20, still there): functions that count their calls.
let callTrackerWarned = false;
class CallTracker {
  #checks = new Set();
  #tracked = new WeakMap();
  constructor() {
    if (!callTrackerWarned) {
      callTrackerWarned = true;
      process.emitWarning('assert.CallTracker is deprecated.', 'DeprecationWarning', 'DEP0173');
    }
  }
  #context(tracked) {
    const context = this.#tracked.get(tracked);
    if (context === undefined) {
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'tracked' is not a tracked function. Received ${inspect(tracked)}`,
      );
    }
    return context;
  }
  calls(fn, expected = 1) {
    if (typeof fn === 'number') {
      expected = fn;
      fn = () => {};
    } else if (fn === undefined) {
      fn = () => {};
    }
    if (!Number.isInteger(expected) || expected < 1 || expected > 4294967295) {
      throw makeNodeError(
        RangeError,
        'ERR_OUT_OF_RANGE',
        `The value of "expected" is out of range. It must be >= 1 && <= 4294967295. Received ${expected}`,
      );
    }
    const context = {
      expected,
      calls: [],
      name: fn.name || 'calls',
      stack: new Error(),
    };
    const tracked = new Proxy(fn, {
      apply(target, thisArg, argList) {
        context.calls.push(Object.freeze({ thisArg, arguments: Object.freeze(argList.slice()) }));
        return Reflect.apply(target, thisArg, argList);
      },
    });
    this.#checks.add(context);
    this.#tracked.set(tracked, context);
    return tracked;
  }
  getCalls(tracked) {
    return this.#context(tracked).calls.slice();
  }
  reset(tracked) {
    if (tracked === undefined) {
      for (const c of this.#checks) c.calls = [];
      return;
    }
    this.#context(tracked).calls = [];
  }
  report() {
    const errors = [];
    for (const c of this.#checks) {
      if (c.calls.length !== c.expected) {
        errors.push({
          message:
            `Expected the ${c.name} function to be executed ${c.expected} time(s) but was ` +
            `executed ${c.calls.length} time(s).`,
          actual: c.calls.length,
          expected: c.expected,
          operator: c.name,
          stack: c.stack,
        });
      }
    }
    return errors;
  }
  verify() {
    const errors = this.report();
    if (errors.length === 0) return;
    const message =
      errors.length === 1
        ? errors[0].message
        : 'Functions were not called the expected number of times';
    throw new AssertionError({ message, details: errors });
  }
}

const assert = function ok_(...args) {
  innerOk(args.length, ...args);
};
Object.defineProperty(assert, 'name', { __proto__: null, value: 'ok' });
Object.assign(assert, {
  AssertionError,
  CallTracker,
  deepEqual: deepEqualCheck,
  deepStrictEqual,
  doesNotMatch,
  doesNotReject,
  doesNotThrow,
  equal,
  fail,
  ifError,
  match,
  notDeepEqual,
  notDeepStrictEqual,
  notEqual,
  notStrictEqual,
  ok,
  rejects,
  strictEqual,
  throws,
});
Object.defineProperty(assert.deepEqual, 'name', { __proto__: null, value: 'deepEqual' });

// assert.strict: the same checks with the loose ones replaced by their strict forms.
const strictAssert = function strict(...args) {
  innerOk(args.length, ...args);
};
Object.assign(strictAssert, assert, {
  equal: strictEqual,
  deepEqual: deepStrictEqual,
  notEqual: notStrictEqual,
  notDeepEqual: notDeepStrictEqual,
});
strictAssert.strict = strictAssert;
assert.strict = strictAssert;
