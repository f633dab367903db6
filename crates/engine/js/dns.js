// dns (lib/dns.js): dns.lookup is getaddrinfo on the thread pool, a slow-I/O job (libuv lets at
// most half the pool run those at once). No real resolver is asked: localhost and literal
// addresses answer as themselves, the simulated remote services (internal/remote.js) with their
// documentation addresses (RFC 5737), and any other name fails with ENOTFOUND.

/* global costs, hostCall, remoteServiceByName, toPool, validateFunction */

const dns = {
  lookup(hostname, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = {};
    }
    validateFunction(cb, 'callback');
    const fam = typeof options === 'number' ? options : (options && options.family) || 0;
    hostCall('dns.lookup', () =>
      toPool('dns.lookup (getaddrinfo)', costs.dnsLookup, 'slow', cb, () => {
        const name = String(hostname);
        if (name === 'localhost' || name === '127.0.0.1' || name === '')
          return fam === 6 ? cb(null, '::1', 6) : cb(null, '127.0.0.1', 4);
        if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return cb(null, name, 4);
        loadLazy();
        const service = remoteServiceByName(name);
        if (service) return cb(null, service.address, 4);
        const e = new Error(`getaddrinfo ENOTFOUND ${name}`);
        e.errno = -3008;
        e.code = 'ENOTFOUND';
        e.syscall = 'getaddrinfo';
        e.hostname = name;
        return cb(e);
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
