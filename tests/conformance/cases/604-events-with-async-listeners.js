// emit() is synchronous; an async listener's continuation runs later as a microtask.
const EventEmitter = require('events');
const bus = new EventEmitter();
bus.on('job', async (id) => { console.log('listener start', id); await null; console.log('listener resumed', id); });
bus.on('job', (id) => console.log('second listener', id));
bus.emit('job', 1);
bus.emit('job', 2);
console.log('after emits');
EventEmitter.once(bus, 'done').then(([v]) => console.log('once resolved', v));
setTimeout(() => bus.emit('done', 'ok'), 5);
