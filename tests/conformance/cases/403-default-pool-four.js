// The default pool has four threads: the fifth heavy job waits for the first free one.
const crypto = require('crypto');
const start = Date.now();
let done = 0;
for (let i = 0; i < 5; i++) {
  crypto.pbkdf2('p', 's', i < 4 ? 100000 : 1000, 8, 'sha512', () => {
    done++;
    if (i === 4) console.log('small job done after a heavy one:', Date.now() - start > 50 ? 'yes' : 'no');
    if (done === 5) console.log('all five done');
  });
}
