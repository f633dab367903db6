// string_decoder (lib/string_decoder.js): bytes to text across chunk boundaries, as streams use
// it for `setEncoding`: a character split between two chunks waits for the rest of its bytes.
//
// HOW: utf8 keeps the bytes of an unfinished character; base64 keeps the bytes that do not yet
// make a group of three; utf16le keeps an odd byte (and a lone high surrogate); hex, latin1
// and ascii need nothing kept. The text itself is written by Buffer's `toString`, and the
// encoding's name is Buffer's (`encodingArg`).

/* global Buffer, encodingArg */

// How many bytes a utf8 character that starts with `b` has (0: not a start byte).
function utf8Length(b) {
  if (b < 0x80) return 1;
  if (b >> 5 === 0x06) return 2;
  if (b >> 4 === 0x0e) return 3;
  if (b >> 3 === 0x1e) return 4;
  return 0;
}

class StringDecoder {
  constructor(encoding) {
    this.encoding = encodingArg(encoding);
    this._kept = Buffer.alloc(0);
  }
  write(buf) {
    if (typeof buf === 'string') return buf;
    let bytes = this._kept.length ? Buffer.concat([this._kept, buf]) : Buffer.from(buf);
    this._kept = Buffer.alloc(0);
    let cut = bytes.length;
    if (this.encoding === 'utf8') {
      // Back up over an unfinished character at the end (at most three bytes).
      for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 3; i--) {
        const n = utf8Length(bytes[i]);
        if (n === 0) continue;
        if (i + n > bytes.length) cut = i;
        break;
      }
    } else if (this.encoding === 'base64' || this.encoding === 'base64url') {
      cut = bytes.length - (bytes.length % 3);
    } else if (this.encoding === 'utf16le') {
      cut = bytes.length - (bytes.length % 2);
      // A high surrogate waits for its low half.
      if (cut >= 2) {
        const last = bytes[cut - 2] | (bytes[cut - 1] << 8);
        if (last >= 0xd800 && last <= 0xdbff) cut -= 2;
      }
    }
    this._kept = Buffer.from(bytes.subarray(cut));
    bytes = bytes.subarray(0, cut);
    return Buffer.prototype.toString.call(bytes, this.encoding);
  }
  end(buf) {
    let s = buf === undefined ? '' : this.write(buf);
    if (this._kept.length) {
      const rest = this._kept;
      this._kept = Buffer.alloc(0);
      s += Buffer.prototype.toString.call(rest, this.encoding);
    }
    return s;
  }
}

const stringDecoder = { StringDecoder };
