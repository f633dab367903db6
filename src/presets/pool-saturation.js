// Six hashes, four workers: two jobs wait in the pool's queue.
// Try the pool size control (or UV_THREADPOOL_SIZE) and watch them all run at once.
const crypto = require('crypto');

let done = 0;
for (let i = 1; i <= 6; i++) {
  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', () => {
    done += 1;
    console.log(`${done} of 6 hashes done`);
  });
}
console.log('six hashes submitted');
setImmediate(() => console.log('the loop is free while the workers hash'));
