// String.prototype.normalize in its four forms, with composed, decomposed and compatibility
// characters, and its RangeError for an unknown form. In the page the browser normalizes (boa
// carries no Unicode tables there: vendor/boa_engine/LOOPLAB.md, change 10); natively, boa.
const samples = ['café', 'cafe\u0301', 'ﬁ', '\u1E9B\u0323', 'Å', 'A\u030A', '①', 'ｶ', '한국어', '\u1100\u1161'];
for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD']) {
  const out = samples.map((s) => {
    const n = s.normalize(form);
    return `${n.length}:${[...n].map((c) => c.codePointAt(0).toString(16)).join('.')}`;
  });
  console.log(form, out.join(' '));
}
console.log('default is NFC:', 'cafe\u0301'.normalize() === 'café');
console.log('equal after NFC:', 'Å'.normalize() === 'A\u030A'.normalize());
try {
  'x'.normalize('NFX');
} catch (e) {
  console.log(e.name, e instanceof RangeError);
}
