// writeFile then readFile in the temp dir, stat sizes, errors for missing files.
const fs = require('fs');
const path = require('path');
const file = path.join(require('os').tmpdir(), 'looplab-conformance-404.txt');
fs.writeFile(file, 'hello looplab', (err) => {
  console.log('written', err);
  fs.readFile(file, 'utf8', (err2, text) => {
    console.log('read back:', text);
    fs.stat(file, (err3, st) => {
      console.log('size', st.size, 'isFile', st.isFile());
      fs.readFile('/definitely/missing.txt', (e) => console.log('missing:', e.code, e.syscall));
    });
  });
});
