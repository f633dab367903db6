// http (lib/_http_server.js), as a teaching module: a server the page sends synthetic requests
// to. Each request arrives as a watcher on the server's handle (the socket becoming readable),
// tagged with the request's number so that everything it causes shows "#N" in the page.

/* global EventEmitter, Server, nextTick, toKernel */

const httpServers = [];
let nextRequestId = 1;

class ServerResponse extends EventEmitter {
  constructor(request) {
    super();
    this._request = request;
    this.statusCode = 200;
    this.headersSent = false;
    this.finished = false;
    this._headers = {};
    this._body = '';
  }
  status(code) {
    this.statusCode = code;
    return this;
  }
  setHeader(k, v) {
    this._headers[String(k).toLowerCase()] = v;
    return this;
  }
  getHeader(k) {
    return this._headers[String(k).toLowerCase()];
  }
  set(k, v) {
    return this.setHeader(k, v);
  }
  writeHead(code, headers) {
    this.statusCode = code;
    if (headers) for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
    this.headersSent = true;
    return this;
  }
  write(chunk) {
    this._body += String(chunk);
    this.headersSent = true;
    return true;
  }
  end(chunk) {
    if (this.finished) return this;
    if (chunk !== undefined) this._body += String(chunk);
    this.finished = true;
    this.headersSent = true;
    host.requestDone(this._request.id, this.statusCode, this._body.slice(0, 200));
    nextTick(() => this.emit('finish'));
    return this;
  }
  json(value) {
    this.setHeader('content-type', 'application/json');
    return this.end(JSON.stringify(value));
  }
  send(value) {
    if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array))
      return this.json(value);
    return this.end(value === undefined ? '' : String(value));
  }
  sendStatus(code) {
    this.statusCode = code;
    return this.end(String(code));
  }
}

class HttpServer extends Server {
  constructor(handler) {
    super();
    this._kind = 'http.Server';
    if (handler) this.on('request', handler);
  }
  listen(...args) {
    httpServers.push(this);
    return super.listen(...args);
  }
  close(cb) {
    const i = httpServers.indexOf(this);
    if (i >= 0) httpServers.splice(i, 1);
    return super.close(cb);
  }
  _incoming(id, method, url) {
    const [pathname, search = ''] = url.split('?');
    const query = {};
    for (const part of search.split('&')) {
      if (!part) continue;
      const [k, v = ''] = part.split('=');
      query[decodeURIComponent(k)] = decodeURIComponent(v);
    }
    host.requestStart(id);
    const req = new EventEmitter();
    Object.assign(req, {
      id,
      method,
      url,
      path: pathname,
      query,
      params: {},
      headers: { host: 'localhost' },
    });
    const res = new ServerResponse(req);
    this.emit('request', req, res);
  }
}

const http = {
  createServer: (options, handler) =>
    new HttpServer(typeof options === 'function' ? options : handler),
  Server: HttpServer,
  STATUS_CODES: {
    200: 'OK',
    201: 'Created',
    204: 'No Content',
    400: 'Bad Request',
    404: 'Not Found',
    500: 'Internal Server Error',
  },
};

// Called by the host between steps: a client sends `method url` to the first listening server,
// arriving now or, with `atUs`, at that instant (a load test's arrival, possibly while the last
// callback kept the thread busy).
function injectRequest(method, url, atUs) {
  const server = httpServers.find((s) => s._handle !== null);
  if (!server) return 0;
  const id = nextRequestId++;
  // Everything this request causes (its handler, its query, its pool jobs, its continuations)
  // carries its number, the way AsyncLocalStorage would: the page shows "#id" on each.
  host.setTag(id);
  try {
    toKernel(
      host.names.requestOp,
      0,
      server._handle,
      host.names.requestCallback,
      () => server._incoming(id, method, url),
      atUs,
    );
  } finally {
    host.setTag(0);
  }
  return id;
}
