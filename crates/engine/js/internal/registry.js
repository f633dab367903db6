// The callback registry: the only place JavaScript functions wait for the loop.
//
// HOW: the model never holds a JavaScript value. When Node's layer schedules a callback (a timer,
// an immediate, a pool job's completion, a socket's read), it registers the function here and
// hands the host an integer id with a frame label; when the model decides the callback runs, the
// engine calls `dispatch(id)`.
//
// The registry is a table of slots with a free list, so registering, running and clearing cost
// the same whether ten or a hundred thousand callbacks wait (a Map's delete is O(n) in boa).
// An id is its slot plus its slot's generation times 2^26: a slot freed and reused never
// answers to an old id (a cleared timer, a callback that already ran). Ids start at 1; a slot is
// freed after its callback has run (unless it runs again: an interval, a socket's reads), or
// when it is unregistered.
//
// Also here: the argument checks every module shares (`validateFunction`, Node's
// ERR_INVALID_ARG_TYPE messages).

/* global inspect */

const SLOT_SPAN = 2 ** 26;
// slots[i]: the entry in slot i, or undefined; generations[i]: how often slot i was freed.
const slots = [undefined];
const generations = [0];
const freeSlots = [];
// The id being dispatched (0 when none): a timer refreshed from inside its own callback keeps
// its entry for the next run.
let runningId = 0;

function register(fn, args, thisArg, keep) {
  let slot = freeSlots.pop();
  if (slot === undefined) {
    slot = slots.length;
    slots.push(undefined);
    generations.push(0);
  }
  slots[slot] = { fn, args, thisArg, keep, again: false };
  return generations[slot] * SLOT_SPAN + slot;
}

// `| 0`: an integer slot (a fractional-looking number would be turned into a string key).
function entryOf(id) {
  const slot = (id % SLOT_SPAN) | 0;
  const entry = slots[slot];
  return entry !== undefined && generations[slot] === (id - slot) / SLOT_SPAN ? entry : undefined;
}

// The callback will not run (cleared, cancelled); its slot is free for another.
function unregister(id) {
  if (entryOf(id) === undefined) return;
  const slot = (id % SLOT_SPAN) | 0;
  slots[slot] = undefined;
  generations[slot] += 1;
  freeSlots.push(slot);
}

// Called from inside the callback `id` while it runs: keep its entry for one more run.
function runAgain(id) {
  const entry = entryOf(id);
  if (entry !== undefined && id === runningId) entry.again = true;
}

function dispatch(id) {
  const entry = entryOf(id);
  if (entry === undefined) return;
  runningId = id;
  try {
    if (entry.args === undefined || entry.args.length === 0) entry.fn.call(entry.thisArg);
    else entry.fn.apply(entry.thisArg, entry.args);
  } finally {
    runningId = 0;
    if (entry.again) entry.again = false;
    else if (!entry.keep) unregister(id);
  }
}

// The label a callback is shown by (its name, or the start of its source) is worked out by the
// host from the function itself (crates/engine/src/host.rs `label`): pass the function where a
// host call takes a label.

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
