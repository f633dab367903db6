// fs.promises: await readFile, stat; a rejection for a missing file is caught.
const fsp = require('fs').promises;
(async () => {
  const text = await fsp.readFile(__filename, 'utf8');
  console.log('first line:', text.split('\n')[0]);
  const st = await fsp.stat(__filename);
  console.log('stat size matches:', st.size === Buffer.byteLength(text));
  try { await fsp.readFile(__filename + '.nope'); } catch (e) { console.log('caught', e.code); }
})();
setImmediate(() => console.log('immediate while reading'));
