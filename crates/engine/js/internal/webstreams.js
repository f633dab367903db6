// ReadableStream, its default reader and controller (lib/internal/webstreams/readablestream.js,
// the WHATWG Streams Standard): Node 20's global ReadableStream, `require('stream/web')`, and
// the `body` of a fetch Response.
//
// HOW: the standard's state machine for the default controller: a queue of chunks, pending
// read requests, and a pull that is called (never twice at once) while the queue is below the
// high-water mark or a read waits; start() runs first and pulls wait until its promise settles.
// A 'bytes' source is read the same way (its chunks must be ArrayBufferViews and are counted by
// bytes, the high-water mark defaults to 0, so nothing is pulled before the first read); BYOB
// readers, pipeTo/pipeThrough, tee and the writable and transform streams are not modelled and
// throw a clear error.

/* global invalidArgType, makeNodeError */

const kWebState = Symbol('kState');

function notModelled(what) {
  return makeNodeError(
    TypeError,
    'ERR_LOOPLAB_NOT_MODELLED',
    `Looplab does not model ${what} of web streams`,
  );
}

function isBytes(state) {
  return state.type === 'bytes';
}

class ReadableStreamDefaultController {
  constructor() {
    throw makeNodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  get desiredSize() {
    const state = this[kWebState];
    if (state.state === 'errored') return null;
    if (state.state === 'closed') return 0;
    return state.highWaterMark - state.queueSize;
  }
  enqueue(chunk = undefined) {
    const state = this[kWebState];
    if (state.closeRequested || state.state !== 'readable')
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_STATE',
        'Invalid state: Controller is already closed',
      );
    if (isBytes(state) && !ArrayBuffer.isView(chunk))
      throw invalidArgType('chunk', 'an instance of ArrayBuffer or ArrayBufferView', chunk);
    if (state.readRequests.length > 0) {
      state.readRequests.shift().resolve({ value: chunk, done: false });
    } else {
      const size = isBytes(state) ? chunk.byteLength : state.size(chunk);
      state.queue.push({ chunk, size });
      state.queueSize += size;
    }
    callPullIfNeeded(state);
  }
  close() {
    const state = this[kWebState];
    if (state.closeRequested || state.state !== 'readable')
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_STATE',
        'Invalid state: Controller is already closed',
      );
    state.closeRequested = true;
    if (state.queue.length === 0) closeStream(state);
  }
  error(error = undefined) {
    errorStream(this[kWebState], error);
  }
}

function closeStream(state) {
  state.state = 'closed';
  for (const request of state.readRequests.splice(0))
    request.resolve({ value: undefined, done: true });
  if (state.reader) state.reader[kWebState].resolveClosed();
}

function errorStream(state, error) {
  if (state.state !== 'readable') return;
  state.state = 'errored';
  state.storedError = error;
  state.queue = [];
  state.queueSize = 0;
  for (const request of state.readRequests.splice(0)) request.reject(error);
  if (state.reader) state.reader[kWebState].rejectClosed(error);
}

function callPullIfNeeded(state) {
  if (!state.started || state.closeRequested || state.state !== 'readable') return;
  const wanted = state.readRequests.length > 0 || state.highWaterMark - state.queueSize > 0;
  if (!wanted || !state.pull) return;
  if (state.pulling) {
    state.pullAgain = true;
    return;
  }
  state.pulling = true;
  let result;
  try {
    result = Promise.resolve(state.pull.call(state.source, state.controller));
  } catch (e) {
    result = Promise.reject(e);
  }
  result.then(
    () => {
      state.pulling = false;
      if (state.pullAgain) {
        state.pullAgain = false;
        callPullIfNeeded(state);
      }
    },
    (e) => errorStream(state, e),
  );
}

class ReadableStream {
  constructor(source = {}, strategy = {}) {
    if (source === null || typeof source !== 'object')
      throw invalidArgType('source', 'of type object', source);
    const type = source.type === undefined ? undefined : String(source.type);
    if (type !== undefined && type !== 'bytes')
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'source.type' is invalid. Received '${type}'`,
      );
    const highWaterMark =
      strategy && strategy.highWaterMark !== undefined
        ? Number(strategy.highWaterMark)
        : type === 'bytes'
          ? 0
          : 1;
    if (Number.isNaN(highWaterMark) || highWaterMark < 0)
      throw makeNodeError(
        RangeError,
        'ERR_INVALID_ARG_VALUE',
        `The property 'strategy.highWaterMark' is invalid. Received ${strategy.highWaterMark}`,
      );
    const controller = Object.create(ReadableStreamDefaultController.prototype);
    const state = {
      state: 'readable',
      type,
      source,
      pull: typeof source.pull === 'function' ? source.pull : null,
      cancelSource: typeof source.cancel === 'function' ? source.cancel : null,
      size: strategy && typeof strategy.size === 'function' ? strategy.size : () => 1,
      highWaterMark,
      queue: [],
      queueSize: 0,
      readRequests: [],
      started: false,
      pulling: false,
      pullAgain: false,
      closeRequested: false,
      disturbed: false,
      storedError: undefined,
      reader: null,
      controller,
    };
    controller[kWebState] = state;
    this[kWebState] = state;
    const start =
      typeof source.start === 'function' ? source.start.call(source, controller) : undefined;
    Promise.resolve(start).then(
      () => {
        state.started = true;
        callPullIfNeeded(state);
      },
      (e) => errorStream(state, e),
    );
  }
  get locked() {
    return this[kWebState].reader !== null;
  }
  cancel(reason = undefined) {
    if (this.locked)
      return Promise.reject(
        makeNodeError(TypeError, 'ERR_INVALID_STATE', 'Invalid state: ReadableStream is locked'),
      );
    return cancelStream(this[kWebState], reason);
  }
  getReader(options = {}) {
    if (options && options.mode !== undefined) {
      if (String(options.mode) === 'byob') throw notModelled('BYOB readers');
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'options.mode' is invalid. Received '${options.mode}'`,
      );
    }
    return new ReadableStreamDefaultReader(this);
  }
  pipeTo() {
    return Promise.reject(notModelled('pipeTo'));
  }
  pipeThrough() {
    throw notModelled('pipeThrough');
  }
  tee() {
    throw notModelled('tee');
  }
  values(options = {}) {
    const reader = this.getReader();
    const preventCancel = Boolean(options && options.preventCancel);
    return {
      next: () => reader.read(),
      return: async (value) => {
        if (!preventCancel) await reader.cancel(value);
        else reader.releaseLock();
        return { value, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  [Symbol.asyncIterator](options) {
    return this.values(options);
  }
}
Object.defineProperty(ReadableStream.prototype, Symbol.toStringTag, {
  value: 'ReadableStream',
  configurable: true,
});

function cancelStream(state, reason) {
  state.disturbed = true;
  if (state.state === 'closed') return Promise.resolve();
  if (state.state === 'errored') return Promise.reject(state.storedError);
  state.queue = [];
  state.queueSize = 0;
  closeStream(state);
  if (!state.cancelSource) return Promise.resolve();
  try {
    return Promise.resolve(state.cancelSource.call(state.source, reason)).then(() => undefined);
  } catch (e) {
    return Promise.reject(e);
  }
}

class ReadableStreamDefaultReader {
  constructor(stream) {
    if (!(stream instanceof ReadableStream))
      throw invalidArgType('stream', 'an instance of ReadableStream', stream);
    const state = stream[kWebState];
    if (state.reader !== null)
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_STATE',
        'Invalid state: ReadableStream is locked',
      );
    const own = { stream: state };
    own.closed = new Promise((resolve, reject) => {
      own.resolveClosed = resolve;
      own.rejectClosed = reject;
    });
    own.closed.catch(() => {});
    if (state.state === 'closed') own.resolveClosed();
    else if (state.state === 'errored') own.rejectClosed(state.storedError);
    state.reader = this;
    this[kWebState] = own;
  }
  get closed() {
    return this[kWebState].closed;
  }
  read() {
    const state = this[kWebState].stream;
    if (!state)
      return Promise.reject(
        makeNodeError(
          TypeError,
          'ERR_INVALID_STATE',
          'Invalid state: The reader is not attached to a stream',
        ),
      );
    state.disturbed = true;
    if (state.state === 'errored') return Promise.reject(state.storedError);
    if (state.queue.length > 0) {
      const { chunk, size } = state.queue.shift();
      state.queueSize -= size;
      if (state.closeRequested && state.queue.length === 0) closeStream(state);
      else callPullIfNeeded(state);
      return Promise.resolve({ value: chunk, done: false });
    }
    if (state.state === 'closed') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      state.readRequests.push({ resolve, reject });
      callPullIfNeeded(state);
    });
  }
  releaseLock() {
    const own = this[kWebState];
    const state = own.stream;
    if (!state) return;
    const released = makeNodeError(
      TypeError,
      'ERR_INVALID_STATE',
      'Invalid state: Releasing reader',
    );
    for (const request of state.readRequests.splice(0)) request.reject(released);
    if (state.state === 'readable') own.rejectClosed(released);
    state.reader = null;
    own.stream = null;
  }
  cancel(reason = undefined) {
    const state = this[kWebState].stream;
    if (!state)
      return Promise.reject(
        makeNodeError(
          TypeError,
          'ERR_INVALID_STATE',
          'Invalid state: The reader is not attached to a stream',
        ),
      );
    return cancelStream(state, reason);
  }
}
Object.defineProperty(ReadableStreamDefaultReader.prototype, Symbol.toStringTag, {
  value: 'ReadableStreamDefaultReader',
  configurable: true,
});

// The body of a Response or Request as a ReadableStream of Uint8Arrays, read from a Node
// Readable one chunk per pull (the socket keeps what nobody pulls).
function readableStreamFromNode(stream) {
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      return new Promise((resolve) => {
        const attempt = () => {
          if (stream.errored) {
            controller.error(stream.errored);
            resolve();
            return;
          }
          const chunk = stream.read();
          if (chunk !== null) {
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
            resolve();
            return;
          }
          if (stream.readableEnded) {
            controller.close();
            resolve();
            return;
          }
          const onEvent = () => {
            stream.off('readable', onEvent);
            stream.off('end', onEvent);
            stream.off('error', onEvent);
            attempt();
          };
          stream.on('readable', onEvent);
          stream.on('end', onEvent);
          stream.on('error', onEvent);
        };
        attempt();
      });
    },
    cancel(reason) {
      stream.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}

function readableStreamFromBytes(bytes) {
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

function isDisturbedWebStream(webStream) {
  return webStream[kWebState].disturbed;
}

const streamWeb = { ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController };
