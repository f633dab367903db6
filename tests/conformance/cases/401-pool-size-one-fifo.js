// A one-thread pool runs jobs in submission order whatever their cost.
process.env.UV_THREADPOOL_SIZE = '1';
const crypto = require('crypto');
const fs = require('fs');
crypto.pbkdf2('a', 'b', 40000, 16, 'sha512', () => console.log('pbkdf2 heavy'));
fs.stat(__filename, () => console.log('stat'));
crypto.randomBytes(8, (err, b) => console.log('randomBytes', b.length));
require('dns').lookup('localhost', (err, addr, fam) => console.log('lookup', addr, fam));
console.log('queued');
