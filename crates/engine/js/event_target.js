// EventTarget, Event, CustomEvent, DOMException, AbortController and AbortSignal
// (lib/internal/event_target.js, lib/internal/abort_controller.js, the web's DOM interfaces
// as Node 20 has them).
//
// HOW: dispatchEvent calls the listeners synchronously, in the order they were added, with the
// event's target, currentTarget and eventPhase set; `once`, `signal` (removing the listener
// on abort) and listener objects with `handleEvent` work. A listener that throws does not stop
// the others: Node rethrows its error from a nextTick (an uncaught exception). An `on<type>`
// property (AbortSignal's `onabort`) is a listener added when it is set. AbortSignal.timeout is
// an unref'd timer (it never keeps the process alive), as in Node.

/* global Timeout, inspect, invalidArgType, kCustomInspect, makeNodeError, nextTick */

// DOMException names, their legacy codes and the constants that name the codes.
const domExceptionCodes = {};
for (const [name, code, constant] of [
  ['IndexSizeError', 1, 'INDEX_SIZE_ERR'],
  ['HierarchyRequestError', 3, 'HIERARCHY_REQUEST_ERR'],
  ['WrongDocumentError', 4, 'WRONG_DOCUMENT_ERR'],
  ['InvalidCharacterError', 5, 'INVALID_CHARACTER_ERR'],
  ['NoModificationAllowedError', 7, 'NO_MODIFICATION_ALLOWED_ERR'],
  ['NotFoundError', 8, 'NOT_FOUND_ERR'],
  ['NotSupportedError', 9, 'NOT_SUPPORTED_ERR'],
  ['InvalidStateError', 11, 'INVALID_STATE_ERR'],
  ['SyntaxError', 12, 'SYNTAX_ERR'],
  ['InvalidModificationError', 13, 'INVALID_MODIFICATION_ERR'],
  ['NamespaceError', 14, 'NAMESPACE_ERR'],
  ['InvalidAccessError', 15, 'INVALID_ACCESS_ERR'],
  ['TypeMismatchError', 17, 'TYPE_MISMATCH_ERR'],
  ['SecurityError', 18, 'SECURITY_ERR'],
  ['NetworkError', 19, 'NETWORK_ERR'],
  ['AbortError', 20, 'ABORT_ERR'],
  ['URLMismatchError', 21, 'URL_MISMATCH_ERR'],
  ['QuotaExceededError', 22, 'QUOTA_EXCEEDED_ERR'],
  ['TimeoutError', 23, 'TIMEOUT_ERR'],
  ['InvalidNodeTypeError', 24, 'INVALID_NODE_TYPE_ERR'],
  ['DataCloneError', 25, 'DATA_CLONE_ERR'],
]) {
  domExceptionCodes[name] = [code, constant];
}

class DOMException extends Error {
  constructor(message = '', options = 'Error') {
    super(String(message));
    let name = options;
    if (options !== null && typeof options === 'object') {
      name = 'name' in options ? options.name : 'Error';
      if ('cause' in options)
        Object.defineProperty(this, 'cause', {
          value: options.cause,
          writable: true,
          configurable: true,
        });
    }
    Object.defineProperty(this, kDomName, { value: String(name) });
    // The stack's first line names the exception as Node's does.
    const stack = this.stack;
    if (typeof stack === 'string') {
      const nl = stack.indexOf('\n');
      const head = this.message ? `${this[kDomName]}: ${this.message}` : this[kDomName];
      Object.defineProperty(this, 'stack', {
        value: head + (nl >= 0 ? stack.slice(nl) : ''),
        writable: true,
        configurable: true,
      });
    }
  }
  get name() {
    return this[kDomName];
  }
  get code() {
    const entry = domExceptionCodes[this[kDomName]];
    return entry ? entry[0] : 0;
  }
}
const kDomName = Symbol('name');
for (const [code, constant] of Object.values(domExceptionCodes)) {
  Object.defineProperty(DOMException, constant, { value: code, enumerable: true });
  Object.defineProperty(DOMException.prototype, constant, { value: code, enumerable: true });
}
Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {
  value: 'DOMException',
  configurable: true,
});

const kTarget = Symbol('kTarget');
const kStop = Symbol('kStop');
const kListeners = Symbol('kEvents');
const kHandlers = Symbol('kHandlers');

class Event {
  constructor(type, options = undefined) {
    if (arguments.length === 0)
      throw makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "type" argument must be specified');
    if (options != null && typeof options !== 'object')
      throw invalidArgType('options', 'of type object', options);
    const o = options || {};
    this[kEventState] = {
      type: `${type}`,
      bubbles: !!o.bubbles,
      cancelable: !!o.cancelable,
      composed: !!o.composed,
      defaultPrevented: false,
      timeStamp: host.performanceNow(),
      target: null,
      currentTarget: null,
      phase: 0,
      propagationStopped: false,
      trusted: false,
    };
    this[kStop] = false;
  }
  get type() {
    return this[kEventState].type;
  }
  get target() {
    return this[kEventState].target;
  }
  get currentTarget() {
    return this[kEventState].currentTarget;
  }
  get srcElement() {
    return this[kEventState].target;
  }
  get eventPhase() {
    return this[kEventState].phase;
  }
  get bubbles() {
    return this[kEventState].bubbles;
  }
  get cancelable() {
    return this[kEventState].cancelable;
  }
  get composed() {
    return this[kEventState].composed;
  }
  get defaultPrevented() {
    return this[kEventState].cancelable && this[kEventState].defaultPrevented;
  }
  get returnValue() {
    return !this.defaultPrevented;
  }
  get timeStamp() {
    return this[kEventState].timeStamp;
  }
  get isTrusted() {
    return this[kEventState].trusted;
  }
  get cancelBubble() {
    return this[kEventState].propagationStopped;
  }
  set cancelBubble(v) {
    if (v) this[kEventState].propagationStopped = true;
  }
  composedPath() {
    return this[kEventState].phase === 0 ? [] : [this[kEventState].currentTarget];
  }
  preventDefault() {
    this[kEventState].defaultPrevented = true;
  }
  stopPropagation() {
    this[kEventState].propagationStopped = true;
  }
  stopImmediatePropagation() {
    this[kEventState].propagationStopped = true;
    this[kStop] = true;
  }
  [kCustomInspect](depth, options) {
    const s = this[kEventState];
    const shown = {
      type: s.type,
      defaultPrevented: this.defaultPrevented,
      cancelable: s.cancelable,
      timeStamp: s.timeStamp,
    };
    return `${this.constructor.name} ${inspect(shown, options)}`;
  }
}
const kEventState = Symbol('state');
Object.defineProperty(Event.prototype, Symbol.toStringTag, {
  value: 'Event',
  configurable: true,
});
for (const [name, value] of [
  ['NONE', 0],
  ['CAPTURING_PHASE', 1],
  ['AT_TARGET', 2],
  ['BUBBLING_PHASE', 3],
]) {
  Object.defineProperty(Event, name, { value, enumerable: true });
  Object.defineProperty(Event.prototype, name, { value, enumerable: true });
}

class CustomEvent extends Event {
  constructor(type, options = {}) {
    super(type, options);
    this[kDetail] = options && options.detail !== undefined ? options.detail : null;
  }
  get detail() {
    return this[kDetail];
  }
}
const kDetail = Symbol('detail');
Object.defineProperty(CustomEvent.prototype, Symbol.toStringTag, {
  value: 'CustomEvent',
  configurable: true,
});

function validateListener(listener) {
  if (
    typeof listener === 'function' ||
    (listener !== null &&
      typeof listener === 'object' &&
      typeof listener.handleEvent === 'function')
  )
    return true;
  if (listener == null) return false;
  if (typeof listener === 'object') return true; // an object with no handleEvent: ignored
  throw invalidArgType('listener', 'an instance of EventListener', listener);
}

class EventTarget {
  constructor() {
    this[kListeners] = new Map();
  }
  addEventListener(type, listener, options = undefined) {
    if (arguments.length < 2)
      throw makeNodeError(
        TypeError,
        'ERR_MISSING_ARGS',
        'The "type" and "listener" arguments must be specified',
      );
    if (!validateListener(listener)) return;
    const o = typeof options === 'boolean' ? { capture: options } : options || {};
    const capture = !!o.capture;
    const signal = o.signal;
    if (signal && signal.aborted) return;
    type = String(type);
    if (!this[kListeners]) this[kListeners] = new Map();
    let list = this[kListeners].get(type);
    if (!list) {
      list = [];
      this[kListeners].set(type, list);
    }
    if (list.some((l) => l.listener === listener && l.capture === capture)) return;
    const entry = { listener, capture, once: !!o.once, removed: false };
    list.push(entry);
    if (signal) {
      signal.addEventListener('abort', () => this.removeEventListener(type, listener, options), {
        once: true,
      });
    }
  }
  removeEventListener(type, listener, options = undefined) {
    const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
    const list = this[kListeners] && this[kListeners].get(String(type));
    if (!list) return;
    const i = list.findIndex((l) => l.listener === listener && l.capture === capture);
    if (i < 0) return;
    list[i].removed = true;
    list.splice(i, 1);
  }
  dispatchEvent(event) {
    if (!(event instanceof Event)) throw invalidArgType('event', 'an instance of Event', event);
    const state = event[kEventState];
    if (state.phase !== 0)
      throw makeNodeError(
        Error,
        'ERR_EVENT_RECURSION',
        `The event "${state.type}" is already being dispatched`,
      );
    state.target = this;
    state.currentTarget = this;
    state.phase = 2;
    const list = this[kListeners] && this[kListeners].get(state.type);
    if (list) {
      for (const entry of list.slice()) {
        if (entry.removed) continue;
        if (entry.once) this.removeEventListener(state.type, entry.listener, entry);
        try {
          const l = entry.listener;
          let result;
          if (typeof l === 'function') result = l.call(this, event);
          else if (typeof l.handleEvent === 'function') result = l.handleEvent(event);
          if (result !== undefined && result !== null && typeof result.then === 'function') {
            result.then(undefined, (err) =>
              nextTick(() => {
                throw err;
              }),
            );
          }
        } catch (err) {
          nextTick(() => {
            throw err;
          });
        }
        if (event[kStop]) break;
      }
    }
    state.currentTarget = null;
    state.phase = 0;
    return !event.defaultPrevented;
  }
  [kCustomInspect](depth, options) {
    return `${this.constructor.name} {}`;
  }
}
Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, {
  value: 'EventTarget',
  configurable: true,
});

// `on<type>` handler properties: a listener added when the property is set (replacing the
// previous one's).
function defineEventHandler(proto, type) {
  Object.defineProperty(proto, `on${type}`, {
    get() {
      const h = this[kHandlers] && this[kHandlers][type];
      return h ? h.handler : null;
    },
    set(fn) {
      if (!this[kHandlers]) this[kHandlers] = {};
      const old = this[kHandlers][type];
      if (old) this.removeEventListener(type, old.wrapper);
      this[kHandlers][type] = null;
      if (typeof fn === 'function') {
        const wrapper = (e) => fn.call(this, e);
        this[kHandlers][type] = { handler: fn, wrapper };
        this.addEventListener(type, wrapper);
      }
    },
    configurable: true,
    enumerable: true,
  });
}

// ---- AbortController and AbortSignal ------------------------------------------------------

const kAborted = Symbol('kAborted');
const kReason = Symbol('kReason');
const kDependants = Symbol('kDependantSignals');
let allowSignal = false;

class AbortSignal extends EventTarget {
  constructor() {
    if (!allowSignal)
      throw makeNodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
    super();
    this[kAborted] = false;
    this[kReason] = undefined;
  }
  get aborted() {
    return !!this[kAborted];
  }
  get reason() {
    return this[kReason];
  }
  throwIfAborted() {
    if (this[kAborted]) throw this[kReason];
  }
  [kCustomInspect](depth, options) {
    return `AbortSignal ${inspect({ aborted: this.aborted }, options)}`;
  }
  static abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
    const s = createAbortSignal();
    s[kAborted] = true;
    s[kReason] = reason;
    return s;
  }
  static timeout(delay) {
    if (typeof delay !== 'number') throw invalidArgType('delay', 'of type number', delay);
    const signal = createAbortSignal();
    new Timeout(
      () =>
        abortSignal(
          signal,
          new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
        ),
      delay,
      undefined,
      false,
      false,
    );
    return signal;
  }
  static any(signals) {
    if (!Array.isArray(signals)) throw invalidArgType('signals', 'an instance of Array', signals);
    const result = createAbortSignal();
    for (const s of signals) {
      if (s.aborted) {
        result[kAborted] = true;
        result[kReason] = s.reason;
        return result;
      }
    }
    for (const s of signals) {
      if (!s[kDependants]) s[kDependants] = [];
      s[kDependants].push(result);
    }
    return result;
  }
}
defineEventHandler(AbortSignal.prototype, 'abort');
Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, {
  value: 'AbortSignal',
  configurable: true,
});

function createAbortSignal() {
  allowSignal = true;
  try {
    return new AbortSignal();
  } finally {
    allowSignal = false;
  }
}

function abortSignal(signal, reason) {
  if (signal[kAborted]) return;
  signal[kAborted] = true;
  signal[kReason] = reason;
  const event = new Event('abort');
  event[kEventState].trusted = true;
  signal.dispatchEvent(event);
  if (signal[kDependants]) for (const s of signal[kDependants]) abortSignal(s, reason);
}

class AbortController {
  get signal() {
    if (!this[kSignal]) this[kSignal] = createAbortSignal();
    return this[kSignal];
  }
  abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
    abortSignal(this.signal, reason);
  }
  [kCustomInspect](depth, options) {
    return `AbortController ${inspect({ signal: this.signal }, options)}`;
  }
}
const kSignal = Symbol('signal');
Object.defineProperty(AbortController.prototype, Symbol.toStringTag, {
  value: 'AbortController',
  configurable: true,
});

// Validates an AbortSignal option, as Node's validateAbortSignal.
function validateAbortSignal(signal, name) {
  if (
    signal !== undefined &&
    (signal === null || typeof signal !== 'object' || !('aborted' in signal))
  )
    throw invalidArgType(
      name,
      'an instance of AbortSignal',
      signal,
      name.includes('.') ? 'property' : 'argument',
    );
}
