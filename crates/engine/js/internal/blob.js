// Blob (lib/internal/blob.js): immutable bytes with a MIME type, Node 20's global and
// `require('buffer').Blob`, and what fetch's `blob()` returns.
//
// HOW: a Blob keeps its parts (strings encoded as UTF-8, views and buffers copied, other Blobs'
// parts shared); `size` is their total; `text()`, `arrayBuffer()` join them; `slice` cuts a
// new part list; `stream()` is a web ReadableStream giving one chunk per part. A type is kept
// lowercased when it is printable ASCII, else it is ''.

/* global ReadableStream, TextDecoder, TextEncoder, inspect, invalidArgType, kCustomInspect */

const kBlobParts = Symbol('kParts');
const kBlobType = Symbol('kType');

function blobType(type) {
  const t = type === undefined ? '' : String(type);
  return /^[\x20-\x7e]*$/.test(t) ? t.toLowerCase() : '';
}

function blobPart(part) {
  if (part instanceof Blob) return part[kBlobParts];
  if (part instanceof ArrayBuffer) return [new Uint8Array(part.slice(0))];
  if (ArrayBuffer.isView(part))
    return [new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength))];
  return [new TextEncoder().encode(String(part))];
}

class Blob {
  constructor(sources = [], options = {}) {
    if (
      sources === null ||
      typeof sources !== 'object' ||
      typeof sources[Symbol.iterator] !== 'function'
    )
      throw invalidArgType('sources', 'a sequence', sources);
    const parts = [];
    for (const source of sources) parts.push(...blobPart(source));
    this[kBlobParts] = parts;
    this[kBlobType] = blobType(options && options.type);
  }
  get size() {
    return this[kBlobParts].reduce((n, p) => n + p.length, 0);
  }
  get type() {
    return this[kBlobType];
  }
  slice(start = 0, end = this.size, type = '') {
    const size = this.size;
    const from = start < 0 ? Math.max(size + start, 0) : Math.min(start, size);
    const to = end < 0 ? Math.max(size + end, 0) : Math.min(end, size);
    const out = [];
    let offset = 0;
    for (const part of this[kBlobParts]) {
      const a = Math.max(from - offset, 0);
      const b = Math.min(to - offset, part.length);
      if (a < b) out.push(part.subarray(a, b));
      offset += part.length;
    }
    const blob = new Blob([], { type });
    blob[kBlobParts] = out;
    return blob;
  }
  arrayBuffer() {
    return Promise.resolve(blobBytes(this).buffer);
  }
  text() {
    return Promise.resolve(new TextDecoder().decode(blobBytes(this)));
  }
  stream() {
    const parts = [...this[kBlobParts]];
    return new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (parts.length === 0) controller.close();
        else controller.enqueue(new Uint8Array(parts.shift()));
      },
    });
  }
  [kCustomInspect](depth, opts) {
    return `Blob ${inspect({ size: this.size, type: this.type }, opts)}`;
  }
}
Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });

function blobBytes(blob) {
  const all = new Uint8Array(blob.size);
  let offset = 0;
  for (const part of blob[kBlobParts]) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
