// An interval blocked for several periods runs once, late, then keeps its period: no catch-up.
const start = Date.now();
let n = 0;
const iv = setInterval(() => {
  n++;
  const at = Date.now() - start;
  console.log('run', n, at >= 95 * (n === 3 ? 3 : 1) ? 'ok' : 'early?');
  if (n === 2) { const t = Date.now(); while (Date.now() - t < 250) {} }
  if (n === 4) clearInterval(iv);
}, 100);
