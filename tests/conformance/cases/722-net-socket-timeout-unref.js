// The idle timer is unref'd: it does not keep the process alive on its own; a socket's timeout
// fires while other work keeps the loop alive. A client sets it before connecting.
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('close', () => console.log('server socket: close'));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setTimeout(30);
  c.on('timeout', () => {
    console.log('client: timeout, destroying');
    c.destroy();
    server.close(() => console.log('server closed'));
  });
  c.on('close', () => console.log('client: close'));
});
const lonely = new net.Socket();
lonely.setTimeout(10, () => console.log('a socket that never connected still times out (its timer is unref'd; the loop is alive for others)'));
