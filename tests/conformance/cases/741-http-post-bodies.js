// A POST with a chunked body (several write() calls) and one with Content-Length; the server
// reads the bodies as streams and answers with chunked and fixed-length responses.
const http = require('http');

const server = http.createServer((req, res) => {
  const chunks = [];
  console.log('server:', req.method, req.url, 'te', req.headers['transfer-encoding'], 'cl', req.headers['content-length']);
  req.on('data', (c) => {
    chunks.push(c);
    console.log('server: data', c.length);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    console.log('server: body', body);
    if (req.url === '/chunked') {
      res.writeHead(201, { 'X-Echo': 'yes' });
      res.write('part1,');
      res.write('part2,');
      res.end('part3');
    } else {
      res.writeHead(200, 'Fine', { 'Content-Length': Buffer.byteLength(body.toUpperCase()) });
      res.end(body.toUpperCase());
    }
  });
});

function post(path, pieces, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { port: server.address().port, host: '127.0.0.1', method: 'POST', path, headers },
      (res) => {
        console.log('client:', path, res.statusCode, res.statusMessage, 'te', res.headers['transfer-encoding'], 'cl', res.headers['content-length'], 'x-echo', res.headers['x-echo']);
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    for (const p of pieces.slice(0, -1)) console.log('client: write returns', req.write(p));
    req.end(pieces[pieces.length - 1]);
  });
}

server.listen(0, async () => {
  console.log('got', await post('/chunked', ['a', 'bb', 'ccc']));
  console.log('got', await post('/fixed', ['hello world'], { 'Content-Length': 11 }));
  server.close(() => console.log('closed'));
});
