// fs.createReadStream: 'open' and 'ready', then one fs.read of at most 64 KiB per chunk (each a
// trip through the pool), 'end', and 'close' after the file is closed; start/end and a small
// highWaterMark; a missing file; ticks and immediates between the chunks.
const fs = require('fs');
const path = require('path');
const file = path.join(__dirname, 'read-stream-input.txt');
fs.writeFileSync(file, 'x'.repeat(150 * 1024));

const rs = fs.createReadStream(file);
console.log('pending', rs.pending, 'hwm', rs.readableHighWaterMark, 'path', rs.path === file);
rs.on('open', (fd) => console.log('open', typeof fd));
rs.on('ready', () => console.log('ready'));
let n = 0;
rs.on('data', (chunk) => {
  n++;
  console.log('data', n, chunk.length, 'bytesRead', rs.bytesRead);
  process.nextTick(() => console.log('  tick after data', n));
  setImmediate(() => console.log('  immediate after data', n));
});
rs.on('end', () => console.log('end'));
rs.on('close', () => {
  console.log('close', rs.destroyed);
  part();
});

function part() {
  const chunks = [];
  fs.createReadStream(file, { start: 10, end: 29, highWaterMark: 8, encoding: 'utf8' })
    .on('data', (c) => chunks.push(c))
    .on('end', () => {
      console.log('range', chunks.map((c) => c.length));
      missing();
    });
}

function missing() {
  const rs = fs.createReadStream(path.join(__dirname, 'no-such-file.txt'));
  rs.on('error', (e) => console.log('error', e.code, e.syscall));
  rs.on('close', () => {
    console.log('missing closed');
    fs.unlinkSync(file);
  });
}
