// 2,000 loopback net connections: connect, write, the server echoes, both close.
const net = require('net');
const N = 2000;
let closed = 0;
const server = net.createServer((socket) => {
  socket.on('data', (d) => socket.end(d));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  for (let i = 0; i < N; i++) {
    const c = net.connect(port, '127.0.0.1', () => c.write('ping ' + i));
    c.on('data', () => {});
    c.on('close', () => {
      if (++closed === N) server.close(() => console.log(`echoed ${closed}`));
    });
  }
});
