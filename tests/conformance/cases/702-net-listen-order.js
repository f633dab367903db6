// 'listening' arrives through nextTicks after listen(); address() is set by then.
const net = require('net');
const s = net.createServer();
s.on('listening', () => { console.log('listening, has port:', s.address().port > 0); s.close(); });
s.on('close', () => console.log('close event'));
s.listen(0, '127.0.0.1');
process.nextTick(() => console.log('tick after listen'));
Promise.resolve().then(() => console.log('promise after listen'));
console.log('sync, address before listening:', s.address());
