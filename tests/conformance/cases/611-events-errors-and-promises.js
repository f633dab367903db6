// EventEmitter errors and promises: 'error' with no listener (an Error is thrown as is, anything
// else as ERR_UNHANDLED_ERROR), errorMonitor, events.once and events.on, captureRejections.
const EventEmitter = require('events');
const { once, on, errorMonitor } = EventEmitter;

const e = new EventEmitter();
for (const v of [new TypeError('typed'), 'a string', 42, { code: 'X' }, undefined]) {
  try {
    e.emit('error', v);
  } catch (err) {
    console.log('threw', err === v, err.name, err.code, err.message, err.context === v);
  }
}

// errorMonitor sees the error first, and does not count as a listener.
e.on(errorMonitor, (err) => console.log('monitor saw', err.message));
try {
  e.emit('error', new Error('watched'));
} catch (err) {
  console.log('still thrown', err.message);
}
e.on('error', (err) => console.log('handled', err.message));
e.emit('error', new Error('second'));

(async () => {
  const a = new EventEmitter();
  setTimeout(() => a.emit('ready', 1, 2), 5);
  console.log('once resolved with', await once(a, 'ready'));
  console.log('once leaves no listener', a.listenerCount('ready'), a.listenerCount('error'));

  const b = new EventEmitter();
  setTimeout(() => b.emit('error', new Error('failed')), 5);
  try {
    await once(b, 'ready');
  } catch (err) {
    console.log('once rejected with', err.message, b.listenerCount('ready'));
  }

  const c = new EventEmitter();
  setTimeout(() => {
    c.emit('tick', 1);
    c.emit('tick', 2);
    c.emit('tick', 3);
  }, 5);
  let n = 0;
  for await (const [v] of on(c, 'tick')) {
    console.log('on got', v);
    if (++n === 3) break;
  }
  console.log('after for await, listeners:', c.listenerCount('tick'), c.listenerCount('error'));

  const d = new EventEmitter();
  setTimeout(() => {
    d.emit('item', 'x');
    d.emit('error', new Error('iterator error'));
  }, 5);
  try {
    for await (const [v] of on(d, 'item')) console.log('item', v);
  } catch (err) {
    console.log('on threw', err.message);
  }

  // captureRejections: a rejected promise from a listener becomes an 'error' event.
  const f = new EventEmitter({ captureRejections: true });
  f.on('job', async () => {
    throw new Error('async listener failed');
  });
  f.on('error', (err) => console.log('captured', err.message));
  f.emit('job');
  await new Promise((r) => setTimeout(r, 5));

  const g = new EventEmitter({ captureRejections: true });
  g[Symbol.for('nodejs.rejection')] = (err, event, ...args) =>
    console.log('rejection hook', err.message, event, args);
  g.on('work', async () => {
    throw new Error('hooked');
  });
  g.emit('work', 'arg1');
  await new Promise((r) => setTimeout(r, 5));
  console.log('captureRejectionSymbol', EventEmitter.captureRejectionSymbol === Symbol.for('nodejs.rejection'));
  try {
    new EventEmitter({ captureRejections: 'yes' });
  } catch (err) {
    console.log(err.code, err.message);
  }
  console.log('done');
})();
