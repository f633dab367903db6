// process.exitCode sets the status without stopping the loop.
process.exitCode = 4;
setTimeout(() => console.log('timer runs, exitCode', process.exitCode), 5);
