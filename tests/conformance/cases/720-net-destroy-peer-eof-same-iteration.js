// socket.destroy() closes the file descriptor at once (uv_close → uv__stream_close): the peer
// reads EOF in the poll phase of the same iteration, before this side's close callback runs in
// the close phase. So the peer's 'end' comes before the destroying side's 'close'.
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('end', () => console.log('server socket: end'));
  sock.on('close', () => console.log('server socket: close'));
  sock.on('data', (d) => {
    console.log('server socket: data', String(d));
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('hello');
    setTimeout(() => {
      console.log('client: destroy');
      c.destroy();
      setImmediate(() => console.log('client: immediate after destroy'));
    }, 20);
  });
  c.on('close', () => {
    console.log('client: close');
    server.close(() => console.log('server: closed'));
  });
});
