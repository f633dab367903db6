// Three threads: a fourth heavy job waits for a free thread; cheap work queued behind it too.
process.env.UV_THREADPOOL_SIZE = '3';
const crypto = require('crypto');
const start = Date.now();
let heavy = 0;
for (let i = 0; i < 3; i++) {
  crypto.pbkdf2('p', 's', 100000, 8, 'sha512', () => { heavy++; });
}
crypto.pbkdf2('p', 's', 4000, 8, 'sha512', () => console.log('light job waited for a thread:', Date.now() - start > 40 ? 'yes' : 'no'));
process.on('exit', () => console.log('heavy jobs done:', heavy));
