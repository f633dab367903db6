// A server and a client on loopback: connection before connect, data, end, close.
const net = require('net');
const server = net.createServer((sock) => {
  console.log('server: connection');
  sock.on('data', (d) => { console.log('server: data', d.toString()); sock.write('echo:' + d); });
  sock.on('end', () => { console.log('server: end'); });
  sock.on('close', () => { console.log('server: socket close'); server.close(() => console.log('server: closed')); });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('client: connect');
    client.write('hi');
  });
  client.on('data', (d) => { console.log('client: data', d.toString()); client.end(); });
  client.on('end', () => console.log('client: end'));
  client.on('close', () => console.log('client: close'));
});
