// Close callbacks of handles closed in one iteration run newest first.
const net = require('net');
const servers = [1, 2, 3].map(() => net.createServer());
let listening = 0;
for (const [i, s] of servers.entries()) {
  s.listen(0, '127.0.0.1', () => {
    if (++listening < 3) return;
    const sockets = servers.map((srv, k) => {
      const c = net.connect(srv.address().port, '127.0.0.1');
      c.on('close', () => console.log('socket', k, 'close'));
      return c;
    });
    let connected = 0;
    for (const c of sockets) c.on('connect', () => {
      if (++connected < 3) return;
      setImmediate(() => { for (const c2 of sockets) c2.destroy(); console.log('destroyed all'); });
    });
  });
  s.on('connection', (sock) => sock.on('error', () => {}));
}
setTimeout(() => { for (const s of servers) s.close(); }, 100);
