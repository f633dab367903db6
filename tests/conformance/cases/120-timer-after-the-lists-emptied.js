// A timer added and cleared inside a timer callback arms Node's timer handle; when the
// timers phase ends with no list left, the handle stays armed (only unref'd). A later
// setTimeout due no earlier than that does not re-arm it, and still fires.
setTimeout(() => {
  const t = setTimeout(() => console.log('never'), 2);
  clearTimeout(t);
  setImmediate(() => {
    setTimeout(() => console.log('fires after 5 ms'), 5);
    console.log('immediate scheduled it');
  });
}, 1);
process.on('exit', () => console.log('exit'));
