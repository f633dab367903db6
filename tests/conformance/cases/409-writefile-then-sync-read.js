// Data written asynchronously is visible to a later synchronous read.
const fs = require('fs');
const path = require('path').join(require('os').tmpdir(), 'looplab-conformance-409.txt');
fs.writeFile(path, 'line1\nline2\n', () => {
  const lines = fs.readFileSync(path, 'utf8').split('\n').filter(Boolean);
  console.log('lines', lines.length, lines.join('|'));
  fs.unlink(path, (err) => console.log('unlinked', err === null));
});
console.log('writing');
