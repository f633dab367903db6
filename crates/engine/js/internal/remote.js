// The simulated Internet: the remote services a program may reach (with fetch, http.request or
// net.connect), and nothing else. No real network is ever used.
//
// The registry (what `dns.lookup` resolves and what answers on the other end):
//
//   api.example.com   203.0.113.10   ports 80 and 443 (TLS is not modelled: plain HTTP/1.1)
//     GET  /users              200 [{ id, name }, ...] (3 users)
//     GET  /users/:id          200 { id, name, email } for ids 1 to 10; else 404 { error }
//     GET  /time               200 { now }: the virtual clock, in ms since the epoch
//     ANY  /echo               200 { method, path, query, body }: the request, the body parsed
//                              as JSON when it is JSON, else as text
//     ANY  /status/:code       that status (200 to 599) with { status }
//     ANY  /delay/:ms          200 { delayed: ms } after ms more (at most 60,000)
//     anything else            404 { error: 'not found' }
//
// Every response is JSON (Content-Type: application/json; charset=utf-8, Content-Length) and
// keeps the connection alive unless the request said `Connection: close`. Any other name is not
// found (getaddrinfo ENOTFOUND, in dns.js), and any other address refuses connections.
//
// HOW: connecting to a service takes one round trip (`remoteLatency`); a request's bytes reach
// the service at once (the service's work happens on another machine: it runs no callback of
// this process), and its response arrives on the client's socket after another round trip plus
// a seeded jitter (`remoteJitter`), reported by epoll in the poll phase like any socket's read:
// the page shows the waiting socket in the poll queue, as it shows a db.query.

/* global Buffer, HTTPParser, STATUS_CODES, Socket, costs, kOnBody, kOnHeadersComplete */

const remoteServices = [
  {
    name: 'api.example.com',
    address: '203.0.113.10',
    ports: [80, 443],
    handle: apiExampleCom,
  },
];

const remoteUsers = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Radia',
  'Alan',
  'Frances',
];

function remoteServiceByName(name) {
  return remoteServices.find((s) => s.name === String(name).toLowerCase()) || null;
}

function remoteServiceAt(address, port) {
  return remoteServices.find((s) => s.address === address && s.ports.includes(port)) || null;
}

// api.example.com's routes: (request) → { status, body, delayMs }.
function apiExampleCom(req) {
  const [path, query = ''] = req.url.split('?');
  const parts = path.split('/').filter(Boolean);
  if (req.method === 'GET' && path === '/users')
    return { status: 200, body: remoteUsers.slice(0, 3).map((name, i) => ({ id: i + 1, name })) };
  if (req.method === 'GET' && parts[0] === 'users' && parts.length === 2) {
    const id = Number(parts[1]);
    if (Number.isInteger(id) && id >= 1 && id <= remoteUsers.length)
      return {
        status: 200,
        body: {
          id,
          name: remoteUsers[id - 1],
          email: `${remoteUsers[id - 1].toLowerCase()}@example.com`,
        },
      };
    return { status: 404, body: { error: 'user not found' } };
  }
  if (req.method === 'GET' && path === '/time')
    return { status: 200, body: { now: host.dateNow() } };
  if (path === '/echo') {
    const text = req.body.toString('utf8');
    let body = text;
    if (/json/i.test(req.header('content-type') || '')) {
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 400, body: { error: 'invalid JSON' } };
      }
    }
    return { status: 200, body: { method: req.method, path, query, body } };
  }
  if (parts[0] === 'status' && parts.length === 2) {
    const status = Number(parts[1]);
    if (Number.isInteger(status) && status >= 200 && status <= 599)
      return { status, body: { status } };
  }
  if (parts[0] === 'delay' && parts.length === 2) {
    const ms = Number(parts[1]);
    if (Number.isFinite(ms) && ms >= 0 && ms <= 60000)
      return { status: 200, body: { delayed: ms }, delayMs: ms };
  }
  return { status: 404, body: { error: 'not found' } };
}

// The service's request parser: the http parser with the request collected, not emitted.
class RemoteRequestParser extends HTTPParser {
  constructor(onRequest) {
    super('request');
    this.onRequest = onRequest;
    this.current = null;
  }
  _call(kind, arg) {
    if (kind === kOnHeadersComplete) {
      this.current = { method: arg.method, url: arg.url, headers: arg.headers, chunks: [] };
      return 0;
    }
    if (kind === kOnBody) {
      this.current.chunks.push(arg);
      return undefined;
    }
    const req = this.current;
    this.current = null;
    req.body = Buffer.concat(req.chunks);
    req.header = (name) => {
      for (let i = 0; i < req.headers.length; i += 2)
        if (req.headers[i].toLowerCase() === name) return req.headers[i + 1];
      return undefined;
    };
    this.onRequest(req);
    return undefined;
  }
}

function remoteRoundTrip() {
  return costs.remoteLatency + host.random() * costs.remoteJitter;
}

// The far end of a connection to a service. net.js's Socket sends to it as to a peer socket
// (`_unread` + `_deliverLater`); it answers through the same Socket._send.
class RemotePeer {
  constructor(service, client) {
    this.service = service;
    this._peer = client;
    this._handle = service; // open until the connection ends
    this.destroyed = false;
    this._unread = null;
    this._closeAfter = false;
    this.parser = new RemoteRequestParser((req) => this.respond(req));
  }
  // The client's bytes arrive: the service reads them at once (it runs elsewhere).
  _deliverLater() {
    const record = this._unread;
    this._unread = null;
    if (!record || this.destroyed) return;
    if (record.data && record.data.length) {
      const result = this.parser.execute(record.data);
      if (result instanceof Error) {
        this.reply(400, { error: 'bad request' }, 0, true);
        return;
      }
    }
    if (record.eof) this.end(0);
  }
  respond(req) {
    const { status, body, delayMs = 0 } = this.service.handle(req);
    const close = /\bclose\b/i.test(req.header('connection') || '');
    this.reply(status, body, delayMs * 1000, close);
  }
  reply(status, value, extraUs, close) {
    const text = JSON.stringify(value);
    const head =
      `HTTP/1.1 ${status} ${STATUS_CODES[status] || 'Unknown'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      `Date: ${new Date(host.dateNow()).toUTCString()}\r\n` +
      (close ? 'Connection: close\r\n' : 'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n') +
      '\r\n';
    const latency = remoteRoundTrip() + extraUs;
    const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(text, 'utf8')]);
    Socket.prototype._send.call(this, { data: bytes }, latency);
    if (close) this.end(latency);
  }
  // The service closes its side: the FIN follows the last bytes.
  end(latency) {
    if (this.destroyed) return;
    this.destroyed = true;
    Socket.prototype._send.call(this, { eof: true }, latency);
    this._handle = null;
  }
}

function remoteConnect(service, client) {
  return new RemotePeer(service, client);
}
