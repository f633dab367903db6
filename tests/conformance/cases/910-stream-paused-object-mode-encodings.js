const { Readable, Writable } = require('stream');
const log = (...a) => console.log(...a);
// paused mode with readable + hwm backpressure on push
let i = 0;
const r = new Readable({
  highWaterMark: 5,
  read() {
    i++;
    const more = this.push(String(i).repeat(2));
    log('pushed', i, more, this.readableLength);
    if (i === 6) this.push(null);
  },
});
setTimeout(() => {
  log('reading');
  r.on('data', (c) => log('data', String(c)));
  r.on('end', () => log('end'));
}, 5);
// object mode
const o = new Readable({ objectMode: true, read() {} });
o.push({ a: 1 });
o.push([1, 2]);
o.push('s');
o.push(null);
o.on('data', (x) => log('obj', x));
o.on('end', () => log('obj end', o.readableEnded, o.destroyed));
o.on('close', () => log('obj close', o.destroyed));
// pause/resume
const p = new Readable({ read() {} });
p.on('data', (c) => { log('p data', String(c)); p.pause(); setTimeout(() => p.resume(), 1); });
p.push('1'); p.push('2'); p.push('3'); p.push(null);
p.on('end', () => log('p end'));
// write strings with encoding
const w = new Writable({ decodeStrings: false, write(c, e, cb) { log('w', typeof c, e, c); cb(); } });
w.write('héllo', 'utf8');
w.write(Buffer.from('buf'));
const w2 = new Writable({ write(c, e, cb) { log('w2', c, e); cb(); } });
w2.write('68656c6c6f', 'hex');
w2.write(new Uint8Array([65, 66]));
try { w2.write(42); } catch (e) { log(e.code, e.message); }
try { w2.write(null); } catch (e) { log(e.code, e.message); }
