// Each step of an awaited fs.promises chain is a pool trip: immediates run in between.
const fsp = require('fs').promises;
let immediates = 0;
function spin() { immediates++; if (immediates < 50) setImmediate(spin); }
setImmediate(spin);
(async () => {
  await fsp.stat(__filename);
  const afterStat = immediates;
  await fsp.readFile(__filename);
  console.log('immediates ran during the awaits:', afterStat > 0 && immediates > afterStat ? 'yes' : 'no');
})();
