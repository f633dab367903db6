// Buffer (lib/buffer.js): enough of it for fs, crypto and zlib results and the HTTP layer, as a
// Uint8Array subclass with Node's encodings (utf8, latin1, ascii, hex, base64, base64url,
// utf16le; the host encodes and decodes them).
//
// Also here: deterministic pseudo-random bytes for results whose content nobody can check
// (derived keys, random bytes), drawn from the model's seeded generator, never the OS.

/* global describeReceived, invalidArgType, makeNodeError, outOfRange */

// The encodings are the host's (crates/engine/src/encoding.rs has Node's rules): the HTTP layer
// reads and writes every request's head as latin1 and its body as UTF-8, and a loop over each
// character in JavaScript was the costliest part of a request.

// Node's name for an encoding (lib/internal/util.js `normalizeEncoding`), or undefined.
function normalizeEncoding(enc) {
  switch (enc) {
    case 'utf8':
    case 'latin1':
    case 'hex':
    case 'base64':
    case 'ascii':
    case 'base64url':
    case 'utf16le':
      return enc;
  }
  if (typeof enc !== 'string') return undefined;
  const lower = enc.toLowerCase();
  switch (lower) {
    case 'utf8':
    case 'utf-8':
      return 'utf8';
    case 'latin1':
    case 'binary':
      return 'latin1';
    case 'ucs2':
    case 'ucs-2':
    case 'utf16le':
    case 'utf-16le':
      return 'utf16le';
    case 'hex':
    case 'base64':
    case 'base64url':
    case 'ascii':
      return lower;
  }
  return undefined;
}
// The encoding a caller named; undefined, null or '' mean UTF-8 (as Buffer.from and write take
// them); any other unknown name throws Node's error.
function encodingArg(enc) {
  if (enc === undefined || enc === null || enc === '') return 'utf8';
  const name = normalizeEncoding(enc);
  if (name === undefined)
    throw makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`);
  return name;
}
class Buffer extends Uint8Array {
  static from(value, encoding) {
    if (typeof value === 'string') {
      const enc =
        encoding === 'utf8' || encoding === 'latin1'
          ? encoding
          : typeof encoding === 'string' && encoding.length > 0
            ? encodingArg(encoding)
            : 'utf8';
      return new Buffer(host.bufferEncode(value, enc));
    }
    if (value instanceof ArrayBuffer) return new Buffer(value);
    const arr = Array.from(value, (x) => x & 255);
    const b = new Buffer(arr.length);
    b.set(arr);
    return b;
  }
  static alloc(n, fill) {
    const b = new Buffer(n);
    if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : 0);
    return b;
  }
  static allocUnsafe(n) {
    return new Buffer(n);
  }
  static isEncoding(enc) {
    return (
      typeof enc === 'string' &&
      [
        'utf8',
        'utf-8',
        'hex',
        'base64',
        'base64url',
        'ascii',
        'latin1',
        'binary',
        'ucs2',
        'ucs-2',
        'utf16le',
        'utf-16le',
      ].includes(enc.toLowerCase())
    );
  }
  static isBuffer(v) {
    return v instanceof Buffer;
  }
  static byteLength(s, encoding) {
    if (typeof s !== 'string') {
      if (ArrayBuffer.isView(s) || s instanceof ArrayBuffer || s instanceof SharedArrayBuffer)
        return s.byteLength;
      throw invalidArgType('string', 'of type string or an instance of Buffer or ArrayBuffer', s);
    }
    const enc = typeof encoding === 'string' ? normalizeEncoding(encoding) || 'utf8' : 'utf8';
    return host.bufferByteLength(s, enc);
  }
  static concat(list, total) {
    const n = total === undefined ? list.reduce((a, b) => a + b.length, 0) : total;
    const b = new Buffer(n);
    let off = 0;
    for (let i = 0; i < list.length; i++) {
      const part = list[i];
      b.set(part.subarray(0, Math.min(part.length, n - off)), off);
      off += part.length;
      if (off >= n) break;
    }
    return b;
  }
  // Node's range rules: a start at or past the end, or an end at or before the start, is ''.
  toString(encoding, start, end) {
    const len = this.length;
    if (start === undefined || start <= 0) start = 0;
    else if (start >= len) return '';
    else start = Math.trunc(start) || 0;
    if (end === undefined || end > len) end = len;
    else end = Math.trunc(end) || 0;
    if (end <= start) return '';
    if (encoding === undefined) return host.bufferDecode(this, start, end, 'utf8');
    const enc = normalizeEncoding(`${encoding}`);
    if (enc === undefined)
      throw makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
    return host.bufferDecode(this, start, end, enc);
  }
  toJSON() {
    return { type: 'Buffer', data: Array.from(this) };
  }
  equals(other) {
    if (other.length !== this.length) return false;
    for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false;
    return true;
  }
  // buf.copy(target, targetStart, sourceStart, sourceEnd): the bytes copied (as many as fit).
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    if (!(target instanceof Uint8Array))
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        `The "target" argument must be an instance of Buffer or Uint8Array. Received ${describeReceived(target)}`,
      );
    targetStart = Math.max(0, Math.trunc(targetStart) || 0);
    sourceStart = Math.max(0, Math.trunc(sourceStart) || 0);
    sourceEnd = Math.min(this.length, Math.trunc(sourceEnd) || 0);
    const n = Math.max(0, Math.min(sourceEnd - sourceStart, target.length - targetStart));
    if (n > 0) target.set(this.subarray(sourceStart, sourceStart + n), targetStart);
    return n;
  }
  slice(s, e) {
    const sub = this.subarray(s, e);
    return Object.setPrototypeOf(sub, Buffer.prototype);
  }
  // write(string[, offset[, length]][, encoding]): the bytes written, with Node's argument
  // rules (lib/buffer.js). Whole characters only in UTF-8 (one that does not fit is not
  // started) and whole code units in UTF-16.
  write(str, offset, length, encoding) {
    if (typeof str !== 'string')
      throw makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
    if (offset === undefined) {
      offset = 0;
      length = this.length;
      encoding = 'utf8';
    } else if (length === undefined && typeof offset === 'string') {
      encoding = offset;
      length = this.length;
      offset = 0;
    } else {
      validateOffset(offset, 'offset', this.length);
      const remaining = this.length - offset;
      if (length === undefined) {
        length = remaining;
      } else if (typeof length === 'string') {
        encoding = length;
        length = remaining;
      } else {
        validateOffset(length, 'length', this.length);
        if (length > remaining) length = remaining;
      }
    }
    const enc = encoding ? encodingArg(`${encoding}`) : 'utf8';
    const bytes = new Uint8Array(host.bufferEncode(str, enc));
    let n = Math.min(bytes.length, length);
    if (enc === 'utf8') while (n > 0 && n < bytes.length && (bytes[n] & 0xc0) === 0x80) n--;
    if (enc === 'utf16le') n -= n % 2;
    this.set(bytes.subarray(0, n), offset);
    return n;
  }
}

// lib/internal/buffer.js `validateOffset`: an integer from 0 to `max`.
function validateOffset(value, name, max) {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < 0 || value > max) throw outOfRange(name, `>= 0 && <= ${max}`, value);
}

// Deterministic pseudo-random bytes for results whose content nobody can check (derived keys,
// random bytes): the model's seeded generator, never the OS.
function pseudoBytes(n, seedText) {
  const b = new Buffer(n);
  if (seedText === undefined) {
    for (let i = 0; i < n; i++) b[i] = Math.floor(host.random() * 256);
    return b;
  }
  let h = 2166136261;
  for (let i = 0; i < seedText.length; i++)
    h = Math.imul(h ^ seedText.charCodeAt(i), 16777619) >>> 0;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822519) >>> 0;
    h ^= h >>> 13;
    b[i] = h & 255;
  }
  return b;
}
