// console (lib/internal/console/constructor.js): each call formats with util.format/inspect
// (inspect.js) and writes one line to stdout or stderr through the host, which charges its CPU
// (the first write costs milliseconds: Node sets the stream up lazily).

/* global format, inspect */

// `format`'s arguments as an array: `Reflect.apply` as it was when the layer started (a program
// may replace it, as Node's primordials guard against), not `format(...args)`: a spread runs
// the iterator protocol, which in boa costs more than the rest of a short console.log.
const reflectApply = Reflect.apply;
function consoleFormat(args) {
  return reflectApply(format, undefined, args);
}

const counts = new Map();
const timersByLabel = new Map();
let groupIndent = '';
function out(stream, text) {
  const lines =
    groupIndent === ''
      ? text
      : text
          .split('\n')
          .map((l) => groupIndent + l)
          .join('\n');
  host.write(stream, lines + '\n');
}
const console = {
  log(...args) {
    out(1, consoleFormat(args));
  },
  info(...args) {
    out(1, consoleFormat(args));
  },
  debug(...args) {
    out(1, consoleFormat(args));
  },
  error(...args) {
    out(2, consoleFormat(args));
  },
  warn(...args) {
    out(2, consoleFormat(args));
  },
  trace(...args) {
    out(2, 'Trace' + (args.length ? ': ' + consoleFormat(args) : ''));
  },
  dir(v, opts) {
    out(1, inspect(v, opts));
  },
  assert(cond, ...args) {
    if (!cond) out(2, 'Assertion failed' + (args.length ? ': ' + consoleFormat(args) : ''));
  },
  count(label = 'default') {
    const n = (counts.get(label) || 0) + 1;
    counts.set(label, n);
    out(1, `${label}: ${n}`);
  },
  countReset(label = 'default') {
    counts.delete(label);
  },
  time(label = 'default') {
    timersByLabel.set(label, host.performanceNow());
  },
  timeEnd(label = 'default') {
    const t = timersByLabel.get(label);
    if (t === undefined) return;
    timersByLabel.delete(label);
    out(1, `${label}: ${formatDuration(host.performanceNow() - t)}`);
  },
  timeLog(label = 'default', ...args) {
    const t = timersByLabel.get(label);
    if (t === undefined) return;
    out(
      1,
      `${label}: ${formatDuration(host.performanceNow() - t)}` +
        (args.length ? ' ' + consoleFormat(args) : ''),
    );
  },
  group(...args) {
    if (args.length) out(1, consoleFormat(args));
    groupIndent += '  ';
  },
  groupEnd() {
    groupIndent = groupIndent.slice(2);
  },
};
function formatDuration(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}
