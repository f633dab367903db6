const { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished } = require('stream');
const { pipeline: pp, finished: fp } = require('stream/promises');
const log = (...a) => console.log(...a);
// cork/uncork and writev
const w = new Writable({
  writev(chunks, cb) { log('writev', chunks.map((c) => String(c.chunk)).join('|')); cb(); },
  write(c, e, cb) { log('write', String(c)); cb(); },
});
w.write('a');
w.cork();
w.write('b');
w.write('c');
process.nextTick(() => { w.uncork(); log('uncorked'); });
w.on('finish', () => log('w finish'));
setImmediate(() => w.end('d'));
// Duplex
const d = new Duplex({
  read() {},
  write(c, e, cb) { log('duplex got', String(c)); this.push(String(c).toUpperCase()); cb(); },
  final(cb) { log('final'); this.push(null); cb(); },
});
d.on('data', (c) => log('duplex data', String(c)));
d.on('end', () => log('duplex end'));
d.on('finish', () => log('duplex finish'));
d.on('close', () => log('duplex close'));
d.write('hi');
d.end();
// finished with error
const r = new Readable({ read() {} });
finished(r, (err) => log('finished r', err && err.message));
r.destroy(new Error('kaput'));
r.on('error', () => log('r error'));
// premature close
const r2 = new Readable({ read() {} });
finished(r2, (err) => log('finished r2', err && err.code));
r2.destroy();
// pipeline with async generator
async function main() {
  const out = [];
  await pp(
    Readable.from(['x', 'y', 'z']),
    async function* (src) { for await (const c of src) yield c + c; },
    new Writable({ objectMode: true, write(c, e, cb) { out.push(c); cb(); } }),
  );
  log('pp done', out);
  await pp(Readable.from([1, 2]), async function (src) { let s = 0; for await (const n of src) s += n; log('sum', s); });
  try {
    await pp(Readable.from(['a']), new Transform({ transform(c, e, cb) { cb(new Error('tx fail')); } }), new PassThrough());
  } catch (e) { log('pp error', e.message); }
}
main();
