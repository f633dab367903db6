// zlib work goes to the pool; round trips restore the input.
const zlib = require('zlib');
const input = Buffer.from('looplab '.repeat(50));
zlib.gzip(input, (err, gz) => {
  console.log('gzip magic', gz[0].toString(16), gz[1].toString(16));
  zlib.gunzip(gz, (err2, back) => console.log('gunzip equal', back.toString() === input.toString()));
});
zlib.deflate(input, (err, d) => {
  zlib.inflate(d, (err2, back) => console.log('inflate length', back.length));
});
console.log('sync', zlib.inflateSync(zlib.deflateSync(Buffer.from('abc'))).toString());
