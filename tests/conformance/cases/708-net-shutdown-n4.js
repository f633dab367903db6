// net: half-close and shutdown completion order (see the engine notes on uv__drain).
const net = require('net');
const t0 = performance.now();
const T = () => '';
const server = net.createServer((sock) => {
  console.log(T(), 'server: connection');
  server.close(() => console.log(T(), 'server: close callback'));
  sock.on('close', () => console.log(T(), 'server socket: close'));
  setTimeout(() => { console.log(T(), 'server: destroy socket'); sock.destroy(); setImmediate(() => console.log(T(), 'immediate after destroy')); }, 10);
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => console.log(T(), 'client: connect'));
  c.on('end', () => console.log(T(), 'client: end'));
  c.on('finish', () => console.log(T(), 'client: finish'));
  c.on('close', () => console.log(T(), 'client: close'));
});
