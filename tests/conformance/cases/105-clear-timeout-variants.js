// clearTimeout: before firing, twice, on a fired timer, on null, from another timer.
const a = setTimeout(() => console.log('a never'), 10);
clearTimeout(a); clearTimeout(a); clearTimeout(null); clearTimeout(undefined); clearTimeout(12345);
const c = setTimeout(() => console.log('c never'), 100);
setTimeout(() => { console.log('b clears c'); clearTimeout(c); }, 30);
const d = setTimeout(() => { console.log('d runs'); clearTimeout(d); }, 50);
