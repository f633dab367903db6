// If the main script blocks long enough, setTimeout(0) runs before setImmediate.
setImmediate(() => console.log('immediate'));
setTimeout(() => console.log('timeout 0'), 0);
const t = Date.now(); while (Date.now() - t < 10) {}
