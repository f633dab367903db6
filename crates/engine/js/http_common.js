// What the http server and client share (lib/_http_common.js, _http_incoming.js,
// _http_outgoing.js): an HTTP/1.1 parser, IncomingMessage (a Readable: a request on the
// server, a response on the client) and OutgoingMessage (ServerResponse and ClientRequest).
//
// HOW: the parser plays llhttp's part: fed the bytes of a socket's 'data' event, it calls back
// synchronously, in order: headers complete (which emits 'request' or 'response'), each piece
// of body (pushed into the IncomingMessage), message complete (push(null)); bodies are framed by
// Content-Length, by chunked transfer coding, or (a response only) by the connection's end.
// OutgoingMessage follows Node's: headers are kept until the first write or end() renders them
// (Content-Length when end() has the whole body, chunked otherwise, Connection: keep-alive),
// bytes go to the socket when it is assigned (corked until a nextTick on write()), and 'finish'
// comes when the socket has written the last of them: from the socket write's callback, a
// nextTick later.

/* global Buffer, Stream, Readable, finished, invalidArgType, makeNodeError, nextTick */

const STATUS_CODES = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

const METHODS = [
  'ACL',
  'BIND',
  'CHECKOUT',
  'CONNECT',
  'COPY',
  'DELETE',
  'GET',
  'HEAD',
  'LINK',
  'LOCK',
  'M-SEARCH',
  'MERGE',
  'MKACTIVITY',
  'MKCALENDAR',
  'MKCOL',
  'MOVE',
  'NOTIFY',
  'OPTIONS',
  'PATCH',
  'POST',
  'PROPFIND',
  'PROPPATCH',
  'PURGE',
  'PUT',
  'QUERY',
  'REBIND',
  'REPORT',
  'SEARCH',
  'SOURCE',
  'SUBSCRIBE',
  'TRACE',
  'UNBIND',
  'UNLINK',
  'UNLOCK',
  'UNSUBSCRIBE',
];

const tokenRegExp = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const headerCharRegex = /[^\t\x20-\x7e\x80-\xff]/;
const checkIsHttpToken = (val) => tokenRegExp.test(val);
const checkInvalidHeaderChar = (val) => headerCharRegex.test(val);

function validateHeaderName(name, label = 'Header name') {
  if (typeof name !== 'string' || !name || !checkIsHttpToken(name))
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_HTTP_TOKEN',
      `${label} must be a valid HTTP token ["${name}"]`,
    );
}
function validateHeaderValue(name, value) {
  if (value === undefined)
    throw makeNodeError(
      TypeError,
      'ERR_HTTP_INVALID_HEADER_VALUE',
      `Invalid value "${value}" for header "${name}"`,
    );
  if (checkInvalidHeaderChar(String(value)))
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_CHAR',
      `Invalid character in header content ["${name}"]`,
    );
}

function connResetException(msg) {
  const ex = new Error(msg);
  ex.code = 'ECONNRESET';
  return ex;
}

// ---- the parser (llhttp's part) ------------------------------------------------------------

const kOnHeadersComplete = 1;
const kOnBody = 2;
const kOnMessageComplete = 3;

function parseError(code, reason) {
  const e = new Error(`Parse Error: ${reason}`);
  e.code = code;
  e.reason = reason;
  return e;
}

class HTTPParser {
  constructor(type) {
    this.type = type; // 'request' or 'response'
    this.socket = null;
    this.incoming = null;
    this.outgoing = null;
    this.onIncoming = null;
    this.joinDuplicateHeaders = undefined;
    this.maxHeaderPairs = 2000;
    this._headers = [];
    this._url = '';
    this._reset();
  }
  _reset() {
    this._state = 'head';
    this._head = '';
    this._remaining = 0;
    this._chunked = false;
    this._untilEof = false;
    this._keepAlive = false;
  }
  // Feeds bytes; returns how many were used, or an Error (a malformed message).
  execute(buf) {
    let i = 0;
    while (i < buf.length) {
      if (this._state === 'head') {
        const text = this._head + Buffer.prototype.toString.call(buf, 'latin1', i, buf.length);
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          if (text.length > 16384) return parseError('HPE_HEADER_OVERFLOW', 'Header overflow');
          this._head = text;
          return buf.length;
        }
        const used = end + 4 - this._head.length;
        this._head = '';
        i += used;
        const err = this._onHead(text.slice(0, end));
        if (err) return err;
        continue;
      }
      if (this._state === 'body') {
        const n = Math.min(this._remaining, buf.length - i);
        const piece = buf.subarray(i, i + n);
        i += n;
        this._remaining -= n;
        this._call(kOnBody, Buffer.from(piece));
        if (this._remaining === 0) this._complete();
        continue;
      }
      if (this._state === 'eof-body') {
        this._call(kOnBody, Buffer.from(buf.subarray(i)));
        return buf.length;
      }
      if (
        this._state === 'chunk-size' ||
        this._state === 'chunk-end' ||
        this._state === 'trailers'
      ) {
        const text = this._head + Buffer.prototype.toString.call(buf, 'latin1', i, buf.length);
        const nl = text.indexOf('\r\n');
        if (nl < 0) {
          this._head = text;
          return buf.length;
        }
        i += nl + 2 - this._head.length;
        this._head = '';
        const line = text.slice(0, nl);
        if (this._state === 'chunk-end') {
          if (line !== '') return parseError('HPE_STRICT', 'Expected CRLF after chunk');
          this._state = 'chunk-size';
        } else if (this._state === 'trailers') {
          if (line === '') this._complete();
          else {
            const c = line.indexOf(':');
            if (c > 0) this._headers.push(line.slice(0, c).trim(), line.slice(c + 1).trim());
          }
        } else {
          const size = parseInt(line.split(';')[0], 16);
          if (Number.isNaN(size))
            return parseError('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
          if (size === 0) this._state = 'trailers';
          else {
            this._remaining = size;
            this._state = 'chunk-data';
          }
        }
        continue;
      }
      if (this._state === 'chunk-data') {
        const n = Math.min(this._remaining, buf.length - i);
        const piece = buf.subarray(i, i + n);
        i += n;
        this._remaining -= n;
        this._call(kOnBody, Buffer.from(piece));
        if (this._remaining === 0) this._state = 'chunk-end';
        continue;
      }
      if (this._state === 'upgraded') return i;
      return parseError('HPE_INVALID_CONSTANT', 'Expected HTTP/');
    }
    return i;
  }
  _onHead(head) {
    const lines = head.split('\r\n');
    const first = lines[0];
    const headers = [];
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k];
      const c = line.indexOf(':');
      if (c <= 0) return parseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
      headers.push(line.slice(0, c), line.slice(c + 1).trim());
    }
    let method;
    let url = '';
    let versionMajor;
    let versionMinor;
    let statusCode;
    let statusMessage;
    if (this.type === 'request') {
      const m = /^([A-Z-]+) (\S+) HTTP\/(\d)\.(\d)$/.exec(first);
      if (!m) return parseError('HPE_INVALID_METHOD', 'Invalid method encountered');
      method = m[1];
      url = m[2];
      versionMajor = +m[3];
      versionMinor = +m[4];
    } else {
      const m = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/.exec(first);
      if (!m) return parseError('HPE_INVALID_CONSTANT', 'Expected HTTP/');
      versionMajor = +m[1];
      versionMinor = +m[2];
      statusCode = +m[3];
      statusMessage = m[4] || '';
    }
    let contentLength = null;
    let chunked = false;
    let connection = '';
    let upgrade = false;
    for (let k = 0; k < headers.length; k += 2) {
      const name = headers[k].toLowerCase();
      const value = headers[k + 1];
      if (name === 'content-length') contentLength = parseInt(value, 10);
      else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      else if (name === 'connection') connection = value.toLowerCase();
      else if (name === 'upgrade' && this.type === 'request') upgrade = true;
    }
    if (!/\bupgrade\b/.test(connection)) upgrade = false;
    const http11 = versionMajor === 1 && versionMinor >= 1;
    let keepAlive = http11 ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    let untilEof = false;
    if (this.type === 'response' && !chunked && contentLength === null) {
      const noBody =
        statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200);
      if (!noBody) {
        untilEof = true;
        keepAlive = false;
      }
    }
    this._keepAlive = keepAlive;
    const skip = this._call(kOnHeadersComplete, {
      versionMajor,
      versionMinor,
      headers,
      method,
      url,
      statusCode,
      statusMessage,
      upgrade,
      shouldKeepAlive: keepAlive,
    });
    if (skip === 2 || upgrade) {
      this._state = 'upgraded';
      this._complete();
      return null;
    }
    if (skip === 1) {
      this._complete();
      return null;
    }
    if (chunked) {
      this._state = 'chunk-size';
    } else if (contentLength !== null && contentLength > 0) {
      this._state = 'body';
      this._remaining = contentLength;
    } else if (untilEof) {
      this._state = 'eof-body';
    } else {
      this._complete();
    }
    return null;
  }
  _complete() {
    const upgraded = this._state === 'upgraded';
    this._call(kOnMessageComplete);
    this._reset();
    if (upgraded) this._state = 'upgraded';
  }
  _call(kind, arg) {
    if (kind === kOnHeadersComplete) return parserOnHeadersComplete.call(this, arg);
    if (kind === kOnBody) return parserOnBody.call(this, arg);
    return parserOnMessageComplete.call(this);
  }
  // The connection ended: a body framed by the end is complete; a message cut short is an
  // error.
  finish() {
    if (this._state === 'eof-body') {
      this._complete();
      return undefined;
    }
    if (this._state === 'head' && this._head === '') return undefined;
    if (this._state === 'upgraded') return undefined;
    return parseError('HPE_INVALID_EOF_STATE', 'Invalid EOF state');
  }
}

function parserOnHeadersComplete(info) {
  const parser = this;
  const socket = parser.socket;
  const incoming = (parser.incoming = new IncomingMessage(socket));
  incoming.httpVersionMajor = info.versionMajor;
  incoming.httpVersionMinor = info.versionMinor;
  incoming.httpVersion = `${info.versionMajor}.${info.versionMinor}`;
  incoming.joinDuplicateHeaders =
    (socket && socket.server && socket.server.joinDuplicateHeaders) || parser.joinDuplicateHeaders;
  incoming.url = info.url;
  incoming.upgrade = info.upgrade;
  incoming._addHeaderLines(info.headers, info.headers.length);
  if (info.method !== undefined) incoming.method = info.method;
  else {
    incoming.statusCode = info.statusCode;
    incoming.statusMessage = info.statusMessage;
  }
  return parser.onIncoming(incoming, info.shouldKeepAlive);
}

function parserOnBody(b) {
  const stream = this.incoming;
  if (stream === null) return;
  if (!stream._dumped) {
    if (!stream.push(b)) readStop(this.socket);
  }
}

function parserOnMessageComplete() {
  const parser = this;
  const stream = parser.incoming;
  if (stream !== null) {
    stream.complete = true;
    const headers = parser._headers;
    if (headers.length) {
      stream._addHeaderLines(headers, headers.length);
      parser._headers = [];
    }
    stream.push(null);
  }
  readStart(parser.socket);
}

function freeParser(parser, req, socket) {
  if (parser) {
    parser.incoming = null;
    parser.outgoing = null;
    parser.socket = null;
    parser.onIncoming = null;
  }
  if (req) req.parser = null;
  if (socket) socket.parser = null;
}

// ---- IncomingMessage (lib/_http_incoming.js) ----------------------------------------------

function readStart(socket) {
  if (socket && !socket._paused && socket.readable) socket.resume();
}
function readStop(socket) {
  if (socket) socket.pause();
}

function IncomingMessage(socket) {
  Readable.call(this, socket ? { highWaterMark: socket.readableHighWaterMark } : undefined);
  this._readableState.readingMore = true;
  this.socket = socket;
  this.httpVersionMajor = null;
  this.httpVersionMinor = null;
  this.httpVersion = null;
  this.complete = false;
  this[kHeaders] = null;
  this.rawHeaders = [];
  this[kTrailers] = null;
  this.rawTrailers = [];
  this.joinDuplicateHeaders = false;
  this.aborted = false;
  this.upgrade = null;
  this.url = '';
  this.method = null;
  this.statusCode = null;
  this.statusMessage = null;
  this.client = socket;
  this._consuming = false;
  this._dumped = false;
}
const kHeaders = Symbol('kHeaders');
const kTrailers = Symbol('kTrailers');
Object.setPrototypeOf(IncomingMessage.prototype, Readable.prototype);
Object.setPrototypeOf(IncomingMessage, Readable);

Object.defineProperty(IncomingMessage.prototype, 'connection', {
  get() {
    return this.socket;
  },
  set(val) {
    this.socket = val;
  },
  configurable: true,
});
Object.defineProperty(IncomingMessage.prototype, 'headers', {
  get() {
    if (!this[kHeaders]) {
      this[kHeaders] = {};
      const src = this.rawHeaders;
      for (let n = 0; n < src.length; n += 2)
        this._addHeaderLine(src[n], src[n + 1], this[kHeaders]);
    }
    return this[kHeaders];
  },
  set(val) {
    this[kHeaders] = val;
  },
  configurable: true,
});
Object.defineProperty(IncomingMessage.prototype, 'headersDistinct', {
  get() {
    const out = Object.create(null);
    const src = this.rawHeaders;
    for (let n = 0; n < src.length; n += 2) {
      const field = src[n].toLowerCase();
      if (!out[field]) out[field] = [src[n + 1]];
      else out[field].push(src[n + 1]);
    }
    return out;
  },
  configurable: true,
});
Object.defineProperty(IncomingMessage.prototype, 'trailers', {
  get() {
    if (!this[kTrailers]) {
      this[kTrailers] = {};
      const src = this.rawTrailers;
      for (let n = 0; n < src.length; n += 2)
        this._addHeaderLine(src[n], src[n + 1], this[kTrailers]);
    }
    return this[kTrailers];
  },
  set(val) {
    this[kTrailers] = val;
  },
  configurable: true,
});

IncomingMessage.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.on('timeout', callback);
  this.socket.setTimeout(msecs);
  return this;
};

IncomingMessage.prototype._read = function _read(n) {
  if (!this._consuming) {
    this._readableState.readingMore = false;
    this._consuming = true;
  }
  if (this.socket && this.socket.readable) readStart(this.socket);
};

IncomingMessage.prototype._destroy = function _destroy(err, cb) {
  if (!this.readableEnded || !this.complete) {
    this.aborted = true;
    this.emit('aborted');
  }
  if (this.socket && !this.socket.destroyed && this.aborted) {
    this.socket.destroy(err);
    const cleanup = finished(this.socket, (e) => {
      if (e && e.code === 'ERR_STREAM_PREMATURE_CLOSE') e = null;
      cleanup();
      nextTick(onIncomingError, this, e || err, cb);
    });
  } else {
    nextTick(onIncomingError, this, err, cb);
  }
};

function onIncomingError(self, error, cb) {
  if (self.listenerCount('error') === 0) cb();
  else cb(error);
}

IncomingMessage.prototype._addHeaderLines = function _addHeaderLines(headers, n) {
  if (headers && headers.length) {
    let dest;
    if (this.complete) {
      this.rawTrailers = headers;
      dest = this[kTrailers];
    } else {
      this.rawHeaders = headers;
      dest = this[kHeaders];
    }
    if (dest) for (let i = 0; i < n; i += 2) this._addHeaderLine(headers[i], headers[i + 1], dest);
  }
};

// Header fields whose duplicates are dropped (matchKnownFields).
const singleFields = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

IncomingMessage.prototype._addHeaderLine = function _addHeaderLine(field, value, dest) {
  field = field.toLowerCase();
  if (field === 'set-cookie') {
    if (dest[field] !== undefined) dest[field].push(value);
    else dest[field] = [value];
  } else if (singleFields.has(field) && !this.joinDuplicateHeaders) {
    if (dest[field] === undefined) dest[field] = value;
  } else if (dest[field] === undefined) {
    dest[field] = value;
  } else {
    dest[field] += (field === 'cookie' ? '; ' : ', ') + value;
  }
};

IncomingMessage.prototype._dump = function _dump() {
  if (!this._dumped) {
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
};

// ---- OutgoingMessage (lib/_http_outgoing.js) ----------------------------------------------

const kOutHeaders = Symbol('kOutHeaders');
const kNeedDrain = Symbol('kNeedDrain');
const kCorked = Symbol('corked');
const kErrored = Symbol('kErrored');
const kHighWaterMark = Symbol('kHighWaterMark');
const crlf = '\r\n';
function nopCb() {}

function OutgoingMessage(options) {
  Stream.call(this);
  this.outputData = [];
  this.outputSize = 0;
  this.writable = true;
  this.destroyed = false;
  this._last = false;
  this.chunkedEncoding = false;
  this.shouldKeepAlive = true;
  this.maxRequestsOnConnectionReached = false;
  this._defaultKeepAlive = true;
  this.useChunkedEncodingByDefault = true;
  this.sendDate = false;
  this._removedConnection = false;
  this._removedContLen = false;
  this._removedTE = false;
  this.strictContentLength = false;
  this._contentLength = null;
  this._hasBody = true;
  this._trailer = '';
  this[kNeedDrain] = false;
  this.finished = false;
  this._headerSent = false;
  this[kCorked] = 0;
  this._closed = false;
  this.socket = null;
  this._header = null;
  this[kOutHeaders] = null;
  this._keepAliveTimeout = 0;
  this._onPendingData = nopCb;
  this[kErrored] = null;
  this[kHighWaterMark] = (options && options.highWaterMark) || 16 * 1024;
}
Object.setPrototypeOf(OutgoingMessage.prototype, Stream.prototype);
Object.setPrototypeOf(OutgoingMessage, Stream);

for (const [name, get] of Object.entries({
  errored() {
    return this[kErrored];
  },
  closed() {
    return this._closed;
  },
  writableFinished() {
    return (
      this.finished && this.outputSize === 0 && (!this.socket || this.socket.writableLength === 0)
    );
  },
  writableObjectMode() {
    return false;
  },
  writableLength() {
    return this.outputSize + (this.socket ? this.socket.writableLength : 0);
  },
  writableHighWaterMark() {
    return this.socket ? this.socket.writableHighWaterMark : this[kHighWaterMark];
  },
  writableCorked() {
    return (this.socket ? this.socket.writableCorked : 0) + this[kCorked];
  },
  writableEnded() {
    return this.finished;
  },
  writableNeedDrain() {
    return !this.destroyed && !this.finished && this[kNeedDrain];
  },
  headersSent() {
    return !!this._header;
  },
})) {
  Object.defineProperty(OutgoingMessage.prototype, name, { get, configurable: true });
}
Object.defineProperty(OutgoingMessage.prototype, 'connection', {
  get() {
    return this.socket;
  },
  set(val) {
    this.socket = val;
  },
  configurable: true,
});

OutgoingMessage.prototype.cork = function () {
  if (this.socket) this.socket.cork();
  else this[kCorked]++;
};
OutgoingMessage.prototype.uncork = function () {
  if (this.socket) this.socket.uncork();
  else if (this[kCorked]) this[kCorked]--;
};

OutgoingMessage.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.on('timeout', callback);
  if (!this.socket) this.once('socket', (socket) => socket.setTimeout(msecs));
  else this.socket.setTimeout(msecs);
  return this;
};

OutgoingMessage.prototype.destroy = function destroy(error) {
  if (this.destroyed) return this;
  this.destroyed = true;
  this[kErrored] = error;
  if (this.socket) this.socket.destroy(error);
  else this.once('socket', (socket) => socket.destroy(error));
  return this;
};

OutgoingMessage.prototype._send = function _send(data, encoding, callback) {
  if (!this._headerSent && this._header !== null) {
    if (typeof data === 'string' && (encoding === 'utf8' || encoding === 'latin1' || !encoding)) {
      data = this._header + data;
    } else {
      const header = this._header;
      this.outputData.unshift({ data: header, encoding: 'latin1', callback: null });
      this.outputSize += header.length;
      this._onPendingData(header.length);
    }
    this._headerSent = true;
  }
  return this._writeRaw(data, encoding, callback);
};

OutgoingMessage.prototype._writeRaw = function _writeRaw(data, encoding, callback) {
  const conn = this.socket;
  if (conn && conn.destroyed) return false;
  if (typeof encoding === 'function') {
    callback = encoding;
    encoding = null;
  }
  if (conn && conn._httpMessage === this && conn.writable) {
    if (this.outputData.length) this._flushOutput(conn);
    return conn.write(data, encoding, callback);
  }
  this.outputData.push({ data, encoding, callback });
  this.outputSize += data.length;
  this._onPendingData(data.length);
  return this.outputSize < this[kHighWaterMark];
};

OutgoingMessage.prototype._storeHeader = function _storeHeader(firstLine, headers) {
  const state = {
    connection: false,
    contLen: false,
    te: false,
    date: false,
    expect: false,
    trailer: false,
    header: firstLine,
  };
  if (headers) {
    if (headers === this[kOutHeaders]) {
      for (const key in headers) {
        const entry = headers[key];
        processHeader(this, state, entry[0], entry[1], false);
      }
    } else if (Array.isArray(headers)) {
      if (headers.length && Array.isArray(headers[0])) {
        for (const entry of headers) processHeader(this, state, entry[0], entry[1], true);
      } else {
        for (let n = 0; n < headers.length; n += 2)
          processHeader(this, state, headers[n], headers[n + 1], true);
      }
    } else {
      for (const key of Object.keys(headers)) processHeader(this, state, key, headers[key], true);
    }
  }
  let header = state.header;
  if (this.sendDate && !state.date) header += 'Date: ' + new Date().toUTCString() + crlf;
  if (this.chunkedEncoding && (this.statusCode === 204 || this.statusCode === 304)) {
    this.chunkedEncoding = false;
    this.shouldKeepAlive = false;
  }
  if (this._removedConnection) {
    this._last = !this.shouldKeepAlive;
  } else if (!state.connection) {
    const shouldSendKeepAlive =
      this.shouldKeepAlive && (state.contLen || this.useChunkedEncodingByDefault || this.agent);
    if (shouldSendKeepAlive && this.maxRequestsOnConnectionReached) {
      header += 'Connection: close\r\n';
    } else if (shouldSendKeepAlive) {
      header += 'Connection: keep-alive\r\n';
      if (this._keepAliveTimeout && this._defaultKeepAlive) {
        header += `Keep-Alive: timeout=${Math.floor(this._keepAliveTimeout / 1000)}\r\n`;
      }
    } else {
      this._last = true;
      header += 'Connection: close\r\n';
    }
  }
  if (!state.contLen && !state.te) {
    if (!this._hasBody) {
      this.chunkedEncoding = false;
    } else if (!this.useChunkedEncodingByDefault) {
      this._last = true;
    } else if (!state.trailer && !this._removedContLen && typeof this._contentLength === 'number') {
      header += 'Content-Length: ' + this._contentLength + crlf;
    } else if (!this._removedTE) {
      header += 'Transfer-Encoding: chunked\r\n';
      this.chunkedEncoding = true;
    } else {
      this._last = true;
    }
  }
  this._header = header + crlf;
  this._headerSent = false;
  if (state.expect) this._send('');
};

function processHeader(self, state, key, value, validate) {
  if (validate) validateHeaderName(key);
  if (Array.isArray(value)) {
    // Only Cookie joins its values on one line; Set-Cookie, like the rest, gets one per value.
    if (value.length < 2 || key.toLowerCase() !== 'cookie') {
      for (const v of value) storeHeader(self, state, key, v, validate);
      return;
    }
    value = value.join('; ');
  }
  storeHeader(self, state, key, value, validate);
}

function storeHeader(self, state, key, value, validate) {
  if (validate) validateHeaderValue(key, value);
  state.header += key + ': ' + value + crlf;
  const field = key.toLowerCase();
  switch (field) {
    case 'connection':
      state.connection = true;
      self._removedConnection = false;
      if (/(?:^|\W)close(?:$|\W)/i.test(value)) self._last = true;
      else self.shouldKeepAlive = true;
      break;
    case 'transfer-encoding':
      state.te = true;
      self._removedTE = false;
      if (/(?:^|\W)chunked(?:$|\W)/i.test(value)) self.chunkedEncoding = true;
      break;
    case 'content-length':
      state.contLen = true;
      self._contentLength = +value;
      self._removedContLen = false;
      break;
    case 'date':
    case 'expect':
    case 'trailer':
      state[field] = true;
      break;
    case 'keep-alive':
      self._defaultKeepAlive = false;
      break;
  }
}

function headersSentError(what) {
  return makeNodeError(
    Error,
    'ERR_HTTP_HEADERS_SENT',
    `Cannot ${what} headers after they are sent to the client`,
  );
}

OutgoingMessage.prototype.setHeader = function setHeader(name, value) {
  if (this._header) throw headersSentError('set');
  validateHeaderName(name);
  validateHeaderValue(name, value);
  let headers = this[kOutHeaders];
  if (headers === null) this[kOutHeaders] = headers = Object.create(null);
  headers[name.toLowerCase()] = [name, value];
  return this;
};

OutgoingMessage.prototype.appendHeader = function appendHeader(name, value) {
  if (this._header) throw headersSentError('append');
  validateHeaderName(name);
  validateHeaderValue(name, value);
  const field = name.toLowerCase();
  const headers = this[kOutHeaders];
  if (headers === null || !headers[field]) return this.setHeader(name, value);
  if (!Array.isArray(headers[field][1])) headers[field][1] = [headers[field][1]];
  const existing = headers[field][1];
  if (Array.isArray(value)) existing.push(...value);
  else existing.push(value);
  return this;
};

OutgoingMessage.prototype.setHeaders = function setHeaders(headers) {
  if (this._header) throw headersSentError('set');
  const entries =
    headers instanceof Map ||
    (headers && typeof headers.entries === 'function' && !Array.isArray(headers))
      ? headers.entries()
      : Object.entries(headers);
  for (const [k, v] of entries) this.setHeader(k, v);
  return this;
};

OutgoingMessage.prototype.getHeader = function getHeader(name) {
  if (typeof name !== 'string') throw invalidArgType('name', 'of type string', name);
  const headers = this[kOutHeaders];
  if (headers === null) return undefined;
  const entry = headers[name.toLowerCase()];
  return entry && entry[1];
};

OutgoingMessage.prototype.getHeaderNames = function getHeaderNames() {
  return this[kOutHeaders] !== null ? Object.keys(this[kOutHeaders]) : [];
};

OutgoingMessage.prototype.getRawHeaderNames = function getRawHeaderNames() {
  const headers = this[kOutHeaders];
  if (headers === null) return [];
  return Object.values(headers).map((e) => e[0]);
};

OutgoingMessage.prototype.getHeaders = function getHeaders() {
  const headers = this[kOutHeaders];
  const ret = Object.create(null);
  if (headers) for (const key of Object.keys(headers)) ret[key] = headers[key][1];
  return ret;
};

OutgoingMessage.prototype.hasHeader = function hasHeader(name) {
  if (typeof name !== 'string') throw invalidArgType('name', 'of type string', name);
  return this[kOutHeaders] !== null && !!this[kOutHeaders][name.toLowerCase()];
};

OutgoingMessage.prototype.removeHeader = function removeHeader(name) {
  if (typeof name !== 'string') throw invalidArgType('name', 'of type string', name);
  if (this._header) throw headersSentError('remove');
  const key = name.toLowerCase();
  switch (key) {
    case 'connection':
      this._removedConnection = true;
      break;
    case 'content-length':
      this._removedContLen = true;
      break;
    case 'transfer-encoding':
      this._removedTE = true;
      break;
    case 'date':
      this.sendDate = false;
      break;
  }
  if (this[kOutHeaders] !== null) delete this[kOutHeaders][key];
};

OutgoingMessage.prototype._implicitHeader = function _implicitHeader() {
  throw makeNodeError(
    Error,
    'ERR_METHOD_NOT_IMPLEMENTED',
    'The _implicitHeader() method is not implemented',
  );
};

OutgoingMessage.prototype.write = function write(chunk, encoding, callback) {
  if (typeof encoding === 'function') {
    callback = encoding;
    encoding = null;
  }
  const ret = writeOutgoing(this, chunk, encoding, callback, false);
  if (!ret) this[kNeedDrain] = true;
  return ret;
};

function onOutgoingError(msg, err, callback) {
  if (msg.destroyed) return;
  nextTick(() => {
    callback(err);
    if (!msg.destroyed) msg.emit('error', err);
  });
}

function byteLengthOf(chunk, encoding) {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.byteLength;
}

function writeOutgoing(msg, chunk, encoding, callback, fromEnd) {
  if (typeof callback !== 'function') callback = nopCb;
  if (chunk === null) {
    throw makeNodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
  } else if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
    throw invalidArgType('chunk', 'of type string or an instance of Buffer or Uint8Array', chunk);
  }
  let err;
  if (msg.finished) err = makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
  else if (msg.destroyed)
    err = makeNodeError(
      Error,
      'ERR_STREAM_DESTROYED',
      'Cannot call write after a stream was destroyed',
    );
  if (err) {
    if (!msg.destroyed) onOutgoingError(msg, err, callback);
    else nextTick(callback, err);
    return false;
  }
  if (!msg._header) {
    if (fromEnd) msg._contentLength = byteLengthOf(chunk, encoding);
    msg._implicitHeader();
  }
  if (!msg._hasBody) {
    nextTick(callback);
    return true;
  }
  if (!fromEnd && msg.socket && !msg.socket.writableCorked) {
    msg.socket.cork();
    nextTick(connectionCorkNT, msg.socket);
  }
  let ret;
  if (msg.chunkedEncoding && chunk.length !== 0) {
    const len = byteLengthOf(chunk, encoding);
    msg._send(len.toString(16), 'latin1', null);
    msg._send(crlf, null, null);
    msg._send(chunk, encoding, null);
    ret = msg._send(crlf, null, callback);
  } else {
    ret = msg._send(chunk, encoding, callback);
  }
  return ret;
}

function connectionCorkNT(conn) {
  conn.uncork();
}

OutgoingMessage.prototype.addTrailers = function addTrailers(headers) {
  this._trailer = '';
  for (const [field, value] of Array.isArray(headers) ? headers : Object.entries(headers)) {
    validateHeaderName(field, 'Trailer name');
    this._trailer += field + ': ' + value + crlf;
  }
};

function onFinish(outmsg) {
  if (outmsg && outmsg.socket && outmsg.socket._hadError) return;
  outmsg.emit('finish');
}

OutgoingMessage.prototype.end = function end(chunk, encoding, callback) {
  if (typeof chunk === 'function') {
    callback = chunk;
    chunk = null;
    encoding = null;
  } else if (typeof encoding === 'function') {
    callback = encoding;
    encoding = null;
  }
  if (chunk) {
    if (this.finished) {
      onOutgoingError(
        this,
        makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
        typeof callback !== 'function' ? nopCb : callback,
      );
      return this;
    }
    if (this.socket) this.socket.cork();
    writeOutgoing(this, chunk, encoding, null, true);
  } else if (this.finished) {
    if (typeof callback === 'function') {
      if (!this.writableFinished) this.on('finish', callback);
      else
        callback(
          makeNodeError(
            Error,
            'ERR_STREAM_ALREADY_FINISHED',
            'Cannot call end after a stream was finished',
          ),
        );
    }
    return this;
  } else if (!this._header) {
    if (this.socket) this.socket.cork();
    this._contentLength = 0;
    this._implicitHeader();
  }
  if (typeof callback === 'function') this.once('finish', callback);
  const finish = onFinish.bind(undefined, this);
  if (this._hasBody && this.chunkedEncoding) {
    this._send('0\r\n' + this._trailer + '\r\n', 'latin1', finish);
  } else if (!this._headerSent || this.writableLength || chunk) {
    this._send('', 'latin1', finish);
  } else {
    nextTick(finish);
  }
  if (this.socket) {
    this.socket._writableState.corked = 1;
    this.socket.uncork();
  }
  this[kCorked] = 0;
  this.finished = true;
  if (this.outputData.length === 0 && this.socket && this.socket._httpMessage === this) {
    this._finish();
  }
  return this;
};

OutgoingMessage.prototype._finish = function _finish() {
  this.emit('prefinish');
};

OutgoingMessage.prototype._flush = function _flush() {
  const socket = this.socket;
  if (socket && socket.writable) {
    const ret = this._flushOutput(socket);
    if (this.finished) {
      this._finish();
    } else if (ret && this[kNeedDrain]) {
      this[kNeedDrain] = false;
      this.emit('drain');
    }
  }
};

OutgoingMessage.prototype._flushOutput = function _flushOutput(socket) {
  while (this[kCorked]) {
    this[kCorked]--;
    socket.cork();
  }
  const outputLength = this.outputData.length;
  if (outputLength <= 0) return undefined;
  const outputData = this.outputData;
  socket.cork();
  let ret;
  for (let i = 0; i < outputLength; i++) {
    const { data, encoding, callback } = outputData[i];
    ret = socket.write(data, encoding, callback);
  }
  socket.uncork();
  this.outputData = [];
  this._onPendingData(-this.outputSize);
  this.outputSize = 0;
  return ret;
};

OutgoingMessage.prototype.flushHeaders = function flushHeaders() {
  if (!this._header) this._implicitHeader();
  this._send('');
};

OutgoingMessage.prototype.pipe = function pipe() {
  this.emit('error', makeNodeError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'));
};
