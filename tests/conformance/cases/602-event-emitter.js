// EventEmitter: order, once, off, listenerCount, error without listener, sync emit.
const EventEmitter = require('events');
const e = new EventEmitter();
const h = (x) => console.log('h', x);
e.on('ev', (x) => console.log('first', x));
e.once('ev', (x) => console.log('once', x));
e.on('ev', h);
console.log('count', e.listenerCount('ev'));
e.emit('ev', 1);
e.off('ev', h);
e.emit('ev', 2);
console.log('emit returns', e.emit('nothing'), e.emit('ev', 3));
try { e.emit('error', new Error('bad')); } catch (err) { console.log('threw', err.message); }
e.prependListener('ev', () => console.log('prepended'));
e.emit('ev', 4);
console.log('after emits');
