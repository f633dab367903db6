// A string longer than V8's longest (2^29 - 24 UTF-16 units) is a RangeError, not gigabytes.
let s = 'x';
for (let i = 0; i < 28; i++) s += s;
console.log(s.length);
try {
  const t = s + s;
  console.log('made', t.length);
} catch (e) {
  console.log(e instanceof RangeError, e.message);
}
try {
  for (;;) s += s;
} catch (e) {
  console.log(e.name, s.length);
}
