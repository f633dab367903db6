// Errors a client meets: a refused connection, a bad URL, bad headers and methods, and a
// server that destroys the socket (socket hang up).
const http = require('http');
const net = require('net');

for (const f of [
  () => http.request('not a url'),
  () => http.request({ method: 'BAD METHOD' }),
  () => http.request({ headers: { 'bad header': 'x' } }),
  () => http.request({ path: '/a b' }),
  () => new http.ServerResponse({ method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} }).setHeader('x', undefined),
]) {
  try {
    f();
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}

const probe = net.createServer();
probe.listen(0, () => {
  const port = probe.address().port;
  probe.close(() => {
    const req = http.get(`http://127.0.0.1:${port}/`);
    req.on('error', (e) => {
      console.log('refused:', e.code, e.syscall, e.address, e.port === port);
      hangUp();
    });
  });
});

function hangUp() {
  const server = http.createServer((req, res) => {
    console.log('server: destroying', req.url);
    req.socket.destroy();
  });
  server.listen(0, () => {
    const req = http.get({ port: server.address().port, path: '/drop' }, () => {
      console.log('unexpected response');
    });
    req.on('error', (e) => {
      console.log('hang up:', e.message, e.code);
    });
    req.on('close', () => {
      console.log('client: close');
      server.close(() => console.log('closed'));
    });
  });
}
