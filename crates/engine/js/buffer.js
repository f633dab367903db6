// Buffer (lib/buffer.js): enough of it for fs, crypto and zlib results, as a Uint8Array subclass
// with utf8, hex, base64 and latin1 encodings.
//
// Also here: deterministic pseudo-random bytes for results whose content nobody can check
// (derived keys, random bytes), drawn from the model's seeded generator, never the OS.

/* global describeReceived, makeNodeError */

// UTF-8 is the host's (crates/engine/src/host.rs): a loop over a string in JavaScript was the
// costliest part of a request.
function utf8Encode(str) {
  return new Buffer(host.utf8Encode(str));
}
function utf8Decode(bytes, start, end) {
  return host.utf8Decode(bytes, start, end);
}
const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

class Buffer extends Uint8Array {
  static from(value, encoding) {
    if (typeof value === 'string') {
      if (encoding === 'hex') {
        const b = new Buffer(value.length >> 1);
        for (let i = 0; i < b.length; i++) b[i] = parseInt(value.substr(i * 2, 2), 16);
        return b;
      }
      if (encoding === 'base64') {
        const clean = value.replace(/[^A-Za-z0-9+/]/g, '');
        const bytes = [];
        for (let i = 0; i < clean.length; i += 4) {
          const n =
            (b64.indexOf(clean[i]) << 18) |
            (b64.indexOf(clean[i + 1]) << 12) |
            ((clean[i + 2] ? b64.indexOf(clean[i + 2]) : 0) << 6) |
            (clean[i + 3] ? b64.indexOf(clean[i + 3]) : 0);
          bytes.push((n >> 16) & 255);
          if (clean[i + 2]) bytes.push((n >> 8) & 255);
          if (clean[i + 3]) bytes.push(n & 255);
        }
        return Buffer.from(bytes);
      }
      if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') {
        const b = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) b[i] = value.charCodeAt(i) & 255;
        return b;
      }
      return utf8Encode(value);
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
  static byteLength(s) {
    return typeof s === 'string' ? host.utf8Length(s) : s.length;
  }
  static concat(list, total) {
    const n = total === undefined ? list.reduce((a, b) => a + b.length, 0) : total;
    const b = new Buffer(n);
    let off = 0;
    for (const part of list) {
      b.set(part.subarray(0, Math.min(part.length, n - off)), off);
      off += part.length;
      if (off >= n) break;
    }
    return b;
  }
  toString(encoding, start = 0, end = this.length) {
    if (encoding === 'hex') {
      let s = '';
      for (let i = start; i < end; i++) s += this[i].toString(16).padStart(2, '0');
      return s;
    }
    if (encoding === 'base64') {
      let s = '';
      for (let i = start; i < end; i += 3) {
        const n =
          (this[i] << 16) |
          ((i + 1 < end ? this[i + 1] : 0) << 8) |
          (i + 2 < end ? this[i + 2] : 0);
        s +=
          b64[(n >> 18) & 63] +
          b64[(n >> 12) & 63] +
          (i + 1 < end ? b64[(n >> 6) & 63] : '=') +
          (i + 2 < end ? b64[n & 63] : '=');
      }
      return s;
    }
    if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(this[i]);
      return s;
    }
    return utf8Decode(this, start, end);
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
  write(str, offset = 0) {
    const bytes = utf8Encode(str);
    // Whole characters only: a character that does not fit is not started.
    let n = Math.max(0, Math.min(bytes.length, this.length - offset));
    while (n > 0 && n < bytes.length && (bytes[n] & 0xc0) === 0x80) n--;
    this.set(bytes.subarray(0, n), offset);
    return n;
  }
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
