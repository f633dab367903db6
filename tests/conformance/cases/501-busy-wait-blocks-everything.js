// A busy loop in a timer delays other timers, immediates and I/O callbacks.
const fs = require('fs');
const start = Date.now();
setTimeout(() => {
  console.log('block 60ms');
  const t = Date.now(); while (Date.now() - t < 60) {}
}, 5);
setTimeout(() => console.log('timer 20 late:', Date.now() - start >= 60 ? 'yes' : 'no'), 20);
fs.stat(__filename, () => console.log('stat (finished long before it ran)'));
