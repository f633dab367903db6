// An uncaught exception ends the process without 'beforeExit'; 'exit' still runs with code 1.
process.on('beforeExit', () => console.log('beforeExit: not expected'));
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => {
  console.log('about to throw');
  throw new Error('boom');
}, 1);
