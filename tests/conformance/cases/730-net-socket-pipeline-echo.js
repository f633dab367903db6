const net = require('net');
const { pipeline, Transform } = require('stream');
const log = (...a) => console.log(...a);
const server = net.createServer((sock) => {
  log('server: connection');
  const upper = new Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } });
  pipeline(sock, upper, sock, (err) => log('server pipeline done', err ? err.code : 'ok'));
  sock.on('end', () => log('server: end'));
  sock.on('finish', () => log('server: finish'));
  sock.on('close', () => { log('server: close'); server.close(() => log('server closed')); });
});
server.listen(0, '127.0.0.1', async () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => log('client: connect'));
  c.write('hello ');
  c.end('world');
  let got = '';
  for await (const chunk of c) got += chunk;
  log('client got', got);
  c.on('close', (hadErr) => log('client: close', hadErr));
});
