const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require('stream');
const log = (...a) => console.log(...a);
// writable backpressure and drain
const w = new Writable({
  highWaterMark: 3,
  write(chunk, enc, cb) { log('write', String(chunk)); setImmediate(cb); },
});
w.on('drain', () => log('drain'));
w.on('finish', () => log('finish'));
w.on('close', () => log('close'));
log('w1', w.write('ab'));
log('w2', w.write('cd', () => log('cb cd')));
log('w3', w.write('e'));
w.end('f', () => log('end cb'));
process.nextTick(() => log('tick'));
Promise.resolve().then(() => log('micro'));
