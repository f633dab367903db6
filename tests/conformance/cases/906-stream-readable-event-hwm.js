const { Readable, Writable, PassThrough } = require('stream');
const log = (...a) => console.log(...a);
let n = 0;
const r = new Readable({
  highWaterMark: 4,
  read(size) {
    n++;
    log('read', size, n);
    if (n > 5) this.push(null);
    else this.push('x'.repeat(3));
  },
});
r.on('readable', () => {
  let c;
  log('readable');
  while ((c = r.read()) !== null) log('chunk', String(c));
});
r.on('end', () => log('end'));
r.on('close', () => log('close'));
