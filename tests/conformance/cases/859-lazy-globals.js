// The globals, modules and process properties whose code Looplab compiles only when a program
// first uses them (crates/engine/src/prelude.rs, LAZY) look as they do in Node once used: data
// properties with Node's attributes, the same objects whichever way they are reached.
const d = (o, k) => {
  const x = Object.getOwnPropertyDescriptor(o, k);
  return [typeof x.value, x.writable, x.enumerable, x.configurable].join(' ');
};
console.log('fetch', d(globalThis, 'fetch'), fetch.name, fetch.length, Object.keys(globalThis).includes('fetch'));
for (const k of ['URL', 'URLSearchParams', 'Blob', 'Headers', 'Request', 'Response', 'ReadableStream']) {
  const v = globalThis[k];
  console.log(k, typeof v, v.name, d(globalThis, k));
}
console.log(require('url').URL === URL, require('buffer').Blob === Blob, require('stream/web').ReadableStream === ReadableStream);
console.log(typeof require('http').createServer, typeof require('net').connect, typeof require('assert').deepStrictEqual);
console.log(require('util').isDeepStrictEqual({ a: [1] }, { a: [1] }), require('util').isDeepStrictEqual.name);
const out = Object.getOwnPropertyDescriptor(process, 'stdout');
console.log('stdout', typeof out.get, out.enumerable, out.configurable, process.stdout === process.stdout, process.stdout.fd, process.stderr.fd);
process.stdout.write('written\n');
const fs = require('fs');
const rs = Object.getOwnPropertyDescriptor(fs, 'ReadStream');
console.log(typeof rs.get, typeof rs.set, rs.enumerable, fs.createReadStream.name, fs.createReadStream.length);
console.log(typeof fs.createReadStream, typeof fs.ReadStream, fs.ReadStream.name, Object.keys(fs).includes('createWriteStream'));
const missing = fs.createReadStream('/nope').on('error', (e) => console.log('error', e.code));
console.log(missing instanceof fs.ReadStream, typeof Object.getOwnPropertyDescriptor(fs, 'ReadStream').get);
globalThis.URL = 42;
console.log(URL, d(globalThis, 'URL'));
