// stream (lib/stream.js, lib/internal/streams/*): Readable, Writable, Duplex, Transform,
// PassThrough, destroy, finished, pipeline, addAbortSignal and Readable.from, with
// stream/promises.
//
// HOW: the state machines are Node 20's, written again here with plain booleans where Node
// packs bits: a Readable's state (a buffer and its length, `flowing` null/true/false,
// `needReadable`, `emittedReadable`, `sync`, `ended`, `endEmitted`, `dataListening`, ...) and a
// Writable's (`length`, `writing`, the buffered writes, `sync`, `needDrain`, `ending`,
// `finished`, `pendingcb`, ...) decide when each event fires, through `nextTick` exactly where
// Node defers: 'readable' (emitReadable), 'end' (endReadableNT), a synchronous write's
// callback and 'drain' (afterWriteTick; none at all for a write with no callback that needs no
// 'drain'), 'finish' after `_final` or from end() (finishMaybe), 'error' then 'close' after
// destroy (emitErrorCloseNT), resume(), `_construct`. So 'data', 'end', 'finish' and 'close'
// land between ticks and promise jobs where Node puts them. Nothing here touches the event loop:
// a socket's or a file's stream gets its bytes from net.js or fs.js, through the kernel or the
// pool.
//
// WHY constructor functions (not classes), as Node: `Readable.call(this, opts)` with
// `util.inherits` works in old programs, and a Duplex is a Readable that borrows Writable's
// methods.

/* global AbortController, Buffer, EventEmitter, StringDecoder, inspect, invalidArgType,
   makeNodeError, nextTick, process, validateFunction */

const kDestroyHook = Symbol('kDestroy');
const kConstructHook = Symbol('kConstruct');
const kIsDestroyed = Symbol.for('nodejs.stream.destroyed');
const kTransformCallback = Symbol('kCallback');

function nop() {}

let defaultHighWaterMark = 16 * 1024;
let defaultObjectHighWaterMark = 16;

function getHighWaterMark(objectMode, options, duplexKey, isDuplex) {
  let hwm = null;
  if (options) {
    if (options.highWaterMark != null) hwm = options.highWaterMark;
    else if (isDuplex) hwm = options[duplexKey];
  }
  if (hwm != null) {
    if (!Number.isInteger(hwm) || hwm < 0) {
      const name = isDuplex ? `options.${duplexKey}` : 'options.highWaterMark';
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_ARG_VALUE',
        `The property '${name}' is invalid. Received ${inspect(hwm)}`,
      );
    }
    return Math.floor(hwm);
  }
  return objectMode ? defaultObjectHighWaterMark : defaultHighWaterMark;
}

function streamError(code, message, Ctor = Error) {
  return makeNodeError(Ctor, code, message);
}
const errDestroyed = (what) =>
  streamError('ERR_STREAM_DESTROYED', `Cannot call ${what} after a stream was destroyed`);
const errPrematureClose = () => streamError('ERR_STREAM_PREMATURE_CLOSE', 'Premature close');
const errMultipleCallback = () =>
  streamError('ERR_MULTIPLE_CALLBACK', 'Callback called multiple times');
const errNotImplemented = (m) =>
  streamError('ERR_METHOD_NOT_IMPLEMENTED', `The ${m} method is not implemented`);
const errNullValues = () =>
  streamError('ERR_STREAM_NULL_VALUES', 'May not write null values to stream', TypeError);
const errChunkType = (chunk) =>
  invalidArgType(
    'chunk',
    'of type string or an instance of Buffer, TypedArray, or DataView',
    chunk,
  );

// Node's AbortError (lib/internal/errors.js).
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

// ---- what kind of stream a value is (lib/internal/streams/utils.js) -------------------------

function isReadableNodeStream(obj, strict = false) {
  return !!(
    obj &&
    typeof obj.pipe === 'function' &&
    typeof obj.on === 'function' &&
    (!strict || (typeof obj.pause === 'function' && typeof obj.resume === 'function')) &&
    (!obj._writableState || (obj._readableState && obj._readableState.readable !== false)) &&
    (!obj._writableState || obj._readableState)
  );
}
function isWritableNodeStream(obj) {
  return !!(
    obj &&
    typeof obj.write === 'function' &&
    typeof obj.on === 'function' &&
    (!obj._readableState || (obj._writableState && obj._writableState.writable !== false))
  );
}
function isNodeStream(obj) {
  return !!(
    obj &&
    (obj._readableState ||
      obj._writableState ||
      (typeof obj.write === 'function' && typeof obj.on === 'function') ||
      (typeof obj.pipe === 'function' && typeof obj.on === 'function'))
  );
}
function isIterable(obj, isAsync) {
  if (obj == null) return false;
  if (isAsync === true) return typeof obj[Symbol.asyncIterator] === 'function';
  if (isAsync === false) return typeof obj[Symbol.iterator] === 'function';
  return (
    typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function'
  );
}
function isDestroyed(stream) {
  if (!isNodeStream(stream)) return null;
  const state = stream._writableState || stream._readableState;
  return !!(stream.destroyed || stream[kIsDestroyed] || (state && state.destroyed));
}
function isWritableEnded(stream) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableEnded === true) return true;
  const w = stream._writableState;
  if (w && w.errored) return false;
  if (!w || typeof w.ended !== 'boolean') return null;
  return w.ended;
}
function isWritableFinished(stream, strict) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableFinished === true) return true;
  const w = stream._writableState;
  if (w && w.errored) return false;
  if (!w || typeof w.finished !== 'boolean') return null;
  return !!(w.finished || (strict === false && w.ended === true && w.length === 0));
}
function isReadableFinished(stream, strict) {
  if (!isReadableNodeStream(stream)) return null;
  const r = stream._readableState;
  if (r && r.errored) return false;
  if (!r || typeof r.endEmitted !== 'boolean') return null;
  return !!(r.endEmitted || (strict === false && r.ended === true && r.length === 0));
}
function isReadable(stream) {
  if (!stream || typeof stream.readable !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
}
function isWritable(stream) {
  if (!stream || typeof stream.writable !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
}
function isFinished(stream, opts) {
  if (!isNodeStream(stream)) return null;
  if (isDestroyed(stream)) return true;
  if ((!opts || opts.readable !== false) && isReadable(stream)) return false;
  if ((!opts || opts.writable !== false) && isWritable(stream)) return false;
  return true;
}
function erroredOf(stream) {
  if (!isNodeStream(stream)) return null;
  const w = stream._writableState;
  const r = stream._readableState;
  return (w && w.errored) || (r && r.errored) || null;
}
function isClosed(stream) {
  if (!isNodeStream(stream)) return null;
  if (typeof stream.closed === 'boolean') return stream.closed;
  const w = stream._writableState;
  const r = stream._readableState;
  if ((w && typeof w.closed === 'boolean') || (r && typeof r.closed === 'boolean'))
    return (w && w.closed) || (r && r.closed);
  if (typeof stream._closed === 'boolean' && isOutgoingMessage(stream)) return stream._closed;
  return null;
}
function isOutgoingMessage(stream) {
  return (
    typeof stream._closed === 'boolean' &&
    typeof stream._defaultKeepAlive === 'boolean' &&
    typeof stream._removedConnection === 'boolean' &&
    typeof stream._removedContLen === 'boolean'
  );
}
function isServerResponse(stream) {
  return typeof stream._sent100 === 'boolean' && isOutgoingMessage(stream);
}
function isServerRequest(stream) {
  return (
    typeof stream._consuming === 'boolean' &&
    typeof stream._dumped === 'boolean' &&
    (!stream.req || stream.req.upgradeOrConnect === undefined)
  );
}
function willEmitClose(stream) {
  if (!isNodeStream(stream)) return null;
  const state = stream._writableState || stream._readableState;
  return (
    (!state && isServerResponse(stream)) ||
    !!(state && state.autoDestroy && state.emitClose && state.closed === false)
  );
}
function isRequest(stream) {
  return !!(stream && stream.setHeader && typeof stream.abort === 'function');
}

// ---- destroy (lib/internal/streams/destroy.js) -----------------------------------------------

function checkError(err, w, r) {
  if (err) {
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
  }
}

function destroyStream(err, cb) {
  const r = this._readableState;
  const w = this._writableState;
  const s = w || r;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === 'function') cb();
    return this;
  }
  checkError(err, w, r);
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  if (!s.constructed) {
    this.once(kDestroyHook, function (er) {
      runDestroy(this, er || err, cb);
    });
  } else {
    runDestroy(this, err, cb);
  }
  return this;
}

function runDestroy(self, err, cb) {
  let called = false;
  function onDestroy(er) {
    if (called) return;
    called = true;
    const r = self._readableState;
    const w = self._writableState;
    checkError(er, w, r);
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === 'function') cb(er);
    if (er) nextTick(emitErrorCloseNT, self, er);
    else nextTick(emitCloseNT, self);
  }
  try {
    self._destroy(err || null, onDestroy);
  } catch (e) {
    onDestroy(e);
  }
}

function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}

function emitCloseNT(self) {
  const r = self._readableState;
  const w = self._writableState;
  if (w) w.closeEmitted = true;
  if (r) r.closeEmitted = true;
  if ((w && w.emitClose) || (r && r.emitClose)) self.emit('close');
}

function emitErrorNT(self, err) {
  const r = self._readableState;
  const w = self._writableState;
  if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
  if (w) w.errorEmitted = true;
  if (r) r.errorEmitted = true;
  self.emit('error', err);
}

function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState;
  const w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
    stream.destroy(err);
  } else if (err) {
    checkError(err, w, r);
    if (sync) nextTick(emitErrorNT, stream, err);
    else emitErrorNT(stream, err);
  }
}

function undestroy() {
  const r = this._readableState;
  const w = this._writableState;
  if (r) {
    r.constructed = true;
    r.closed = r.closeEmitted = r.destroyed = false;
    r.errored = null;
    r.errorEmitted = r.reading = false;
    r.ended = r.endEmitted = r.readable === false;
  }
  if (w) {
    w.constructed = true;
    w.destroyed = w.closed = w.closeEmitted = false;
    w.errored = null;
    w.errorEmitted = w.finalCalled = w.prefinished = false;
    w.ended = w.ending = w.finished = w.writable === false;
  }
}

// `_construct`: called from a nextTick; the stream waits (constructed = false) until it calls
// back (from a nextTick), then does what it missed.
function construct(stream, cb) {
  if (typeof stream._construct !== 'function') return;
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = false;
  if (w) w.constructed = false;
  stream.once(kConstructHook, cb);
  if (stream.listenerCount(kConstructHook) > 1) return;
  nextTick(constructNT, stream);
}

function constructNT(stream) {
  let called = false;
  function onConstruct(err) {
    if (called) {
      errorOrDestroy(stream, err ?? errMultipleCallback());
      return;
    }
    called = true;
    const r = stream._readableState;
    const w = stream._writableState;
    const s = w || r;
    if (r) r.constructed = true;
    if (w) w.constructed = true;
    if (s.destroyed) stream.emit(kDestroyHook, err);
    else if (err) errorOrDestroy(stream, err, true);
    else stream.emit(kConstructHook);
  }
  try {
    stream._construct((err) => nextTick(onConstruct, err));
  } catch (err) {
    nextTick(onConstruct, err);
  }
}

// Ends a stream of any kind (destroyImpl.destroyer): an unfinished one with an AbortError.
function destroyer(stream, err) {
  if (!stream || isDestroyed(stream)) return;
  if (!err && !isFinished(stream)) err = new AbortError();
  if (isServerRequest(stream)) {
    stream.socket = null;
    stream.destroy(err);
  } else if (isRequest(stream)) {
    stream.abort();
  } else if (isRequest(stream.req)) {
    stream.req.abort();
  } else if (typeof stream.destroy === 'function') {
    stream.destroy(err);
  } else if (typeof stream.close === 'function') {
    stream.close();
  } else if (err) {
    nextTick(() => {
      stream.emit('error', err);
      nextTick(() => stream.emit('close'));
    });
  } else {
    nextTick(() => stream.emit('close'));
  }
  if (!stream.destroyed) stream[kIsDestroyed] = true;
}

function prependListener(emitter, event, fn) {
  if (typeof emitter.prependListener === 'function') return emitter.prependListener(event, fn);
  return emitter.on(event, fn);
}

// The legacy Stream: an EventEmitter with the old pipe().
function Stream(opts) {
  EventEmitter.call(this, opts);
}
Object.setPrototypeOf(Stream.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Stream, EventEmitter);
Stream.prototype.pipe = function (dest, options) {
  const source = this;
  function ondata(chunk) {
    if (dest.writable && dest.write(chunk) === false && source.pause) source.pause();
  }
  source.on('data', ondata);
  function ondrain() {
    if (source.readable && source.resume) source.resume();
  }
  dest.on('drain', ondrain);
  if (!dest._isStdio && (!options || options.end !== false)) {
    source.on('end', onend);
    source.on('close', onclose);
  }
  let didOnEnd = false;
  function onend() {
    if (didOnEnd) return;
    didOnEnd = true;
    dest.end();
  }
  function onclose() {
    if (didOnEnd) return;
    didOnEnd = true;
    if (typeof dest.destroy === 'function') dest.destroy();
  }
  function onerror(er) {
    cleanup();
    if (this.listenerCount('error') === 0) this.emit('error', er);
  }
  prependListener(source, 'error', onerror);
  prependListener(dest, 'error', onerror);
  function cleanup() {
    source.removeListener('data', ondata);
    dest.removeListener('drain', ondrain);
    source.removeListener('end', onend);
    source.removeListener('close', onclose);
    source.removeListener('error', onerror);
    dest.removeListener('error', onerror);
    source.removeListener('end', cleanup);
    source.removeListener('close', cleanup);
    dest.removeListener('close', cleanup);
  }
  source.on('end', cleanup);
  source.on('close', cleanup);
  dest.on('close', cleanup);
  dest.emit('pipe', source);
  return dest;
};

// ---- Readable (lib/internal/streams/readable.js) ---------------------------------------------

function ReadableState(options, stream, isDuplex) {
  if (typeof isDuplex !== 'boolean') isDuplex = stream instanceof Duplex;
  this.objectMode = !!(options && (options.objectMode || (isDuplex && options.readableObjectMode)));
  this.highWaterMark = getHighWaterMark(
    this.objectMode,
    options,
    'readableHighWaterMark',
    isDuplex,
  );
  this.buffer = [];
  this.length = 0;
  this.pipes = [];
  this.flowing = null; // null: nobody asked yet; true: flowing; false: paused
  this.ended = false;
  this.endEmitted = false;
  this.reading = false;
  this.constructed = true;
  this.sync = true;
  this.needReadable = false;
  this.emittedReadable = false;
  this.readableListening = false;
  this.resumeScheduled = false;
  this.paused = null; // null until pause() or resume()
  this.errorEmitted = false;
  this.emitClose = !options || options.emitClose !== false;
  this.autoDestroy = !options || options.autoDestroy !== false;
  this.destroyed = false;
  this.errored = null;
  this.closed = false;
  this.closeEmitted = false;
  this.defaultEncoding = (options && options.defaultEncoding) || 'utf8';
  this.awaitDrainWriters = null;
  this.multiAwaitDrain = false;
  this.readingMore = false;
  this.dataEmitted = false;
  this.dataListening = false;
  this.decoder = null;
  this.encoding = null;
  if (options && options.encoding) {
    this.decoder = new StringDecoder(options.encoding);
    this.encoding = options.encoding;
  }
}

function readableConstructed(stream) {
  const state = stream._readableState;
  if (state.needReadable) maybeReadMore(stream, state);
}

function Readable(options) {
  if (!(this instanceof Readable)) return new Readable(options);
  this._readableState = new ReadableState(options, this, false);
  if (options) {
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignal(options.signal, this);
  }
  Stream.call(this, options);
  if (this._construct != null) construct(this, () => readableConstructed(this));
}
Object.setPrototypeOf(Readable.prototype, Stream.prototype);
Object.setPrototypeOf(Readable, Stream);
Readable.ReadableState = ReadableState;

Readable.prototype.destroy = destroyStream;
Readable.prototype._undestroy = undestroy;
Readable.prototype._destroy = function (err, cb) {
  cb(err);
};
Readable.prototype[Symbol.for('nodejs.rejection')] = function (err) {
  this.destroy(err);
};

Readable.prototype.push = function (chunk, encoding) {
  const state = this._readableState;
  return state.objectMode
    ? pushObject(this, state, chunk, encoding)
    : pushBytes(this, state, chunk, encoding);
};

Readable.prototype.unshift = function (chunk, encoding) {
  const state = this._readableState;
  if (chunk === null) {
    state.reading = false;
    onEofChunk(this, state);
    return false;
  }
  if (!state.objectMode) {
    if (typeof chunk === 'string') {
      encoding = encoding || state.defaultEncoding;
      if (state.encoding !== encoding) {
        chunk = state.encoding
          ? Buffer.from(chunk, encoding).toString(state.encoding)
          : Buffer.from(chunk, encoding);
      }
    } else if (ArrayBuffer.isView(chunk) && !(chunk instanceof Buffer)) {
      chunk = Buffer.from(chunk);
    } else if (chunk !== undefined && !(chunk instanceof Buffer)) {
      errorOrDestroy(this, errChunkType(chunk));
      return false;
    }
    if (!(chunk && chunk.length > 0)) return canPushMore(state);
  }
  if (state.endEmitted)
    errorOrDestroy(
      this,
      streamError('ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'stream.unshift() after end event'),
    );
  else if (state.destroyed || state.errored) return false;
  else addChunk(this, state, chunk, true);
  return canPushMore(state);
};

function pushBytes(stream, state, chunk, encoding) {
  if (chunk === null) {
    state.reading = false;
    onEofChunk(stream, state);
    return false;
  }
  if (typeof chunk === 'string') {
    encoding = encoding || state.defaultEncoding;
    if (state.encoding !== encoding) {
      chunk = Buffer.from(chunk, encoding);
      encoding = '';
    }
  } else if (chunk instanceof Buffer) {
    encoding = '';
  } else if (ArrayBuffer.isView(chunk)) {
    chunk = Buffer.from(chunk);
    encoding = '';
  } else if (chunk !== undefined) {
    errorOrDestroy(stream, errChunkType(chunk));
    return false;
  }
  if (!chunk || chunk.length <= 0) {
    state.reading = false;
    maybeReadMore(stream, state);
    return canPushMore(state);
  }
  if (state.ended) {
    errorOrDestroy(stream, streamError('ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'));
    return false;
  }
  if (state.destroyed || state.errored) return false;
  state.reading = false;
  if (state.decoder && !encoding) {
    chunk = state.decoder.write(chunk);
    if (chunk.length === 0) {
      maybeReadMore(stream, state);
      return canPushMore(state);
    }
  }
  addChunk(stream, state, chunk, false);
  return canPushMore(state);
}

function pushObject(stream, state, chunk, encoding) {
  if (chunk === null) {
    state.reading = false;
    onEofChunk(stream, state);
    return false;
  }
  if (state.ended) {
    errorOrDestroy(stream, streamError('ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'));
    return false;
  }
  if (state.destroyed || state.errored) return false;
  state.reading = false;
  if (state.decoder && !encoding) chunk = state.decoder.write(chunk);
  addChunk(stream, state, chunk, false);
  return canPushMore(state);
}

function canPushMore(state) {
  return !state.ended && (state.length < state.highWaterMark || state.length === 0);
}

function addChunk(stream, state, chunk, addToFront) {
  if (state.flowing && !state.sync && state.dataListening && state.length === 0) {
    if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
    state.dataEmitted = true;
    stream.emit('data', chunk);
  } else {
    state.length += state.objectMode ? 1 : chunk.length;
    if (addToFront) state.buffer.unshift(chunk);
    else state.buffer.push(chunk);
    if (state.needReadable) emitReadable(stream);
  }
  maybeReadMore(stream, state);
}

Readable.prototype.isPaused = function () {
  const state = this._readableState;
  return state.paused === true || state.flowing === false;
};

Readable.prototype.setEncoding = function (enc) {
  const state = this._readableState;
  const decoder = new StringDecoder(enc);
  state.decoder = decoder;
  state.encoding = decoder.encoding;
  let content = '';
  for (const data of state.buffer) content += decoder.write(data);
  state.buffer = [];
  if (content !== '') state.buffer.push(content);
  state.length = content.length;
  return this;
};

function howMuchToRead(n, state) {
  if (n <= 0 || (state.length === 0 && state.ended)) return 0;
  if (state.objectMode) return 1;
  if (Number.isNaN(n)) {
    if (state.flowing && state.length) return state.buffer[0].length;
    return state.length;
  }
  if (n <= state.length) return n;
  return state.ended ? state.length : 0;
}

Readable.prototype.read = function (n) {
  if (n === undefined) n = NaN;
  else if (!Number.isInteger(n)) n = Number.parseInt(n, 10);
  const state = this._readableState;
  const nOrig = n;
  if (n > state.highWaterMark) {
    // computeNewHighWaterMark: the next power of two.
    let h = n - 1;
    h |= h >>> 1;
    h |= h >>> 2;
    h |= h >>> 4;
    h |= h >>> 8;
    h |= h >>> 16;
    state.highWaterMark = h + 1;
  }
  if (n !== 0) state.emittedReadable = false;
  if (
    n === 0 &&
    state.needReadable &&
    ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) ||
      state.ended)
  ) {
    if (state.length === 0 && state.ended) endReadable(this);
    else emitReadable(this);
    return null;
  }
  n = howMuchToRead(n, state);
  if (n === 0 && state.ended) {
    if (state.length === 0) endReadable(this);
    return null;
  }
  let doRead = state.needReadable;
  if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
  const canRead =
    !state.reading && !state.ended && !state.destroyed && !state.errored && state.constructed;
  if (canRead && doRead) {
    state.reading = true;
    state.sync = true;
    if (state.length === 0) state.needReadable = true;
    try {
      this._read(state.highWaterMark);
    } catch (err) {
      errorOrDestroy(this, err);
    }
    state.sync = false;
    if (!state.reading) n = howMuchToRead(nOrig, state);
  }
  const ret = n > 0 ? fromList(n, state) : null;
  if (ret === null) {
    if (state.length <= state.highWaterMark) state.needReadable = true;
    n = 0;
  } else {
    state.length -= n;
    if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
  }
  if (state.length === 0) {
    if (!state.ended) state.needReadable = true;
    if (nOrig !== n && state.ended) endReadable(this);
  }
  if (ret !== null && !state.errorEmitted && !state.closeEmitted) {
    state.dataEmitted = true;
    this.emit('data', ret);
  }
  return ret;
};

// Takes n bytes (or one object, or everything) off the buffer.
function fromList(n, state) {
  if (state.length === 0) return null;
  const buf = state.buffer;
  let ret;
  if (state.objectMode) ret = buf.shift();
  else if (!n || n >= state.length) {
    if (state.decoder) ret = buf.join('');
    else if (buf.length === 1) ret = buf[0];
    else ret = Buffer.concat(buf, state.length);
    state.buffer = [];
  } else {
    ret = consumeBytes(n, buf, !!state.decoder);
  }
  return ret;
}

function consumeBytes(n, list, isString) {
  const first = list[0];
  if (n < first.length) {
    list[0] = first.slice(n);
    return first.slice(0, n);
  }
  if (n === first.length) return list.shift();
  const parts = [];
  let left = n;
  while (left > 0) {
    const c = list[0];
    if (c.length <= left) {
      parts.push(list.shift());
      left -= c.length;
    } else {
      parts.push(c.slice(0, left));
      list[0] = c.slice(left);
      left = 0;
    }
  }
  return isString ? parts.join('') : Buffer.concat(parts, n);
}

function onEofChunk(stream, state) {
  if (state.ended) return;
  if (state.decoder) {
    const chunk = state.decoder.end();
    if (chunk && chunk.length) {
      state.buffer.push(chunk);
      state.length += state.objectMode ? 1 : chunk.length;
    }
  }
  state.ended = true;
  if (state.sync) {
    emitReadable(stream);
  } else {
    state.needReadable = false;
    state.emittedReadable = true;
    emitReadable_(stream);
  }
}

function emitReadable(stream) {
  const state = stream._readableState;
  state.needReadable = false;
  if (!state.emittedReadable) {
    state.emittedReadable = true;
    nextTick(emitReadable_, stream);
  }
}

function emitReadable_(stream) {
  const state = stream._readableState;
  if (!state.destroyed && !state.errored && (state.length || state.ended)) {
    stream.emit('readable');
    state.emittedReadable = false;
  }
  if (!state.flowing && !state.ended && state.length <= state.highWaterMark)
    state.needReadable = true;
  flow(stream);
}

function maybeReadMore(stream, state) {
  if (!state.readingMore && state.constructed) {
    state.readingMore = true;
    nextTick(maybeReadMore_, stream, state);
  }
}

function maybeReadMore_(stream, state) {
  while (
    !state.reading &&
    !state.ended &&
    (state.length < state.highWaterMark || (state.flowing && state.length === 0))
  ) {
    const len = state.length;
    stream.read(0);
    if (len === state.length) break;
  }
  state.readingMore = false;
}

Readable.prototype._read = function (n) {
  throw errNotImplemented('_read()');
};

Readable.prototype.pipe = function (dest, pipeOpts) {
  const src = this;
  const state = this._readableState;
  if (state.pipes.length === 1 && !state.multiAwaitDrain) {
    state.multiAwaitDrain = true;
    state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
  }
  state.pipes.push(dest);
  const doEnd = (!pipeOpts || pipeOpts.end !== false) && !dest._isStdio;
  const endFn = doEnd ? onend : unpipe;
  if (state.endEmitted) nextTick(endFn);
  else src.once('end', endFn);
  dest.on('unpipe', onunpipe);
  function onunpipe(readable, unpipeInfo) {
    if (readable === src && unpipeInfo && unpipeInfo.hasUnpiped === false) {
      unpipeInfo.hasUnpiped = true;
      cleanup();
    }
  }
  function onend() {
    dest.end();
  }
  let ondrain;
  let cleanedUp = false;
  function cleanup() {
    dest.removeListener('close', onclose);
    dest.removeListener('finish', onfinish);
    if (ondrain) dest.removeListener('drain', ondrain);
    dest.removeListener('error', onerror);
    dest.removeListener('unpipe', onunpipe);
    src.removeListener('end', onend);
    src.removeListener('end', unpipe);
    src.removeListener('data', ondata);
    cleanedUp = true;
    if (
      ondrain &&
      state.awaitDrainWriters &&
      (!dest._writableState || dest._writableState.needDrain)
    )
      ondrain();
  }
  function pause() {
    if (!cleanedUp) {
      if (state.pipes.length === 1 && state.pipes[0] === dest) {
        state.awaitDrainWriters = dest;
        state.multiAwaitDrain = false;
      } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
        state.awaitDrainWriters.add(dest);
      }
      src.pause();
    }
    if (!ondrain) {
      ondrain = pipeOnDrain(src, dest);
      dest.on('drain', ondrain);
    }
  }
  src.on('data', ondata);
  function ondata(chunk) {
    if (dest.write(chunk) === false) pause();
  }
  function onerror(er) {
    unpipe();
    dest.removeListener('error', onerror);
    if (dest.listenerCount('error') === 0) {
      const s = dest._writableState || dest._readableState;
      if (s && !s.errorEmitted) errorOrDestroy(dest, er);
      else dest.emit('error', er);
    }
  }
  prependListener(dest, 'error', onerror);
  function onclose() {
    dest.removeListener('finish', onfinish);
    unpipe();
  }
  dest.once('close', onclose);
  function onfinish() {
    dest.removeListener('close', onclose);
    unpipe();
  }
  dest.once('finish', onfinish);
  function unpipe() {
    src.unpipe(dest);
  }
  dest.emit('pipe', src);
  if (dest.writableNeedDrain === true) pause();
  else if (!state.flowing) src.resume();
  return dest;
};

function pipeOnDrain(src, dest) {
  return function pipeOnDrainFunctionResult() {
    const state = src._readableState;
    if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
    else if (state.multiAwaitDrain) state.awaitDrainWriters.delete(dest);
    if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && state.dataListening)
      src.resume();
  };
}

Readable.prototype.unpipe = function (dest) {
  const state = this._readableState;
  if (state.pipes.length === 0) return this;
  if (!dest) {
    const dests = state.pipes;
    state.pipes = [];
    this.pause();
    for (const d of dests) d.emit('unpipe', this, { hasUnpiped: false });
    return this;
  }
  const index = state.pipes.indexOf(dest);
  if (index === -1) return this;
  state.pipes.splice(index, 1);
  if (state.pipes.length === 0) this.pause();
  dest.emit('unpipe', this, { hasUnpiped: false });
  return this;
};

Readable.prototype.on = function (ev, fn) {
  const res = Stream.prototype.on.call(this, ev, fn);
  const state = this._readableState;
  if (ev === 'data') {
    state.dataListening = true;
    if (this.listenerCount('readable') > 0) state.readableListening = true;
    if (state.flowing !== false) this.resume();
  } else if (ev === 'readable') {
    if (!state.endEmitted && !state.readableListening) {
      state.readableListening = state.needReadable = true;
      state.flowing = false;
      state.emittedReadable = false;
      if (state.length) emitReadable(this);
      else if (!state.reading) nextTick(nReadingNextTick, this);
    }
  }
  return res;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.removeListener = function (ev, fn) {
  const state = this._readableState;
  const res = Stream.prototype.removeListener.call(this, ev, fn);
  if (ev === 'readable') nextTick(updateReadableListening, this);
  else if (ev === 'data' && this.listenerCount('data') === 0) state.dataListening = false;
  return res;
};
Readable.prototype.off = Readable.prototype.removeListener;

Readable.prototype.removeAllListeners = function (ev) {
  const res = Stream.prototype.removeAllListeners.apply(this, arguments);
  if (ev === 'readable' || ev === undefined) nextTick(updateReadableListening, this);
  return res;
};

function updateReadableListening(self) {
  const state = self._readableState;
  state.readableListening = self.listenerCount('readable') > 0;
  if (state.paused === false && state.resumeScheduled) state.flowing = true;
  else if (state.dataListening) self.resume();
  else if (!state.readableListening) state.flowing = null;
}

function nReadingNextTick(self) {
  self.read(0);
}

Readable.prototype.resume = function () {
  const state = this._readableState;
  if (!state.flowing) {
    state.flowing = !state.readableListening;
    if (!state.resumeScheduled) {
      state.resumeScheduled = true;
      nextTick(resume_, this, state);
    }
  }
  state.paused = false;
  return this;
};

function resume_(stream, state) {
  if (!state.reading) stream.read(0);
  state.resumeScheduled = false;
  stream.emit('resume');
  flow(stream);
  if (state.flowing && !state.reading) stream.read(0);
}

Readable.prototype.pause = function () {
  const state = this._readableState;
  if (state.flowing !== false) {
    state.flowing = false;
    this.emit('pause');
  }
  state.paused = true;
  return this;
};

function flow(stream) {
  const state = stream._readableState;
  while (state.flowing && stream.read() !== null);
}

Readable.prototype.wrap = function (stream) {
  let paused = false;
  stream.on('data', (chunk) => {
    if (!this.push(chunk) && stream.pause) {
      paused = true;
      stream.pause();
    }
  });
  stream.on('end', () => this.push(null));
  stream.on('error', (err) => errorOrDestroy(this, err));
  stream.on('close', () => this.destroy());
  stream.on('destroy', () => this.destroy());
  this._read = () => {
    if (paused && stream.resume) {
      paused = false;
      stream.resume();
    }
  };
  return this;
};

Readable.prototype[Symbol.asyncIterator] = function () {
  return createAsyncIterator(this);
};
Readable.prototype.iterator = function (options) {
  return createAsyncIterator(this, options);
};

// for await (const chunk of readable): read() what is buffered, otherwise wait for 'readable'
// or the end (finished).
async function* createAsyncIterator(stream, options) {
  let callback = nop;
  function next(resolve) {
    if (this === stream) {
      callback();
      callback = nop;
    } else {
      callback = resolve;
    }
  }
  stream.on('readable', next);
  let error;
  const cleanup = finished(stream, { writable: false }, (err) => {
    error = err ? error || err : null;
    callback();
    callback = nop;
  });
  try {
    for (;;) {
      const chunk = stream.destroyed ? null : stream.read();
      if (chunk !== null) yield chunk;
      else if (error) throw error;
      else if (error === null) return;
      else await new Promise(next);
    }
  } catch (err) {
    error = error || err;
    throw error;
  } finally {
    if (
      (error || !options || options.destroyOnReturn !== false) &&
      (error === undefined || stream._readableState.autoDestroy)
    ) {
      destroyer(stream, null);
    } else {
      stream.off('readable', next);
      cleanup();
    }
  }
}

// Node 20's stream operators that programs use most (experimental there).
Readable.prototype.toArray = async function toArray() {
  const out = [];
  for await (const chunk of this) out.push(chunk);
  return out;
};
Readable.prototype.forEach = async function forEach(fn) {
  for await (const chunk of this) await fn(chunk);
};
Readable.prototype.map = function map(fn) {
  const src = this;
  return Readable.from(
    (async function* () {
      for await (const chunk of src) yield await fn(chunk);
    })(),
  );
};
Readable.prototype.filter = function filter(fn) {
  const src = this;
  return Readable.from(
    (async function* () {
      for await (const chunk of src) if (await fn(chunk)) yield chunk;
    })(),
  );
};

function defineGetters(proto, getters) {
  for (const [name, get] of Object.entries(getters))
    Object.defineProperty(proto, name, { get, enumerable: false, configurable: true });
}
Object.defineProperty(Readable.prototype, 'readable', {
  get() {
    const r = this._readableState;
    return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
  },
  set(val) {
    if (this._readableState) this._readableState.readable = !!val;
  },
  configurable: true,
});
Object.defineProperty(Readable.prototype, 'destroyed', {
  get() {
    return this._readableState ? this._readableState.destroyed : false;
  },
  set(value) {
    if (this._readableState) this._readableState.destroyed = value;
  },
  configurable: true,
});
defineGetters(Readable.prototype, {
  readableDidRead() {
    return this._readableState.dataEmitted;
  },
  readableAborted() {
    const r = this._readableState;
    return !!(r.readable !== false && (r.destroyed || r.errored) && !r.endEmitted);
  },
  readableHighWaterMark() {
    return this._readableState.highWaterMark;
  },
  readableBuffer() {
    return this._readableState && this._readableState.buffer;
  },
  readableFlowing() {
    return this._readableState.flowing;
  },
  readableLength() {
    return this._readableState ? this._readableState.length : undefined;
  },
  readableObjectMode() {
    return this._readableState ? this._readableState.objectMode : false;
  },
  readableEncoding() {
    return this._readableState ? this._readableState.encoding : null;
  },
  errored() {
    return this._readableState ? this._readableState.errored : null;
  },
  closed() {
    return this._readableState ? this._readableState.closed : false;
  },
  readableEnded() {
    return this._readableState ? this._readableState.endEmitted : false;
  },
});

function endReadable(stream) {
  const state = stream._readableState;
  if (!state.endEmitted) {
    state.ended = true;
    nextTick(endReadableNT, state, stream);
  }
}

function endReadableNT(state, stream) {
  if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
    state.endEmitted = true;
    stream.emit('end');
    if (stream.writable && stream.allowHalfOpen === false) {
      nextTick(endWritableNT, stream);
    } else if (state.autoDestroy) {
      const wState = stream._writableState;
      const autoDestroy =
        !wState || (wState.autoDestroy && (wState.finished || wState.writable === false));
      if (autoDestroy) stream.destroy();
    }
  }
}

function endWritableNT(stream) {
  if (stream.writable && !stream.writableEnded && !stream.destroyed) stream.end();
}

// Readable.from(iterable) (lib/internal/streams/from.js): each value pushed in turn, pulling
// the next when the stream wants more; a sync iterator of plain values is read with no await
// at all. A string or a Buffer is one chunk.
Readable.from = function (iterable, opts) {
  if (typeof iterable === 'string' || iterable instanceof Buffer) {
    return new Readable({
      objectMode: true,
      ...opts,
      read() {
        this.push(iterable);
        this.push(null);
      },
    });
  }
  let iterator;
  let isAsync;
  if (iterable && iterable[Symbol.asyncIterator]) {
    isAsync = true;
    iterator = iterable[Symbol.asyncIterator]();
  } else if (iterable && iterable[Symbol.iterator]) {
    isAsync = false;
    iterator = iterable[Symbol.iterator]();
  } else {
    throw invalidArgType('iterable', 'an instance of Iterable', iterable);
  }
  const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
  let reading = false;
  let isAsyncValues = false;
  readable._read = function () {
    if (!reading) {
      reading = true;
      if (isAsync) nextAsync();
      else if (isAsyncValues) nextSyncWithAsyncValues();
      else nextSyncWithSyncValues();
    }
  };
  readable._destroy = function (error, cb) {
    close(error).then(
      () => nextTick(cb, error),
      (e) => nextTick(cb, e || error),
    );
  };
  async function close(error) {
    const hadError = error !== undefined && error !== null;
    if (hadError && typeof iterator.throw === 'function') {
      const { value, done } = await iterator.throw(error);
      await value;
      if (done) return;
    }
    if (typeof iterator.return === 'function') {
      const { value } = await iterator.return();
      await value;
    }
  }
  function nextSyncWithSyncValues() {
    for (;;) {
      try {
        const { value, done } = iterator.next();
        if (done) {
          readable.push(null);
          return;
        }
        if (value && typeof value.then === 'function') return changeToAsyncValues(value);
        if (value === null) {
          reading = false;
          throw errNullValues();
        }
        if (readable.push(value)) continue;
        reading = false;
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  async function changeToAsyncValues(value) {
    isAsyncValues = true;
    try {
      const res = await value;
      if (res === null) {
        reading = false;
        throw errNullValues();
      }
      if (readable.push(res)) {
        nextSyncWithAsyncValues();
        return;
      }
      reading = false;
    } catch (err) {
      readable.destroy(err);
    }
  }
  async function nextSyncWithAsyncValues() {
    for (;;) {
      try {
        const { value, done } = iterator.next();
        if (done) {
          readable.push(null);
          return;
        }
        const res = value && typeof value.then === 'function' ? await value : value;
        if (res === null) {
          reading = false;
          throw errNullValues();
        }
        if (readable.push(res)) continue;
        reading = false;
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  async function nextAsync() {
    for (;;) {
      try {
        const { value, done } = await iterator.next();
        if (done) {
          readable.push(null);
          return;
        }
        if (value === null) {
          reading = false;
          throw errNullValues();
        }
        if (readable.push(value)) continue;
        reading = false;
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  return readable;
};

// ---- Writable (lib/internal/streams/writable.js) ---------------------------------------------

function WritableState(options, stream, isDuplex) {
  if (typeof isDuplex !== 'boolean') isDuplex = stream instanceof Duplex;
  this.objectMode = !!(options && (options.objectMode || (isDuplex && options.writableObjectMode)));
  this.highWaterMark = getHighWaterMark(
    this.objectMode,
    options,
    'writableHighWaterMark',
    isDuplex,
  );
  this.finalCalled = false;
  this.needDrain = false;
  this.ending = false;
  this.ended = false;
  this.finished = false;
  this.destroyed = false;
  this.decodeStrings = !options || options.decodeStrings !== false;
  const enc = options ? options.defaultEncoding : null;
  if (enc != null && !Buffer.isEncoding(enc))
    throw makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`);
  this.defaultEncoding = enc == null ? 'utf8' : enc;
  this.length = 0;
  this.writing = false;
  this.corked = 0;
  this.sync = true;
  this.bufferProcessing = false;
  this.onwrite = onwrite.bind(undefined, stream);
  this.writecb = null;
  this.expectWriteCb = false;
  this.writelen = 0;
  this.afterWriteTickInfo = null;
  this.afterWritePending = false;
  this.buffered = [];
  this.bufferedIndex = 0;
  this.allBuffers = true;
  this.allNoop = true;
  this.pendingcb = 0;
  this.constructed = true;
  this.prefinished = false;
  this.errorEmitted = false;
  this.emitClose = !options || options.emitClose !== false;
  this.autoDestroy = !options || options.autoDestroy !== false;
  this.errored = null;
  this.closed = false;
  this.closeEmitted = false;
  this.onFinished = [];
}
WritableState.prototype.getBuffer = function getBuffer() {
  return this.buffered.slice(this.bufferedIndex);
};
Object.defineProperty(WritableState.prototype, 'bufferedRequestCount', {
  get() {
    return this.buffered.length - this.bufferedIndex;
  },
});

function resetBuffer(state) {
  state.buffered = [];
  state.bufferedIndex = 0;
  state.allBuffers = true;
  state.allNoop = true;
}

function writableConstructed(stream) {
  const state = stream._writableState;
  if (!state.writing) clearBuffer(stream, state);
  if (state.ending) finishMaybe(stream, state);
}

function Writable(options) {
  if (!(this instanceof Writable)) return new Writable(options);
  this._writableState = new WritableState(options, this, false);
  if (options) {
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignal(options.signal, this);
  }
  Stream.call(this, options);
  if (this._construct != null) construct(this, () => writableConstructed(this));
}
Object.setPrototypeOf(Writable.prototype, Stream.prototype);
Object.setPrototypeOf(Writable, Stream);
Writable.WritableState = WritableState;
Object.defineProperty(Writable, Symbol.hasInstance, {
  value(object) {
    if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
    if (this !== Writable) return false;
    return !!(object && object._writableState instanceof WritableState);
  },
});

Writable.prototype.pipe = function () {
  errorOrDestroy(this, streamError('ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'));
};

function writeChunk(stream, chunk, encoding, cb) {
  const state = stream._writableState;
  if (cb == null || typeof cb !== 'function') cb = nop;
  if (chunk === null) throw errNullValues();
  if (!state.objectMode) {
    if (!encoding) encoding = state.defaultEncoding;
    else if (encoding !== 'buffer' && !Buffer.isEncoding(encoding))
      throw makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
    if (typeof chunk === 'string') {
      if (state.decodeStrings) {
        chunk = Buffer.from(chunk, encoding);
        encoding = 'buffer';
      }
    } else if (chunk instanceof Buffer) {
      encoding = 'buffer';
    } else if (ArrayBuffer.isView(chunk)) {
      chunk = Buffer.from(chunk);
      encoding = 'buffer';
    } else {
      throw errChunkType(chunk);
    }
  }
  let err;
  if (state.ending) err = streamError('ERR_STREAM_WRITE_AFTER_END', 'write after end');
  else if (state.destroyed) err = errDestroyed('write');
  if (err) {
    nextTick(cb, err);
    errorOrDestroy(stream, err, true);
    return err;
  }
  state.pendingcb++;
  return writeOrBuffer(stream, state, chunk, encoding, cb);
}

Writable.prototype.write = function (chunk, encoding, cb) {
  if (encoding != null && typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  }
  return writeChunk(this, chunk, encoding, cb) === true;
};

Writable.prototype.cork = function () {
  this._writableState.corked++;
};

Writable.prototype.uncork = function () {
  const state = this._writableState;
  if (state.corked) {
    state.corked--;
    if (!state.writing) clearBuffer(this, state);
  }
};

Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
  if (typeof encoding === 'string') encoding = encoding.toLowerCase();
  if (!Buffer.isEncoding(encoding))
    throw makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
  this._writableState.defaultEncoding = encoding;
  return this;
};

function writeOrBuffer(stream, state, chunk, encoding, callback) {
  const len = state.objectMode ? 1 : chunk.length;
  state.length += len;
  if (state.writing || state.errored || state.corked || !state.constructed) {
    state.buffered.push({ chunk, encoding, callback });
    if (state.allBuffers && encoding !== 'buffer') state.allBuffers = false;
    if (state.allNoop && callback !== nop) state.allNoop = false;
  } else {
    state.writelen = len;
    if (callback !== nop) state.writecb = callback;
    state.writing = true;
    state.sync = true;
    state.expectWriteCb = true;
    stream._write(chunk, encoding, state.onwrite);
    state.sync = false;
  }
  const ret = state.length < state.highWaterMark || state.length === 0;
  if (!ret) state.needDrain = true;
  return ret && !state.destroyed && !state.errored;
}

function doWrite(stream, state, writev, len, chunk, encoding, cb) {
  state.writelen = len;
  if (cb !== nop) state.writecb = cb;
  state.writing = true;
  state.sync = true;
  state.expectWriteCb = true;
  if (state.destroyed) state.onwrite(errDestroyed('write'));
  else if (writev) stream._writev(chunk, state.onwrite);
  else stream._write(chunk, encoding, state.onwrite);
  state.sync = false;
}

function onwriteError(stream, state, er, cb) {
  --state.pendingcb;
  cb(er);
  errorBuffer(state);
  errorOrDestroy(stream, er);
}

function onwrite(stream, er) {
  const state = stream._writableState;
  if (!state.expectWriteCb) {
    errorOrDestroy(stream, errMultipleCallback());
    return;
  }
  const sync = state.sync;
  const cb = state.writecb || nop;
  state.writecb = null;
  state.writing = false;
  state.expectWriteCb = false;
  state.length -= state.writelen;
  state.writelen = 0;
  if (er) {
    if (!state.errored) state.errored = er;
    if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
    if (sync) nextTick(onwriteError, stream, state, er, cb);
    else onwriteError(stream, state, er, cb);
    return;
  }
  if (state.buffered.length > 0) clearBuffer(stream, state);
  if (!sync) {
    afterWrite(stream, state, 1, cb);
    return;
  }
  // A synchronous write: its callback, and 'drain', wait for a tick; a write nobody waits for
  // that needs no 'drain' needs none.
  const needDrain = state.needDrain && state.length === 0;
  const needTick = needDrain || state.destroyed || cb !== nop;
  if (cb === nop) {
    if (!state.afterWritePending && needTick) {
      nextTick(afterWrite, stream, state, 1, cb);
      state.afterWritePending = true;
    } else {
      state.pendingcb--;
      if (state.ending) finishMaybe(stream, state, true);
    }
  } else if (state.afterWriteTickInfo !== null && state.afterWriteTickInfo.cb === cb) {
    state.afterWriteTickInfo.count++;
  } else if (needTick) {
    state.afterWriteTickInfo = { count: 1, cb, stream, state };
    nextTick(afterWriteTick, state.afterWriteTickInfo);
    state.afterWritePending = true;
  } else {
    state.pendingcb--;
    if (state.ending) finishMaybe(stream, state, true);
  }
}

function afterWriteTick({ stream, state, count, cb }) {
  state.afterWriteTickInfo = null;
  return afterWrite(stream, state, count, cb);
}

function afterWrite(stream, state, count, cb) {
  state.afterWritePending = false;
  const needDrain = !state.ending && !state.destroyed && state.needDrain && state.length === 0;
  if (needDrain) {
    state.needDrain = false;
    stream.emit('drain');
  }
  while (count-- > 0) {
    state.pendingcb--;
    cb(null);
  }
  if (state.destroyed) errorBuffer(state);
  if (state.ending) finishMaybe(stream, state, true);
}

function callFinishedCallbacks(state, err) {
  const callbacks = state.onFinished;
  state.onFinished = [];
  for (const cb of callbacks) cb(err);
}

function errorBuffer(state) {
  if (state.writing) return;
  for (let n = state.bufferedIndex; n < state.buffered.length; ++n) {
    const { chunk, callback } = state.buffered[n];
    state.length -= state.objectMode ? 1 : chunk.length;
    callback(state.errored ?? errDestroyed('write'));
  }
  callFinishedCallbacks(state, state.errored ?? errDestroyed('end'));
  resetBuffer(state);
}

function clearBuffer(stream, state) {
  if (
    state.destroyed ||
    state.bufferProcessing ||
    state.corked ||
    state.buffered.length === 0 ||
    !state.constructed
  )
    return;
  const { buffered, bufferedIndex, objectMode } = state;
  const bufferedLength = buffered.length - bufferedIndex;
  if (!bufferedLength) return;
  let i = bufferedIndex;
  state.bufferProcessing = true;
  if (bufferedLength > 1 && stream._writev) {
    state.pendingcb -= bufferedLength - 1;
    const callback = state.allNoop
      ? nop
      : (err) => {
          for (let n = i; n < buffered.length; ++n) buffered[n].callback(err);
        };
    const chunks = state.allNoop && i === 0 ? buffered : buffered.slice(i);
    chunks.allBuffers = state.allBuffers;
    doWrite(stream, state, true, state.length, chunks, '', callback);
    resetBuffer(state);
  } else {
    do {
      const { chunk, encoding, callback } = buffered[i];
      buffered[i++] = null;
      doWrite(stream, state, false, objectMode ? 1 : chunk.length, chunk, encoding, callback);
    } while (i < buffered.length && !state.writing);
    if (i === buffered.length) resetBuffer(state);
    else if (i > 256) {
      buffered.splice(0, i);
      state.bufferedIndex = 0;
    } else {
      state.bufferedIndex = i;
    }
  }
  state.bufferProcessing = false;
}

Writable.prototype._write = function (chunk, encoding, cb) {
  if (this._writev) this._writev([{ chunk, encoding }], cb);
  else throw errNotImplemented('_write()');
};
Writable.prototype._writev = null;

Writable.prototype.end = function (chunk, encoding, cb) {
  const state = this._writableState;
  if (typeof chunk === 'function') {
    cb = chunk;
    chunk = null;
    encoding = null;
  } else if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  }
  let err;
  if (chunk != null) {
    const ret = writeChunk(this, chunk, encoding);
    if (ret instanceof Error) err = ret;
  }
  if (state.corked) {
    state.corked = 1;
    this.uncork();
  }
  if (err) {
    // The write's error is the answer.
  } else if (!state.ending && !state.errored) {
    state.ending = true;
    finishMaybe(this, state, true);
    state.ended = true;
  } else if (state.finished) {
    err = streamError('ERR_STREAM_ALREADY_FINISHED', 'Cannot call end after a stream was finished');
  } else if (state.destroyed) {
    err = errDestroyed('end');
  }
  if (typeof cb === 'function') {
    if (err) nextTick(cb, err);
    else if (state.errored) nextTick(cb, state.errored);
    else if (state.finished) nextTick(cb, null);
    else state.onFinished.push(cb);
  }
  return this;
};

function needFinish(state) {
  return (
    state.ending &&
    !state.destroyed &&
    state.constructed &&
    !state.finished &&
    !state.writing &&
    !state.errorEmitted &&
    !state.closeEmitted &&
    !state.errored &&
    state.buffered.length === 0 &&
    state.length === 0
  );
}

function onFinal(stream, state, err) {
  if (state.prefinished) {
    errorOrDestroy(stream, err ?? errMultipleCallback());
    return;
  }
  state.pendingcb--;
  if (err) {
    callFinishedCallbacks(state, err);
    errorOrDestroy(stream, err, state.sync);
  } else if (needFinish(state)) {
    state.prefinished = true;
    stream.emit('prefinish');
    state.pendingcb++;
    nextTick(finish, stream, state);
  }
}

function prefinish(stream, state) {
  if (state.prefinished || state.finalCalled) return;
  if (typeof stream._final === 'function' && !state.destroyed) {
    state.finalCalled = true;
    state.sync = true;
    state.pendingcb++;
    try {
      stream._final((err) => onFinal(stream, state, err));
    } catch (err) {
      onFinal(stream, state, err);
    }
    state.sync = false;
  } else {
    state.finalCalled = true;
    state.prefinished = true;
    stream.emit('prefinish');
  }
}

function finishMaybe(stream, state, sync) {
  if (!needFinish(state)) return;
  prefinish(stream, state);
  if (state.pendingcb !== 0) return;
  if (sync) {
    state.pendingcb++;
    nextTick(() => {
      if (needFinish(state)) finish(stream, state);
      else state.pendingcb--;
    });
  } else if (needFinish(state)) {
    state.pendingcb++;
    finish(stream, state);
  }
}

function finish(stream, state) {
  state.pendingcb--;
  state.finished = true;
  callFinishedCallbacks(state, null);
  stream.emit('finish');
  if (state.autoDestroy) {
    const rState = stream._readableState;
    const autoDestroy =
      !rState || (rState.autoDestroy && (rState.endEmitted || rState.readable === false));
    if (autoDestroy) stream.destroy();
  }
}

Object.defineProperty(Writable.prototype, 'writable', {
  get() {
    const w = this._writableState;
    return !!w && w.writable !== false && !w.destroyed && !w.errored && !w.ending && !w.ended;
  },
  set(val) {
    if (this._writableState) this._writableState.writable = !!val;
  },
  configurable: true,
});
Object.defineProperty(Writable.prototype, 'destroyed', {
  get() {
    return this._writableState ? this._writableState.destroyed : false;
  },
  set(value) {
    if (this._writableState) this._writableState.destroyed = value;
  },
  configurable: true,
});
const writableGetters = {
  writableFinished() {
    return this._writableState ? this._writableState.finished : false;
  },
  writableObjectMode() {
    return this._writableState ? this._writableState.objectMode : false;
  },
  writableBuffer() {
    return this._writableState && this._writableState.getBuffer();
  },
  writableEnded() {
    return this._writableState ? this._writableState.ending : false;
  },
  writableNeedDrain() {
    const w = this._writableState;
    return w ? !w.destroyed && !w.ending && w.needDrain : false;
  },
  writableHighWaterMark() {
    return this._writableState && this._writableState.highWaterMark;
  },
  writableCorked() {
    return this._writableState ? this._writableState.corked : 0;
  },
  writableLength() {
    return this._writableState && this._writableState.length;
  },
};
defineGetters(Writable.prototype, {
  ...writableGetters,
  errored() {
    return this._writableState ? this._writableState.errored : null;
  },
  closed() {
    return this._writableState ? this._writableState.closed : false;
  },
});

Writable.prototype.destroy = function (err, cb) {
  const state = this._writableState;
  if (
    !state.destroyed &&
    (state.bufferedIndex < state.buffered.length || state.onFinished.length)
  ) {
    nextTick(errorBuffer, state);
  }
  destroyStream.call(this, err, cb);
  return this;
};
Writable.prototype._undestroy = undestroy;
Writable.prototype._destroy = function (err, cb) {
  cb(err);
};

// ---- Duplex, Transform, PassThrough -------------------------------------------------------

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  this._readableState = new ReadableState(options, this, true);
  this._writableState = new WritableState(options, this, true);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      this._readableState.readable = false;
      this._readableState.ended = true;
      this._readableState.endEmitted = true;
    }
    if (options.writable === false) {
      this._writableState.writable = false;
      this._writableState.ending = true;
      this._writableState.ended = true;
      this._writableState.finished = true;
    }
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignal(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
  Stream.call(this, options);
  if (this._construct != null) {
    construct(this, () => {
      readableConstructed(this);
      writableConstructed(this);
    });
  }
}
Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);
for (const method of Object.keys(Writable.prototype)) {
  if (!Duplex.prototype[method]) Duplex.prototype[method] = Writable.prototype[method];
}
Duplex.prototype.destroy = Writable.prototype.destroy;
Object.defineProperty(
  Duplex.prototype,
  'writable',
  Object.getOwnPropertyDescriptor(Writable.prototype, 'writable'),
);
defineGetters(Duplex.prototype, writableGetters);
Object.defineProperty(Duplex.prototype, 'destroyed', {
  get() {
    if (this._readableState === undefined || this._writableState === undefined) return false;
    return this._readableState.destroyed && this._writableState.destroyed;
  },
  set(value) {
    if (this._readableState && this._writableState) {
      this._readableState.destroyed = value;
      this._writableState.destroyed = value;
    }
  },
  configurable: true,
});

function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  const readableHighWaterMark = options
    ? getHighWaterMark(
        !!(options.objectMode || options.readableObjectMode),
        options,
        'readableHighWaterMark',
        true,
      )
    : null;
  if (readableHighWaterMark === 0) {
    // A zero high-water mark would stall a transform: let one chunk through.
    options = {
      ...options,
      highWaterMark: null,
      readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark || 0,
    };
  }
  Duplex.call(this, options);
  this._readableState.sync = false;
  this[kTransformCallback] = null;
  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
  this.on('prefinish', transformPrefinish);
}
Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
Object.setPrototypeOf(Transform, Duplex);

function transformFinal(cb) {
  if (typeof this._flush === 'function' && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}

function transformPrefinish() {
  if (this._final !== transformFinal) transformFinal.call(this);
}

Transform.prototype._final = transformFinal;

Transform.prototype._transform = function (chunk, encoding, callback) {
  throw errNotImplemented('_transform()');
};

Transform.prototype._write = function (chunk, encoding, callback) {
  const rState = this._readableState;
  const wState = this._writableState;
  const length = rState.length;
  this._transform(chunk, encoding, (err, val) => {
    if (err) {
      callback(err);
      return;
    }
    if (val != null) this.push(val);
    if (rState.ended) nextTick(callback);
    else if (wState.ended || length === rState.length || rState.length < rState.highWaterMark)
      callback();
    else this[kTransformCallback] = callback;
  });
};

Transform.prototype._read = function () {
  if (this[kTransformCallback]) {
    const callback = this[kTransformCallback];
    this[kTransformCallback] = null;
    callback();
  }
};

function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  Transform.call(this, options);
}
Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
Object.setPrototypeOf(PassThrough, Transform);
PassThrough.prototype._transform = function (chunk, encoding, cb) {
  cb(null, chunk);
};

// ---- finished (end-of-stream.js) ----------------------------------------------------------

// finished(stream, [options], callback): the callback runs once, when the stream has ended or
// finished, or failed, or closed too early (ERR_STREAM_PREMATURE_CLOSE).
function finished(stream, options, callback) {
  if (arguments.length === 2) {
    callback = options;
    options = {};
  } else if (options == null) {
    options = {};
  }
  validateFunction(callback, 'callback');
  if (!isNodeStream(stream))
    throw invalidArgType(
      'stream',
      'an instance of ReadableStream, WritableStream, or Stream',
      stream,
    );
  {
    const inner = callback;
    let called = false;
    callback = function (...args) {
      if (called) return;
      called = true;
      return inner.apply(this, args);
    };
  }
  const readable = options.readable ?? isReadableNodeStream(stream);
  const writable = options.writable ?? isWritableNodeStream(stream);
  const wState = stream._writableState;
  const rState = stream._readableState;
  const onlegacyfinish = () => {
    if (!stream.writable) onfinish();
  };
  let emitsClose =
    willEmitClose(stream) &&
    isReadableNodeStream(stream) === readable &&
    isWritableNodeStream(stream) === writable;
  let writableFinished = isWritableFinished(stream, false);
  const onfinish = () => {
    writableFinished = true;
    if (stream.destroyed) emitsClose = false;
    if (emitsClose && (!stream.readable || readable)) return;
    if (!readable || readableFinished) callback.call(stream);
  };
  let readableFinished = isReadableFinished(stream, false);
  const onend = () => {
    readableFinished = true;
    if (stream.destroyed) emitsClose = false;
    if (emitsClose && (!stream.writable || writable)) return;
    if (!writable || writableFinished) callback.call(stream);
  };
  const onerror = (err) => callback.call(stream, err);
  let closed = isClosed(stream);
  const onclose = () => {
    closed = true;
    const errored = erroredOf(stream);
    if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
    if (readable && !readableFinished && isReadableNodeStream(stream, true)) {
      if (!isReadableFinished(stream, false)) return callback.call(stream, errPrematureClose());
    }
    if (writable && !writableFinished) {
      if (!isWritableFinished(stream, false)) return callback.call(stream, errPrematureClose());
    }
    callback.call(stream);
  };
  const onclosed = () => {
    closed = true;
    const errored = erroredOf(stream);
    if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
    callback.call(stream);
  };
  const onrequest = () => stream.req.on('finish', onfinish);
  if (isRequest(stream)) {
    stream.on('complete', onfinish);
    if (!emitsClose) stream.on('abort', onclose);
    if (stream.req) onrequest();
    else stream.on('request', onrequest);
  } else if (writable && !wState) {
    stream.on('end', onlegacyfinish);
    stream.on('close', onlegacyfinish);
  }
  if (!emitsClose && typeof stream.aborted === 'boolean') stream.on('aborted', onclose);
  stream.on('end', onend);
  stream.on('finish', onfinish);
  if (options.error !== false) stream.on('error', onerror);
  stream.on('close', onclose);
  if (closed) {
    nextTick(onclose);
  } else if ((wState && wState.errorEmitted) || (rState && rState.errorEmitted)) {
    if (!emitsClose) nextTick(onclosed);
  } else if (
    !readable &&
    (!emitsClose || isReadable(stream)) &&
    (writableFinished || isWritable(stream) === false) &&
    (wState == null || wState.pendingcb === undefined || wState.pendingcb === 0)
  ) {
    nextTick(onclosed);
  } else if (
    !writable &&
    (!emitsClose || isWritable(stream)) &&
    (readableFinished || isReadable(stream) === false)
  ) {
    nextTick(onclosed);
  } else if (rState && stream.req && stream.aborted) {
    nextTick(onclosed);
  }
  const cleanup = () => {
    callback = nop;
    stream.removeListener('aborted', onclose);
    stream.removeListener('complete', onfinish);
    stream.removeListener('abort', onclose);
    stream.removeListener('request', onrequest);
    if (stream.req) stream.req.removeListener('finish', onfinish);
    stream.removeListener('end', onlegacyfinish);
    stream.removeListener('close', onlegacyfinish);
    stream.removeListener('finish', onfinish);
    stream.removeListener('end', onend);
    stream.removeListener('error', onerror);
    stream.removeListener('close', onclose);
  };
  if (options.signal && !closed) {
    const signal = options.signal;
    const abort = () => {
      const endCallback = callback;
      cleanup();
      endCallback.call(stream, new AbortError(undefined, { cause: signal.reason }));
    };
    if (signal.aborted) {
      nextTick(abort);
    } else {
      signal.addEventListener('abort', abort, { once: true });
      const originalCallback = callback;
      callback = function (...args) {
        signal.removeEventListener('abort', abort);
        originalCallback.apply(stream, args);
      };
    }
  }
  return cleanup;
}

function finishedPromise(stream, opts) {
  let autoCleanup = false;
  if (opts && opts.cleanup) autoCleanup = !!opts.cleanup;
  return new Promise((resolve, reject) => {
    const cleanup = finished(stream, opts, (err) => {
      if (autoCleanup) cleanup();
      if (err) reject(err);
      else resolve();
    });
  });
}

function addAbortSignal(signal, stream) {
  if (signal === null || typeof signal !== 'object' || !('aborted' in signal))
    throw invalidArgType('signal', 'an instance of AbortSignal', signal);
  if (!isNodeStream(stream))
    throw invalidArgType(
      'stream',
      'an instance of ReadableStream, WritableStream, or Stream',
      stream,
    );
  const onAbort = () => stream.destroy(new AbortError(undefined, { cause: signal.reason }));
  if (signal.aborted) {
    onAbort();
  } else {
    signal.addEventListener('abort', onAbort, { once: true });
    finished(stream, () => signal.removeEventListener('abort', onAbort));
  }
  return stream;
}

// ---- pipeline (pipeline.js) ---------------------------------------------------------------

// pipeline(source, ...transforms, destination, callback): pipes each into the next, destroys
// them all on the first error, and calls back once the last is done. A source may be an
// (async) iterable or a generator function, a transform or the destination an async
// generator function (the destination's result is the callback's value).
function pipeline(...streams) {
  const cb = streams.pop();
  validateFunction(cb, 'streams[stream.length - 1]');
  let called = false;
  return pipelineImpl(streams, (...args) => {
    if (called) return;
    called = true;
    cb(...args);
  });
}

function pipelineDestroyer(stream, reading, writing) {
  let done = false;
  stream.on('close', () => {
    done = true;
  });
  const cleanup = finished(stream, { readable: reading, writable: writing }, (err) => {
    done = !err;
  });
  return {
    destroy: (err) => {
      if (done) return;
      done = true;
      destroyer(stream, err || errDestroyed('pipe'));
    },
    cleanup,
  };
}

function makeAsyncIterable(val) {
  if (isIterable(val)) return val;
  if (isReadableNodeStream(val)) return fromReadable(val);
  throw invalidArgType('val', 'an instance of Readable, Iterable, or AsyncIterable', val);
}

async function* fromReadable(val) {
  yield* Readable.prototype[Symbol.asyncIterator].call(val);
}

function invalidReturn(expected, name, value) {
  const type =
    value && typeof value === 'object' && value.constructor && value.constructor.name
      ? `instance of ${value.constructor.name}`
      : `type ${typeof value}`;
  return makeNodeError(
    TypeError,
    'ERR_INVALID_RETURN_VALUE',
    `Expected ${expected} to be returned from the "${name}" function but got ${type}.`,
  );
}

function pipelineImpl(streams, callback, opts) {
  if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
  if (streams.length < 2)
    throw makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "streams" argument must be specified');
  const ac = new AbortController();
  const signal = ac.signal;
  const outerSignal = opts && opts.signal;
  const lastStreamCleanup = [];
  function abort() {
    finishImpl(new AbortError(undefined, { cause: outerSignal && outerSignal.reason }));
  }
  if (outerSignal) outerSignal.addEventListener('abort', abort, { once: true });
  let error;
  let value;
  const destroys = [];
  let finishCount = 0;
  function finish(err) {
    finishImpl(err, --finishCount === 0);
  }
  function finishImpl(err, final) {
    if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
    if (!error && !final) return;
    while (destroys.length) destroys.shift()(error);
    if (outerSignal) outerSignal.removeEventListener('abort', abort);
    ac.abort();
    if (final) {
      if (!error) for (const fn of lastStreamCleanup) fn();
      nextTick(callback, error, value);
    }
  }
  let ret;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    const reading = i < streams.length - 1;
    const writing = i > 0;
    const end = reading || !opts || opts.end !== false;
    const isLastStream = i === streams.length - 1;
    if (isNodeStream(stream)) {
      if (end) {
        const { destroy, cleanup } = pipelineDestroyer(stream, reading, writing);
        destroys.push(destroy);
        if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
      }
      const onError = (err) => {
        if (err && err.name !== 'AbortError' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE')
          finish(err);
      };
      stream.on('error', onError);
      if (isReadable(stream) && isLastStream)
        lastStreamCleanup.push(() => stream.removeListener('error', onError));
    }
    if (i === 0) {
      if (typeof stream === 'function') {
        ret = stream({ signal });
        if (!isIterable(ret))
          throw invalidReturn('Iterable, AsyncIterable or Stream', 'source', ret);
      } else if (isIterable(stream) || isReadableNodeStream(stream)) {
        ret = stream;
      } else {
        throw invalidArgType('source', 'an instance of Stream, Iterable, or AsyncIterable', stream);
      }
    } else if (typeof stream === 'function') {
      ret = makeAsyncIterable(ret);
      ret = stream(ret, { signal });
      if (reading) {
        if (!isIterable(ret, true))
          throw invalidReturn('AsyncIterable', `transform[${i - 1}]`, ret);
      } else {
        const pt = new PassThrough({ objectMode: true });
        const then = ret && ret.then;
        if (typeof then === 'function') {
          finishCount++;
          then.call(
            ret,
            (val) => {
              value = val;
              if (val != null) pt.write(val);
              if (end) pt.end();
              nextTick(finish);
            },
            (err) => {
              pt.destroy(err);
              nextTick(finish, err);
            },
          );
        } else if (isIterable(ret, true)) {
          finishCount++;
          pumpToNode(ret, pt, finish, { end });
        } else {
          throw invalidReturn('AsyncIterable or Promise', 'destination', ret);
        }
        ret = pt;
        const { destroy, cleanup } = pipelineDestroyer(ret, false, true);
        destroys.push(destroy);
        if (isLastStream) lastStreamCleanup.push(cleanup);
      }
    } else if (isNodeStream(stream)) {
      if (isReadableNodeStream(ret)) {
        finishCount += 2;
        const cleanup = pipeStreams(ret, stream, finish, { end });
        if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
      } else if (isIterable(ret)) {
        finishCount++;
        pumpToNode(ret, stream, finish, { end });
      } else {
        throw invalidArgType('val', 'an instance of Readable, Iterable, or AsyncIterable', ret);
      }
      ret = stream;
    } else {
      throw invalidArgType('streams', 'an instance of Stream', stream);
    }
  }
  if (signal.aborted || (outerSignal && outerSignal.aborted)) nextTick(abort);
  return ret;
}

function pipeStreams(src, dst, finish, { end }) {
  let ended = false;
  dst.on('close', () => {
    if (!ended) finish(errPrematureClose());
  });
  src.pipe(dst, { end: false });
  if (end) {
    const endFn = () => {
      ended = true;
      dst.end();
    };
    if (isReadableFinished(src)) nextTick(endFn);
    else src.once('end', endFn);
  } else {
    finish();
  }
  finished(src, { readable: true, writable: false }, (err) => {
    const rState = src._readableState;
    if (
      err &&
      err.code === 'ERR_STREAM_PREMATURE_CLOSE' &&
      rState &&
      rState.ended &&
      !rState.errored &&
      !rState.errorEmitted
    ) {
      src.once('end', finish).once('error', finish);
    } else {
      finish(err);
    }
  });
  return finished(dst, { readable: false, writable: true }, finish);
}

async function pumpToNode(iterable, writable, finish, { end }) {
  let error;
  let onresolve = null;
  const resume = (err) => {
    if (err) error = err;
    if (onresolve) {
      const cb = onresolve;
      onresolve = null;
      cb();
    }
  };
  const wait = () =>
    new Promise((resolve, reject) => {
      if (error) reject(error);
      else
        onresolve = () => {
          if (error) reject(error);
          else resolve();
        };
    });
  writable.on('drain', resume);
  const cleanup = finished(writable, { readable: false }, resume);
  try {
    if (writable.writableNeedDrain) await wait();
    for await (const chunk of iterable) {
      if (!writable.write(chunk)) await wait();
    }
    if (end) {
      writable.end();
      await wait();
    }
    finish();
  } catch (err) {
    finish(error !== err && error ? error : err);
  } finally {
    cleanup();
    writable.off('drain', resume);
  }
}

function pipelinePromise(...streams) {
  return new Promise((resolve, reject) => {
    let opts;
    const last = streams[streams.length - 1];
    if (last && typeof last === 'object' && !isNodeStream(last) && !isIterable(last)) {
      opts = streams.pop();
    }
    pipelineImpl(streams, (err, value) => (err ? reject(err) : resolve(value)), opts);
  });
}

const streamPromises = { pipeline: pipelinePromise, finished: finishedPromise };

Object.assign(Stream, {
  Stream,
  Readable,
  Writable,
  Duplex,
  Transform,
  PassThrough,
  pipeline,
  finished,
  addAbortSignal,
  destroy: destroyer,
  promises: streamPromises,
  isReadable,
  isErrored: (s) => !!(s && (s.errored || erroredOf(s))),
  isDisturbed: (s) => !!(s && (s.readableDidRead || s.readableAborted)),
  getDefaultHighWaterMark: (objectMode) =>
    objectMode ? defaultObjectHighWaterMark : defaultHighWaterMark,
  setDefaultHighWaterMark(objectMode, value) {
    if (objectMode) defaultObjectHighWaterMark = value;
    else defaultHighWaterMark = value;
  },
});
pipeline[Symbol.for('nodejs.util.promisify.custom')] = pipelinePromise;

// process.stdout and process.stderr: Writable streams whose writes reach the output at once
// (Node's stdio is synchronous for files and pipes); `pipe()` never ends them.
function stdioStream(fd) {
  const s = new Writable({
    write(chunk, encoding, cb) {
      host.write(fd, typeof chunk === 'string' ? chunk : chunk.toString());
      cb();
    },
    decodeStrings: false,
  });
  s.fd = fd;
  s.isTTY = false;
  s._isStdio = true;
  s.destroySoon = s.destroy;
  s._destroy = (err, cb) => cb(err);
  return s;
}
finished[Symbol.for('nodejs.util.promisify.custom')] = finishedPromise;
