// process 'beforeExit': emitted when the loop has no more work, with process.exitCode; a
// listener that schedules work keeps the process alive, and 'beforeExit' comes again when that
// work is done. 'exit' comes last.
let rounds = 0;
process.on('beforeExit', (code) => {
  rounds++;
  console.log('beforeExit', rounds, 'code', code);
  if (rounds === 1) setTimeout(() => console.log('timer from beforeExit'), 5);
  if (rounds === 2) setImmediate(() => console.log('immediate from beforeExit'));
  if (rounds === 3) {
    process.exitCode = 3;
    Promise.resolve().then(() => console.log('microtask after beforeExit 3'));
    process.nextTick(() => console.log('tick after beforeExit 3'));
  }
  if (rounds === 4) console.log('not reached');
});
process.on('exit', (code) => console.log('exit', code, 'after', rounds, 'rounds'));
setTimeout(() => console.log('main timer'), 1);
console.log('main done');
