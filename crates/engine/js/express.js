// express: an Express-like router on the http server (app.get('/users/:id'), req.params,
// res.json/send/status, Express 5-style error handling of rejected handlers).
//
// HOW: as Express does, the app gives each request and response its own prototypes on top of
// http's (req.path, req.query; res.status, res.set, res.json, res.send, res.sendStatus), then
// runs the matching handlers in order.

/* global Buffer, IncomingMessage, ServerResponse, console, http, querystring */

const expressRequest = Object.create(IncomingMessage.prototype, {
  path: {
    get() {
      return String(this.url).split('?')[0];
    },
    configurable: true,
  },
  query: {
    get() {
      const q = String(this.url).split('?')[1] || '';
      return { ...querystring.parse(q) };
    },
    configurable: true,
  },
});
const expressResponse = Object.create(ServerResponse.prototype);
Object.assign(expressResponse, {
  status(code) {
    this.statusCode = code;
    return this;
  },
  set(k, v) {
    this.setHeader(k, v);
    return this;
  },
  json(value) {
    if (!this.getHeader('content-type'))
      this.setHeader('Content-Type', 'application/json; charset=utf-8');
    return this.send(JSON.stringify(value));
  },
  send(value) {
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
      return this.json(value);
    if (typeof value === 'number') value = String(value);
    if (value === undefined || value === null) value = '';
    if (!this.getHeader('content-type'))
      this.setHeader(
        'Content-Type',
        typeof value === 'string' ? 'text/html; charset=utf-8' : 'application/octet-stream',
      );
    this.end(typeof value === 'string' ? value : Buffer.from(value));
    return this;
  },
  sendStatus(code) {
    this.statusCode = code;
    return this.send(http.STATUS_CODES[code] || String(code));
  },
});

function compileRoute(pattern) {
  if (pattern instanceof RegExp) return { re: pattern, names: [] };
  const names = [];
  const re = new RegExp(
    '^' +
      String(pattern)
        .replace(/\/+$/, '')
        .replace(/[.+*?^$()[\]{}|\\]/g, '\\$&')
        .replace(/:(\w+)/g, (_, n) => {
          names.push(n);
          return '([^/]+)';
        }) +
      '/?$',
  );
  return { re, names };
}

function express() {
  const stack = [];
  function app(req, res) {
    let i = 0;
    if (req instanceof IncomingMessage) Object.setPrototypeOf(req, expressRequest);
    if (res instanceof ServerResponse) Object.setPrototypeOf(res, expressResponse);
    req.params = {};
    res.req = req;
    req.res = res;
    function next(err) {
      // (Once per call: a middleware may rewrite req.url before it calls next.)
      const path = req.path;
      while (i < stack.length) {
        const layer = stack[i++];
        if (layer.method && layer.method !== req.method) continue;
        let params = {};
        if (layer.route) {
          const m = layer.route.re.exec(path);
          if (!m) continue;
          layer.route.names.forEach((n, k) => {
            params[n] = decodeURIComponent(m[k + 1]);
          });
        } else if (layer.prefix && !path.startsWith(layer.prefix)) {
          continue;
        }
        const isErrorHandler = layer.fn.length === 4;
        if (err ? !isErrorHandler : isErrorHandler) continue;
        req.params = params;
        try {
          const r = err ? layer.fn(err, req, res, next) : layer.fn(req, res, next);
          // Like Express 5: a rejected promise from a handler goes to the error handlers.
          if (r && typeof r.then === 'function') r.then(undefined, (e) => next(e));
        } catch (e) {
          next(e);
        }
        return;
      }
      if (err) {
        console.error(err instanceof Error ? err.stack || String(err) : String(err));
        if (!res.writableEnded) res.status(500).send('Internal Server Error');
      } else if (!res.writableEnded) {
        res.status(404).send(`Cannot ${req.method} ${req.path}`);
      }
    }
    next();
  }
  for (const m of ['get', 'post', 'put', 'delete', 'patch']) {
    app[m] = (path, ...fns) => {
      for (const fn of fns) stack.push({ method: m.toUpperCase(), route: compileRoute(path), fn });
      return app;
    };
  }
  app.all = (path, ...fns) => {
    for (const fn of fns) stack.push({ route: compileRoute(path), fn });
    return app;
  };
  app.use = (a, ...fns) => {
    if (typeof a === 'function') {
      for (const fn of [a, ...fns]) stack.push({ fn });
    } else for (const fn of fns) stack.push({ prefix: a, fn });
    return app;
  };
  app.routes = () =>
    stack
      .filter((l) => l.route && l.method)
      .map((l) => ({ method: l.method, path: l.route.re.source }));
  app.listen = (...args) => http.createServer(app).listen(...args);
  return app;
}
express.json = () => (req, res, next) => next();
