// Buffer's encodings other than UTF-8: latin1, ascii, hex, base64, base64url, utf16le, by name
// in any case; the range rules of toString; write with an encoding; StringDecoder's names.
const { StringDecoder } = require('string_decoder');
const show = (s) => JSON.stringify(s);
const b = Buffer.from([0x41, 0xe9, 0xff, 0x80, 0x7f, 0x00]);
for (const enc of ['ascii', 'latin1', 'binary', 'hex', 'base64', 'base64url', 'utf16le', 'ucs2', 'LATIN1', 'Hex', 'UTF-8'])
  console.log(enc, show(b.toString(enc)), show(b.toString(enc, 1, 4)));

// toString's range: negative, past the end, reversed, fractional.
console.log(show(b.toString('hex', -5, 99)), show(b.toString('hex', 4, 2)), show(b.toString('hex', 6)));
console.log(show(b.toString('hex', 1.7, 3.2)), show(b.toString('latin1', NaN, 2)), show(b.toString(undefined, 0, 1)));

// From a string in each encoding.
for (const s of ['é€😀', 'AbCd', '11zz22', 'abc', '1g', 'YQ==YQ==', 'Y Q = =', '!!YW!Jj', '-_8', 'YW=Jj', ''])
  console.log(show(s), ['latin1', 'ascii', 'hex', 'base64', 'base64url', 'utf16le'].map((e) => Buffer.from(s, e).toString('hex')).join(' '));
console.log(Buffer.from('abc', null), Buffer.from('abc', ''), Buffer.from('', 'hex'), Buffer.alloc(0));

// Byte lengths without encoding.
for (const s of ['héllo😀', 'YQ==', 'YWJjZA=', 'abc', '\ud800'])
  console.log(show(s), ['utf8', 'latin1', 'hex', 'base64', 'utf16le', 'nonsense'].map((e) => Buffer.byteLength(s, e)).join(' '));

// Every byte survives latin1, hex, base64 and base64url both ways; ascii clears the high bit.
const all = Buffer.alloc(256);
for (let i = 0; i < 256; i++) all[i] = i;
for (const enc of ['latin1', 'hex', 'base64', 'base64url'])
  console.log(enc, Buffer.from(all.toString(enc), enc).equals(all), all.toString(enc).length);
console.log(all.toString('ascii').charCodeAt(200), all.toString('utf16le').length);

// write(string[, offset[, length]][, encoding]).
const w = Buffer.alloc(8);
console.log(w.write('ÿé€x', 'latin1'), w.toString('hex'));
console.log(w.write('a1b2c3', 1, 'hex'), w.toString('hex'));
console.log(w.write('zz', 'hex'), w.write('abcd', 6, 'utf16le'), w.toString('hex'));
console.log(w.write('€€', 5), w.toString('hex'), w.write('xyz', 2, 1, 'latin1'), w.toString('hex'));

// Characters above U+00FF: hex and base64 read each one's low byte, as latin1 does.
console.log(Buffer.from('\u0141\u0031', 'hex'), Buffer.from('\u0141WJj', 'base64'), Buffer.from('YW\u013dJj', 'base64'), Buffer.from('\u4e00YQ', 'base64'));

// write's argument rules, and byteLength of what is not a string.
const v = Buffer.alloc(4);
const attempts = [
  () => v.write(123),
  () => v.write('a', 1.5),
  () => v.write('a', -1),
  () => v.write('a', null),
  () => v.write('a', 5),
  () => v.write('a', 0, -1),
  () => v.write('a', 0, 9),
  () => v.write('ab', 'hex', 1),
  () => v.write('abcd', undefined, 'hex'),
  () => v.write('a', 0, 0, false),
  () => v.write('a', 4),
  () => v.write('a', NaN),
  () => v.write('zz', 2, 'latin1'),
  () => Buffer.byteLength([1, 2, 3]),
  () => Buffer.byteLength(5),
  () => Buffer.byteLength(null),
  () => Buffer.byteLength(new ArrayBuffer(3)),
  () => Buffer.byteLength(new DataView(new ArrayBuffer(2))),
];
for (const f of attempts) {
  try {
    console.log(f());
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}
console.log(v);

// An encoding that is not a string: toString and write read it as one, StringDecoder does not.
const named = { toString: () => 'hex' };
console.log(Buffer.from([1]).toString(named), Buffer.alloc(2).write('ff', 0, 2, named));
for (const e of [named, 5, null, undefined]) {
  try {
    console.log(new StringDecoder(e).encoding);
  } catch (err) {
    console.log(err.code, err.message);
  }
}

// Unknown encodings.
for (const f of [() => b.toString('nope'), () => Buffer.from('a', 'nope'), () => w.write('a', 'nope'), () => b.toString(null), () => new StringDecoder('nope')]) {
  try {
    f();
    console.log('no error');
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}

// StringDecoder keeps what is unfinished, in every encoding.
for (const enc of ['utf8', 'ascii', 'latin1', 'hex', 'base64', 'base64url', 'utf16le', 'UCS-2', 'binary', undefined]) {
  const d = new StringDecoder(enc);
  const bytes = Buffer.from('héllo wörld 😀!', 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) out += d.write(bytes.subarray(i, i + 3));
  out += d.end();
  console.log(d.encoding, show(out));
}
