// fetch to the program's own server: the head undici sends, bodies (string, URLSearchParams,
// bytes), the response's fields and headers, json/text/arrayBuffer, redirects, and the errors
// (a bad URL, a refused connection, an unknown scheme, an abort).
const http = require('http');

const server = http.createServer((req, res) => {
  const names = req.rawHeaders.filter((_, i) => i % 2 === 0);
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    console.log('server:', req.method, req.url, names.join(','), JSON.stringify(body));
    if (req.url === '/old') {
      res.writeHead(302, { Location: '/new' });
      res.end();
    } else if (req.url === '/see-other') {
      res.writeHead(303, { Location: '/new' });
      res.end();
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 50);
    } else {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    }
  });
});

server.listen(0, async () => {
  const base = `http://localhost:${server.address().port}`;
  const r = await fetch(`${base}/a?b=1`, { headers: { 'X-Custom': 'yes' } });
  console.log(r.status, r.statusText, r.ok, r.url === `${base}/a?b=1`, r.type, r.redirected, r.bodyUsed);
  console.log([...r.headers.keys()].join(','), r.headers.get('set-cookie'), r.headers.getSetCookie());
  console.log(await r.json(), r.bodyUsed);
  const order = { 'Z-b': '1', 'a-C': '2', 'z-B': '3', Accept: 'text/html', Host: 'other' };
  await (await fetch(`${base}/order`, { headers: order })).text();
  try {
    await r.text();
  } catch (e) {
    console.log(e.name, e.message);
  }
  console.log(await (await fetch(`${base}/p`, { method: 'post', body: 'hi' })).text());
  console.log(await (await fetch(`${base}/p`, { method: 'PUT', body: new URLSearchParams({ q: 'a b' }) })).text());
  const bytes = await (await fetch(`${base}/p`, { method: 'PATCH', body: new Uint8Array([104, 105]) })).arrayBuffer();
  console.log(bytes instanceof ArrayBuffer, bytes.byteLength);
  const moved = await fetch(`${base}/old`);
  console.log('redirected', moved.redirected, moved.status, moved.url === `${base}/new`, (await moved.json()).url);
  const other = await fetch(`${base}/see-other`, { method: 'POST', body: 'x' });
  console.log('303', other.redirected, (await other.json()).method);
  const manual = await fetch(`${base}/old`, { redirect: 'manual' });
  console.log('manual', manual.status, manual.headers.get('location'));
  await manual.text();
  try {
    await fetch(`${base}/old`, { redirect: 'error' });
  } catch (e) {
    console.log(e.name, e.message, e.cause.message);
  }
  const copy = (await fetch(`${base}/c`)).clone();
  console.log('clone', (await copy.json()).url);
  for (const bad of ['nope', `ftp://localhost/`, 'http://127.0.0.1:1/']) {
    try {
      await fetch(bad);
    } catch (e) {
      console.log(e.name, e.message, e.cause && (e.cause.code || e.cause.message));
    }
  }
  const ac = new AbortController();
  const pending = fetch(`${base}/slow`, { signal: ac.signal });
  setTimeout(() => ac.abort(), 10);
  try {
    await pending;
  } catch (e) {
    console.log(e.name, e.message, e.code);
  }
  try {
    await fetch(`${base}/slow`, { signal: AbortSignal.abort('why') });
  } catch (e) {
    console.log('pre-aborted:', e);
  }
  server.close(() => console.log('closed'));
  server.closeAllConnections();
});
