// 'beforeExit' is not emitted when the process ends by process.exit(), nor when it is emitted
// with an unref'd timer pending (an unref'd timer does not keep the loop alive).
process.on('beforeExit', () => {
  console.log('beforeExit (loop empty: the unref timer does not count)');
  if (!global.done) {
    global.done = true;
    setTimeout(() => {
      console.log('exiting explicitly');
      process.exit(0);
    }, 2);
  }
});
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => console.log('never: unref and long'), 1000).unref();
