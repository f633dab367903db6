// EventEmitter's whole API as lib/events.js has it: aliases, newListener/removeListener events,
// once wrappers, symbols, prepend, listeners added or removed during an emit, max listeners.
const EventEmitter = require('events');
const { errorMonitor } = EventEmitter;

const proto = EventEmitter.prototype;
console.log('aliases', proto.on === proto.addListener, proto.off === proto.removeListener);
console.log('defaultMaxListeners', EventEmitter.defaultMaxListeners, typeof errorMonitor);

const e = new EventEmitter();
e.on('newListener', (name, fn) => console.log('newListener', String(name), fn.name));
e.on('removeListener', (name, fn) => console.log('removeListener', String(name), fn.name));
function a(...args) {
  console.log('a', args);
}
function b() {
  console.log('b, this is e:', this === e);
}
e.on('x', a);
e.prependListener('x', b);
e.once('x', function onceOnly(v) {
  console.log('once', v);
});
e.prependOnceListener('x', function firstOnce() {
  console.log('first once');
});
console.log('listeners', e.listeners('x').map((f) => f.name));
console.log('raw', e.rawListeners('x').map((f) => f.name + (f.listener ? '->' + f.listener.name : '')));
console.log('emit', e.emit('x', 1, 2));
console.log('emit again', e.emit('x', 3));
e.removeListener('x', a);
e.off('x', b);
console.log('count after removing', e.listenerCount('x'), e.eventNames().map(String));

// Removing a once listener by its original function.
function later() {}
e.once('y', later);
e.removeListener('y', later);
console.log('y removed', e.listenerCount('y'));

// Symbols as event names.
const sym = Symbol('my-event');
e.on(sym, (v) => console.log('symbol event', v));
e.emit(sym, 'ok');
console.log('names', e.eventNames().map(String));

// Added during emit: not called this time. Removed during emit: still called this time.
const f = new EventEmitter();
function second() {
  console.log('second');
}
f.on('go', function first() {
  console.log('first');
  f.on('go', () => console.log('added during emit'));
  f.removeListener('go', second);
});
f.on('go', second);
f.emit('go');
console.log('--');
f.emit('go');

// The same listener twice; removeListener takes the last one.
const g = new EventEmitter();
const dup = (v) => console.log('dup', v);
g.on('d', dup);
g.on('d', dup);
g.once('d', dup);
g.removeListener('d', dup);
console.log('dup count', g.listenerCount('d'), g.rawListeners('d').length);
g.emit('d', 1);
g.removeAllListeners('d');
console.log('after removeAll', g.listenerCount('d'));

// removeAllListeners() emits removeListener for each (except removeListener's own).
const h = new EventEmitter();
h.on('p', function p1() {});
h.on('q', function q1() {});
h.on('removeListener', (n, fn) => console.log('removed', n, fn.name));
h.removeAllListeners();
console.log('h names', h.eventNames());

// Max listeners.
const m = new EventEmitter();
console.log('max', m.getMaxListeners());
m.setMaxListeners(1);
console.log('max now', m.getMaxListeners());
for (const bad of [-1, NaN, 'x']) {
  try {
    m.setMaxListeners(bad);
  } catch (err) {
    console.log(err.code, err.name, err.message);
  }
}

// listenerCount with the listener argument, and the static form.
const k = new EventEmitter();
k.on('z', a);
k.on('z', b);
console.log('listenerCount', k.listenerCount('z'), k.listenerCount('z', a), EventEmitter.listenerCount(k, 'z'));

// A non-function listener.
for (const bad of [null, 'str', 1, {}]) {
  try {
    k.on('z', bad);
  } catch (err) {
    console.log(err.code, err.name, err.message);
  }
}

// Chaining and return values.
console.log('chain', k.on('w', a) === k, k.once('w', a) === k, k.off('w', a) === k, k.emit('nothing'));

// Inheritance the old way.
const util = require('util');
function Old() {
  EventEmitter.call(this);
}
util.inherits(Old, EventEmitter);
const o = new Old();
o.on('hi', () => console.log('old style works'));
o.emit('hi');
class Sub extends EventEmitter {}
const s = new Sub();
s.once('hey', (x) => console.log('subclass once', x));
s.emit('hey', 42);
s.emit('hey', 43);
console.log(s instanceof EventEmitter, Object.keys(new EventEmitter()).sort().join(','));
