// The classic "race a request against a timeout" pattern, both outcomes.
const sleep = (ms, v) => new Promise((r) => setTimeout(r, ms, v));
const timeout = (ms) => new Promise((_, rej) => setTimeout(() => rej(new Error('timed out')), ms));
(async () => {
  console.log(await Promise.race([sleep(10, 'fast reply'), timeout(100)]));
  try { await Promise.race([sleep(200, 'slow reply'), timeout(50)]); } catch (e) { console.log(e.message); }
})();
