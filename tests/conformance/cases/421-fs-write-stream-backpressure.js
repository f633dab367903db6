// fs.createWriteStream: write() returns false past the 16 KiB highWaterMark, 'drain' when the
// pool has written the buffered chunks, 'finish' then 'close' after end(); the file holds every
// byte; pipe from a ReadStream; pipeline.
const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream');
const out = path.join(__dirname, 'write-stream-output.txt');
const copy = path.join(__dirname, 'write-stream-copy.txt');

const ws = fs.createWriteStream(out);
ws.on('open', () => console.log('open'));
ws.on('ready', () => console.log('ready'));
let i = 0;
function writeSome() {
  let ok = true;
  while (i < 10 && ok) {
    ok = ws.write('y'.repeat(5000));
    i++;
    console.log('write', i, ok, ws.writableLength);
  }
  if (i < 10) ws.once('drain', () => {
    console.log('drain');
    writeSome();
  });
  else ws.end('!', () => console.log('end callback'));
}
writeSome();
ws.on('finish', () => console.log('finish', ws.bytesWritten));
ws.on('close', () => {
  console.log('close', fs.readFileSync(out, 'utf8').length);
  const rs = fs.createReadStream(out, { highWaterMark: 20000 });
  const ws2 = fs.createWriteStream(copy);
  rs.pipe(ws2).on('finish', () => {
    console.log('piped', fs.statSync(copy).size);
    pipeline(fs.createReadStream(copy), fs.createWriteStream(out, { flags: 'a' }), (err) => {
      console.log('pipeline', err, fs.statSync(out).size);
      fs.unlinkSync(out);
      fs.unlinkSync(copy);
    });
  });
});
