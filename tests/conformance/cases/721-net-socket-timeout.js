// socket.setTimeout(ms, cb): an idle timeout, an unref'd timer refreshed by reads and writes;
// 'timeout' is only a notification (the socket stays open); setTimeout(0) turns it off.
const net = require('net');
const t0 = Date.now();
const at = () => Math.round((Date.now() - t0) / 10) * 10;
const server = net.createServer((sock) => {
  let timeouts = 0;
  const ret = sock.setTimeout(50, () => console.log('server socket: timeout callback'));
  console.log('setTimeout returns the socket', ret === sock, 'timeout', sock.timeout);
  sock.on('timeout', () => {
    timeouts++;
    console.log('server socket: timeout event', timeouts, 'destroyed', sock.destroyed);
    if (timeouts === 1) sock.write('are you there?');
    else {
      sock.setTimeout(0);
      console.log('timeout off', sock.timeout);
      setTimeout(() => sock.end('bye'), 100);
    }
  });
  sock.on('data', (d) => console.log('server socket: data', String(d)));
  sock.on('close', () => {
    console.log('server socket: close');
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  let n = 0;
  // Activity every 30 ms keeps the 50 ms idle timeout from firing.
  const iv = setInterval(() => {
    c.write('ping ' + ++n);
    if (n === 3) clearInterval(iv);
  }, 30);
  c.on('data', (d) => console.log('client: data', String(d)));
  c.on('end', () => console.log('client: end'));
  c.on('close', () => console.log('client: close'));
});
