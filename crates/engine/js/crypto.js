// crypto (lib/crypto.js): pool jobs whose cost grows with the work asked for.
//
// HOW: pbkdf2, scrypt and randomBytes are CPU jobs on a pool worker, their cost proportional to
// iterations or bytes; their bytes are deterministic pseudo-bytes (the time is modelled, the
// digest is not). The Sync forms run on the main thread and block the loop for that long.

/* global costs, hostCall, onMainThread, pseudoBytes, toPool, validateFunction */

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
      toPool('crypto.pbkdf2', iterations * digestCost(digest), 'cpu', cb, () => {
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
      toPool('crypto.scrypt', scryptCost(options), 'cpu', cb, () => {
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
        cb,
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
