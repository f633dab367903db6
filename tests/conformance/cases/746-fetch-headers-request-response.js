// Headers, Request and Response on their own: normalisation, iteration order, Set-Cookie,
// validation errors, bodies and their Content-Type, the static constructors, clone.
const h = new Headers({ 'X-B': ' 2 ', 'x-a': '1' });
h.append('Set-Cookie', 'a=1');
h.append('set-cookie', 'b=2');
h.append('x-a', '3');
console.log([...h], h.get('x-a'), h.get('set-cookie'), h.getSetCookie(), h.has('X-A'), h.get('nope'));
h.delete('x-a');
console.log([...h.keys()], [...h.values()]);
h.forEach((v, k, o) => console.log(k, v, o === h));
console.log(h);
console.log(new Headers([['a', '1'], ['b', '2']]), new Headers(h).get('x-b'));
for (const f of [
  () => h.append('bad name', 'x'),
  () => h.set('x', 'a\nb'),
  () => new Headers([['a']]),
  () => new Headers(5),
  () => new Request('http://x/', { method: 'GET', body: 'x' }),
  () => new Request('http://x/', { method: 'CONNECT' }),
  () => new Request('http://x/', { method: 'bad m' }),
  () => new Request('http://u:p@x/'),
  () => new Response('x', { status: 99 }),
  () => new Response('x', { status: 204 }),
  () => Response.redirect('http://x/y', 200),
]) {
  try {
    f();
  } catch (e) {
    console.log(e.name, e.message);
  }
}
try {
  new Request('/rel');
} catch (e) {
  console.log(e.name, e.message, e.cause.code);
}
const r = new Request('http://example.com/a/../b?x#f', { method: 'post', body: 'x', headers: { A: '1' } });
console.log(r.method, r.url, r.headers.get('content-type'), r.bodyUsed, r.redirect, r.signal instanceof AbortSignal);
console.log(r.cache, r.mode, r.credentials, r.referrer, r.keepalive);
console.log(new Request(r).method, new Request('http://x/', { method: 'patch' }).method);
const res = new Response('hi', { status: 201, statusText: 'Made', headers: { X: 'y' } });
console.log(res.status, res.statusText, res.ok, res.type, JSON.stringify(res.url), res.headers.get('content-type'), res.redirected);
const j = Response.json({ a: 1 }, { status: 202 });
console.log(j.status, j.headers.get('content-type'));
const e = Response.error();
console.log(e.type, e.status, e.ok);
const rd = Response.redirect('http://x/y', 301);
console.log(rd.status, rd.headers.get('location'));
console.log(Object.prototype.toString.call(h), Object.prototype.toString.call(res), Object.prototype.toString.call(r));
console.log(typeof fetch, fetch.length, fetch.name, Request.length, Response.length, Headers.length);
(async () => {
  console.log(await j.json(), j.bodyUsed);
  try {
    await j.json();
  } catch (e) {
    console.log(e.name, e.message);
  }
  const c = new Response(new Uint8Array([104, 105]));
  const c2 = c.clone();
  console.log(await c.text(), Buffer.from(await c2.arrayBuffer()).toString(), c.headers.get('content-type'));
  const u = new Response(new URLSearchParams({ q: 'a b' }));
  console.log(u.headers.get('content-type'), await u.text());
  console.log(await new Request('http://x/', { method: 'PUT', body: '{"z":1}' }).json());
  const empty = new Response(null);
  console.log(await empty.text(), empty.bodyUsed, await empty.text());
})();
