// AsyncLocalStorage: a store follows a callback into everything it schedules (timers,
// immediates, ticks, promise jobs, the pool, awaits), concurrent runs keep their own stores,
// nesting, exit, AsyncResource, bind, snapshot, enterWith, disable.
const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const fs = require('fs');
const tp = require('timers/promises');
const als = new AsyncLocalStorage();
const other = new AsyncLocalStorage();
console.log('outside', als.getStore());
als.run({ id: 1 }, () => {
  console.log('sync', als.getStore());
  setTimeout(() => console.log('timeout', als.getStore()), 90);
  setImmediate(() => console.log('immediate', als.getStore()));
  process.nextTick(() => console.log('tick', als.getStore()));
  Promise.resolve().then(() => console.log('then', als.getStore()));
  fs.readFile(__filename, () => console.log('readFile', als.getStore()));
  other.run('o', () => {
    console.log('nested', als.getStore(), other.getStore());
    als.exit(() => console.log('exit', als.getStore(), other.getStore()));
  });
  console.log('after nested', other.getStore());
});
console.log('after run', als.getStore());
async function handler(n) {
  await tp.setTimeout(30 + 10 * (3 - n));
  console.log('request', n, als.getStore());
  await null;
  return als.getStore();
}
Promise.all([1, 2, 3].map((n) => als.run(`req${n}`, handler, n))).then((r) => console.log('all', r, als.getStore()));
const r = als.run('bound', () => new AsyncResource('X'));
r.runInAsyncScope(() => console.log('resource', als.getStore()));
const bound = als.run('b2', () => AsyncLocalStorage.bind(() => als.getStore()));
console.log('bind', bound());
const snap = als.run('s', () => AsyncLocalStorage.snapshot());
console.log('snapshot', snap(() => als.getStore()));
setTimeout(() => {
  als.enterWith('entered');
  console.log('enterWith', als.getStore());
  setImmediate(() => {
    console.log('inherited', als.getStore());
    als.disable();
    console.log('disabled', als.getStore());
  });
}, 130);
// A promise settled in one context and awaited in another: the reaction runs in the context
// where it was registered.
setTimeout(() => {
  let resolveIt;
  const p = new Promise((r) => (resolveIt = r));
  als.run('awaiter', async () => {
    await p;
    console.log('awaiter sees', als.getStore());
  });
  p.then(() => console.log('outer then sees', als.getStore()));
  als.run('resolver', () => setTimeout(() => resolveIt(), 1));
}, 180);
