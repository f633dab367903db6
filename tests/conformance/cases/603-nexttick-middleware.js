// Middleware mixing sync next(), nextTick next() and setImmediate next().
const stack = [];
const use = (fn) => stack.push(fn);
function run(name) { let i = 0; const next = () => { const f = stack[i++]; if (f) f(name, next); else console.log('done', name); }; next(); }
use((n, next) => { console.log('sync', n); next(); });
use((n, next) => process.nextTick(() => { console.log('tick', n); next(); }));
use((n, next) => setImmediate(() => { console.log('immediate', n); next(); }));
use((n, next) => Promise.resolve().then(() => { console.log('promise', n); next(); }));
run('r1');
run('r2');
