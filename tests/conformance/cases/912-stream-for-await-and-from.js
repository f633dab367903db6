const { Readable } = require('stream');
const log = (...a) => console.log(...a);
async function main() {
  const r = new Readable({ read() {} });
  setTimeout(() => { r.push('a'); }, 1);
  setTimeout(() => { r.push('b'); r.push(null); }, 2);
  for await (const chunk of r) log('chunk', String(chunk));
  log('loop done');
  const r2 = Readable.from([1, 2, 3, 4]);
  for await (const x of r2) { log('x', x); if (x === 2) break; }
  log('broke', r2.destroyed);
  const r3 = new Readable({ read() { this.destroy(new Error('read fail')); } });
  try { for await (const x of r3) log(x); } catch (e) { log('caught', e.message); }
  // async generator source
  async function* gen() { yield 'g1'; await null; yield 'g2'; }
  const r4 = Readable.from(gen());
  r4.on('data', (d) => log('gen data', d));
  await new Promise((res) => r4.on('end', res));
  log('gen end');
}
main();
process.nextTick(() => log('tick'));
