// The checkpoint runs after each timer and each immediate callback.
for (const n of [1, 2]) {
  setTimeout(() => {
    console.log('timeout', n);
    process.nextTick(() => console.log('  tick after timeout', n));
    Promise.resolve().then(() => console.log('  promise after timeout', n));
  }, 1);
  setImmediate(() => {
    console.log('immediate', n);
    Promise.resolve().then(() => console.log('  promise after immediate', n));
  });
}
const t = Date.now(); while (Date.now() - t < 5) {}
