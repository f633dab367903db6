// A socket write callback runs in a nextTick; data arrives at the peer in a later poll phase.
const net = require('net');
const server = net.createServer((sock) => {
  sock.setEncoding('utf8');
  sock.on('data', (d) => console.log('server got', JSON.stringify(d)));
  sock.on('end', () => { console.log('server: end'); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('one', () => console.log('write one done'));
    process.nextTick(() => console.log('tick after write'));
    Promise.resolve().then(() => console.log('promise after write'));
    setTimeout(() => c.end('two'), 20);
  });
});
