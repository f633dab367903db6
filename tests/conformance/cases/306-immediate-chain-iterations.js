// Each immediate queued by an immediate runs one loop iteration later; a 5 ms timer cuts in.
let n = 0;
const start = Date.now();
function again() {
  n++;
  if (n <= 3) console.log('immediate', n);
  if (Date.now() - start < 20) setImmediate(again);
  else console.log('stopped after at least 20 ms, more than 3 iterations:', n > 3 ? 'yes' : 'no');
}
setImmediate(again);
setTimeout(() => console.log('timer 2 ran while immediates kept coming'), 2);
