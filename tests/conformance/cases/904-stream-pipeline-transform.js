const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require('stream');
const log = (...a) => console.log(...a);
const upper = new Transform({
  transform(chunk, enc, cb) { cb(null, String(chunk).toUpperCase()); },
  flush(cb) { log('flush'); cb(null, '!'); },
});
const src = Readable.from(['a', 'b', 'c']);
const sink = new Writable({ write(c, e, cb) { log('sink', String(c)); cb(); } });
src.on('end', () => log('src end'));
upper.on('end', () => log('upper end'));
upper.on('finish', () => log('upper finish'));
sink.on('finish', () => log('sink finish'));
sink.on('close', () => log('sink close'));
pipeline(src, upper, sink, (err) => log('pipeline done', err));
log('sync');
