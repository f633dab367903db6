// http (lib/_http_server.js, _http_client.js, _http_agent.js, http.js): a server and a
// client speaking HTTP/1.1 over the modelled loopback sockets (net.js), and the page's
// synthetic requests.
//
// HOW: an http.Server is a net.Server whose 'connection' listener parses each socket's bytes
// (http_common.js) and emits 'request' with an IncomingMessage and a ServerResponse; after the
// response's 'finish' the socket waits for the next request (keep-alive, with Node's idle
// timeout of keepAliveTimeout + 1 s), and server.close() closes the idle ones. A ClientRequest
// gets its socket from an Agent (Node 20's global agent keeps connections alive: a free socket
// is unref'd and reused by the next request to the same host:port), writes its head and body
// once connected, and parses the response. Every wait is a socket's, in the kernel: the page
// shows each one in the poll queue.
//
// The page's synthetic requests (injectRequest, called by the engine between steps) reach the
// same server and the same 'request' listeners: each is a watcher on the listening socket,
// tagged with the request's number, whose callback emits 'request' with a bodiless
// IncomingMessage and a ServerResponse written into a sink that reports the status and body
// to the page (host.requestDone) instead of a client socket.

/* global Buffer, Duplex, EventEmitter, IncomingMessage, OutgoingMessage, STATUS_CODES, METHODS,
   Server, Socket, URL, checkIsHttpToken, connResetException, dns, errDestroyed, finished,
   freeParser, HTTPParser, invalidArgType, kNeedDrain, kOutHeaders, makeNodeError, net, nextTick,
   toKernel, validateHeaderName, validateHeaderValue */

const httpServers = [];
let nextRequestId = 1;
const kServerResponse = Symbol('ServerResponse');
const kConnections = Symbol('http.server.connections');
const HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER = 1000;
const HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER = 1000;

// ---- ServerResponse ---------------------------------------------------------------------

function ServerResponse(req, options) {
  OutgoingMessage.call(this, options);
  if (req.method === 'HEAD') this._hasBody = false;
  this.req = req;
  this.sendDate = true;
  this._sent100 = false;
  this._expect_continue = false;
  if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
    this.useChunkedEncodingByDefault = /(?:^|\W)chunked(?:$|\W)/i.test(req.headers.te || '');
    this.shouldKeepAlive = false;
  }
}
Object.setPrototypeOf(ServerResponse.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ServerResponse, OutgoingMessage);
ServerResponse.prototype.statusCode = 200;
ServerResponse.prototype.statusMessage = undefined;

function onServerResponseClose() {
  if (this._httpMessage) emitResponseCloseNT(this._httpMessage);
}

ServerResponse.prototype.assignSocket = function assignSocket(socket) {
  if (socket._httpMessage)
    throw makeNodeError(
      Error,
      'ERR_HTTP_SOCKET_ASSIGNED',
      'ServerResponse has an already assigned socket',
    );
  socket._httpMessage = this;
  socket.on('close', onServerResponseClose);
  this.socket = socket;
  this.emit('socket', socket);
  this._flush();
};

ServerResponse.prototype.detachSocket = function detachSocket(socket) {
  socket.removeListener('close', onServerResponseClose);
  socket._httpMessage = null;
  this.socket = null;
};

ServerResponse.prototype.writeContinue = function writeContinue(cb) {
  this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'ascii', cb);
  this._sent100 = true;
};

ServerResponse.prototype._implicitHeader = function _implicitHeader() {
  this.writeHead(this.statusCode);
};

ServerResponse.prototype.writeHead = function writeHead(statusCode, reason, obj) {
  if (this._header)
    throw makeNodeError(
      Error,
      'ERR_HTTP_HEADERS_SENT',
      'Cannot write headers after they are sent to the client',
    );
  const originalStatusCode = statusCode;
  statusCode |= 0;
  if (statusCode < 100 || statusCode > 999)
    throw makeNodeError(
      RangeError,
      'ERR_HTTP_INVALID_STATUS_CODE',
      `Invalid status code: ${originalStatusCode}`,
    );
  if (typeof reason === 'string') {
    this.statusMessage = reason;
  } else {
    if (!this.statusMessage) this.statusMessage = STATUS_CODES[statusCode] || 'unknown';
    obj = obj ?? reason;
  }
  this.statusCode = statusCode;
  let headers;
  if (this[kOutHeaders]) {
    if (Array.isArray(obj)) {
      for (let n = 0; n < obj.length; n += 2) if (obj[n]) this.setHeader(obj[n], obj[n + 1]);
    } else if (obj) {
      for (const k of Object.keys(obj)) if (k) this.setHeader(k, obj[k]);
    }
    headers = this[kOutHeaders];
  } else {
    headers = obj;
  }
  const statusLine = `HTTP/1.1 ${statusCode} ${this.statusMessage}\r\n`;
  if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199))
    this._hasBody = false;
  if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
  this._storeHeader(statusLine, headers);
  return this;
};
ServerResponse.prototype.writeHeader = ServerResponse.prototype.writeHead;

function emitResponseCloseNT(self) {
  if (!self._closed) {
    self.destroyed = true;
    self._closed = true;
    self.emit('close');
  }
}

// ---- Server --------------------------------------------------------------------------

class HttpServer extends Server {
  constructor(options, requestListener) {
    if (typeof options === 'function') {
      requestListener = options;
      options = {};
    } else if (options == null) {
      options = {};
    } else if (typeof options !== 'object') {
      throw invalidArgType('options', 'of type object', options);
    }
    super({ allowHalfOpen: true });
    this._kind = 'http.Server';
    this[kServerResponse] = options.ServerResponse || ServerResponse;
    this.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
    this.requestTimeout = options.requestTimeout ?? 300000;
    this.headersTimeout = options.headersTimeout ?? Math.min(60000, this.requestTimeout);
    this.requireHostHeader = options.requireHostHeader ?? true;
    this.joinDuplicateHeaders = options.joinDuplicateHeaders;
    this.httpAllowHalfOpen = false;
    this.timeout = 0;
    this.maxHeadersCount = null;
    this.maxRequestsPerSocket = 0;
    this[kConnections] = new Set();
    if (requestListener) this.on('request', requestListener);
    this.on('connection', connectionListener);
  }
  listen(...args) {
    if (!httpServers.includes(this)) httpServers.push(this);
    return super.listen(...args);
  }
  close(cb) {
    const i = httpServers.indexOf(this);
    if (i >= 0) httpServers.splice(i, 1);
    this.closeIdleConnections();
    return super.close(cb);
  }
  closeAllConnections() {
    for (const socket of [...this[kConnections]]) socket.destroy();
  }
  closeIdleConnections() {
    for (const socket of [...this[kConnections]]) {
      const msg = socket._httpMessage;
      if (socket[kIdle] && !(msg && !msg.finished)) socket.destroy();
    }
  }
  setTimeout(msecs, callback) {
    this.timeout = msecs;
    if (callback) this.on('timeout', callback);
    return this;
  }
  // A synthetic request from the page: no client socket; the response goes to a sink.
  _incoming(id, method, url) {
    host.requestStart(id);
    const req = new IncomingMessage(null);
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.httpVersion = '1.1';
    req.method = method;
    req.url = url;
    req._addHeaderLines(['Host', 'localhost', 'Connection', 'keep-alive'], 4);
    req.complete = true;
    req.push(null);
    const res = new this[kServerResponse](req);
    res.shouldKeepAlive = false;
    const sink = new SyntheticSink(id);
    res.assignSocket(sink);
    sink.on('drain', socketOnDrain);
    res.on('prefinish', () => sink.report(res));
    res.on('finish', () => {
      res.detachSocket(sink);
      nextTick(emitResponseCloseNT, res);
    });
    this.emit('request', req, res);
  }
}
const kIdle = Symbol('idle');

// Where a synthetic request's response is written: the bytes are kept and, when the response
// is complete, its status and (decoded) body go to the page.
//
// Not a Writable: a stream's machinery (its state, buffering and callbacks) was a quarter of
// the JavaScript a synthetic request ran, for a sink nothing reads back. It keeps what the
// response sees of a socket, with a Writable's timing (stream.js `writeOrBuffer`, `onwrite`,
// `afterWrite`, `clearBuffer`, `destroy`): writes complete synchronously, so each write's
// callback runs a tick later (consecutive writes with the same callback share the tick);
// while corked, writes wait and complete together at the uncork; a write that takes the
// waiting bytes to 16 KiB returns false and 'drain' follows the uncork; `destroy` fails the
// writes still waiting, then emits 'error' (if any) and 'close' a tick later.
class SyntheticSink extends EventEmitter {
  constructor(id) {
    super();
    this._id = id;
    this._chunks = [];
    this._reported = false;
    this._writableState = { corked: 0 };
    this._waiting = []; // callbacks of writes made while corked
    this._length = 0; // bytes written and not yet complete (the corked ones)
    this._needDrain = false;
    this._afterWritePending = false;
    this._tick = null;
    this._error = null;
    this.writable = true;
    this.destroyed = false;
  }
  get writableLength() {
    return this._length;
  }
  get writableHighWaterMark() {
    return SINK_HIGH_WATER_MARK;
  }
  get writableNeedDrain() {
    return !this.destroyed && this._needDrain;
  }
  get writableCorked() {
    return this._writableState.corked;
  }
  cork() {
    this._writableState.corked++;
  }
  uncork() {
    const state = this._writableState;
    if (state.corked === 0) return;
    state.corked--;
    if (state.corked > 0 || this.destroyed || this._waiting.length === 0) return;
    const waiting = this._waiting;
    this._waiting = [];
    this._length = 0;
    // One write of everything that waited (`clearBuffer` with `_writev`).
    if (waiting.length === 1) this._written(waiting[0]);
    else
      this._written(
        waiting.every((cb) => cb === sinkNop)
          ? sinkNop
          : (err) => {
              for (let i = 0; i < waiting.length; i++) waiting[i](err);
            },
      );
  }
  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = null;
    }
    if (typeof cb !== 'function') cb = sinkNop;
    if (this.destroyed) {
      nextTick(cb, errDestroyed('write'));
      return false;
    }
    this._chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding || 'utf8') : chunk);
    if (this._writableState.corked > 0) {
      this._length += chunk.length;
      this._waiting.push(cb);
    } else {
      this._written(cb);
    }
    // (After the write, as `writeOrBuffer` does: only bytes still waiting count.)
    const ret = this._length < SINK_HIGH_WATER_MARK;
    if (!ret) this._needDrain = true;
    return ret;
  }
  // A write that completed synchronously (`onwrite` with `sync`): its callback, and 'drain'
  // if a write asked for one, a tick later.
  _written(cb) {
    const needTick = (this._needDrain && this._length === 0) || cb !== sinkNop;
    if (cb === sinkNop) {
      if (!this._afterWritePending && needTick) {
        nextTick(sinkAfterWrite, this, 1, cb);
        this._afterWritePending = true;
      }
    } else if (this._tick !== null && this._tick.cb === cb) {
      this._tick.count++;
    } else {
      this._tick = { sink: this, cb, count: 1 };
      nextTick(sinkAfterWriteTick, this._tick);
      this._afterWritePending = true;
    }
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.writable = false;
    if (err) this._error = err;
    if (this._waiting.length > 0) nextTick(sinkErrorBuffer, this);
    nextTick(err ? sinkEmitErrorCloseNT : sinkEmitCloseNT, this, err);
    return this;
  }
  report(res) {
    if (this._reported) return;
    this._reported = true;
    const raw = Buffer.concat(this._chunks);
    // The head ends at the first empty line (found a CR at a time); the body is UTF-8.
    let split = raw.indexOf(13);
    while (split >= 0 && !(raw[split + 1] === 10 && raw[split + 2] === 13 && raw[split + 3] === 10))
      split = raw.indexOf(13, split + 1);
    let body = '';
    if (split >= 0 && res.chunkedEncoding) {
      let text = '';
      let rest = raw.toString('latin1', split + 4);
      for (;;) {
        const nl = rest.indexOf('\r\n');
        if (nl < 0) break;
        const size = parseInt(rest.slice(0, nl), 16);
        if (!(size > 0)) break;
        text += rest.slice(nl + 2, nl + 2 + size);
        rest = rest.slice(nl + 2 + size + 2);
      }
      body = Buffer.from(text, 'latin1').toString('utf8');
    } else if (split >= 0) {
      body = raw.toString('utf8', split + 4);
    }
    host.requestDone(this._id, res.statusCode, body.slice(0, 200));
  }
}

const SINK_HIGH_WATER_MARK = 16384;
function sinkNop() {}
// (Named as the stream functions they stand for: a tick's label is its function's name.)
const sinkAfterWriteTick = function afterWriteTick(info) {
  info.sink._tick = null;
  sinkAfterWrite(info.sink, info.count, info.cb);
};
const sinkAfterWrite = function afterWrite(sink, count, cb) {
  sink._afterWritePending = false;
  if (!sink.destroyed && sink._needDrain && sink._length === 0) {
    sink._needDrain = false;
    sink.emit('drain');
  }
  while (count-- > 0) cb(null);
};
const sinkErrorBuffer = function errorBuffer(sink) {
  const waiting = sink._waiting;
  sink._waiting = [];
  sink._length = 0;
  for (let i = 0; i < waiting.length; i++) waiting[i](sink._error ?? errDestroyed('write'));
};
const sinkEmitCloseNT = function emitCloseNT(sink) {
  sink.emit('close');
};
const sinkEmitErrorCloseNT = function emitErrorCloseNT(sink, err) {
  sink.emit('error', err);
  sink.emit('close');
};

// The response waits for its socket's 'drain' when a write returned false (_http_server.js
// `socketOnDrain`).
function socketOnDrain() {
  const msg = this._httpMessage;
  if (msg && !msg.finished && msg[kNeedDrain]) {
    msg[kNeedDrain] = false;
    msg.emit('drain');
  }
}

function connectionListener(socket) {
  const server = this;
  socket.server = server;
  server[kConnections].add(socket);
  socket[kIdle] = true;
  socket.once('close', () => server[kConnections].delete(socket));
  if (server.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(server.timeout);
  socket.on('timeout', socketOnTimeout);
  const parser = new HTTPParser('request');
  parser.socket = socket;
  socket.parser = parser;
  const state = {
    outgoing: [],
    incoming: [],
    keepAliveTimeoutSet: false,
  };
  state.onData = (d) => socketOnData(server, socket, parser, state, d);
  state.onEnd = () => socketOnEnd(server, socket, parser, state);
  state.onClose = () => socketOnClose(socket, state);
  socket.on('data', state.onData);
  socket.on('error', socketOnError);
  socket.on('end', state.onEnd);
  socket.on('close', state.onClose);
  socket.on('drain', socketOnDrain);
  parser.onIncoming = (req, keepAlive) => parserOnIncoming(server, socket, state, req, keepAlive);
  socket._paused = false;
}

function socketOnTimeout() {
  const req = this.parser && this.parser.incoming;
  const reqTimeout = req && !req.complete && req.emit('timeout', this);
  const res = this._httpMessage;
  const resTimeout = res && res.emit('timeout', this);
  const serverTimeout = this.server.emit('timeout', this);
  if (!reqTimeout && !resTimeout && !serverTimeout) this.destroy();
}

function socketOnClose(socket, state) {
  freeParser(socket.parser, null, socket);
  while (state.incoming.length) {
    const req = state.incoming.shift();
    req.destroy(connResetException('aborted'));
  }
}

function socketOnEnd(server, socket, parser, state) {
  const ret = parser.finish();
  if (ret instanceof Error) {
    socketOnError.call(socket, ret);
  } else if (!server.httpAllowHalfOpen) {
    socket.end();
  } else if (state.outgoing.length) {
    state.outgoing[state.outgoing.length - 1]._last = true;
  } else if (socket._httpMessage) {
    socket._httpMessage._last = true;
  } else {
    socket.end();
  }
}

function socketOnData(server, socket, parser, state, d) {
  socket._unrefTimer();
  const ret = parser.execute(d);
  if (ret instanceof Error) socketOnError.call(socket, ret);
}

function socketOnError(e) {
  this.removeListener('error', socketOnError);
  if (this.listenerCount('error') === 0) this.on('error', () => {});
  if (!this.server.emit('clientError', e, this)) {
    if (this.writable && (!this._httpMessage || !this._httpMessage._headerSent)) {
      this.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    this.destroy(e);
  }
}

function clearIncoming(req) {
  req = req || this;
  const parser = req.socket && req.socket.parser;
  if (parser && parser.incoming === req) {
    if (req.readableEnded) parser.incoming = null;
    else req.on('end', clearIncoming);
  }
}

function resOnFinish(req, res, socket, state, server) {
  state.incoming.shift();
  if (!req._consuming && !req._readableState.resumeScheduled) req._dump();
  res.detachSocket(socket);
  clearIncoming(req);
  nextTick(emitResponseCloseNT, res);
  if (res._last) {
    if (typeof socket.destroySoon === 'function') socket.destroySoon();
    else socket.end();
  } else if (state.outgoing.length === 0) {
    socket[kIdle] = true;
    if (server.keepAliveTimeout && typeof socket.setTimeout === 'function') {
      socket.setTimeout(server.keepAliveTimeout + HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER);
      state.keepAliveTimeoutSet = true;
    }
  } else {
    const m = state.outgoing.shift();
    if (m) m.assignSocket(socket);
  }
}

function parserOnIncoming(server, socket, state, req, keepAlive) {
  if (state.keepAliveTimeoutSet) {
    socket.setTimeout(server.timeout || 0);
    state.keepAliveTimeoutSet = false;
  }
  socket[kIdle] = false;
  state.incoming.push(req);
  const res = new server[kServerResponse](req, { highWaterMark: socket.writableHighWaterMark });
  res._keepAliveTimeout = server.keepAliveTimeout;
  res.shouldKeepAlive = keepAlive;
  if (socket._httpMessage) state.outgoing.push(res);
  else res.assignSocket(socket);
  res.on('finish', () => resOnFinish(req, res, socket, state, server));
  if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
    if (server.requireHostHeader && req.headers.host === undefined) {
      res.writeHead(400, ['Connection', 'close']);
      res.end();
      return 0;
    }
  }
  server.emit('request', req, res);
  return 0;
}

// ---- Agent ---------------------------------------------------------------------------

function Agent(options) {
  if (!(this instanceof Agent)) return new Agent(options);
  EventEmitter.call(this);
  this.defaultPort = 80;
  this.protocol = 'http:';
  this.options = { __proto__: null, ...options };
  if (this.options.noDelay === undefined) this.options.noDelay = true;
  this.options.path = null;
  this.requests = Object.create(null);
  this.sockets = Object.create(null);
  this.freeSockets = Object.create(null);
  this.keepAliveMsecs = this.options.keepAliveMsecs || 1000;
  this.keepAlive = this.options.keepAlive || false;
  this.maxSockets = this.options.maxSockets || Agent.defaultMaxSockets;
  this.maxFreeSockets = this.options.maxFreeSockets || 256;
  this.scheduling = this.options.scheduling || 'lifo';
  this.maxTotalSockets = this.options.maxTotalSockets ?? Infinity;
  this.totalSocketCount = 0;
  this.on('free', (socket, opts) => {
    const name = this.getName(opts);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const requests = this.requests[name];
    if (requests && requests.length) {
      const req = requests.shift();
      setRequestSocket(this, req, socket);
      if (requests.length === 0) delete this.requests[name];
      return;
    }
    const req = socket._httpMessage;
    if (!req || !req.shouldKeepAlive || !this.keepAlive) {
      socket.destroy();
      return;
    }
    const freeSockets = this.freeSockets[name] || [];
    const freeLen = freeSockets.length;
    let count = freeLen;
    if (this.sockets[name]) count += this.sockets[name].length;
    if (
      this.totalSocketCount > this.maxTotalSockets ||
      count > this.maxSockets ||
      freeLen >= this.maxFreeSockets ||
      !this.keepSocketAlive(socket)
    ) {
      socket.destroy();
      return;
    }
    this.freeSockets[name] = freeSockets;
    socket._httpMessage = null;
    this.removeSocket(socket, opts);
    socket.once('error', freeSocketErrorListener);
    freeSockets.push(socket);
  });
}
Object.setPrototypeOf(Agent.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Agent, EventEmitter);
Agent.defaultMaxSockets = Infinity;

function freeSocketErrorListener() {
  this.destroy();
  this.emit('agentRemove');
}

Agent.prototype.createConnection = function createConnection(options, cb) {
  return net.createConnection(options, cb);
};

Agent.prototype.getName = function getName(options = {}) {
  let name = options.host || 'localhost';
  name += ':';
  if (options.port) name += options.port;
  name += ':';
  if (options.localAddress) name += options.localAddress;
  if (options.family === 4 || options.family === 6) name += `:${options.family}`;
  return name;
};

Agent.prototype.addRequest = function addRequest(req, options) {
  options = { __proto__: null, ...options, ...this.options };
  const name = this.getName(options);
  if (!this.sockets[name]) this.sockets[name] = [];
  const freeSockets = this.freeSockets[name];
  let socket;
  if (freeSockets) {
    while (freeSockets.length && freeSockets[0].destroyed) freeSockets.shift();
    socket = this.scheduling === 'fifo' ? freeSockets.shift() : freeSockets.pop();
    if (!freeSockets.length) delete this.freeSockets[name];
  }
  const freeLen = freeSockets ? freeSockets.length : 0;
  const sockLen = freeLen + this.sockets[name].length;
  if (socket) {
    this.reuseSocket(socket, req);
    setRequestSocket(this, req, socket);
    this.sockets[name].push(socket);
  } else if (sockLen < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
    this.createSocket(req, options, (err, s) => {
      if (err) req.onSocket(s, err);
      else setRequestSocket(this, req, s);
    });
  } else {
    if (!this.requests[name]) this.requests[name] = [];
    req[kRequestOptions] = options;
    this.requests[name].push(req);
  }
};
const kRequestOptions = Symbol('requestOptions');

Agent.prototype.createSocket = function createSocket(req, options, cb) {
  options = { __proto__: null, ...options, ...this.options };
  const name = this.getName(options);
  options._agentKey = name;
  options.encoding = null;
  let called = false;
  const oncreate = (err, s) => {
    if (called) return;
    called = true;
    if (err) return cb(err);
    if (!this.sockets[name]) this.sockets[name] = [];
    this.sockets[name].push(s);
    this.totalSocketCount++;
    installListeners(this, s, options);
    cb(null, s);
  };
  const newSocket = this.createConnection(options, oncreate);
  if (newSocket) oncreate(null, newSocket);
};

function installListeners(agent, s, options) {
  function onFree() {
    agent.emit('free', s, options);
  }
  s.on('free', onFree);
  function onClose() {
    agent.totalSocketCount--;
    agent.removeSocket(s, options);
  }
  s.on('close', onClose);
  function onTimeout() {
    const sockets = agent.freeSockets;
    if (Object.keys(sockets).some((name) => sockets[name].includes(s))) s.destroy();
  }
  s.on('timeout', onTimeout);
  function onRemove() {
    agent.totalSocketCount--;
    agent.removeSocket(s, options);
    s.removeListener('close', onClose);
    s.removeListener('free', onFree);
    s.removeListener('timeout', onTimeout);
    s.removeListener('agentRemove', onRemove);
  }
  s.on('agentRemove', onRemove);
}

Agent.prototype.removeSocket = function removeSocket(s, options) {
  const name = this.getName(options);
  const sets = [this.sockets];
  if (!s.writable) sets.push(this.freeSockets);
  for (const sockets of sets) {
    if (sockets[name]) {
      const index = sockets[name].indexOf(s);
      if (index !== -1) {
        sockets[name].splice(index, 1);
        if (sockets[name].length === 0) delete sockets[name];
      }
    }
  }
  let req;
  if (this.requests[name] && this.requests[name].length) {
    req = this.requests[name][0];
  }
  if (req && req[kRequestOptions]) {
    const opts = req[kRequestOptions];
    req[kRequestOptions] = undefined;
    this.createSocket(req, opts, (err, socket) => {
      if (err) req.onSocket(socket, err);
      else socket.emit('free');
    });
  }
};

Agent.prototype.keepSocketAlive = function keepSocketAlive(socket) {
  socket.setKeepAlive(true, this.keepAliveMsecs);
  socket.unref();
  let agentTimeout = this.options.timeout || 0;
  let canKeepSocketAlive = true;
  const res = socket._httpMessage && socket._httpMessage.res;
  if (res) {
    const hint = /^timeout=(\d+)/.exec(res.headers['keep-alive'] || '');
    if (hint) {
      let serverHintTimeout = parseInt(hint[1], 10) * 1000 - HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER;
      serverHintTimeout = serverHintTimeout > 0 ? serverHintTimeout : 0;
      if (serverHintTimeout === 0) canKeepSocketAlive = false;
      else if (serverHintTimeout < agentTimeout) agentTimeout = serverHintTimeout;
    }
  }
  if (socket.timeout !== agentTimeout) socket.setTimeout(agentTimeout);
  return canKeepSocketAlive;
};

Agent.prototype.reuseSocket = function reuseSocket(socket, req) {
  socket.removeListener('error', freeSocketErrorListener);
  req.reusedSocket = true;
  socket.ref();
};

Agent.prototype.destroy = function destroy() {
  for (const set of [this.freeSockets, this.sockets]) {
    for (const key of Object.keys(set)) for (const s of set[key]) s.destroy();
  }
};

function setRequestSocket(agent, req, socket) {
  req.onSocket(socket);
  const agentTimeout = agent.options.timeout || 0;
  if (req.timeout === undefined || req.timeout === agentTimeout) return;
  socket.setTimeout(req.timeout);
}

const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

// ---- ClientRequest -------------------------------------------------------------------

function urlToHttpOptions(url) {
  const options = {
    protocol: url.protocol,
    hostname: url.hostname && url.hostname[0] === '[' ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  };
  if (url.port !== '') options.port = Number(url.port);
  if (url.username || url.password)
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return options;
}

function ClientRequest(input, options, cb) {
  OutgoingMessage.call(this);
  if (typeof input === 'string') {
    input = urlToHttpOptions(new URL(input));
  } else if (input instanceof URL) {
    input = urlToHttpOptions(input);
  } else {
    cb = options;
    options = input;
    input = null;
  }
  if (typeof options === 'function') {
    cb = options;
    options = input || {};
  } else {
    options = Object.assign(input || {}, options);
  }
  let agent = options.agent;
  const defaultAgent = options._defaultAgent || globalAgent;
  if (agent === false) agent = new defaultAgent.constructor();
  else if (agent === null || agent === undefined) {
    if (typeof options.createConnection !== 'function') agent = defaultAgent;
  } else if (typeof agent.addRequest !== 'function') {
    throw invalidArgType('options.agent', 'of type Agent-like Object, undefined, or false', agent);
  }
  this.agent = agent;
  const protocol = options.protocol || defaultAgent.protocol;
  const expectedProtocol = (this.agent && this.agent.protocol) || defaultAgent.protocol;
  if (protocol !== expectedProtocol)
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_PROTOCOL',
      `Protocol "${protocol}" not supported. Expected "${expectedProtocol}"`,
    );
  const defaultPort = options.defaultPort || (this.agent && this.agent.defaultPort);
  const opts = { ...options };
  const port = (opts.port = options.port || defaultPort || 80);
  const hostName = (opts.host = options.hostname || options.host || 'localhost');
  const setHost = options.setHost === undefined || Boolean(options.setHost);
  if (options.timeout !== undefined) this.timeout = options.timeout;
  let method = options.method;
  if (method !== null && method !== undefined && typeof method !== 'string')
    throw invalidArgType('options.method', 'of type string', method);
  if (method) {
    if (!checkIsHttpToken(method))
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_HTTP_TOKEN',
        `Method must be a valid HTTP token ["${method}"]`,
      );
    method = this.method = method.toUpperCase();
  } else {
    method = this.method = 'GET';
  }
  this.path = options.path || '/';
  if (options.path && /[^\u0021-\u00ff]/.test(options.path))
    throw makeNodeError(
      TypeError,
      'ERR_UNESCAPED_CHARACTERS',
      'Request path contains unescaped characters',
    );
  if (cb) this.once('response', cb);
  this.useChunkedEncodingByDefault = ![
    'GET',
    'HEAD',
    'DELETE',
    'OPTIONS',
    'TRACE',
    'CONNECT',
  ].includes(method);
  this._ended = false;
  this.res = null;
  this.aborted = false;
  this.timeoutCb = null;
  this.upgradeOrConnect = false;
  this.parser = null;
  this.maxHeadersCount = null;
  this.reusedSocket = false;
  this.host = hostName;
  this.protocol = protocol;
  if (this.agent) {
    if (!this.agent.keepAlive && !Number.isFinite(this.agent.maxSockets)) {
      this._last = true;
      this.shouldKeepAlive = false;
    } else {
      this._last = false;
      this.shouldKeepAlive = true;
    }
  }
  if (!Array.isArray(options.headers)) {
    if (options.headers)
      for (const key of Object.keys(options.headers)) this.setHeader(key, options.headers[key]);
    if (hostName && !this.getHeader('host') && setHost) {
      let hostHeader = hostName;
      if (hostHeader.includes(':') && hostHeader[0] !== '[') hostHeader = `[${hostHeader}]`;
      if (port && +port !== defaultPort) hostHeader += ':' + port;
      this.setHeader('Host', hostHeader);
    }
    if (options.auth && !this.getHeader('Authorization'))
      this.setHeader('Authorization', 'Basic ' + Buffer.from(options.auth).toString('base64'));
  } else {
    this._storeHeader(this.method + ' ' + this.path + ' HTTP/1.1\r\n', options.headers);
  }
  if (options.signal) {
    const signal = options.signal;
    const onAbort = () => this.destroy(abortErrorFor(signal));
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      finished(this, () => signal.removeEventListener('abort', onAbort));
    }
  }
  if (this.agent) {
    this.agent.addRequest(this, opts);
  } else {
    this._last = true;
    this.shouldKeepAlive = false;
    if (typeof opts.createConnection === 'function') {
      const socket = opts.createConnection(opts, (err, s) => {
        if (err) nextTick(() => this.emit('error', err));
        else this.onSocket(s);
      });
      if (socket) this.onSocket(socket);
    } else {
      this.onSocket(net.createConnection(opts));
    }
  }
}
Object.setPrototypeOf(ClientRequest.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ClientRequest, OutgoingMessage);

function abortErrorFor(signal) {
  const e = new Error('The operation was aborted', { cause: signal.reason });
  e.code = 'ABORT_ERR';
  e.name = 'AbortError';
  return e;
}

ClientRequest.prototype._implicitHeader = function _implicitHeader() {
  if (this._header)
    throw makeNodeError(
      Error,
      'ERR_HTTP_HEADERS_SENT',
      'Cannot render headers after they are sent to the client',
    );
  this._storeHeader(this.method + ' ' + this.path + ' HTTP/1.1\r\n', this[kOutHeaders]);
};

ClientRequest.prototype.abort = function abort() {
  if (this.aborted) return;
  this.aborted = true;
  nextTick(() => this.emit('abort'));
  this.destroy();
};

ClientRequest.prototype.destroy = function destroy(err) {
  if (this.destroyed) return this;
  this.destroyed = true;
  if (this.res) this.res._dump();
  this[kError] = err;
  if (this.socket) this.socket.destroy(err);
  return this;
};
const kError = Symbol('kError');

function emitErrorEvent(request, error) {
  request.emit('error', error);
}

function ondrain() {
  const msg = this._httpMessage;
  if (msg && !msg.finished && msg.writableNeedDrain) msg.emit('drain');
}

function socketCloseListener() {
  const socket = this;
  const req = socket._httpMessage;
  const parser = socket.parser;
  const res = req.res;
  req.destroyed = true;
  if (res) {
    if (!res.complete) res.destroy(connResetException('aborted'));
    req._closed = true;
    req.emit('close');
    if (!res.aborted && res.readable) res.push(null);
  } else {
    if (!req.socket._hadError) {
      req.socket._hadError = true;
      emitErrorEvent(req, connResetException('socket hang up'));
    }
    req._closed = true;
    req.emit('close');
  }
  if (req.outputData) req.outputData.length = 0;
  if (parser) {
    parser.finish();
    freeParser(parser, req, socket);
  }
}

function socketErrorListener(err) {
  const socket = this;
  const req = socket._httpMessage;
  if (req) {
    req.socket._hadError = true;
    emitErrorEvent(req, err);
  }
  const parser = socket.parser;
  if (parser) {
    parser.finish();
    freeParser(parser, req, socket);
  }
  socket.removeListener('data', socketOnDataClient);
  socket.removeListener('end', socketOnEndClient);
  socket.destroy();
}

function socketOnEndClient() {
  const socket = this;
  const req = this._httpMessage;
  const parser = this.parser;
  if (!req.res && !req.socket._hadError) {
    req.socket._hadError = true;
    emitErrorEvent(req, connResetException('socket hang up'));
  }
  if (parser) {
    parser.finish();
    freeParser(parser, req, socket);
  }
  socket.destroy();
}

function socketOnDataClient(d) {
  const socket = this;
  const req = this._httpMessage;
  const parser = this.parser;
  const ret = parser.execute(d);
  if (ret instanceof Error) {
    freeParser(parser, req, socket);
    socket.removeListener('data', socketOnDataClient);
    socket.removeListener('end', socketOnEndClient);
    socket.destroy();
    req.socket._hadError = true;
    emitErrorEvent(req, ret);
  } else if (
    parser.incoming &&
    parser.incoming.complete &&
    !statusIsInformational(parser.incoming.statusCode)
  ) {
    socket.removeListener('data', socketOnDataClient);
    socket.removeListener('end', socketOnEndClient);
    socket.removeListener('drain', ondrain);
    freeParser(parser, req, socket);
  }
}

function statusIsInformational(status) {
  return status < 200 && status >= 100 && status !== 101;
}

function parserOnIncomingClient(res, shouldKeepAlive) {
  const socket = this.socket;
  const req = socket._httpMessage;
  if (req.res) {
    socket.destroy();
    return 0;
  }
  req.res = res;
  if (statusIsInformational(res.statusCode)) {
    req.res = null;
    if (res.statusCode === 100) req.emit('continue');
    req.emit('information', {
      statusCode: res.statusCode,
      statusMessage: res.statusMessage,
      httpVersion: res.httpVersion,
      httpVersionMajor: res.httpVersionMajor,
      httpVersionMinor: res.httpVersionMinor,
      headers: res.headers,
      rawHeaders: res.rawHeaders,
    });
    return 1;
  }
  if (req.shouldKeepAlive && !shouldKeepAlive && !req.upgradeOrConnect) req.shouldKeepAlive = false;
  res.req = req;
  res.on('end', responseOnEnd);
  req.on('finish', requestOnFinish);
  socket.on('timeout', responseOnTimeout);
  if (req.aborted || !req.emit('response', res)) res._dump();
  if (req.method === 'HEAD') return 1;
  if (res.statusCode === 304) {
    res.complete = true;
    return 1;
  }
  return 0;
}

function responseKeepAlive(req) {
  const socket = req.socket;
  if (req.timeoutCb) {
    socket.setTimeout(0, req.timeoutCb);
    req.timeoutCb = null;
  }
  socket.removeListener('close', socketCloseListener);
  socket.removeListener('error', socketErrorListener);
  socket.removeListener('data', socketOnDataClient);
  socket.removeListener('end', socketOnEndClient);
  nextTick(emitFreeNT, req);
  req.destroyed = true;
  if (req.res) req.res.socket = null;
}

function responseOnEnd() {
  const req = this.req;
  const socket = req.socket;
  if (socket) {
    if (req.timeoutCb) socket.removeListener('timeout', emitRequestTimeout);
    socket.removeListener('timeout', responseOnTimeout);
  }
  req._ended = true;
  if (!req.shouldKeepAlive) {
    if (socket.writable) {
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
    }
  } else if (req.writableFinished && !this.aborted) {
    responseKeepAlive(req);
  }
}

function responseOnTimeout() {
  const req = this._httpMessage;
  if (req && req.res) req.res.emit('timeout');
}

function requestOnFinish() {
  if (this.shouldKeepAlive && this._ended) responseKeepAlive(this);
}

function emitFreeNT(req) {
  req._closed = true;
  req.emit('close');
  if (req.socket) req.socket.emit('free');
}

function emitRequestTimeout() {
  const req = this._httpMessage;
  if (req) req.emit('timeout');
}

function listenSocketTimeout(req) {
  if (req.timeoutCb) return;
  req.timeoutCb = emitRequestTimeout;
  if (req.socket) req.socket.once('timeout', emitRequestTimeout);
  else req.on('socket', (socket) => socket.once('timeout', emitRequestTimeout));
}

function tickOnSocket(req, socket) {
  const parser = new HTTPParser('response');
  req.socket = socket;
  parser.socket = socket;
  parser.outgoing = req;
  req.parser = parser;
  socket.parser = parser;
  socket._httpMessage = req;
  parser.joinDuplicateHeaders = req.joinDuplicateHeaders;
  parser.onIncoming = parserOnIncomingClient;
  socket.on('error', socketErrorListener);
  socket.on('data', socketOnDataClient);
  socket.on('end', socketOnEndClient);
  socket.on('close', socketCloseListener);
  socket.on('drain', ondrain);
  if (req.timeout !== undefined || (req.agent && req.agent.options && req.agent.options.timeout))
    listenSocketTimeout(req);
  req.emit('socket', socket);
}

ClientRequest.prototype.onSocket = function onSocket(socket, err) {
  nextTick(onSocketNT, this, socket, err);
};

function onSocketNT(req, socket, err) {
  if (req.destroyed || err) {
    req.destroyed = true;
    const destroyReq = (e) => {
      if (!req.aborted && !e) e = connResetException('socket hang up');
      if (e) emitErrorEvent(req, e);
      req._closed = true;
      req.emit('close');
    };
    if (socket) {
      if (!err && req.agent && !socket.destroyed) {
        socket.emit('free');
      } else {
        finished(socket.destroy(err || req[kError]), (er) => {
          if (er && er.code === 'ERR_STREAM_PREMATURE_CLOSE') er = null;
          destroyReq(er || err);
        });
        return;
      }
    }
    destroyReq(err || req[kError]);
  } else {
    tickOnSocket(req, socket);
    req._flush();
  }
}

ClientRequest.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.once('timeout', callback);
  listenSocketTimeout(this);
  if (this.socket) this.socket.setTimeout(msecs);
  else this.once('socket', (s) => s.setTimeout(msecs));
  return this;
};

ClientRequest.prototype.setNoDelay = function setNoDelay() {};
ClientRequest.prototype.setSocketKeepAlive = function setSocketKeepAlive() {};

// ---- the module ------------------------------------------------------------------------

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

const http = {
  METHODS: [...METHODS].sort(),
  STATUS_CODES,
  Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server: HttpServer,
  ServerResponse,
  createServer: (options, handler) => new HttpServer(options, handler),
  request,
  get(url, options, cb) {
    const req = request(url, options, cb);
    req.end();
    return req;
  },
  validateHeaderName,
  validateHeaderValue,
  globalAgent,
  maxHeaderSize: 16384,
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
