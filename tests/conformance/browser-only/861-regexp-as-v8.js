// Regular expressions where boa's own engine (regress, natively) answers differently from
// Node and the page, which runs the browser's (V8's, as Node does), answers as Node: the
// SyntaxError messages, non-Unicode case folding, and a split of a long text in time (boa's
// own takes seconds natively). (Two differences left are boa's, not its regular expressions':
// `source` escapes a slash twice, and a SyntaxError from `eval` adds the position to its
// message.) Run by tests/engine_wasm.rs in Chromium only; the .out
// is what `node 861-regexp-as-v8.js` printed.
for (const [bad, flags] of [['(', ''], ['(', 'gu'], ['[b-a]', ''], ['a{2,1}', 'u'], ['\\k<nope>', 'u'], ['(?<a>x)(?<a>y)', '']]) {
  try {
    new RegExp(bad, flags);
    console.log('accepted', bad, flags);
  } catch (e) {
    console.log(`${e.name}: ${e.message}`);
  }
}
console.log('fold', /ſ/i.test('s'), /ſ/iu.test('s'));
console.log('long split', 'ab'.repeat(50000).split(/a/).length);
console.log('long split, sticky splitter', ('ab '.repeat(30000)).split(/\d+/).length);
