// process: the program's view of its process (lib/internal/bootstrap/node.js, lib/process).
//
// HOW: `process` is an EventEmitter ('exit', 'uncaughtException', 'unhandledRejection' are
// emitted by the engine through the api in internal/bootstrap.js). `process.exit()` asks the
// host to end the run and unwinds the JavaScript that called it; `exitCode` is passed on to the
// model as it is set. Time (`hrtime`, `uptime`) is the model's virtual time.

/* global EventEmitter, dirname, invalidArgType, nextTick */

const process = new EventEmitter();
process.env = {};
process.argv = ['/usr/local/bin/node', filename];
process.argv0 = 'node';
process.execArgv = [];
process.pid = 4242;
process.ppid = 4241;
process.platform = 'linux';
process.arch = 'x64';
process.title = 'node';
process.version = 'v20.20.2';
process.versions = { node: '20.20.2', uv: '1.46.0', v8: '11.3.244.8-node.38', modules: '115' };
process.release = { name: 'node', lts: 'Iron' };
process.nextTick = nextTick;
process.cwd = () => dirname(filename);
process.uptime = () => host.performanceNow() / 1000;
process.hrtime = function hrtime(prev) {
  const ns = Math.round(host.performanceNow() * 1e6) + 1_000_000_000;
  let s = Math.floor(ns / 1e9);
  let n = ns % 1e9;
  if (Array.isArray(prev)) {
    s -= prev[0];
    n -= prev[1];
    if (n < 0) {
      s -= 1;
      n += 1e9;
    }
  }
  return [s, n];
};
process.hrtime.bigint = () => BigInt(Math.round(host.performanceNow() * 1e6) + 1_000_000_000);
process.exit = (code) => {
  if (code !== undefined) process.exitCode = code;
  host.exit(process.exitCode === undefined ? 0 : Number(process.exitCode) | 0);
};
let exitCode;
Object.defineProperty(process, 'exitCode', {
  get() {
    return exitCode;
  },
  set(v) {
    exitCode = v;
    host.setExitCode(v === undefined ? 0 : Number(v) | 0);
  },
  enumerable: true,
});
// process.emitWarning (lib/internal/process/warning.js): the warning is emitted as a 'warning'
// event from a nextTick; Node's own 'warning' listener (`onWarning`, installed at startup)
// prints it on stderr, the first one with a hint about --trace-warnings.
process.emitWarning = function emitWarning(warning, type, code, ctor) {
  let detail;
  if (type !== null && typeof type === 'object' && !Array.isArray(type)) {
    ({ type, code, detail } = type);
  } else if (typeof type === 'function') {
    type = undefined;
    code = undefined;
  } else if (typeof code === 'function') {
    code = undefined;
  }
  if (typeof warning === 'string') {
    const w = new Error(warning);
    w.name = String(type || 'Warning');
    if (code !== undefined) w.code = code;
    if (detail !== undefined) w.detail = detail;
    warning = w;
  } else if (!(warning instanceof Error)) {
    throw invalidArgType('warning', 'of type string or an instance of Error', warning);
  }
  if (warning.name === 'DeprecationWarning' && process.noDeprecation) return;
  nextTick(() => process.emit('warning', warning));
};
let warningHintShown = false;
process.on('warning', function onWarning(warning) {
  let msg = `(node:${process.pid}) `;
  if (warning.code) msg += `[${warning.code}] `;
  msg += typeof warning.toString === 'function' ? warning.toString() : String(warning);
  if (typeof warning.detail === 'string') msg += `\n${warning.detail}`;
  if (!warningHintShown) {
    const flag = warning.name === 'DeprecationWarning' ? '--trace-deprecation' : '--trace-warnings';
    msg += `\n(Use \`node ${flag} ...\` to show where the warning was created)`;
    warningHintShown = true;
  }
  host.write(2, msg + '\n');
});
