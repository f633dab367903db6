// A response bigger than the socket's high-water mark: write returns false, 'drain' follows.
const http = require('http');
const server = http.createServer((req, res) => {
  const ok = res.write('x'.repeat(100000));
  console.log('write returned', ok, 'needDrain', res.writableNeedDrain);
  res.once('drain', () => {
    console.log('drain');
    res.end('done');
  });
});
server.listen(0, () => {
  http.get({ port: server.address().port }, (res) => {
    let n = 0;
    res.on('data', (d) => (n += d.length));
    res.on('end', () => {
      console.log('client got', n, 'bytes');
      server.close();
    });
  });
});
