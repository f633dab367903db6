// net: half-close and shutdown completion order (see the engine notes on uv__drain).
const net = require('net');
const server = net.createServer((sock) => {
  console.log('S connection');
  sock.write('hello from server');
  sock.end();
  sock.on('finish', () => console.log('S finish'));
  sock.on('end', () => console.log('S end'));
  sock.on('close', (e) => { console.log('S close', e); });
});
server.on('close', () => console.log('server closed'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('connect', () => { console.log('C connect'); server.close(); });
  c.on('data', (d) => console.log('C data', d));
  c.on('end', () => console.log('C end'));
  c.on('finish', () => console.log('C finish'));
  c.on('close', (e) => console.log('C close', e));
});
