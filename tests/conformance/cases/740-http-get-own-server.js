// http.createServer + http.get to it in one script: the events of both sides in Node's order,
// relative to ticks, microtasks and immediates.
const http = require('http');

const server = http.createServer((req, res) => {
  console.log('server: request', req.method, req.url, req.httpVersion, req.headers.host === `localhost:${port}`);
  console.log('server: connection header', req.headers.connection);
  process.nextTick(() => console.log('server: tick after request'));
  Promise.resolve().then(() => console.log('server: microtask after request'));
  setImmediate(() => console.log('server: immediate after request'));
  req.on('end', () => console.log('server: req end'));
  req.resume();
  res.on('finish', () => console.log('server: res finish'));
  res.on('close', () => console.log('server: res close'));
  res.setHeader('Content-Type', 'text/plain');
  res.end('hello');
  console.log('server: after end, headersSent', res.headersSent, 'writableEnded', res.writableEnded);
});
let port;
server.listen(0, () => {
  port = server.address().port;
  console.log('listening');
  const req = http.get(`http://localhost:${port}/x`, (res) => {
    console.log('client: response', res.statusCode, res.statusMessage, res.headers['content-type']);
    console.log('client: content-length', res.headers['content-length'], 'keep-alive', res.headers.connection);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c) => {
      body += c;
      console.log('client: data', JSON.stringify(c));
    });
    res.on('end', () => {
      console.log('client: end', body);
      process.nextTick(() => console.log('client: tick after end'));
      setImmediate(() => {
        server.close(() => console.log('closed'));
      });
    });
    res.on('close', () => console.log('client: res close'));
  });
  req.on('socket', () => console.log('client: socket'));
  req.on('finish', () => console.log('client: req finish'));
  req.on('close', () => console.log('client: req close'));
  console.log('client: request sent?', req.writableEnded, req.method, req.path, req.host);
});
