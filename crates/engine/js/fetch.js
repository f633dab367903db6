// fetch, Headers, Request and Response (Node 20's globals, from undici: lib/fetch/index.js,
// headers.js, request.js, response.js, body.js), over the http client of http.js.
//
// HOW: fetch() builds a Request (the URL parsed, the method checked and normalised, the body
// extracted with its Content-Type), then sends it with http.request through its own keep-alive
// Agent, as undici sends it through its own connection pool: the same head undici writes (host,
// connection, the request's headers, accept, accept-language, sec-fetch-mode, user-agent,
// accept-encoding, content-length). The promise resolves when the response's head has been
// parsed, from the socket's read in the poll phase; the body stays in the IncomingMessage until
// text(), json() or arrayBuffer() reads it. Redirects are followed (at most 20), an AbortSignal
// destroys the request and rejects with its reason, and a failure to connect rejects with
// `TypeError: fetch failed` whose `cause` is the socket's error, as undici does. No real network
// exists: names resolve through the modelled dns (remote.js lists the simulated services that
// answer; any other name is refused or not found). TLS is not modelled: an https: URL is sent
// the same way, on port 443.
//
// WHY over http: the page shows each waiting fetch as its socket in the poll queue, exactly as
// it shows an http.request; undici's own parser and pool would add nothing the loop can see.
//
// `body` is a web ReadableStream (internal/webstreams.js) made when first asked for; reading it
// makes the body used. Not modelled: FormData and ReadableStream request bodies, data: and blob:
// URLs, and content decoding.

/* global AbortController, AbortSignal, Agent, Blob, Buffer, blobBytes, DOMException, PassThrough, URL, URLSearchParams,
   checkIsHttpToken, http, inspect, isDisturbedWebStream, kCustomInspect, readableStreamFromBytes,
   readableStreamFromNode */

// ---- Headers (undici lib/fetch/headers.js) ------------------------------------------------

const kHeaderList = Symbol('headers list');
const kGuard = Symbol('guard');

function isHttpWhitespace(c) {
  return c === 0x09 || c === 0x0a || c === 0x0d || c === 0x20;
}
function normalizeHeaderValue(value) {
  let i = 0;
  let j = value.length;
  while (j > i && isHttpWhitespace(value.charCodeAt(j - 1))) j--;
  while (j > i && isHttpWhitespace(value.charCodeAt(i))) i++;
  return i === 0 && j === value.length ? value : value.substring(i, j);
}
function isValidHeaderValue(value) {
  return !/[\0\r\n]/.test(value);
}

// The list keeps each name as first given (inspect shows it), its values in order; lookups
// are by the lowercased name.
class HeadersList {
  constructor() {
    this.map = new Map(); // lowercased name → { name, values }
  }
  append(name, value) {
    const key = name.toLowerCase();
    const entry = this.map.get(key);
    if (entry) entry.values.push(value);
    else this.map.set(key, { name, values: [value] });
  }
  set(name, value) {
    const key = name.toLowerCase();
    this.map.set(key, { name: this.map.has(key) ? this.map.get(key).name : name, values: [value] });
  }
  delete(name) {
    this.map.delete(name.toLowerCase());
  }
  has(name) {
    return this.map.has(name.toLowerCase());
  }
  get(name) {
    const entry = this.map.get(name.toLowerCase());
    return entry ? entry.values.join(', ') : null;
  }
  // Sorted by lowercased name; each Set-Cookie value separately, the others joined.
  sorted() {
    const out = [];
    for (const key of [...this.map.keys()].sort()) {
      const { values } = this.map.get(key);
      if (key === 'set-cookie') for (const v of values) out.push([key, v]);
      else out.push([key, values.join(', ')]);
    }
    return out;
  }
}

function headersError(context, message) {
  return new TypeError(`${context}: ${message}`);
}

function appendHeader(headers, name, value, context) {
  value = normalizeHeaderValue(String(value));
  name = String(name);
  if (!checkIsHttpToken(name)) throw headersError(context, `"${name}" is an invalid header name.`);
  if (!isValidHeaderValue(value))
    throw headersError(context, `"${value}" is an invalid header value.`);
  if (headers[kGuard] === 'immutable') throw new TypeError('immutable');
  headers[kHeaderList].append(name, value);
}

function fillHeaders(headers, init) {
  const context = 'Headers constructor';
  if (init === null || (typeof init !== 'object' && typeof init !== 'function'))
    throw headersError(
      context,
      'Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, ' +
        'record<ByteString, ByteString>.',
    );
  if (typeof init[Symbol.iterator] === 'function') {
    for (const pair of init) {
      const list = typeof pair === 'string' ? null : [...pair];
      if (list === null)
        throw headersError(
          context,
          'Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, ' +
            'record<ByteString, ByteString>.',
        );
      if (list.length !== 2)
        throw headersError(
          context,
          `expected name/value pair to be length 2, found ${list.length}.`,
        );
      appendHeader(headers, list[0], list[1], 'Headers.append');
    }
  } else {
    for (const key of Reflect.ownKeys(init)) {
      if (typeof key === 'symbol') continue;
      appendHeader(headers, key, init[key], 'Headers.append');
    }
  }
}

class Headers {
  constructor(init = undefined) {
    this[kHeaderList] = new HeadersList();
    this[kGuard] = 'none';
    if (init !== undefined) fillHeaders(this, init);
  }
  append(name, value) {
    appendHeader(this, name, value, 'Headers.append');
  }
  delete(name) {
    name = String(name);
    if (!checkIsHttpToken(name))
      throw headersError('Headers.delete', `"${name}" is an invalid header name.`);
    if (this[kGuard] === 'immutable') throw new TypeError('immutable');
    this[kHeaderList].delete(name);
  }
  get(name) {
    name = String(name);
    if (!checkIsHttpToken(name))
      throw headersError('Headers.get', `"${name}" is an invalid header name.`);
    return this[kHeaderList].get(name);
  }
  has(name) {
    name = String(name);
    if (!checkIsHttpToken(name))
      throw headersError('Headers.has', `"${name}" is an invalid header name.`);
    return this[kHeaderList].has(name);
  }
  set(name, value) {
    value = normalizeHeaderValue(String(value));
    name = String(name);
    if (!checkIsHttpToken(name))
      throw headersError('Headers.set', `"${name}" is an invalid header name.`);
    if (!isValidHeaderValue(value))
      throw headersError('Headers.set', `"${value}" is an invalid header value.`);
    if (this[kGuard] === 'immutable') throw new TypeError('immutable');
    this[kHeaderList].set(name, value);
  }
  getSetCookie() {
    const entry = this[kHeaderList].map.get('set-cookie');
    return entry ? [...entry.values] : [];
  }
  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function')
      throw new TypeError(
        "Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.",
      );
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }
  *entries() {
    yield* this[kHeaderList].sorted();
  }
  *keys() {
    for (const [key] of this[kHeaderList].sorted()) yield key;
  }
  *values() {
    for (const [, value] of this[kHeaderList].sorted()) yield value;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  [kCustomInspect](depth, opts) {
    const obj = {};
    for (const { name, values } of this[kHeaderList].map.values()) obj[name] = values.join(', ');
    return `Headers ${inspect(obj, opts)}`;
  }
}
Object.defineProperty(Headers.prototype, Symbol.toStringTag, {
  value: 'Headers',
  configurable: true,
});

// ---- bodies (undici lib/fetch/body.js) ----------------------------------------------------

const kState = Symbol('state');

// extractBody: the bytes of a body and the Content-Type it implies.
function extractBody(object) {
  if (typeof object === 'string')
    return { source: Buffer.from(object, 'utf8'), type: 'text/plain;charset=UTF-8' };
  if (object instanceof URLSearchParams)
    return {
      source: Buffer.from(object.toString(), 'utf8'),
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  if (object instanceof Blob)
    return { source: Buffer.from(blobBytes(object)), type: object.type || null };
  if (object instanceof ArrayBuffer) return { source: Buffer.from(object.slice(0)), type: null };
  if (ArrayBuffer.isView(object))
    return {
      source: Buffer.from(
        object.buffer.slice(object.byteOffset, object.byteOffset + object.byteLength),
      ),
      type: null,
    };
  return { source: Buffer.from(String(object), 'utf8'), type: 'text/plain;charset=UTF-8' };
}

// A body is { source: Buffer } (given whole) or { stream: Readable } (arriving from a socket).
function bodyUnusable() {
  return new TypeError('Body is unusable: Body has already been read');
}

// The body as a web ReadableStream (`response.body`), made when first asked for.
function webBody(state) {
  const body = state.body;
  if (body === null) return null;
  if (!body.web)
    body.web = body.source
      ? readableStreamFromBytes(body.source)
      : readableStreamFromNode(body.stream);
  return body.web;
}

function consumeBody(object) {
  const state = object[kState];
  if (object.bodyUsed || (state.body && state.body.web && state.body.web.locked))
    return Promise.reject(bodyUnusable());
  const body = state.body;
  state.used = true;
  if (body === null) return Promise.resolve(Buffer.alloc(0));
  if (body.source) return Promise.resolve(body.source);
  return new Promise((resolve, reject) => {
    const chunks = [];
    const stream = body.stream;
    if (stream.errored) return reject(stream.errored);
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.resume();
  });
}

// clone(): a body arriving from a socket is split in two, each half buffered as it arrives.
function cloneBody(body) {
  if (body === null) return [null, null];
  if (body.web && body.web.locked)
    throw new TypeError('Body is unusable: Body has already been read');
  if (body.source) return [body, { source: body.source }];
  const a = new PassThrough();
  const b = new PassThrough();
  body.stream.on('data', (c) => {
    a.write(c);
    b.write(c);
  });
  body.stream.on('end', () => {
    a.end();
    b.end();
  });
  body.stream.on('error', (e) => {
    a.destroy(e);
    b.destroy(e);
  });
  return [{ stream: a }, { stream: b }];
}

const bodyMixin = {
  text() {
    return consumeBody(this).then((bytes) => bytes.toString('utf8'));
  },
  json() {
    return consumeBody(this).then((bytes) => JSON.parse(bytes.toString('utf8')));
  },
  blob() {
    const type = this.headers.get('content-type') || '';
    return consumeBody(this).then((bytes) => new Blob([bytes], { type }));
  },
  arrayBuffer() {
    return consumeBody(this).then((bytes) =>
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    );
  },
};

function defineBodyMixin(proto) {
  for (const [name, fn] of Object.entries(bodyMixin))
    Object.defineProperty(proto, name, {
      value: fn,
      writable: true,
      configurable: true,
    });
  Object.defineProperty(proto, 'bodyUsed', {
    get() {
      const state = this[kState];
      if (state.body === null) return false;
      return state.used || (state.body.web !== undefined && isDisturbedWebStream(state.body.web));
    },
    configurable: true,
  });
  Object.defineProperty(proto, 'body', {
    get() {
      return webBody(this[kState]);
    },
    configurable: true,
  });
}

// ---- Request (undici lib/fetch/request.js) ------------------------------------------------

const normalizedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);
const redirectModes = ['follow', 'manual', 'error'];

function parseUrl(input) {
  try {
    return new URL(String(input));
  } catch (cause) {
    throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
  }
}

class Request {
  constructor(input, init = {}) {
    if (arguments.length < 1)
      throw new TypeError('Request constructor: 1 argument required, but only 0 present.');
    if (init === null || init === undefined) init = {};
    else if (typeof init !== 'object')
      throw new TypeError(
        'Request constructor: Expected init ("Argument 2") to be an instance of RequestInit.',
      );
    let url;
    let method = 'GET';
    let headersInit;
    let redirect = 'follow';
    let signal = null;
    let body = null;
    if (input instanceof Request) {
      const from = input[kState];
      url = new URL(from.url.href);
      method = from.method;
      headersInit = input.headers;
      redirect = from.redirect;
      signal = from.signal;
      if (from.body !== null) {
        if (input.bodyUsed) throw bodyUnusable();
        body = from.body;
      }
    } else {
      url = parseUrl(input);
      if (url.username || url.password)
        throw new TypeError(
          `Request cannot be constructed from a URL that includes credentials: ${input}`,
        );
    }
    if (init.method !== undefined) {
      const m = String(init.method);
      if (!checkIsHttpToken(m)) throw new TypeError(`'${m}' is not a valid HTTP method.`);
      const upper = m.toUpperCase();
      if (forbiddenMethods.has(upper))
        throw new TypeError(`'${upper}' HTTP method is unsupported.`);
      method = normalizedMethods.has(upper) ? upper : m;
    }
    if (init.redirect !== undefined) {
      redirect = String(init.redirect);
      if (!redirectModes.includes(redirect))
        throw new TypeError(
          `Request constructor: ${redirect} is not an accepted type. Expected one of ` +
            `${redirectModes.join(', ')}.`,
        );
    }
    if (init.signal !== undefined && init.signal !== null) {
      if (!(init.signal instanceof AbortSignal))
        throw new TypeError(
          "Failed to construct 'Request': member signal is not of type AbortSignal.",
        );
      signal = init.signal;
    }
    if (init.headers !== undefined) headersInit = init.headers;
    const headers = new Headers();
    if (headersInit !== undefined) fillHeaders(headers, headersInit);
    if ((init.body !== undefined && init.body !== null) || body !== null) {
      if (method === 'GET' || method === 'HEAD')
        throw new TypeError('Request with GET/HEAD method cannot have body.');
    }
    if (init.body !== undefined && init.body !== null) {
      const extracted = extractBody(init.body);
      body = { source: extracted.source };
      if (extracted.type && !headers.has('content-type'))
        headers.append('content-type', extracted.type);
    }
    this[kState] = {
      url,
      method,
      headers,
      redirect,
      signal: signal || new AbortController().signal,
      body,
      used: false,
    };
  }
  get method() {
    return this[kState].method;
  }
  get url() {
    return this[kState].url.href;
  }
  get headers() {
    return this[kState].headers;
  }
  get redirect() {
    return this[kState].redirect;
  }
  get signal() {
    return this[kState].signal;
  }
  get destination() {
    return '';
  }
  get referrer() {
    return 'about:client';
  }
  get referrerPolicy() {
    return '';
  }
  get mode() {
    return 'cors';
  }
  get credentials() {
    return 'same-origin';
  }
  get cache() {
    return 'default';
  }
  get integrity() {
    return '';
  }
  get keepalive() {
    return false;
  }
  clone() {
    if (this.bodyUsed) throw new TypeError('Request.clone: Body has already been consumed.');
    const copy = Object.create(Request.prototype);
    const [mine, theirs] = cloneBody(this[kState].body);
    this[kState].body = mine;
    copy[kState] = {
      ...this[kState],
      headers: new Headers(this[kState].headers),
      body: theirs,
      used: false,
    };
    return copy;
  }
  [kCustomInspect](depth, opts) {
    const s = this[kState];
    const obj = {
      method: s.method,
      url: s.url.href,
      headers: s.headers,
      destination: '',
      referrer: 'about:client',
      referrerPolicy: '',
      mode: 'cors',
      credentials: 'same-origin',
      cache: 'default',
      redirect: s.redirect,
      integrity: '',
      keepalive: false,
      isReloadNavigation: false,
      isHistoryNavigation: false,
      signal: s.signal,
    };
    return `Request ${inspect(obj, opts)}`;
  }
}
defineBodyMixin(Request.prototype);
Object.defineProperty(Request.prototype, Symbol.toStringTag, {
  value: 'Request',
  configurable: true,
});

// ---- Response (undici lib/fetch/response.js) ----------------------------------------------

const nullBodyStatus = [101, 204, 205, 304];
const redirectStatus = [301, 302, 303, 307, 308];

function initializeResponse(response, init, body) {
  if (init.status !== undefined && (init.status < 200 || init.status > 599))
    throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
  if (init.statusText !== undefined && /[\r\n]/.test(String(init.statusText)))
    throw new TypeError('Invalid statusText');
  const state = response[kState];
  if (init.status !== undefined) state.status = init.status;
  if (init.statusText !== undefined) state.statusText = String(init.statusText);
  if (init.headers !== undefined) fillHeaders(state.headers, init.headers);
  if (body) {
    if (nullBodyStatus.includes(state.status))
      throw new TypeError(`Response constructor: Invalid response status code ${state.status}`);
    state.body = { source: body.source };
    if (body.type && !state.headers.has('content-type'))
      state.headers.append('content-type', body.type);
  }
}

function makeResponse(fields) {
  const response = Object.create(Response.prototype);
  response[kState] = {
    type: 'default',
    status: 200,
    statusText: '',
    headers: new Headers(),
    body: null,
    url: null,
    redirected: false,
    used: false,
    ...fields,
  };
  return response;
}

class Response {
  constructor(body = null, init = {}) {
    if (init === null || init === undefined) init = {};
    else if (typeof init !== 'object')
      throw new TypeError(
        'Response constructor: Expected init ("Argument 2") to be an instance of ResponseInit.',
      );
    this[kState] = makeResponse({})[kState];
    initializeResponse(this, init, body === null || body === undefined ? null : extractBody(body));
  }
  static error() {
    return makeResponse({ type: 'error', status: 0, guard: 'immutable' });
  }
  static json(data, init = {}) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable');
    const response = makeResponse({});
    initializeResponse(response, init || {}, {
      source: Buffer.from(text, 'utf8'),
      type: 'application/json',
    });
    return response;
  }
  static redirect(url, status = 302) {
    const parsed = parseUrl(url);
    if (!redirectStatus.includes(status)) throw new RangeError(`Invalid status code ${status}`);
    const response = makeResponse({ status });
    response[kState].headers.set('location', parsed.href);
    return response;
  }
  get type() {
    return this[kState].type;
  }
  get url() {
    const url = this[kState].url;
    return url === null ? '' : url.href.replace(/#.*$/, '');
  }
  get redirected() {
    return this[kState].redirected;
  }
  get status() {
    return this[kState].status;
  }
  get ok() {
    const s = this[kState].status;
    return s >= 200 && s <= 299;
  }
  get statusText() {
    return this[kState].statusText;
  }
  get headers() {
    return this[kState].headers;
  }
  clone() {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    const [mine, theirs] = cloneBody(this[kState].body);
    this[kState].body = mine;
    const copy = makeResponse({
      ...this[kState],
      headers: new Headers(this[kState].headers),
      body: theirs,
      used: false,
    });
    copy[kState].headers[kGuard] = this[kState].headers[kGuard];
    return copy;
  }
  [kCustomInspect](depth, opts) {
    const obj = {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      body: this.body,
      bodyUsed: this.bodyUsed,
      ok: this.ok,
      redirected: this.redirected,
      type: this.type,
      url: this.url,
    };
    return `Response ${inspect(obj, opts)}`;
  }
}
defineBodyMixin(Response.prototype);
Object.defineProperty(Response.prototype, Symbol.toStringTag, {
  value: 'Response',
  configurable: true,
});

// ---- fetch (undici lib/fetch/index.js) -----------------------------------------------------

// The fetch standard's bad ports: undici refuses them before connecting.
const badPorts = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669,
  6697, 10080,
]);

// undici's connection pool keeps connections alive, as the global agent of http does.
const fetchAgent = new Agent({ keepAlive: true });

function fetchFailed(cause) {
  return new TypeError('fetch failed', { cause });
}

function fetch(input, init = undefined) {
  return new Promise((resolve, reject) => {
    let request;
    try {
      request = new Request(input, init);
    } catch (e) {
      reject(e);
      return;
    }
    const signal = request.signal;
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const state = request[kState];
    fetchSend(
      {
        url: state.url,
        method: state.method,
        headers: state.headers,
        body: state.body && state.body.source,
        redirect: state.redirect,
        signal,
      },
      0,
      resolve,
      reject,
    );
  });
}

// The head undici writes: host and connection, the request's own headers in the order they
// were given (each with its first-given name), then the defaults it lacks, then the length.
function requestHead(url, method, headers, body) {
  const head = { host: url.host, connection: 'keep-alive' };
  const list = headers[kHeaderList];
  for (const [key, { name, values }] of list.map) {
    if (key === 'host' || key === 'connection') continue;
    head[name] = values.join(', ');
  }
  const defaults = {
    accept: '*/*',
    'accept-language': '*',
    'sec-fetch-mode': 'cors',
    'user-agent': 'node',
    'accept-encoding': 'gzip, deflate',
  };
  for (const [name, value] of Object.entries(defaults)) if (!list.has(name)) head[name] = value;
  if (body) head['content-length'] = String(body.length);
  else if (method === 'POST' || method === 'PUT') head['content-length'] = '0';
  return head;
}

function fetchSend(req, redirects, resolve, reject) {
  const url = req.url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    reject(fetchFailed(new Error('unknown scheme')));
    return;
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  if (badPorts.has(port)) {
    reject(fetchFailed(new Error('bad port')));
    return;
  }
  const signal = req.signal;
  let settled = false;
  let response = null;
  const outgoing = http.request({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    path: url.pathname + url.search,
    method: req.method,
    headers: requestHead(url, req.method, req.headers, req.body),
    setHost: false,
    agent: fetchAgent,
  });
  const onAbort = () => {
    outgoing.destroy(signal.reason);
    if (response) response.destroy(signal.reason);
    if (!settled) {
      settled = true;
      reject(signal.reason);
    }
  };
  signal.addEventListener('abort', onAbort, { once: true });
  outgoing.on('error', (err) => {
    signal.removeEventListener('abort', onAbort);
    if (settled) return;
    settled = true;
    reject(fetchFailed(err));
  });
  outgoing.on('response', (res) => {
    if (settled) {
      res.resume();
      return;
    }
    const status = res.statusCode;
    const location = res.headers.location;
    if (redirectStatus.includes(status) && location !== undefined && req.redirect !== 'manual') {
      res.resume();
      signal.removeEventListener('abort', onAbort);
      settled = true;
      if (req.redirect === 'error') {
        reject(fetchFailed(new Error('unexpected redirect')));
        return;
      }
      if (redirects >= 20) {
        reject(fetchFailed(new Error('redirect count exceeded')));
        return;
      }
      let next;
      try {
        next = new URL(location, url);
      } catch (e) {
        reject(fetchFailed(e));
        return;
      }
      // 303, and 301/302 after a POST, become a GET without a body.
      const toGet =
        status === 303
          ? req.method !== 'HEAD'
          : req.method === 'POST' && status !== 307 && status !== 308;
      const headers = new Headers(req.headers);
      if (toGet) {
        for (const name of [
          'content-type',
          'content-length',
          'content-encoding',
          'content-language',
          'content-location',
        ])
          headers.delete(name);
      }
      fetchSend(
        {
          ...req,
          url: next,
          method: toGet ? 'GET' : req.method,
          headers,
          body: toGet ? null : req.body,
          redirected: true,
        },
        redirects + 1,
        resolve,
        reject,
      );
      return;
    }
    settled = true;
    res.on('end', () => signal.removeEventListener('abort', onAbort));
    const headers = new Headers();
    const raw = res.rawHeaders;
    for (let i = 0; i < raw.length; i += 2)
      headers[kHeaderList].append(raw[i].toLowerCase(), raw[i + 1]);
    headers[kGuard] = 'immutable';
    const noBody = req.method === 'HEAD' || nullBodyStatus.includes(status);
    // undici's parser reads the body off the socket whether or not anyone consumes it (up to
    // its stream's high-water mark): a small body completes the message and the connection
    // goes back to the pool at once. The body waits in a stream of its own.
    let stream = null;
    if (noBody) res.resume();
    else {
      stream = new PassThrough();
      res.on('error', (e) => stream.destroy(e));
      res.pipe(stream);
      response = stream;
    }
    resolve(
      makeResponse({
        type: 'basic',
        status,
        statusText: res.statusMessage,
        headers,
        body: noBody ? null : { stream },
        url,
        redirected: !!req.redirected,
      }),
    );
  });
  if (req.body) outgoing.end(req.body);
  else outgoing.end();
}
