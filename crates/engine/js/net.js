// net (lib/net.js): TCP over loopback. Servers and sockets are handles; bytes travel through
// the kernel.
//
// HOW: a connection is two Socket objects joined by the simulated kernel: a write becomes a
// watcher on the peer's handle that is ready after the loopback latency, so its 'data' arrives
// in a later poll phase. Node's event order is kept: 'listening' via nextTicks, the server's
// 'connection' before the client's 'connect', unread bytes coalesced into one read, 'end' via
// nextTick (endReadableNT), 'finish' after uv_shutdown completes, 'close' in the close phase.
// `socket.setTimeout(ms)` is Node's idle timeout (lib/internal/stream_base_commons.js): an
// unref'd Timeout, refreshed by every read, write and the connection itself, that emits
// 'timeout' (only a notification: the socket stays open).

/* global Buffer, EventEmitter, Timeout, clearTimeout, costs, dns, inspect, invalidArgType,
   makeNodeError, nextTick, register, toBytes, toKernel, validateFunction */

let nextPort = 40000;
const listeners = new Map(); // "host:port" -> Server

function ipFamily(address) {
  return address.includes(':') ? 'IPv6' : 'IPv4';
}

// What net.Server and net.Socket share (Node's HandleWrap): a libuv handle that keeps the loop
// alive while it is ref'd.
class HandleWrap extends EventEmitter {
  ref() {
    if (this._handle) host.handleRef(this._handle, true);
    return this;
  }
  unref() {
    if (this._handle) host.handleRef(this._handle, false);
    return this;
  }
}

class Server extends HandleWrap {
  constructor(options, connectionListener) {
    super();
    if (typeof options === 'function') connectionListener = options;
    if (connectionListener) this.on('connection', connectionListener);
    this._handle = null;
    this._connections = 0;
    this._address = null;
    this._closeCallbacks = 0;
    this.listening = false;
  }
  listen(...args) {
    let cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    let port = 0;
    let hostname;
    if (typeof args[0] === 'object' && args[0] !== null) {
      port = args[0].port || 0;
      hostname = args[0].host;
    } else {
      port = args[0] === undefined ? 0 : Number(args[0]);
      if (typeof args[1] === 'string') hostname = args[1];
    }
    if (cb) this.once('listening', cb);
    const bind = (address) => {
      const p = port === 0 ? nextPort++ : port;
      const key = `${address}:${p}`;
      if (listeners.has(key)) {
        const e = new Error(`listen EADDRINUSE: address already in use ${address}:${p}`);
        e.code = 'EADDRINUSE';
        e.errno = -98;
        e.syscall = 'listen';
        e.address = address;
        e.port = p;
        nextTick(() => this.emit('error', e));
        return;
      }
      this._handle = host.openHandle('server', `${this._kind || 'net.Server'} ${address}:${p}`);
      this._address = { address, family: ipFamily(address), port: p };
      listeners.set(key, this);
      listeners.set(`*:${p}`, this);
      this.listening = true;
      // setupListenHandle: 'listening' is emitted from a nextTick.
      nextTick(() => this.emit('listening'));
    };
    if (hostname === undefined) bind('::');
    // lookupAndListen: dns.lookup of a literal address answers through a nextTick.
    else if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) nextTick(() => bind(hostname));
    else dns.lookup(hostname, (err, address) => (err ? this.emit('error', err) : bind(address)));
    return this;
  }
  address() {
    return this._address ? { ...this._address } : null;
  }
  close(cb) {
    if (typeof cb === 'function') {
      if (!this._handle)
        this.once('close', () =>
          cb(makeNodeError(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.')),
        );
      else this.once('close', cb);
    }
    if (this._handle) {
      host.closeHandle(this._handle, 0, 'server.close');
      this._handle = null;
      for (const [k, s] of listeners) if (s === this) listeners.delete(k);
      this.listening = false;
    }
    this._emitCloseIfDrained();
    return this;
  }
  _emitCloseIfDrained() {
    if (this._handle || this._connections > 0) return;
    nextTick(() => this.emit('close'));
  }
  getConnections(cb) {
    nextTick(cb, null, this._connections);
    return this;
  }
}

class Socket extends HandleWrap {
  constructor() {
    super();
    this._handle = null;
    this._peer = null;
    this._server = null;
    this.connecting = false;
    this.destroyed = false;
    this._readEnded = false; // EOF received
    this._writeEnded = false; // end() called
    this._finished = false;
    this._unread = null;
    this._encoding = null;
    this.bytesRead = 0;
    this.bytesWritten = 0;
    this.remoteAddress = undefined;
    this.remotePort = undefined;
    this.localAddress = undefined;
    this.localPort = undefined;
    this.timeout = undefined;
    this._idleTimer = null;
  }
  setEncoding(enc) {
    this._encoding = enc;
    return this;
  }
  setNoDelay() {
    return this;
  }
  setTimeout(msecs, callback) {
    if (this.destroyed) return this;
    this.timeout = msecs;
    // getTimerDuration: validateNumber, then a non-negative finite number.
    if (typeof msecs !== 'number') throw invalidArgType('msecs', 'of type number', msecs);
    if (msecs < 0 || !Number.isFinite(msecs)) {
      throw makeNodeError(
        RangeError,
        'ERR_OUT_OF_RANGE',
        `The value of "msecs" is out of range. It must be a non-negative finite number. Received ${inspect(msecs)}`,
      );
    }
    clearTimeout(this._idleTimer);
    this._idleTimer = null;
    if (msecs === 0) {
      if (callback !== undefined) {
        validateFunction(callback, 'callback');
        this.removeListener('timeout', callback);
      }
    } else {
      this._idleTimer = new Timeout(this._onTimeout.bind(this), msecs, undefined, false, false);
      if (callback !== undefined) {
        validateFunction(callback, 'callback');
        this.once('timeout', callback);
      }
    }
    return this;
  }
  _onTimeout() {
    this.emit('timeout');
  }
  // Activity restarts the idle timeout (Node's `_unrefTimer`).
  _unrefTimer() {
    if (this._idleTimer) this._idleTimer.refresh();
  }
  setKeepAlive() {
    return this;
  }
  address() {
    return {
      address: this.localAddress,
      family: ipFamily(this.localAddress || '127.0.0.1'),
      port: this.localPort,
    };
  }
  connect(...args) {
    let cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    let port;
    let hostname = 'localhost';
    if (typeof args[0] === 'object' && args[0] !== null) {
      port = args[0].port;
      hostname = args[0].host || 'localhost';
    } else {
      port = Number(args[0]);
      if (typeof args[1] === 'string') hostname = args[1];
    }
    if (cb) this.once('connect', cb);
    this.connecting = true;
    this._handle = host.openHandle('socket', `net.Socket -> ${hostname}:${port}`);
    const go = (address) => this._startConnect(address, port);
    if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) nextTick(() => go(hostname));
    else dns.lookup(hostname, (err, address) => (err ? this.destroy(err) : go(address)));
    return this;
  }
  _startConnect(address, port) {
    if (this.destroyed) return;
    const server = listeners.get(`${address}:${port}`) || listeners.get(`*:${port}`);
    if (!server) {
      // The kernel refuses at once; libuv reports it through the pending queue.
      const e = new Error(`connect ECONNREFUSED ${address}:${port}`);
      e.errno = -111;
      e.code = 'ECONNREFUSED';
      e.syscall = 'connect';
      e.address = address;
      e.port = port;
      host.pending(
        register(() => this.destroy(e), undefined, undefined, false),
        'afterConnect',
      );
      return;
    }
    const peer = new Socket();
    peer._handle = host.openHandle('socket', `net.Socket <- ${address}:${port}`);
    peer._server = server;
    peer._peer = this;
    this._peer = peer;
    const clientPort = nextPort++;
    this.remoteAddress = address;
    this.remotePort = port;
    this.localAddress = address;
    this.localPort = clientPort;
    peer.remoteAddress = address;
    peer.remotePort = clientPort;
    peer.localAddress = address;
    peer.localPort = port;
    // The listening socket is already in epoll when the handshake completes inside connect(),
    // while the client's socket joins epoll only at the next poll: the server hears first.
    toKernel('accept', costs.loopbackLatency, server._handle, 'onconnection', () => {
      if (!server._handle) {
        peer.destroy();
        return;
      }
      server._connections++;
      server.emit('connection', peer);
    });
    toKernel('connect', costs.loopbackLatency, this._handle, 'afterConnect', () => {
      if (this.destroyed) return;
      this.connecting = false;
      this._unrefTimer();
      this.emit('connect');
      this.emit('ready');
    });
  }
  write(data, encoding, cb) {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    if (this._writeEnded || this.destroyed) {
      const e = makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      nextTick(() => {
        if (cb) cb(e);
        this.emit('error', e);
      });
      return false;
    }
    const bytes = toBytes(data, encoding);
    this._unrefTimer();
    this.bytesWritten += bytes.length;
    this._send({ data: bytes });
    // A synchronous write completes at once; the stream calls back from a nextTick.
    if (cb) nextTick(cb, null);
    return true;
  }
  // `latency`: how long the bytes take to reach the peer's socket (a destroy's EOF takes none:
  // close(2) on loopback makes the peer readable at once).
  _send(chunk, latency = costs.loopbackLatency) {
    const peer = this._peer;
    if (!peer || peer.destroyed || !peer._handle) return;
    // Bytes not yet read by the peer sit in its kernel buffer: a later write joins them, and
    // one read returns them together (then the EOF, if it came too), as TCP on loopback does.
    const pending = peer._unread;
    if (pending && !pending.eof) {
      if (chunk.eof) pending.eof = true;
      else pending.data = pending.data ? Buffer.concat([pending.data, chunk.data]) : chunk.data;
      return;
    }
    const record = { data: chunk.eof ? null : chunk.data, eof: !!chunk.eof };
    peer._unread = record;
    toKernel(chunk.eof ? 'EOF' : 'data', latency, peer._handle, 'onStreamRead', () => {
      if (peer._unread === record) peer._unread = null;
      if (record.data && record.data.length) peer._receive({ data: record.data });
      if (record.eof) peer._receive({ eof: true });
    });
  }
  _receive(chunk) {
    if (this.destroyed) return;
    if (chunk.eof) {
      this._readEnded = true;
      // push(null): 'end' is emitted from a nextTick (endReadableNT).
      nextTick(() => {
        if (this.destroyed) return;
        this.emit('end');
        // allowHalfOpen is false: answer the peer's end with our own.
        if (!this._writeEnded) this.end();
        else this._maybeDestroy();
      });
      return;
    }
    this._unrefTimer();
    this.bytesRead += chunk.data.length;
    this.emit('data', this._encoding ? chunk.data.toString(this._encoding) : chunk.data);
  }
  end(data, encoding, cb) {
    if (typeof data === 'function') {
      cb = data;
      data = undefined;
    }
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    if (data !== undefined && data !== null) this.write(data, encoding);
    if (cb) this.once('finish', cb);
    if (this._writeEnded) return this;
    this._writeEnded = true;
    if (this.connecting) {
      this.once('connect', () => this._shutdown());
      return this;
    }
    this._shutdown();
    return this;
  }
  _shutdown() {
    this._send({ eof: true });
    if (!this._handle) return;
    const done = () => {
      if (this.destroyed) return;
      this._finished = true;
      this.emit('finish');
      this._maybeDestroy();
    };
    // uv_shutdown completes when the socket is next writable: a later poll phase. If the peer
    // has closed completely, epoll reports a hang-up with the EOF and libuv drains the shutdown
    // in the same I/O callback (uv__stream_io → uv__drain).
    if (this._readEnded && this._peer && this._peer.destroyed) nextTick(done);
    else toKernel('shutdown', 0, this._handle, 'afterShutdown', done);
  }
  _maybeDestroy() {
    if (this._readEnded && this._finished && !this.destroyed) this.destroy();
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.connecting = false;
    clearTimeout(this._idleTimer);
    this._idleTimer = null;
    // uv_close → uv__stream_close closes the descriptor now: the peer reads EOF in this very
    // iteration's poll phase, before this side's close callback (the close phase).
    if (this._peer && !this._writeEnded && !this._peer.destroyed && this._peer._handle)
      this._send({ eof: true }, 0);
    if (this._server) {
      this._server._connections--;
      this._server._emitCloseIfDrained();
    }
    const handle = this._handle;
    this._handle = null;
    const hadError = err !== undefined && err !== null;
    if (hadError) nextTick(() => this.emit('error', err));
    if (handle) {
      host.closeHandle(
        handle,
        register(() => this.emit('close', hadError), undefined, undefined, false),
        'onClose',
      );
    } else {
      nextTick(() => this.emit('close', hadError));
    }
    return this;
  }
}

// `net.Server()` and `net.Socket()` work without `new`, as Node's constructor functions do
// (`if (!(this instanceof Server)) return new Server(...)`); `instanceof` and `extends` see
// the classes themselves.
const callableWithoutNew = (Class) =>
  new Proxy(Class, { apply: (target, thisArg, args) => new target(...args) });

const net = {
  Server: callableWithoutNew(Server),
  Socket: callableWithoutNew(Socket),
  createServer: (options, listener) => new Server(options, listener),
  connect: (...args) => new Socket().connect(...args),
  createConnection: (...args) => new Socket().connect(...args),
  isIP: (s) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? 4 : String(s).includes(':') ? 6 : 0),
};
