const { Readable, Writable, Transform } = require('stream');
const util = require('util');
const log = (...a) => console.log(...a);
function Counter(opt) { Readable.call(this, opt); this._max = 3; this._index = 1; }
util.inherits(Counter, Readable);
Counter.prototype._read = function () {
  const i = this._index++;
  if (i > this._max) this.push(null);
  else this.push(Buffer.from(String(i), 'ascii'));
};
const c = new Counter();
c.setEncoding('utf8');
c.on('data', (d) => log('counter', d));
c.on('end', () => log('counter end'));
class Upper extends Transform {
  _transform(chunk, enc, cb) { this.push(chunk.toString().toUpperCase()); cb(); }
}
const u = new Upper();
u.on('data', (d) => log('upper', d.toString()));
u.write('abc');
u.end('def');
u.on('end', () => log('upper end'));
log(c instanceof Readable, u instanceof Writable, u instanceof Readable, require('stream').Stream === require('stream'));
const w = new Writable({ write(c, e, cb) { setTimeout(cb, 1); } });
log(w.writable, w.writableLength, w.writableHighWaterMark, w.writableNeedDrain);
for (let k = 0; k < 5; k++) log('write ret', w.write(Buffer.alloc(5000)), w.writableLength);
w.on('drain', () => log('drain', w.writableLength));
