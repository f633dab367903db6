// Connecting to a closed port fails with ECONNREFUSED through an 'error' event, then 'close'.
const net = require('net');
const s = net.createServer();
s.listen(0, '127.0.0.1', () => {
  const port = s.address().port;
  s.close(() => {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', (e) => console.log('error', e.code));
    c.on('close', (hadError) => console.log('close, hadError', hadError));
  });
});
