// The web ReadableStream (Node 20's global and stream/web): start, pull while below the
// high-water mark, enqueue/close/error, readers, locking, cancel, async iteration; a fetch
// Response's body as a stream, and what reading it does to bodyUsed.
const { ReadableStream: FromModule } = require('stream/web');
const http = require('http');

async function main() {
  console.log(FromModule === ReadableStream, typeof ReadableStream);
  let pulls = 0;
  const rs = new ReadableStream(
    {
      start(c) {
        console.log('start, desiredSize', c.desiredSize);
        c.enqueue('a');
      },
      pull(c) {
        pulls++;
        console.log('pull', pulls, 'desiredSize', c.desiredSize);
        if (pulls <= 3) c.enqueue(`p${pulls}`);
        else c.close();
      },
      cancel(reason) {
        console.log('cancelled', reason);
      },
    },
    { highWaterMark: 2 },
  );
  console.log('locked', rs.locked);
  const reader = rs.getReader();
  console.log('locked', rs.locked);
  try {
    rs.getReader();
  } catch (e) {
    console.log(e.name, e.code);
  }
  for (;;) {
    const { value, done } = await reader.read();
    console.log('read', value, done);
    if (done) break;
  }
  await reader.closed;
  console.log('closed');
  reader.releaseLock();
  console.log('locked after release', rs.locked);

  const items = [];
  for await (const v of new ReadableStream({
    start(c) {
      c.enqueue(1);
      c.enqueue(2);
      c.close();
    },
  }))
    items.push(v);
  console.log('iterated', items);

  const failing = new ReadableStream({
    start(c) {
      c.error(new Error('boom'));
    },
  });
  try {
    await failing.getReader().read();
  } catch (e) {
    console.log('errored', e.message);
  }
  const endless = new ReadableStream({
    pull(c) {
      c.enqueue('x');
    },
    cancel(r) {
      console.log('cancel source', r);
    },
  });
  for await (const v of endless) {
    console.log('first', v);
    break;
  }

  const server = http.createServer((req, res) => {
    res.write('one,');
    setTimeout(() => res.end('two'), 5);
  });
  await new Promise((r) => server.listen(0, r));
  const res = await fetch(`http://localhost:${server.address().port}/`);
  console.log('body', Object.prototype.toString.call(res.body), res.body === res.body, res.bodyUsed);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body) {
    console.log('chunk', chunk instanceof Uint8Array, chunk.length);
    text += decoder.decode(chunk, { stream: true });
  }
  console.log('text', text, 'bodyUsed', res.bodyUsed);
  try {
    await res.text();
  } catch (e) {
    console.log(e.name, e.message);
  }
  const made = new Response('made');
  const r2 = made.body.getReader();
  console.log('made', decoder.decode((await r2.read()).value), (await r2.read()).done);
  console.log('null body', new Response(null).body, new Response('').body !== null);
  server.close();
  server.closeAllConnections();
}
main();
