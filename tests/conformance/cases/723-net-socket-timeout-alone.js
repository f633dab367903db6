// A socket's idle timer is unref'd: with nothing else alive, it does not keep the process
// running (the timeout never fires and the process exits).
const net = require('net');
const s = new net.Socket();
s.setTimeout(10, () => console.log('never'));
s.on('timeout', () => console.log('never either'));
console.log('timeout set', s.timeout);
process.on('exit', () => console.log('exit without a timeout'));
