// A string longer than V8's longest (2^29 - 24 UTF-16 units) is a RangeError, not gigabytes.
const s = 'x'.repeat(2 ** 28);
console.log(s.length);
try {
  const t = s + s;
  console.log('made', t.length);
} catch (e) {
  console.log(e instanceof RangeError, e.message);
}
let n = 'ab';
try {
  for (;;) n += n;
} catch (e) {
  console.log(e.name, n.length);
}
