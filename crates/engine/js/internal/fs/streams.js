// fs.ReadStream and fs.WriteStream (lib/internal/fs/streams.js): files as streams, each step a
// trip through the thread pool.
//
// HOW: as in Node, a ReadStream opens its file in `_construct` (an fs.open on the pool; 'open'
// and 'ready' follow), and each `_read(n)` is one fs.read of at most highWaterMark bytes
// (64 KiB by default) on the pool: every chunk the program sees as 'data' is a pool worker's
// job completed in the poll phase. An empty read pushes the end; with autoClose (the default)
// the stream is destroyed after 'end' and its `_destroy` closes the file (another trip) before
// 'close'. A WriteStream opens the same way, turns each `_write` into an fs.write (a chunk
// written while one is in flight waits in the Writable's buffer: backpressure past
// highWaterMark, 16 KiB by default), and closes the file after 'finish'.

/* global Buffer, Readable, URL, Writable, errorOrDestroy, finished, fs, invalidArgType,
   nextTick */

const kIsPerformingIO = Symbol('kIsPerformingIO');
const kIoDone = Symbol('kIoDone');

function streamOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options === 'string') return { encoding: options };
  if (typeof options !== 'object')
    throw invalidArgType('options', 'one of type string or object', options);
  return { ...options };
}

function streamPath(path) {
  if (path instanceof URL) return path.pathname;
  if (typeof path !== 'string' && !(path instanceof Buffer))
    throw invalidArgType('path', 'of type string or an instance of Buffer or URL', path);
  return String(path);
}

function validateRange(stream, options) {
  for (const key of ['start', 'end']) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
      throw invalidArgType(`options.${key}`, 'of type number', v);
  }
  if (stream.start !== undefined && stream.end !== Infinity && stream.start > stream.end) {
    const e = new RangeError(
      `The value of "start" is out of range. It must be <= "end" (here: ${stream.end}). ` +
        `Received ${stream.start}`,
    );
    e.code = 'ERR_OUT_OF_RANGE';
    throw e;
  }
}

// open: the file is opened on the pool; the stream waits (constructed = false) until then.
function fsStreamOpen(stream, callback) {
  fs.open(stream.path, stream.flags, stream.mode, (er, fd) => {
    if (er) {
      callback(er);
    } else {
      stream.fd = fd;
      callback();
      stream.emit('open', stream.fd);
      stream.emit('ready');
    }
  });
}

function fsStreamClose(stream, err, cb) {
  if (stream.fd === null) {
    cb(err);
  } else {
    fs.close(stream.fd, (er) => cb(er || err));
    stream.fd = null;
  }
}

function fsStreamDestroy(err, cb) {
  // Wait for an fs.read or fs.write in flight before closing the file under it.
  if (this[kIsPerformingIO]) this.once(kIoDone, (er) => fsStreamClose(this, err || er, cb));
  else fsStreamClose(this, err, cb);
}

// ---- ReadStream ---------------------------------------------------------------------------

function ReadStream(path, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(path, options);
  options = streamOptions(options);
  if (options.highWaterMark === undefined) options.highWaterMark = 64 * 1024;
  if (options.autoDestroy === undefined)
    options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;
  this.fd = options.fd === undefined ? null : options.fd;
  this.path = this.fd === null ? streamPath(path) : undefined;
  this.flags = options.flags === undefined ? 'r' : options.flags;
  this.mode = options.mode === undefined ? 0o666 : options.mode;
  this.start = options.start;
  this.end = options.end === undefined ? Infinity : options.end;
  this.pos = undefined;
  this.bytesRead = 0;
  this[kIsPerformingIO] = false;
  validateRange(this, options);
  if (this.start !== undefined) this.pos = this.start;
  Readable.call(this, options);
}
Object.setPrototypeOf(ReadStream.prototype, Readable.prototype);
Object.setPrototypeOf(ReadStream, Readable);

Object.defineProperty(ReadStream.prototype, 'autoClose', {
  get() {
    return this._readableState.autoDestroy;
  },
  set(val) {
    this._readableState.autoDestroy = val;
  },
  configurable: true,
});
Object.defineProperty(ReadStream.prototype, 'pending', {
  get() {
    return this.fd === null;
  },
  configurable: true,
});

ReadStream.prototype._construct = function _construct(callback) {
  if (this.fd !== null) callback();
  else fsStreamOpen(this, callback);
};

ReadStream.prototype._read = function _read(n) {
  n =
    this.pos !== undefined
      ? Math.min(this.end - this.pos + 1, n)
      : Math.min(this.end - this.bytesRead + 1, n);
  if (n <= 0) {
    this.push(null);
    return;
  }
  const buf = Buffer.alloc(n);
  this[kIsPerformingIO] = true;
  fs.read(this.fd, buf, 0, n, this.pos === undefined ? null : this.pos, (er, bytesRead) => {
    this[kIsPerformingIO] = false;
    // Tell ._destroy() that it's safe to close the fd now.
    if (this.destroyed) {
      this.emit(kIoDone, er);
      return;
    }
    if (er) {
      errorOrDestroy(this, er);
    } else if (bytesRead > 0) {
      if (this.pos !== undefined) this.pos += bytesRead;
      this.bytesRead += bytesRead;
      this.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    } else {
      this.push(null);
    }
  });
};

ReadStream.prototype._destroy = fsStreamDestroy;

ReadStream.prototype.close = function close(cb) {
  if (typeof cb === 'function') finished(this, cb);
  this.destroy();
};

// ---- WriteStream --------------------------------------------------------------------------

function WriteStream(path, options) {
  if (!(this instanceof WriteStream)) return new WriteStream(path, options);
  options = streamOptions(options);
  options.decodeStrings = true;
  if (options.autoDestroy === undefined)
    options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;
  this.fd = options.fd === undefined ? null : options.fd;
  this.path = this.fd === null ? streamPath(path) : undefined;
  this.flags = options.flags === undefined ? 'w' : options.flags;
  this.mode = options.mode === undefined ? 0o666 : options.mode;
  this.start = options.start;
  this.pos = undefined;
  this.bytesWritten = 0;
  this[kIsPerformingIO] = false;
  validateRange(this, options);
  if (this.start !== undefined) this.pos = this.start;
  Writable.call(this, options);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
}
Object.setPrototypeOf(WriteStream.prototype, Writable.prototype);
Object.setPrototypeOf(WriteStream, Writable);

Object.defineProperty(WriteStream.prototype, 'autoClose', {
  get() {
    return this._writableState.autoDestroy;
  },
  set(val) {
    this._writableState.autoDestroy = val;
  },
  configurable: true,
});
Object.defineProperty(WriteStream.prototype, 'pending', {
  get() {
    return this.fd === null;
  },
  configurable: true,
});

WriteStream.prototype._construct = ReadStream.prototype._construct;

function writeBytes(stream, data, cb) {
  stream[kIsPerformingIO] = true;
  fs.write(
    stream.fd,
    data,
    0,
    data.length,
    stream.pos === undefined ? null : stream.pos,
    (er, bytes) => {
      stream[kIsPerformingIO] = false;
      if (stream.destroyed) {
        // Tell ._destroy() that it's safe to close the fd now.
        cb(er);
        stream.emit(kIoDone, er);
        return;
      }
      if (er) {
        cb(er);
        return;
      }
      stream.bytesWritten += bytes;
      cb();
    },
  );
  if (stream.pos !== undefined) stream.pos += data.length;
}

WriteStream.prototype._write = function _write(data, encoding, cb) {
  writeBytes(this, data, cb);
};

// Several buffered chunks go out in one writev(2): one trip.
WriteStream.prototype._writev = function _writev(data, cb) {
  writeBytes(this, Buffer.concat(data.map(({ chunk }) => chunk)), cb);
};

WriteStream.prototype._destroy = fsStreamDestroy;

WriteStream.prototype.close = function close(cb) {
  if (cb) {
    if (this.closed) {
      nextTick(cb);
      return;
    }
    this.on('close', cb);
  }
  // If we are not autoClosing, we should call destroy on 'finish'.
  if (!this.autoClose) this.on('finish', this.destroy);
  // We use end() instead of destroy() because of
  // https://github.com/nodejs/node/issues/2006
  this.end();
};

WriteStream.prototype.destroySoon = WriteStream.prototype.end;

// fs.ReadStream, fs.createReadStream and the others are fs.js's: they load this file first.
