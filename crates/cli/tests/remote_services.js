const http = require('http');
const net = require('net');
const dns = require('dns');
const t0 = Date.now();
dns.lookup('api.example.com', (err, address) => console.log('dns', err, address));
(async () => {
  const res = await fetch('https://api.example.com/users/2');
  console.log(res.status, res.headers.get('content-type'), await res.json());
  console.log('after', Date.now() - t0 >= 80 ? 'two round trips' : 'too soon');
  console.log(await (await fetch('http://api.example.com/users')).json());
  const echo = await fetch('https://api.example.com/echo?x=1', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ a: [1, 2] }),
  });
  console.log(await echo.json());
  const missing = await fetch('https://api.example.com/users/99');
  console.log(missing.status, missing.ok, await missing.json());
  console.log((await fetch('https://api.example.com/status/503')).status);
  console.log(await (await fetch('https://api.example.com/nope')).json());
  try {
    await fetch('https://api.example.com/delay/5000', { signal: AbortSignal.timeout(100) });
  } catch (e) {
    console.log(e.name, e.message);
  }
  try {
    await fetch('https://nowhere.example.org/');
  } catch (e) {
    console.log(e.name, e.message, e.cause.code, e.cause.message);
  }
  http.get('http://api.example.com/users/1', (r) => {
    let body = '';
    r.on('data', (c) => (body += c));
    r.on('end', () => {
      console.log('http.get', r.statusCode, body);
      const s = net.connect(80, '203.0.113.10', () => {
        s.end('GET /time HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n');
      });
      let raw = '';
      s.on('data', (c) => (raw += c));
      s.on('end', () => console.log('net:', raw.split('\r\n')[0], raw.includes('Connection: close')));
    });
  });
})();
