// CPU on the main thread (sync hashing) delays a due timer.
const crypto = require('crypto');
const start = Date.now();
setTimeout(() => console.log('timer 5 ran after >= 50ms:', Date.now() - start >= 50 ? 'yes' : 'no'), 5);
crypto.pbkdf2Sync('pw', 'salt', 100000, 32, 'sha512');
const big = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i })));
console.log('parsed', JSON.parse(big).length);
