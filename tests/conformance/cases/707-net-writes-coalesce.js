// Writes the peer has not read yet arrive together in one data event; end() half-closes.
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('data', (d) => console.log('server data', JSON.stringify(d.toString())));
  sock.on('end', () => { console.log('server end'); sock.end('bye'); });
  sock.on('close', () => { console.log('server sock close'); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('a'); c.write('b');
    setTimeout(() => { c.write('c'); c.end(); }, 10);
  });
  c.on('data', (d) => console.log('client data', d.toString()));
  c.on('end', () => console.log('client end'));
  c.on('close', () => console.log('client close'));
});
