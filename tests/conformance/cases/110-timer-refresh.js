// timeout.refresh() restarts the delay from now; refreshing a fired timer runs it again.
const start = Date.now();
const t = setTimeout(() => console.log('refreshed timer ran after >= 80ms:', Date.now() - start >= 80 ? 'yes' : 'no'), 50);
setTimeout(() => { console.log('refresh at ~30ms'); t.refresh(); }, 30);
let runs = 0;
const again = setTimeout(() => { runs++; console.log('again run', runs); if (runs === 1) again.refresh(); }, 150);
