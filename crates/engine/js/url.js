// URL and URLSearchParams (the WHATWG URL Standard, as Node 20's lib/internal/url.js exposes
// it), the url module (with the legacy url.parse/format/resolve) and querystring.
//
// HOW: the URL parser follows the standard's state machine in a compact form: a scheme, then
// for the special schemes (http, https, ws, wss, ftp, file) an authority (userinfo, a host
// lowercased, an IPv4 address normalised, an IPv6 address compressed, a non-ASCII name in
// punycode, a default port dropped), a path with its dot segments resolved, a query and a
// fragment, each percent-encoded with its own set; other schemes keep an opaque path. A
// relative reference is resolved against the base. URLSearchParams is a list of pairs kept in
// step with its URL's query.

/* global Buffer, inspect, invalidArgType, kCustomInspect, makeNodeError, resolvePath,
   urlToHttpOptions */

const specialPorts = {
  'http:': '80',
  'https:': '443',
  'ws:': '80',
  'wss:': '443',
  'ftp:': '21',
  'file:': '',
};
const isSpecial = (scheme) => Object.prototype.hasOwnProperty.call(specialPorts, scheme);

function invalidUrl(input, base) {
  const e = makeNodeError(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
  e.input = input;
  if (base !== undefined) e.base = base;
  return e;
}

// Percent-encode sets (a code point in the set is encoded; non-ASCII always is).
const c0 = (c) => c < 0x20 || c > 0x7e;
const fragmentSet = (c) =>
  c0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const querySet = (c) => c0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const specialQuerySet = (c) => querySet(c) || c === 0x27;
const pathSet = (c) => querySet(c) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d;
const userinfoSet = (c) =>
  pathSet(c) ||
  c === 0x2f ||
  c === 0x3a ||
  c === 0x3b ||
  c === 0x3d ||
  c === 0x40 ||
  (c >= 0x5b && c <= 0x5e) ||
  c === 0x7c;
const componentSet = (c) => userinfoSet(c) || (c >= 0x24 && c <= 0x26) || c === 0x2b || c === 0x2c;
const formSet = (c) => componentSet(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7e;

function percentEncode(s, inSet, spaceAsPlus = false) {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (spaceAsPlus && cp === 0x20) {
      out += '+';
    } else if (cp < 0x80 && !inSet(cp)) {
      out += ch;
    } else {
      for (const b of Buffer.from(ch.length === 1 && cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : ch))
        out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

function percentDecodeBytes(s) {
  const bytes = [];
  const raw = Buffer.from(s);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (
      b === 0x25 &&
      i + 2 < raw.length + 0 &&
      /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(raw[i + 1], raw[i + 2]))
    ) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1], raw[i + 2]), 16));
      i += 2;
    } else {
      bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

// ---- hosts ----------------------------------------------------------------------------

// Punycode (RFC 3492) for one label.
function punycodeEncode(input) {
  const cps = Array.from(input, (c) => c.codePointAt(0));
  let n = 128;
  let delta = 0;
  let bias = 72;
  let output = cps
    .filter((c) => c < 128)
    .map((c) => String.fromCharCode(c))
    .join('');
  const basic = output.length;
  let h = basic;
  if (basic) output += '-';
  const adapt = (d, numPoints, first) => {
    d = first ? Math.floor(d / 700) : d >> 1;
    d += Math.floor(d / numPoints);
    let k = 0;
    while (d > 455) {
      d = Math.floor(d / 35);
      k += 36;
    }
    return k + Math.floor((36 * d) / (d + 38));
  };
  const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = 36; ; k += 36) {
          const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
          if (q < t) break;
          output += digit(t + ((q - t) % (36 - t)));
          q = Math.floor((q - t) / (36 - t));
        }
        output += digit(q);
        bias = adapt(delta, h + 1, h === basic);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return output;
}

function domainToASCII(domain) {
  return domain
    .split('.')
    .map((label) =>
      // eslint-disable-next-line no-control-regex
      /^[\x00-\x7f]*$/.test(label)
        ? label.toLowerCase()
        : 'xn--' + punycodeEncode(label.toLowerCase()),
    )
    .join('.');
}

function parseIPv4Number(s) {
  if (s === '') return NaN;
  let radix = 10;
  if (/^0[xX]/.test(s)) {
    s = s.slice(2);
    radix = 16;
    if (s === '') return 0;
    if (!/^[0-9a-fA-F]+$/.test(s)) return NaN;
  } else if (s.length > 1 && s[0] === '0') {
    s = s.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(s)) return NaN;
  } else if (!/^[0-9]+$/.test(s)) {
    return NaN;
  }
  return parseInt(s, radix);
}

// Returns the host as it is serialised, or null when it is invalid.
function parseIPv4(host) {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return null;
  const nums = parts.map(parseIPv4Number);
  if (nums.some((n) => Number.isNaN(n))) return null;
  for (let i = 0; i < nums.length - 1; i++) if (nums[i] > 255) return null;
  if (nums[nums.length - 1] >= 256 ** (5 - nums.length)) return null;
  let ipv4 = nums[nums.length - 1];
  for (let i = 0; i < nums.length - 1; i++) ipv4 += nums[i] * 256 ** (3 - i);
  const out = [];
  for (let i = 0; i < 4; i++) {
    out.unshift(ipv4 % 256);
    ipv4 = Math.floor(ipv4 / 256);
  }
  return out.join('.');
}

function endsInNumber(host) {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  return /^[0-9]+$/.test(last) || !Number.isNaN(parseIPv4Number(last));
}

function parseIPv6(input) {
  const pieces = [0, 0, 0, 0, 0, 0, 0, 0];
  let piece = 0;
  let compress = null;
  let i = 0;
  if (input[0] === ':') {
    if (input[1] !== ':') return null;
    i = 2;
    compress = ++piece;
  }
  while (i < input.length) {
    if (piece === 8) return null;
    if (input[i] === ':') {
      if (compress !== null) return null;
      i++;
      compress = ++piece;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && i < input.length && /[0-9a-fA-F]/.test(input[i])) {
      value = value * 16 + parseInt(input[i], 16);
      i++;
      length++;
    }
    if (input[i] === '.') {
      if (length === 0 || piece > 6) return null;
      i -= length;
      const v4 = parseIPv4(input.slice(i));
      if (v4 === null || !/^\d+\.\d+\.\d+\.\d+$/.test(input.slice(i))) return null;
      const b = v4.split('.').map(Number);
      pieces[piece++] = b[0] * 256 + b[1];
      pieces[piece++] = b[2] * 256 + b[3];
      break;
    }
    if (input[i] === ':') {
      i++;
      if (i >= input.length) return null;
    } else if (i < input.length) {
      return null;
    }
    pieces[piece++] = value;
  }
  if (compress !== null) {
    let swaps = piece - compress;
    piece = 7;
    while (piece !== 0 && swaps > 0) {
      const t = pieces[compress + swaps - 1];
      pieces[compress + swaps - 1] = pieces[piece];
      pieces[piece] = t;
      piece--;
      swaps--;
    }
  } else if (piece !== 8) {
    return null;
  }
  // Serialise: the longest run of zeros (two or more) becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let k = 0; k < 8;) {
    if (pieces[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && pieces[j] === 0) j++;
    if (j - k > bestLen) {
      best = k;
      bestLen = j - k;
    }
    k = j;
  }
  let out = '';
  let ignore0 = false;
  for (let k = 0; k < 8; k++) {
    if (ignore0 && pieces[k] === 0) continue;
    ignore0 = false;
    if (best === k) {
      out += k === 0 ? '::' : ':';
      ignore0 = true;
      continue;
    }
    out += pieces[k].toString(16);
    if (k !== 7) out += ':';
  }
  return `[${out}]`;
}

function parseHost(input, special) {
  if (input[0] === '[') {
    if (input[input.length - 1] !== ']') return null;
    return parseIPv6(input.slice(1, -1));
  }
  if (!special) {
    if (/[\0\t\n\r #/:<>?@[\\\]^|]/.test(input)) return null;
    return percentEncode(input, c0);
  }
  const domain = percentDecodeBytes(input).toString('utf8');
  const ascii = domainToASCII(domain);
  // eslint-disable-next-line no-control-regex
  if (ascii === '' || /[\0\t\n\r #%/:<>?@[\\\]^|\x00-\x1f\x7f]/.test(ascii)) return null;
  if (endsInNumber(ascii)) return parseIPv4(ascii);
  return ascii;
}

// ---- the parser -------------------------------------------------------------------------

function shortenPath(rec) {
  if (rec.scheme === 'file:' && rec.path.length === 1 && /^[a-zA-Z]:$/.test(rec.path[0])) return;
  rec.path.pop();
}

const isSingleDot = (s) => s === '.' || s.toLowerCase() === '%2e';
const isDoubleDot = (s) => ['..', '.%2e', '%2e.', '%2e%2e'].includes(s.toLowerCase());

function parsePathInto(rec, input) {
  const special = isSpecial(rec.scheme);
  const segments = special ? input.split(/[/\\]/) : input.split('/');
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    const last = k === segments.length - 1;
    if (isDoubleDot(seg)) {
      shortenPath(rec);
      if (last) rec.path.push('');
    } else if (isSingleDot(seg)) {
      if (last) rec.path.push('');
    } else {
      rec.path.push(percentEncode(seg, pathSet));
    }
  }
}

// Parses `input` (against the record `base`, if any): a URL record or null.
function parseURL(input, base) {
  // eslint-disable-next-line no-control-regex
  input = input.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  const rec = {
    scheme: '',
    username: '',
    password: '',
    host: null,
    port: '',
    path: [],
    opaque: null,
    query: null,
    fragment: null,
  };
  let rest = input;
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) {
    rec.fragment = percentEncode(rest.slice(hashAt + 1), fragmentSet);
    rest = rest.slice(0, hashAt);
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    rec.scheme = m[1].toLowerCase() + ':';
    rest = rest.slice(m[0].length);
  } else {
    if (!base) return null;
    if (base.opaque !== null) {
      if (input[0] !== '#') return null;
      return { ...base, path: [], fragment: rec.fragment };
    }
    rec.scheme = base.scheme;
    return parseRelative(rec, rest, base);
  }
  const special = isSpecial(rec.scheme);
  if (
    special &&
    base &&
    base.scheme === rec.scheme &&
    !/^[/\\]/.test(rest) &&
    rec.scheme !== 'file:'
  ) {
    // `http:foo` against an http: base is relative.
    return parseRelative(rec, rest, base);
  }
  if (rec.scheme === 'file:') return parseFile(rec, rest, base);
  if (special) {
    rest = rest.replace(/^[/\\]*/, '');
    return parseAuthorityAndRest(rec, rest);
  }
  if (rest.startsWith('//')) return parseAuthorityAndRest(rec, rest.slice(2));
  if (rest.startsWith('/')) return splitQuery(rec, rest, (p) => parsePathInto(rec, p.slice(1)));
  return splitQuery(rec, rest, (p) => {
    rec.opaque = percentEncode(p, c0);
  });
}

function splitQuery(rec, rest, onPath) {
  const q = rest.indexOf('?');
  if (q >= 0) {
    rec.query = percentEncode(
      rest.slice(q + 1),
      isSpecial(rec.scheme) ? specialQuerySet : querySet,
    );
    rest = rest.slice(0, q);
  }
  onPath(rest);
  return rec;
}

function parseAuthorityAndRest(rec, rest) {
  const special = isSpecial(rec.scheme);
  const end = rest.search(special ? /[/\\?]/ : /[/?]/);
  let authority = end < 0 ? rest : rest.slice(0, end);
  rest = end < 0 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    rec.username = percentEncode(colon >= 0 ? userinfo.slice(0, colon) : userinfo, userinfoSet);
    rec.password = colon >= 0 ? percentEncode(userinfo.slice(colon + 1), userinfoSet) : '';
  }
  let hostText = authority;
  let portText = '';
  const pm = /:([^:\]]*)$/.exec(authority);
  if (pm && !(authority.startsWith('[') && !authority.includes(']:'))) {
    hostText = authority.slice(0, pm.index);
    portText = pm[1];
  }
  if (hostText === '') {
    if (special || at >= 0 || portText) return null;
    rec.host = '';
  } else {
    const host = parseHost(hostText, special);
    if (host === null) return null;
    rec.host = host;
  }
  if (portText !== '') {
    if (!/^[0-9]+$/.test(portText)) return null;
    const port = parseInt(portText, 10);
    if (port > 65535) return null;
    rec.port = String(port) === specialPorts[rec.scheme] ? '' : String(port);
  }
  return splitQuery(rec, rest, (p) => {
    if (p !== '' || special) parsePathInto(rec, p === '' ? '' : p.slice(1));
    if (special && rec.path.length === 0) rec.path.push('');
  });
}

function parseFile(rec, rest, base) {
  rec.host = '';
  if (/^[/\\]{2}/.test(rest)) {
    rest = rest.slice(2);
    const end = rest.search(/[/\\?]/);
    const hostText = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
    if (hostText !== '' && hostText.toLowerCase() !== 'localhost') {
      const host = parseHost(hostText, true);
      if (host === null) return null;
      rec.host = host;
    }
    return splitQuery(rec, rest, (p) => parsePathInto(rec, p.replace(/^[/\\]/, '')));
  }
  if (/^[/\\]/.test(rest)) return splitQuery(rec, rest, (p) => parsePathInto(rec, p.slice(1)));
  if (base && base.scheme === 'file:') return parseRelative(rec, rest, base);
  return splitQuery(rec, rest, (p) => parsePathInto(rec, p));
}

function parseRelative(rec, rest, base) {
  const special = isSpecial(rec.scheme);
  const slash = special ? /^[/\\]/ : /^\//;
  if (special ? /^[/\\]{2}/.test(rest) : rest.startsWith('//')) {
    if (rec.scheme === 'file:') return parseFile(rec, rest, null);
    return parseAuthorityAndRest(rec, rest.slice(2));
  }
  rec.username = base.username;
  rec.password = base.password;
  rec.host = base.host;
  rec.port = base.port;
  if (slash.test(rest)) return splitQuery(rec, rest, (p) => parsePathInto(rec, p.slice(1)));
  if (rest === '' || rest[0] === '?') {
    rec.path = base.path.slice();
    if (rest === '') rec.query = base.query;
    return splitQuery(rec, rest, () => {});
  }
  rec.path = base.path.slice();
  shortenPath(rec);
  return splitQuery(rec, rest, (p) => parsePathInto(rec, p));
}

function serializePath(rec) {
  if (rec.opaque !== null) return rec.opaque;
  let out = '';
  if (rec.host === null && rec.path.length > 1 && rec.path[0] === '') out += '/.';
  for (const seg of rec.path) out += '/' + seg;
  return out;
}

function serializeURL(rec, excludeFragment) {
  let out = rec.scheme;
  if (rec.host !== null) {
    out += '//';
    if (rec.username !== '' || rec.password !== '') {
      out += rec.username;
      if (rec.password !== '') out += ':' + rec.password;
      out += '@';
    }
    out += rec.host;
    if (rec.port !== '') out += ':' + rec.port;
  }
  out += serializePath(rec);
  if (rec.query !== null) out += '?' + rec.query;
  if (!excludeFragment && rec.fragment !== null) out += '#' + rec.fragment;
  return out;
}

// ---- URL ------------------------------------------------------------------------------

const kRecord = Symbol('context');
const kSearchParams = Symbol('query');

class URL {
  constructor(input, base = undefined) {
    if (arguments.length === 0)
      throw makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "url" argument must be specified');
    input = `${input}`;
    let baseRec;
    if (base !== undefined) {
      baseRec = parseURL(`${base}`);
      if (baseRec === null) throw invalidUrl(input, `${base}`);
    }
    const rec = parseURL(input, baseRec);
    if (rec === null) throw invalidUrl(input, base === undefined ? undefined : `${base}`);
    this[kRecord] = rec;
    this[kSearchParams] = null;
  }
  static canParse(input, base = undefined) {
    try {
      new URL(input, base);
      return true;
    } catch (e) {
      return false;
    }
  }
  get href() {
    return serializeURL(this[kRecord]);
  }
  set href(value) {
    const rec = parseURL(`${value}`);
    if (rec === null) throw invalidUrl(`${value}`);
    this[kRecord] = rec;
    if (this[kSearchParams]) this[kSearchParams][kList] = parseQuery(rec.query || '');
  }
  get origin() {
    const rec = this[kRecord];
    if (rec.scheme === 'blob:') {
      try {
        return new URL(serializePath(rec)).origin;
      } catch (e) {
        return 'null';
      }
    }
    if (!isSpecial(rec.scheme) || rec.scheme === 'file:') return 'null';
    return `${rec.scheme}//${rec.host}${rec.port ? ':' + rec.port : ''}`;
  }
  get protocol() {
    return this[kRecord].scheme;
  }
  set protocol(value) {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):?/.exec(`${value}`);
    if (!m) return;
    const scheme = m[1].toLowerCase() + ':';
    const rec = this[kRecord];
    if (isSpecial(rec.scheme) !== isSpecial(scheme)) return;
    if (scheme === 'file:' && (rec.username || rec.password || rec.port)) return;
    rec.scheme = scheme;
    if (rec.port === specialPorts[scheme]) rec.port = '';
  }
  get username() {
    return this[kRecord].username;
  }
  set username(value) {
    const rec = this[kRecord];
    if (rec.host === null || rec.host === '' || rec.scheme === 'file:') return;
    rec.username = percentEncode(`${value}`, userinfoSet);
  }
  get password() {
    return this[kRecord].password;
  }
  set password(value) {
    const rec = this[kRecord];
    if (rec.host === null || rec.host === '' || rec.scheme === 'file:') return;
    rec.password = percentEncode(`${value}`, userinfoSet);
  }
  get host() {
    const rec = this[kRecord];
    if (rec.host === null) return '';
    return rec.port === '' ? rec.host : `${rec.host}:${rec.port}`;
  }
  set host(value) {
    const rec = this[kRecord];
    if (rec.opaque !== null) return;
    const probe = parseURL(`${rec.scheme}//${value}`);
    if (probe === null || probe.host === null) return;
    rec.host = probe.host;
    if (/:\d/.test(`${value}`.replace(/^\[.*\]/, ''))) rec.port = probe.port;
  }
  get hostname() {
    return this[kRecord].host === null ? '' : this[kRecord].host;
  }
  set hostname(value) {
    const rec = this[kRecord];
    if (rec.opaque !== null) return;
    const h = parseHost(`${value}`, isSpecial(rec.scheme));
    if (h !== null && !(h === '' && isSpecial(rec.scheme))) rec.host = h;
  }
  get port() {
    return this[kRecord].port;
  }
  set port(value) {
    const rec = this[kRecord];
    if (rec.host === null || rec.host === '' || rec.scheme === 'file:') return;
    const s = `${value}`;
    if (s === '') {
      rec.port = '';
      return;
    }
    const m = /^[0-9]+/.exec(s);
    if (!m) return;
    const port = parseInt(m[0], 10);
    if (port > 65535) return;
    rec.port = String(port) === specialPorts[rec.scheme] ? '' : String(port);
  }
  get pathname() {
    return serializePath(this[kRecord]);
  }
  set pathname(value) {
    const rec = this[kRecord];
    if (rec.opaque !== null) return;
    rec.path = [];
    let p = `${value}`;
    if (isSpecial(rec.scheme) ? /^[/\\]/.test(p) : p.startsWith('/')) p = p.slice(1);
    parsePathInto(rec, p);
  }
  get search() {
    const q = this[kRecord].query;
    return q === null || q === '' ? '' : '?' + q;
  }
  set search(value) {
    const rec = this[kRecord];
    let s = `${value}`;
    if (s.startsWith('?')) s = s.slice(1);
    rec.query =
      s === '' ? null : percentEncode(s, isSpecial(rec.scheme) ? specialQuerySet : querySet);
    if (this[kSearchParams]) this[kSearchParams][kList] = parseQuery(s);
  }
  get searchParams() {
    if (!this[kSearchParams]) {
      const sp = new URLSearchParams(this[kRecord].query || '');
      sp[kUrl] = this;
      this[kSearchParams] = sp;
    }
    return this[kSearchParams];
  }
  get hash() {
    const f = this[kRecord].fragment;
    return f === null || f === '' ? '' : '#' + f;
  }
  set hash(value) {
    let s = `${value}`;
    if (s.startsWith('#')) s = s.slice(1);
    this[kRecord].fragment = s === '' ? null : percentEncode(s, fragmentSet);
  }
  toString() {
    return this.href;
  }
  toJSON() {
    return this.href;
  }
  [kCustomInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    const obj = {
      href: this.href,
      origin: this.origin,
      protocol: this.protocol,
      username: this.username,
      password: this.password,
      host: this.host,
      hostname: this.hostname,
      port: this.port,
      pathname: this.pathname,
      search: this.search,
      searchParams: this.searchParams,
      hash: this.hash,
    };
    return `URL ${inspect(obj, opts)}`;
  }
}
Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
for (const name of [
  'href',
  'origin',
  'protocol',
  'username',
  'password',
  'host',
  'hostname',
  'port',
  'pathname',
  'search',
  'searchParams',
  'hash',
  'toString',
  'toJSON',
]) {
  const d = Object.getOwnPropertyDescriptor(URL.prototype, name);
  d.enumerable = true;
  Object.defineProperty(URL.prototype, name, d);
}

// ---- URLSearchParams ----------------------------------------------------------------------

const kList = Symbol('query');
const kUrl = Symbol('context');

function decodeFormComponent(s) {
  return percentDecodeBytes(s.replace(/\+/g, ' ')).toString('utf8');
}

function parseQuery(s) {
  const list = [];
  for (const part of s.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq >= 0 ? part.slice(0, eq) : part;
    const value = eq >= 0 ? part.slice(eq + 1) : '';
    list.push([decodeFormComponent(name), decodeFormComponent(value)]);
  }
  return list;
}

const serializeForm = (list) =>
  list
    .map(([k, v]) => `${percentEncode(k, formSet, true)}=${percentEncode(v, formSet, true)}`)
    .join('&');

function toUSVString(v) {
  return `${v}`.toWellFormed();
}

class URLSearchParams {
  constructor(init = undefined) {
    this[kList] = [];
    this[kUrl] = null;
    if (init === undefined || init === null) return;
    if (typeof init === 'object' || typeof init === 'function') {
      if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          if (
            pair === null ||
            typeof pair !== 'object' ||
            typeof pair[Symbol.iterator] !== 'function'
          )
            throw makeNodeError(
              TypeError,
              'ERR_INVALID_TUPLE',
              'Each query pair must be an iterable [name, value] tuple',
            );
          const p = [...pair];
          if (p.length !== 2)
            throw makeNodeError(
              TypeError,
              'ERR_INVALID_TUPLE',
              'Each query pair must be an iterable [name, value] tuple',
            );
          this[kList].push([toUSVString(p[0]), toUSVString(p[1])]);
        }
      } else {
        for (const key of Object.keys(init))
          this[kList].push([toUSVString(key), toUSVString(init[key])]);
      }
    } else {
      let s = toUSVString(init);
      if (s.startsWith('?')) s = s.slice(1);
      this[kList] = parseQuery(s);
    }
  }
  _update() {
    const url = this[kUrl];
    if (!url) return;
    const s = serializeForm(this[kList]);
    url[kRecord].query = s === '' ? null : s;
  }
  get size() {
    return this[kList].length;
  }
  append(name, value) {
    this[kList].push([toUSVString(name), toUSVString(value)]);
    this._update();
  }
  delete(name, value = undefined) {
    name = toUSVString(name);
    this[kList] = this[kList].filter(
      ([k, v]) => !(k === name && (value === undefined || v === toUSVString(value))),
    );
    this._update();
  }
  get(name) {
    name = toUSVString(name);
    const e = this[kList].find(([k]) => k === name);
    return e ? e[1] : null;
  }
  getAll(name) {
    name = toUSVString(name);
    return this[kList].filter(([k]) => k === name).map(([, v]) => v);
  }
  has(name, value = undefined) {
    name = toUSVString(name);
    return this[kList].some(
      ([k, v]) => k === name && (value === undefined || v === toUSVString(value)),
    );
  }
  set(name, value) {
    name = toUSVString(name);
    value = toUSVString(value);
    const i = this[kList].findIndex(([k]) => k === name);
    if (i < 0) this[kList].push([name, value]);
    else {
      this[kList][i][1] = value;
      this[kList] = this[kList].filter(([k], j) => j <= i || k !== name);
    }
    this._update();
  }
  sort() {
    const list = this[kList].map((e, i) => [e, i]);
    list.sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]));
    this[kList] = list.map(([e]) => e);
    this._update();
  }
  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function')
      throw invalidArgType('callback', 'of type function', callback);
    for (let i = 0; i < this[kList].length; i++) {
      const [k, v] = this[kList][i];
      callback.call(thisArg, v, k, this);
    }
  }
  *keys() {
    for (const [k] of this[kList]) yield k;
  }
  *values() {
    for (const [, v] of this[kList]) yield v;
  }
  *entries() {
    for (const [k, v] of this[kList]) yield [k, v];
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  toString() {
    return serializeForm(this[kList]);
  }
  [kCustomInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return '[Object]';
    if (this[kList].length === 0) return 'URLSearchParams {}';
    const parts = this[kList].map(([k, v]) => `${inspect(k)} => ${inspect(v)}`);
    const one = `URLSearchParams { ${parts.join(', ')} }`;
    if (one.length <= 80) return one;
    return `URLSearchParams {\n  ${parts.join(',\n  ')} }`;
  }
}
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams',
  configurable: true,
});

// ---- the url module ---------------------------------------------------------------------

function fileURLToPath(path) {
  const url = typeof path === 'string' ? new URL(path) : path;
  if (!(url instanceof URL))
    throw invalidArgType('path', 'of type string or an instance of URL', path);
  if (url.protocol !== 'file:')
    throw makeNodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  if (url.hostname !== '')
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_FILE_URL_HOST',
      'File URL host must be "localhost" or empty on linux',
    );
  const pathname = url.pathname;
  if (/%2f/i.test(pathname))
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_FILE_URL_PATH',
      'File URL path must not include encoded / characters',
    );
  return percentDecodeBytes(pathname).toString('utf8');
}

function pathToFileURL(filepath) {
  let resolved = resolvePath(`${filepath}`);
  if (`${filepath}`.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
  const url = new URL('file://');
  url.pathname = resolved
    .replace(/%/g, '%25')
    .replace(/\n/g, '%0A')
    .replace(/\r/g, '%0D')
    .replace(/\t/g, '%09');
  return url;
}

// The legacy API: an Url object with Node's fields.
function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

function urlParse(str, parseQueryString = false, slashesDenoteHost = false) {
  if (typeof str !== 'string') throw invalidArgType('url', 'of type string', str);
  const u = new Url();
  let rest = str.trim();
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) {
    u.hash = rest.slice(hashAt);
    rest = rest.slice(0, hashAt);
  }
  const qAt = rest.indexOf('?');
  if (qAt >= 0) {
    u.search = rest.slice(qAt);
    u.query = rest.slice(qAt + 1);
    rest = rest.slice(0, qAt);
  } else if (parseQueryString) {
    u.search = '';
    u.query = {};
  }
  if (parseQueryString && typeof u.query === 'string') u.query = querystring.parse(u.query);
  const proto = /^([a-zA-Z0-9.+-]+:)/.exec(rest);
  if (proto) {
    u.protocol = proto[1].toLowerCase();
    rest = rest.slice(proto[1].length);
  }
  if ((proto || slashesDenoteHost) && rest.startsWith('//')) {
    u.slashes = true;
    rest = rest.slice(2);
    const end = rest.search(/[/]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      u.auth = decodeURIComponent(authority.slice(0, at));
      authority = authority.slice(at + 1);
    }
    const pm = /:(\d*)$/.exec(authority);
    if (pm) {
      u.port = pm[1];
      u.hostname = authority.slice(0, pm.index).toLowerCase();
    } else {
      u.hostname = authority.toLowerCase();
    }
    u.host = u.hostname + (u.port ? ':' + u.port : '');
    if (rest === '' && isSpecial(u.protocol || '')) rest = '/';
  }
  u.pathname = rest === '' ? null : rest;
  if (u.pathname !== null || u.search !== null) u.path = (u.pathname || '') + (u.search || '');
  u.href = urlFormat(u);
  return u;
}

function urlFormat(obj) {
  if (obj instanceof URL) return obj.href;
  if (typeof obj === 'string') obj = urlParse(obj);
  let protocol = obj.protocol || '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  const auth = obj.auth ? encodeURIComponent(obj.auth).replace(/%3A/i, ':') + '@' : '';
  let host = '';
  if (obj.host) host = auth + obj.host;
  else if (obj.hostname) host = auth + obj.hostname + (obj.port ? ':' + obj.port : '');
  let pathname = obj.pathname || '';
  let search = obj.search || '';
  if (!search && obj.query && typeof obj.query === 'object' && Object.keys(obj.query).length)
    search = '?' + querystring.stringify(obj.query);
  if (search && search[0] !== '?') search = '?' + search;
  let hash = obj.hash || '';
  if (hash && hash[0] !== '#') hash = '#' + hash;
  if (obj.slashes || (host && isSpecial(protocol))) {
    host = '//' + host;
    if (pathname && pathname[0] !== '/') pathname = '/' + pathname;
  }
  return protocol + host + pathname + search.replace(/#/g, '%23') + hash;
}

function urlResolve(from, to) {
  return new URL(to, new URL(from, 'resolve://')).href.replace(/^resolve:\/\/\/?/, '/');
}

const url = {
  URL,
  URLSearchParams,
  Url,
  parse: urlParse,
  format: urlFormat,
  resolve: urlResolve,
  fileURLToPath,
  pathToFileURL,
  domainToASCII,
  domainToUnicode: (d) => d,
  urlToHttpOptions: (u) => urlToHttpOptions(u),
};

// ---- querystring ------------------------------------------------------------------------

const qsEscapeSet = (c) => !/[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(c));

const querystring = {
  escape: (s) => percentEncode(`${s}`, qsEscapeSet),
  unescape: (s) => {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return percentDecodeBytes(s).toString('utf8');
    }
  },
  parse(str, sep = '&', eq = '=', options = {}) {
    const obj = Object.create(null);
    if (typeof str !== 'string' || str.length === 0) return obj;
    const max = options.maxKeys === undefined ? 1000 : options.maxKeys;
    let parts = str.split(sep);
    if (max > 0) parts = parts.slice(0, max);
    for (const part of parts) {
      if (part === '') continue;
      const i = part.indexOf(eq);
      const k = querystring.unescape((i >= 0 ? part.slice(0, i) : part).replace(/\+/g, ' '));
      const v = querystring.unescape((i >= 0 ? part.slice(i + eq.length) : '').replace(/\+/g, ' '));
      if (obj[k] === undefined) obj[k] = v;
      else if (Array.isArray(obj[k])) obj[k].push(v);
      else obj[k] = [obj[k], v];
    }
    return obj;
  },
  stringify(obj, sep = '&', eq = '=') {
    if (obj === null || typeof obj !== 'object') return '';
    const prim = (v) =>
      typeof v === 'string' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      typeof v === 'bigint' ||
      typeof v === 'boolean'
        ? querystring.escape(`${v}`)
        : '';
    const out = [];
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      const ks = querystring.escape(k) + eq;
      if (Array.isArray(v)) for (const x of v) out.push(ks + prim(x));
      else out.push(ks + prim(v));
    }
    return out.join(sep);
  },
};
querystring.decode = querystring.parse;
querystring.encode = querystring.stringify;
