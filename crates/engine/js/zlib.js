// zlib (lib/zlib.js): (de)compression is real DEFLATE (the host's codec, miniz_oxide) on a pool
// worker, its cost growing with the input; the Sync forms run on the main thread.

/* global Buffer, costs, hostCall, onMainThread, toBytes, toPool, validateFunction */

function zlibJob(name) {
  return function (input, options, cb) {
    if (typeof options === 'function') cb = options;
    validateFunction(cb, 'callback');
    const bytes = toBytes(input);
    hostCall('zlib.' + name, () =>
      toPool('zlib.' + name, costs.zlibBase + bytes.length * costs.zlibPerByte, 'cpu', cb, () => {
        let out;
        try {
          out = Buffer.from(host.zlib(name, Array.from(bytes)));
        } catch (e) {
          return cb(zlibError(e));
        }
        cb(null, out);
      }),
    );
  };
}
function zlibSync(name) {
  return function (input) {
    const bytes = toBytes(input);
    return onMainThread(
      'zlib.' + name + 'Sync',
      costs.zlibBase + bytes.length * costs.zlibPerByte,
      () => {
        try {
          return Buffer.from(host.zlib(name, Array.from(bytes)));
        } catch (e) {
          throw zlibError(e);
        }
      },
    );
  };
}
function zlibError(e) {
  const err = new Error(String(e && e.message ? e.message : e));
  err.code = 'Z_DATA_ERROR';
  err.errno = -3;
  return err;
}
const zlib = {};
for (const name of ['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip']) {
  zlib[name] = zlibJob(name);
  zlib[name + 'Sync'] = zlibSync(name);
}
