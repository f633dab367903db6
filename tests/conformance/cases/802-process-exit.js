// process.exit stops everything at once; 'exit' listeners still run.
process.on('exit', (code) => console.log('exit event', code));
setTimeout(() => console.log('never'), 10);
setImmediate(() => { console.log('immediate then exit'); process.exit(3); console.log('not printed'); });
console.log('main');
