// Node 20's global agent keeps connections alive: the second request to the same server reuses
// the first one's socket (reusedSocket), and the idle socket does not keep the process alive
// once the server is closed with its idle connections.
const http = require('http');

let connections = 0;
const server = http.createServer((req, res) => {
  res.end(`reply to ${req.url}`);
});
server.on('connection', () => {
  connections++;
  console.log('server: connection', connections);
});

function get(path) {
  return new Promise((resolve) => {
    const req = http.get({ port: server.address().port, path }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        console.log(path, res.statusCode, body, 'reused', req.reusedSocket);
        resolve();
      });
    });
  });
}

server.listen(0, async () => {
  console.log('agent keepAlive', http.globalAgent.keepAlive, 'maxSockets', http.globalAgent.maxSockets);
  await get('/one');
  await get('/two');
  await new Promise((r) => setImmediate(r));
  const name = Object.keys(http.globalAgent.freeSockets);
  console.log('free sockets', name.length, Object.values(http.globalAgent.freeSockets).map((l) => l.length));
  await get('/three');
  console.log('connections', connections);
  server.close(() => console.log('server closed'));
});
