// An interval runs until cleared; clearing from its own callback stops it.
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n);
  if (n === 4) { clearInterval(iv); console.log('cleared'); }
}, 20);
setTimeout(() => console.log('after', n), 200);
