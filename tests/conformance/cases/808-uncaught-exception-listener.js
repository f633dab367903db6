// An 'uncaughtException' listener keeps the process alive after a throw in a callback.
process.on('uncaughtException', (err, origin) => console.log('caught by listener:', err.message, origin));
setTimeout(() => { console.log('timer throws'); throw new Error('oops'); }, 1);
setTimeout(() => console.log('later timer still runs'), 20);
