// A tiny static file server for dist/ (no dependencies), used by the end-to-end tests.
//
//   startServer({ root, prefix, hostPage })  serves `root` under `prefix` (default "/") on
//   127.0.0.1 and a free port; with `hostPage`, also answers /host.html with that HTML.
//   node server.mjs [DIR] [PORT] [PREFIX]  does the same from the command line.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startServer({ root, prefix = '/', hostPage = null, port = 0 } = {}) {
  const base = resolve(root);
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw new Error(`prefix must start and end with "/": ${prefix}`);
  }
  const requests = [];

  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    if (hostPage && path === '/host.html') return send(200, hostPage, TYPES['.html']);
    if (!path.startsWith(prefix)) {
      // A sub-path without its trailing slash would break relative URLs: redirect like real hosts.
      if (path === prefix.slice(0, -1)) {
        requests.push({ path, status: 301 });
        res.writeHead(301, { location: prefix });
        return res.end();
      }
      return send(404, 'not found');
    }
    let rel = path.slice(prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(base, rel));
    if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden');
    try {
      if (!(await stat(file)).isFile()) return send(404, 'not found');
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      return send(200, await readFile(file), type);
    } catch {
      return send(404, 'not found');
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + prefix,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = '../../dist', port = '8081', prefix = '/'] = process.argv.slice(2);
  const { url } = await startServer({ root: dir, prefix, port: Number(port) });
  console.log(`serving ${resolve(dir)} at ${url}`);
}
