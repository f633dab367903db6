// crypto (lib/crypto.js), dns.lookup (lib/dns.js) and zlib (lib/zlib.js): pool jobs whose cost
// grows with the work asked for.
//
// HOW: pbkdf2, scrypt and randomBytes are CPU jobs on a pool worker, their cost proportional to
// iterations or bytes; their bytes are deterministic pseudo-bytes (the time is modelled, the
// digest is not). dns.lookup is getaddrinfo: a slow-I/O job (libuv lets at most half the pool
// run those). zlib's (de)compression is real DEFLATE (the host's codec) on a pool worker.

/* global Buffer, costs, frameName, hostCall, onMainThread, pseudoBytes, toBytes, toPool,
   validateFunction */

function digestCost(digest) {
  const d = String(digest).toLowerCase().replace('-', '');
  if (d === 'sha512' || d === 'sha384') return costs.pbkdf2Sha512PerIter;
  if (d === 'sha1' || d === 'md5') return costs.pbkdf2Sha1PerIter;
  return costs.pbkdf2Sha256PerIter;
}
function scryptCost(options) {
  const N = (options && (options.N || options.cost)) || 16384;
  const r = (options && (options.r || options.blockSize)) || 8;
  const p = (options && (options.p || options.parallelization)) || 1;
  return N * r * p * costs.scryptPerNr;
}
const crypto = {
  pbkdf2(password, salt, iterations, keylen, digest, cb) {
    validateFunction(cb, 'callback');
    hostCall('crypto.pbkdf2', () =>
      toPool('crypto.pbkdf2', iterations * digestCost(digest), 'cpu', frameName(cb), () => {
        cb(null, pseudoBytes(keylen, `pbkdf2:${password}:${salt}:${iterations}:${digest}`));
      }),
    );
  },
  pbkdf2Sync(password, salt, iterations, keylen, digest) {
    return onMainThread('crypto.pbkdf2Sync', iterations * digestCost(digest), () =>
      pseudoBytes(keylen, `pbkdf2:${password}:${salt}:${iterations}:${digest}`),
    );
  },
  scrypt(password, salt, keylen, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = undefined;
    }
    validateFunction(cb, 'callback');
    hostCall('crypto.scrypt', () =>
      toPool('crypto.scrypt', scryptCost(options), 'cpu', frameName(cb), () => {
        cb(null, pseudoBytes(keylen, `scrypt:${password}:${salt}`));
      }),
    );
  },
  scryptSync(password, salt, keylen, options) {
    return onMainThread('crypto.scryptSync', scryptCost(options), () =>
      pseudoBytes(keylen, `scrypt:${password}:${salt}`),
    );
  },
  randomBytes(size, cb) {
    if (cb === undefined)
      return onMainThread(
        'crypto.randomBytes',
        costs.randomBytesBase + size * costs.randomBytesPerByte,
        () => pseudoBytes(size),
      );
    validateFunction(cb, 'callback');
    hostCall('crypto.randomBytes', () =>
      toPool(
        'crypto.randomBytes',
        costs.randomBytesBase + size * costs.randomBytesPerByte,
        'cpu',
        frameName(cb),
        () => cb(null, pseudoBytes(size)),
      ),
    );
  },
  randomInt(min, max) {
    if (max === undefined) {
      max = min;
      min = 0;
    }
    return min + Math.floor(host.random() * (max - min));
  },
  randomUUID() {
    const b = pseudoBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
};

const dns = {
  lookup(hostname, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = {};
    }
    validateFunction(cb, 'callback');
    const fam = typeof options === 'number' ? options : (options && options.family) || 0;
    hostCall('dns.lookup', () =>
      toPool('dns.lookup (getaddrinfo)', costs.dnsLookup, 'slow', frameName(cb), () => {
        const name = String(hostname);
        if (name === 'localhost' || name === '127.0.0.1' || name === '')
          return fam === 6 ? cb(null, '::1', 6) : cb(null, '127.0.0.1', 4);
        if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return cb(null, name, 4);
        if (name.endsWith('.test') || name.endsWith('.invalid')) {
          const e = new Error(`getaddrinfo ENOTFOUND ${name}`);
          e.errno = -3008;
          e.code = 'ENOTFOUND';
          e.syscall = 'getaddrinfo';
          e.hostname = name;
          return cb(e);
        }
        // Any other name resolves to a documentation address (RFC 5737): no real DNS is asked.
        let h = 0;
        for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) & 255;
        cb(null, `192.0.2.${h}`, 4);
      }),
    );
  },
};
dns.promises = {
  lookup: (h, o) =>
    new Promise((res, rej) =>
      dns.lookup(h, o || {}, (e, address, family) => (e ? rej(e) : res({ address, family }))),
    ),
};

function zlibJob(name) {
  return function (input, options, cb) {
    if (typeof options === 'function') cb = options;
    validateFunction(cb, 'callback');
    const bytes = toBytes(input);
    hostCall('zlib.' + name, () =>
      toPool(
        'zlib.' + name,
        costs.zlibBase + bytes.length * costs.zlibPerByte,
        'cpu',
        frameName(cb),
        () => {
          let out;
          try {
            out = Buffer.from(host.zlib(name, Array.from(bytes)));
          } catch (e) {
            return cb(zlibError(e));
          }
          cb(null, out);
        },
      ),
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
