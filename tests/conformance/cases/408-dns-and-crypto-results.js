// dns.lookup and crypto results have the right shapes.
const dns = require('dns');
const crypto = require('crypto');
dns.lookup('localhost', { family: 4 }, (err, address, family) => console.log('lookup', address, family));
crypto.pbkdf2('pw', 'salt', 1000, 32, 'sha256', (err, key) => console.log('key', key.length, Buffer.isBuffer(key)));
crypto.scrypt('pw', 'salt', 16, (err, key) => console.log('scrypt', key.length));
console.log('sync bytes', crypto.randomBytes(4).length, crypto.pbkdf2Sync('a', 'b', 1, 10, 'sha1').length);
