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

/* global Buffer, Duplex, EventEmitter, Timeout, clearTimeout, costs, dns, inspect,
   invalidArgType, makeNodeError, nextTick, register, remoteConnect, remoteRoundTrip,
   remoteServiceAt, toBytes, toKernel, validateFunction */

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
    if (typeof options === 'function') {
      connectionListener = options;
      options = {};
    }
    options = options || {};
    this.allowHalfOpen = options.allowHalfOpen || false;
    this.pauseOnConnect = !!options.pauseOnConnect;
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

// net.Socket (lib/net.js): a Duplex stream over a socket handle. Bytes written are sent
// through the kernel at once (a loopback write never waits: its callback runs from a nextTick,
// as the stream layer does for a synchronous write); bytes received are pushed into the
// readable side from the poll phase; end() sends FIN from `_final` and 'finish' follows the
// shutdown's completion; EOF pushes null ('end' from a nextTick), and with allowHalfOpen false
// (the default) the stream layer ends the writable side too; once both sides are done the
// socket destroys itself and its handle's close callback emits 'close' in the close phase.
class Socket extends Duplex {
  constructor(options) {
    options = options !== null && typeof options === 'object' ? { ...options } : {};
    // The stream layer's options for a socket, as Node sets them.
    options.allowHalfOpen = Boolean(options.allowHalfOpen);
    options.emitClose = false;
    options.autoDestroy = true;
    options.decodeStrings = false;
    super(options);
    this.connecting = false;
    this._handle = null;
    this._peer = null;
    this._server = null;
    this.server = null;
    this._hadError = false;
    this._reading = false; // the handle is reading (readStart)
    this._readEnded = false; // EOF received
    this._sentEof = false; // our FIN went out
    this._unread = null; // bytes in our kernel buffer, not yet read
    this._unreadInFlight = false; // a watcher will deliver them
    this._pendingData = null;
    this._bytesDispatched = 0;
    this.bytesRead = 0;
    this.remoteAddress = undefined;
    this.remotePort = undefined;
    this.remoteFamily = undefined;
    this.localAddress = undefined;
    this.localPort = undefined;
    this.timeout = undefined;
    this._idleTimer = null;
    this.on('end', onReadableStreamEnd);
    if (options.handle) {
      this._handle = options.handle;
      if (options.readable !== false) this.read(0);
    }
  }
  get pending() {
    return !this._handle || this.connecting;
  }
  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  }
  get bytesWritten() {
    let bytes = this._bytesDispatched;
    if (this._pendingData) bytes += this._pendingData.length;
    for (const el of this.writableBuffer) bytes += el.chunk.length;
    return bytes;
  }
  ref() {
    if (this._handle) host.handleRef(this._handle, true);
    return this;
  }
  unref() {
    if (this._handle) host.handleRef(this._handle, false);
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
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
  address() {
    return {
      address: this.localAddress,
      family: ipFamily(this.localAddress || '127.0.0.1'),
      port: this.localPort,
    };
  }
  connect(...args) {
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
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
    const service = remoteServiceAt(address, port);
    if (service) {
      this._connectRemote(service, address, port);
      return;
    }
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
    const clientPort = nextPort++;
    const peerHandle = host.openHandle('socket', `net.Socket <- ${address}:${port}`);
    this.remoteAddress = address;
    this.remotePort = port;
    this.remoteFamily = ipFamily(address);
    this.localAddress = address;
    this.localPort = clientPort;
    // The listening socket is already in epoll when the handshake completes inside connect(),
    // while the client's socket joins epoll only at the next poll: the server hears first.
    toKernel('accept', costs.loopbackLatency, server._handle, 'onconnection', () => {
      // onconnection: the server's socket for this connection.
      const peer = new Socket({
        handle: peerHandle,
        allowHalfOpen: server.allowHalfOpen,
        readable: true,
        writable: true,
      });
      peer.remoteAddress = address;
      peer.remotePort = clientPort;
      peer.remoteFamily = ipFamily(address);
      peer.localAddress = address;
      peer.localPort = port;
      peer._peer = this;
      this._peer = peer;
      if (!server._handle) {
        // Closed meanwhile: the connection is dropped, the client reads EOF.
        peer.destroy();
        return;
      }
      // Bytes the client sent before the server accepted wait in the new socket's buffer.
      const early = this._earlyBytes;
      this._earlyBytes = null;
      if (early) for (const chunk of early) this._send(chunk, 0);
      server._connections++;
      peer.server = server;
      peer._server = server;
      server.emit('connection', peer);
    });
    toKernel('connect', costs.loopbackLatency, this._handle, 'afterConnect', () =>
      this._afterConnect(),
    );
  }
  // A connection to a simulated remote service (internal/remote.js): the handshake takes a
  // round trip, then the service is this socket's peer.
  _connectRemote(service, address, port) {
    this.remoteAddress = address;
    this.remotePort = port;
    this.remoteFamily = 'IPv4';
    this.localAddress = '10.0.0.2';
    this.localPort = nextPort++;
    toKernel('connect', remoteRoundTrip(), this._handle, 'afterConnect', () => {
      if (this.destroyed) return;
      this._peer = remoteConnect(service, this);
      this._afterConnect();
    });
  }
  _afterConnect() {
    if (this.destroyed) return;
    this.connecting = false;
    this._unrefTimer();
    this.emit('connect');
    this.emit('ready');
    if (!this.isPaused()) this.read(0);
  }
  _read(n) {
    if (this.connecting || !this._handle) {
      this.once('connect', () => this._read(n));
    } else if (!this._reading) {
      this._reading = true;
      // Bytes that waited in the kernel while we were not reading: epoll reports them at the
      // next poll.
      if (this._unread && !this._unreadInFlight) this._deliverLater(0);
    }
  }
  _write(data, encoding, cb) {
    this._writeGeneric(false, data, encoding, cb);
  }
  _writev(chunks, cb) {
    this._writeGeneric(true, chunks, '', cb);
  }
  _writeGeneric(writev, data, encoding, cb) {
    if (this.connecting) {
      this._pendingData = writev
        ? Buffer.concat(data.map((c) => toBytes(c.chunk, c.encoding)))
        : toBytes(data, encoding);
      const onClose = () =>
        cb(
          makeNodeError(
            Error,
            'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
            'Socket closed before the connection was established',
          ),
        );
      this.once('connect', () => {
        this.off('close', onClose);
        this._writeGeneric(writev, data, encoding, cb);
      });
      this.once('close', onClose);
      return;
    }
    this._pendingData = null;
    if (!this._handle) {
      cb(makeNodeError(Error, 'ERR_SOCKET_CLOSED', 'Socket is closed'));
      return;
    }
    this._unrefTimer();
    const bytes = writev
      ? Buffer.concat(data.map((c) => toBytes(c.chunk, c.encoding)))
      : toBytes(data, encoding);
    this._bytesDispatched += bytes.length;
    this._send({ data: bytes });
    // A loopback write completes synchronously.
    cb();
  }
  // `latency`: how long the bytes take to reach the peer's socket (a destroy's EOF takes none:
  // close(2) on loopback makes the peer readable at once).
  _send(chunk, latency = costs.loopbackLatency) {
    const peer = this._peer;
    if (!peer) {
      // Not accepted yet: the bytes wait for the server's socket to exist.
      if (this._handle && !this.destroyed) (this._earlyBytes = this._earlyBytes || []).push(chunk);
      return;
    }
    if (peer.destroyed || !peer._handle) return;
    // Bytes not yet read by the peer sit in its kernel buffer: a later write joins them, and
    // one read returns them together (then the EOF, if it came too), as TCP on loopback does.
    const pending = peer._unread;
    if (pending && !pending.eof) {
      if (chunk.eof) pending.eof = true;
      else pending.data = pending.data ? Buffer.concat([pending.data, chunk.data]) : chunk.data;
      return;
    }
    peer._unread = { data: chunk.eof ? null : chunk.data, eof: !!chunk.eof };
    peer._deliverLater(latency, chunk.eof ? 'EOF' : 'data');
  }
  // A watcher on our handle: the kernel reports our unread bytes (and EOF) after `latency`.
  _deliverLater(latency, what = this._unread && this._unread.data ? 'data' : 'EOF') {
    this._unreadInFlight = true;
    toKernel(what, latency, this._handle, 'onStreamRead', () => {
      this._unreadInFlight = false;
      const record = this._unread;
      if (!record || this.destroyed) return;
      // Not reading (the stream's buffer is full): the bytes stay in the kernel.
      if (!this._reading) return;
      this._unread = null;
      if (record.data && record.data.length) this._onRead(record.data);
      if (record.eof) this._onEof();
    });
  }
  // onStreamRead with bytes.
  _onRead(data) {
    this._unrefTimer();
    if (this.destroyed) return;
    this.bytesRead += data.length;
    if (!this.push(data)) this._reading = false;
  }
  // onStreamRead with EOF.
  _onEof() {
    this._unrefTimer();
    this._readEnded = true;
    if (this._readableState.endEmitted) return;
    this.push(null);
    this.read(0);
  }
  _final(cb) {
    if (this.pending) {
      if (!this._handle) return cb();
      this.once('connect', () => this._final(cb));
      return;
    }
    // uv_shutdown waits for the socket to be writable (a later poll phase); then uv__drain
    // calls shutdown(2), which sends the FIN, and completes. If the peer has closed
    // completely, epoll reports a hang-up with the EOF and libuv drains the shutdown in the
    // same I/O callback (uv__stream_io → uv__drain).
    if (this._readEnded && this._peer && this._peer.destroyed) cb();
    else
      toKernel('shutdown', 0, this._handle, 'afterShutdown', () => {
        if (!this._sentEof) {
          this._sentEof = true;
          this._send({ eof: true });
        }
        cb();
      });
  }
  _destroy(exception, cb) {
    this.connecting = false;
    clearTimeout(this._idleTimer);
    this._idleTimer = null;
    // uv_close → uv__stream_close closes the descriptor now: the peer reads EOF in this very
    // iteration's poll phase, before this side's close callback (the close phase).
    if (this._peer && !this._sentEof && !this._peer.destroyed && this._peer._handle) {
      this._sentEof = true;
      this._send({ eof: true }, 0);
    }
    const handle = this._handle;
    if (handle) {
      const isException = !!exception;
      this._handle = null;
      host.closeHandle(
        handle,
        register(() => this.emit('close', isException), undefined, undefined, false),
        'onClose',
      );
      cb(exception);
    } else {
      cb(exception);
      nextTick(() => this.emit('close', false));
    }
    if (this._server) {
      this._server._connections--;
      this._server._emitCloseIfDrained();
    }
  }
  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', this.destroy);
  }
}

// With allowHalfOpen false, a write after the peer's FIN fails with EPIPE.
function onReadableStreamEnd() {
  if (!this.allowHalfOpen) this.write = writeAfterFIN;
}
function writeAfterFIN(chunk, encoding, cb) {
  if (!this.writableEnded) return Duplex.prototype.write.call(this, chunk, encoding, cb);
  if (typeof encoding === 'function') cb = encoding;
  const er = new Error('This socket has been ended by the other party');
  er.code = 'EPIPE';
  if (typeof cb === 'function') nextTick(cb, er);
  this.destroy(er);
  return false;
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
