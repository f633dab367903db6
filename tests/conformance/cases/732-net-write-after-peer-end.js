const net = require('net');
const log = (...a) => console.log(...a);
const server = net.createServer((sock) => {
  sock.end('bye from server');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', (d) => log('client data', String(d)));
  c.on('end', () => {
    log('client end');
    c.write('too late', (err) => log('write cb', err && err.code));
  });
  c.on('error', (e) => log('client error', e.code, e.message));
  c.on('close', (h) => { log('client close', h); server.close(); });
});
