// Synchronous fs calls run on the main thread, in order, before any callback.
const fs = require('fs');
setTimeout(() => console.log('timeout'), 0);
fs.readFile(__filename, () => console.log('async readFile'));
const data = fs.readFileSync(__filename, 'utf8');
console.log('sync read', data.length > 0);
console.log('exists', fs.existsSync(__filename), fs.existsSync('/nope/nope'));
try { fs.readFileSync('/nope/nope'); } catch (e) { console.log('sync error', e.code); }
