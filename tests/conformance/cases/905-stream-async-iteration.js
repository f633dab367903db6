const { Readable } = require('stream');
const log = (...a) => console.log(...a);
async function main() {
  const r = Readable.from([1, 2, 3]);
  for await (const x of r) log('got', x);
  log('after loop', r.destroyed);
  const r2 = new Readable({ read() {} });
  r2.push('hello ');
  r2.push('world');
  r2.push(null);
  r2.setEncoding('utf8');
  let s = '';
  for await (const c of r2) s += c;
  log(s);
  const r3 = new Readable({ objectMode: true, read() { this.push({ n: 1 }); this.push(null); } });
  log(await r3.toArray());
}
main().then(() => log('done'));
setImmediate(() => log('imm'));
