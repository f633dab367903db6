// A busy microtask delays the rest of the checkpoint and every timer.
const start = Date.now();
setTimeout(() => console.log('timeout 1 after >= 40:', Date.now() - start >= 40 ? 'yes' : 'no'), 1);
Promise.resolve().then(() => { const t = Date.now(); while (Date.now() - t < 40) {} console.log('micro blocked'); });
process.nextTick(() => console.log('tick first'));
Promise.resolve().then(() => console.log('second micro'));
