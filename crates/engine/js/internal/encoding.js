// TextEncoder and TextDecoder (lib/internal/encoding.js, the WHATWG Encoding Standard), and
// atob/btoa (lib/buffer.js).
//
// HOW: TextEncoder writes UTF-8, a lone surrogate as U+FFFD. TextDecoder reads UTF-8 with the
// standard's error handling (each maximal ill-formed subsequence becomes one U+FFFD, or a
// TypeError when `fatal`), keeps an incomplete sequence for the next call when `stream` is set,
// and drops a leading BOM unless `ignoreBOM`; it also reads UTF-16LE and latin1 (the label
// 'latin1', 'ascii' and the like name windows-1252, which Node 20 decodes byte for code point).

/* global Buffer, DOMException, invalidArgType, makeNodeError */

const encodingLabels = new Map([
  ...[
    'unicode-1-1-utf-8',
    'unicode11utf8',
    'unicode20utf8',
    'utf-8',
    'utf8',
    'x-unicode20utf8',
  ].map((l) => [l, 'utf-8']),
  ...['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le'].map(
    (l) => [l, 'utf-16le'],
  ),
  ...[
    'ansi_x3.4-1968',
    'ascii',
    'cp1252',
    'cp819',
    'csisolatin1',
    'ibm819',
    'iso-8859-1',
    'iso-ir-100',
    'iso8859-1',
    'iso88591',
    'iso_8859-1',
    'iso_8859-1:1987',
    'l1',
    'latin1',
    'us-ascii',
    'windows-1252',
    'x-cp1252',
  ].map((l) => [l, 'windows-1252']),
]);

function encodeUtf8(input) {
  const s = String(input);
  const out = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }
  encode(input = '') {
    return new Uint8Array(encodeUtf8(input));
  }
  encodeInto(src, dest) {
    if (!(dest instanceof Uint8Array))
      throw invalidArgType('dest', 'an instance of Uint8Array', dest);
    const s = String(src);
    let read = 0;
    let written = 0;
    for (const ch of s) {
      const bytes = encodeUtf8(ch);
      if (written + bytes.length > dest.length) break;
      dest.set(bytes, written);
      written += bytes.length;
      read += ch.length;
    }
    return { read, written };
  }
}
Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, {
  value: 'TextEncoder',
  configurable: true,
});

function invalidData(encoding) {
  return makeNodeError(
    TypeError,
    'ERR_ENCODING_INVALID_ENCODED_DATA',
    `The encoded data was not valid for encoding ${encoding}`,
  );
}

// One step of the standard's UTF-8 decoder: the code point at `i` and its length, or an error
// spanning the maximal subpart (`incomplete` when the bytes end inside a valid prefix).
function utf8Step(bytes, i) {
  const b = bytes[i];
  if (b < 0x80) return { cp: b, len: 1 };
  let need;
  let cp;
  let lower = 0x80;
  let upper = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) {
    need = 1;
    cp = b & 0x1f;
  } else if (b >= 0xe0 && b <= 0xef) {
    if (b === 0xe0) lower = 0xa0;
    if (b === 0xed) upper = 0x9f;
    need = 2;
    cp = b & 0xf;
  } else if (b >= 0xf0 && b <= 0xf4) {
    if (b === 0xf0) lower = 0x90;
    if (b === 0xf4) upper = 0x8f;
    need = 3;
    cp = b & 0x7;
  } else return { cp: null, len: 1 };
  let k = 1;
  for (; k <= need; k++) {
    if (i + k >= bytes.length) return { cp: null, len: k, incomplete: true };
    const c = bytes[i + k];
    if (c < lower || c > upper) return { cp: null, len: k };
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (c & 0x3f);
  }
  return { cp, len: need + 1 };
}

function toUint8(input) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input))
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw invalidArgType('input', 'an instance of ArrayBuffer or ArrayBufferView', input);
}

const kPending = Symbol('pending bytes');
const kEncoding = Symbol('encoding');
const kFatal = Symbol('fatal');
const kIgnoreBOM = Symbol('ignoreBOM');
const kBomSeen = Symbol('BOM seen');

class TextDecoder {
  constructor(encoding = 'utf-8', options = {}) {
    const label = String(encoding).trim().toLowerCase();
    const name = encodingLabels.get(label);
    if (!name)
      throw makeNodeError(
        RangeError,
        'ERR_ENCODING_NOT_SUPPORTED',
        `The "${encoding}" encoding is not supported`,
      );
    if (options === null || typeof options !== 'object')
      throw invalidArgType('options', 'of type object', options);
    this[kEncoding] = name;
    this[kFatal] = Boolean(options.fatal);
    this[kIgnoreBOM] = Boolean(options.ignoreBOM);
    this[kPending] = [];
    this[kBomSeen] = false;
  }
  get encoding() {
    return this[kEncoding];
  }
  get fatal() {
    return this[kFatal];
  }
  get ignoreBOM() {
    return this[kIgnoreBOM];
  }
  decode(input = undefined, options = {}) {
    const stream = Boolean(options && options.stream);
    let bytes = toUint8(input);
    if (this[kPending].length) {
      const joined = new Uint8Array(this[kPending].length + bytes.length);
      joined.set(this[kPending]);
      joined.set(bytes, this[kPending].length);
      bytes = joined;
      this[kPending] = [];
    }
    let text;
    if (this[kEncoding] === 'windows-1252') text = Buffer.from(bytes).toString('latin1');
    else if (this[kEncoding] === 'utf-16le') {
      const even = stream ? bytes.length & ~1 : bytes.length;
      if (even < bytes.length) this[kPending] = [...bytes.subarray(even)];
      let s = '';
      for (let i = 0; i + 1 < even; i += 2)
        s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      if (even % 2) {
        if (this[kFatal]) throw invalidData('utf-16le');
        s += '\ufffd';
      }
      text = s;
    } else text = this.decodeUtf8(bytes, stream);
    if (!this[kIgnoreBOM] && !this[kBomSeen] && text.length > 0) {
      this[kBomSeen] = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!stream) this[kBomSeen] = false;
    return text;
  }
  decodeUtf8(bytes, stream) {
    let s = '';
    let i = 0;
    while (i < bytes.length) {
      const step = utf8Step(bytes, i);
      if (step.cp === null) {
        if (step.incomplete && stream) {
          this[kPending] = [...bytes.subarray(i)];
          break;
        }
        if (this[kFatal]) throw invalidData('utf-8');
        s += '\ufffd';
      } else s += String.fromCodePoint(step.cp);
      i += step.len;
    }
    return s;
  }
}
Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, {
  value: 'TextDecoder',
  configurable: true,
});

// ---- atob and btoa (lib/buffer.js) ---------------------------------------------------------

const base64Chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function btoa(input) {
  if (arguments.length === 0)
    throw makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "input" argument must be specified');
  const s = `${input}`;
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 0xff)
      throw new DOMException('Invalid character', 'InvalidCharacterError');
  return Buffer.from(s, 'latin1').toString('base64');
}

function atob(input) {
  if (arguments.length === 0)
    throw makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "input" argument must be specified');
  let s = `${input}`.replace(/[\t\n\f\r ]/g, '');
  let pads = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '=') pads++;
    else if (pads > 0 || !base64Chars.includes(c))
      throw new DOMException('Invalid character', 'InvalidCharacterError');
  }
  if (pads > 2) throw new DOMException('Invalid character', 'InvalidCharacterError');
  if (s.length % 4 === 0 && pads > 0) s = s.slice(0, s.length - pads);
  else if (pads > 0)
    throw new DOMException(
      'The string to be decoded is not correctly encoded.',
      'InvalidCharacterError',
    );
  if (s.length % 4 === 1)
    throw new DOMException(
      'The string to be decoded is not correctly encoded.',
      'InvalidCharacterError',
    );
  return Buffer.from(s, 'base64').toString('latin1');
}
