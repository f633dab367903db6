// 20,000 setTimeouts with delays 0-99 ms, and a counter.
let fired = 0;
for (let i = 0; i < 20000; i++) {
  setTimeout(() => {
    fired++;
  }, i % 100);
}
process.on('exit', () => console.log(`fired ${fired}`));
