// The outgoing-message header API (setHeader, getHeader, getHeaders, hasHeader, removeHeader,
// getHeaderNames, appendHeader, writeHead merging), the raw and joined headers on the incoming
// side, and what a HEAD request gets.
const http = require('http');

const server = http.createServer((req, res) => {
  console.log('rawHeaders', req.rawHeaders.filter((_, i) => i % 2 === 0).join(','));
  console.log('x-multi', req.headers['x-multi'], 'cookie', req.headers.cookie);
  res.setHeader('X-A', 'a');
  res.setHeader('Set-Cookie', ['c=1', 'd=2']);
  res.appendHeader('X-A', 'b');
  console.log('getHeader', res.getHeader('x-a'), res.hasHeader('X-A'), res.getHeaderNames().join(','));
  res.removeHeader('x-a');
  console.log('after remove', res.hasHeader('x-a'), JSON.stringify(res.getHeaders()));
  res.writeHead(203, { 'X-B': 'b', 'Content-Type': 'text/plain' });
  try {
    res.setHeader('X-Late', '1');
  } catch (e) {
    console.log(e.code, e.message);
  }
  res.end(req.method === 'HEAD' ? undefined : 'body');
});

function send(method) {
  return new Promise((resolve) => {
    const req = http.request(
      { port: server.address().port, method, headers: { 'X-Multi': ['1', '2'], Cookie: ['a=1', 'b=2'] } },
      (res) => {
        console.log(method, res.statusCode, res.statusMessage);
        console.log('headers', JSON.stringify(Object.keys(res.headers).filter((k) => k !== 'date')));
        console.log('set-cookie', res.headers['set-cookie'], 'x-b', res.headers['x-b']);
        let n = 0;
        res.on('data', (c) => (n += c.length));
        res.on('end', () => {
          console.log(method, 'body bytes', n);
          resolve();
        });
      },
    );
    console.log('request header', req.getHeader('x-multi'), req.getHeaderNames().join(','));
    req.end();
  });
}

server.listen(0, async () => {
  await send('GET');
  await send('HEAD');
  server.close();
});
