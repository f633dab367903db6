// Buffer's UTF-8: multi-byte characters, emoji, lone surrogates (U+FFFD), invalid and truncated
// byte sequences (one U+FFFD per maximal invalid subpart), byteLength, slices and write.
const show = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', '\ud83d', 'x\ud83d\ude00y', 'naïve café']) {
  const b = Buffer.from(s);
  console.log(JSON.stringify(s), b.length, Buffer.byteLength(s), show(b), JSON.stringify(b.toString()));
}
const bad = [
  [0xff],
  [0xc3],
  [0xe2, 0x82],
  [0xe2, 0x82, 0x41],
  [0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xf4, 0x90, 0x80, 0x80],
  [0x61, 0x80, 0x62],
];
for (const bytes of bad) console.log(show(bytes), JSON.stringify(Buffer.from(bytes).toString('utf8')));
const b = Buffer.from('héllo wörld');
console.log(b.toString('utf8', 1, 3), JSON.stringify(b.toString('utf8', 2, 3)), b.toString('utf8', 7));
console.log(JSON.stringify(b.toString(undefined, 5, 100)), JSON.stringify(b.toString('utf8', 4, 2)));
const w = Buffer.alloc(6);
console.log(w.write('añb€'), show(w));
console.log(new TextDecoder().decode(Buffer.from('ok ✓')), String(Buffer.from([0xe2, 0x9c, 0x93])));
