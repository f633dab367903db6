// Immediates queued during the check phase wait for the next iteration; timers due run first.
setImmediate(() => {
  console.log('immediate 1');
  setImmediate(() => console.log('immediate 3 (queued by 1)'));
  const t = Date.now(); while (Date.now() - t < 10) {}
  setTimeout(() => console.log('timeout 0 from immediate 1'), 0);
});
setImmediate(() => console.log('immediate 2'));
