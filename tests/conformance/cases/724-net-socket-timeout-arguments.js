// socket.setTimeout checks its arguments as Node does (a number of ms, finite and not
// negative; a function), returns the socket, and does nothing on a destroyed socket;
// net.Server() and net.Socket() also work without `new`.
const net = require('net');
const s = new net.Socket();
for (const bad of ['100', true, undefined, null, {}, -1, -Infinity, Infinity, NaN]) {
  try {
    s.setTimeout(bad, () => {});
    console.log('accepted', bad);
  } catch (e) {
    console.log(String(bad), '->', e.code, e.name);
  }
}
for (const cb of [1, 'x', null, {}]) {
  try {
    s.setTimeout(5, cb);
  } catch (e) {
    console.log('callback', String(cb), '->', e.code);
  }
}
console.log('returns the socket', s.setTimeout(0) === s, s.timeout);
const server = net.Server();
console.log('net.Server() without new:', server instanceof net.Server, server instanceof require('events'));
server.listen(0, '127.0.0.1', () => {
  const socket = net.Socket().connect(server.address().port, '127.0.0.1');
  socket.setTimeout(5, () => {
    console.log('timed out once');
    socket.destroy();
    console.log('after destroy, setTimeout still returns the socket:', socket.setTimeout(1, () => console.log('never')) === socket);
    server.close(() => console.log('server closed'));
  });
});
