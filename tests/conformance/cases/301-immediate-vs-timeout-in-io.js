// Inside an I/O callback, setImmediate always runs before setTimeout(0).
const fs = require('fs');
fs.stat(__filename, () => {
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
  console.log('stat callback');
});
