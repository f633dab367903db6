// What one pending request costs a real Node 20 HTTP server, measured: the constants behind
// `looplab load`'s memory figures for the loop (crates/engine/src/load/memory.rs cites the output,
// committed beside this script as measure-pending-memory.out).
//
// HOW: this process is the server. Its handler does what the article's handler does while it
// waits for the database: it awaits a promise (here one that a "release" resolves), holding its
// closure, its awaiting async frame, the request and response objects and the socket. A second
// process (this same file, run with `client`) opens N keep-alive connections on loopback and sends
// one request on each, so the client's sockets are not counted in the server's memory. When the
// server holds all N, it collects garbage twice and reads `process.memoryUsage()`; the difference
// from the same reading taken before the clients connected, divided by N, is the cost of one
// pending request (heapUsed: JavaScript objects; rss: everything resident, the kernel's socket
// buffers excluded, as they are not in the process's pages). Then it releases them all and the
// client exits. One run per N (1,000, 5,000, 10,000), each in a fresh server process.
//
// Run: node --expose-gc scripts/measure-pending-memory.js > scripts/measure-pending-memory.out
// Loopback only; each run is bounded by a 60 s watchdog.

'use strict';
const http = require('http');
const { fork } = require('child_process');

function client(port, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  let done = 0;
  for (let i = 0; i < n; i++) {
    const req = http.get({ host: '127.0.0.1', port, path: `/users/${i}`, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (++done === n) {
          agent.destroy();
          process.exit(0);
        }
      });
    });
    req.on('error', (e) => {
      console.error('client error', e.message);
      process.exit(1);
    });
  }
}

function settle() {
  global.gc();
  global.gc();
  return process.memoryUsage();
}

function server(n) {
  return new Promise((resolve, reject) => {
    const pending = [];
    let release;
    const all = new Promise((r) => (release = r));
    const srv = http.createServer(async (req, res) => {
      // The article's handler, waiting on its database: an awaiting async function.
      const id = req.url.split('/')[2];
      pending.push(id);
      if (pending.length === n) setImmediate(measure);
      await all;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: Number(id), name: 'user' + id }));
    });
    srv.keepAliveTimeout = 60_000;
    let before;
    let child;
    const watchdog = setTimeout(() => reject(new Error(`timed out at N=${n}`)), 60_000);
    function measure() {
      const held = settle();
      release();
      child.on('exit', (code) => {
        clearTimeout(watchdog);
        srv.close();
        if (code !== 0) return reject(new Error(`client exited ${code}`));
        resolve({
          n,
          heapUsedPerRequest: (held.heapUsed - before.heapUsed) / n,
          rssPerRequest: (held.rss - before.rss) / n,
          externalPerRequest: (held.external - before.external) / n,
          baseHeapUsed: before.heapUsed,
          baseRss: before.rss,
        });
      });
    }
    srv.listen(0, '127.0.0.1', () => {
      // Warm up the code paths once so that compiled code is in `before`.
      http.get({ host: '127.0.0.1', port: srv.address().port, path: '/users/0' }, (res) =>
        res.resume(),
      );
      pending.length = 0;
      setTimeout(() => {
        pending.length = 0;
        before = settle();
        child = fork(__filename, ['client', String(srv.address().port), String(n)]);
      }, 200);
    });
  });
}

if (process.argv[2] === 'client') {
  client(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[2] === 'one') {
  server(Number(process.argv[3])).then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
} else {
  // One fresh server process per N: a heap that held 10,000 requests does not shrink back.
  const { execFileSync } = require('child_process');
  console.log(`# node ${process.version}, ${process.platform} ${process.arch}`);
  for (const n of [1000, 5000, 10000]) {
    const out = execFileSync(process.execPath, ['--expose-gc', __filename, 'one', String(n)], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    process.stdout.write(out);
  }
}
