const net = require('net');
const log = (...a) => console.log(...a);
const big = Buffer.alloc(100000, 97);
const server = net.createServer((sock) => {
  let n = 0;
  let chunks = 0;
  sock.on('data', (d) => { n += d.length; chunks++; });
  sock.on('end', () => { log('server got', n, 'bytes', chunks > 0); sock.end('ok'); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    const ret = c.write(big);
    log('write returned', ret, c.writableLength);
    c.on('drain', () => log('drain'));
    c.end();
  });
  c.on('data', (d) => log('client data', String(d)));
  c.on('close', () => { log('client close', c.bytesWritten, c.bytesRead); server.close(); });
});
