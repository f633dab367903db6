// Node's default --unhandled-rejections=throw: with no 'unhandledRejection' listener, the
// rejection is raised as an uncaught exception: 'uncaughtException' listeners get it with origin
// 'unhandledRejection'; a non-Error reason is wrapped in an ERR_UNHANDLED_REJECTION error.
process.on('uncaughtException', (err, origin) => {
  console.log('uncaught:', origin, err instanceof Error, err.name, err.code);
  console.log('  message:', err.message);
});
Promise.reject(new RangeError('rejected with an Error'));
setTimeout(() => {
  Promise.reject(42);
  setTimeout(() => {
    Promise.reject({ reason: 'object' });
    setTimeout(() => {
      const p = Promise.reject(new Error('handled late'));
      setTimeout(() => p.catch(() => console.log('caught late')), 1);
    }, 1);
  }, 1);
}, 1);
process.on('exit', (code) => console.log('exit', code));
