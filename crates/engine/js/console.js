// console (lib/internal/console/constructor.js): each call formats with util.format/inspect
// (inspect.js) and writes one line to stdout or stderr through the host, which charges its CPU
// (the first write costs milliseconds: Node sets the stream up lazily).

/* global format, inspect */

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
    out(1, format(...args));
  },
  info(...args) {
    out(1, format(...args));
  },
  debug(...args) {
    out(1, format(...args));
  },
  error(...args) {
    out(2, format(...args));
  },
  warn(...args) {
    out(2, format(...args));
  },
  trace(...args) {
    out(2, 'Trace' + (args.length ? ': ' + format(...args) : ''));
  },
  dir(v, opts) {
    out(1, inspect(v, opts));
  },
  assert(cond, ...args) {
    if (!cond) out(2, 'Assertion failed' + (args.length ? ': ' + format(...args) : ''));
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
        (args.length ? ' ' + format(...args) : ''),
    );
  },
  group(...args) {
    if (args.length) out(1, format(...args));
    groupIndent += '  ';
  },
  groupEnd() {
    groupIndent = groupIndent.slice(2);
  },
};
function formatDuration(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}
