// Blob: parts (strings, views, Blobs), type normalisation, size, text, arrayBuffer, slice,
// stream (one chunk per part), inspect, bad sources; buffer.Blob; Blob bodies and blob() in
// fetch's Response.
(async () => {
  const b = new Blob(['hé', new Uint8Array([33]), new Blob(['!'])], { type: 'Text/Plain' });
  console.log(b.size, JSON.stringify(b.type), await b.text(), Object.prototype.toString.call(b));
  console.log(Buffer.from(await b.arrayBuffer()), await b.slice(1, 3).text(), b.slice(-2).size, JSON.stringify(b.slice(0, 1, 'x/y').type));
  console.log(new Blob().size, new Blob([]).type, new Blob(['a'], { type: 'ü' }).type === '');
  const chunks = [];
  for await (const c of b.stream()) chunks.push(c.length);
  console.log('stream', chunks);
  console.log(b);
  try { new Blob('abc'); } catch (e) { console.log(e.name, e.message, e.code); }
  const { Blob: B2 } = require('buffer');
  console.log(B2 === Blob, typeof Blob);
  const r = new Response(b);
  console.log(r.headers.get('content-type'), await (await new Response('xyz').blob()).text(), (await new Response('q', { headers: { 'content-type': 'a/b' } }).blob()).type);
  console.log(await new Blob([123, { toString: () => 'obj' }]).text());
})();
