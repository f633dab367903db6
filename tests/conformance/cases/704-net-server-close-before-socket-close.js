// server.close(cb) fires once the last connection is destroyed: before that socket's own 'close'.
const net = require('net');
const server = net.createServer((sock) => {
  console.log('server: connection');
  server.close(() => console.log('server: close callback'));
  sock.on('close', () => console.log('server socket: close'));
  setTimeout(() => { console.log('server: destroy socket'); sock.destroy(); }, 10);
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => console.log('client: connect'));
  c.on('end', () => console.log('client: end'));
  c.on('close', () => console.log('client: close'));
});
