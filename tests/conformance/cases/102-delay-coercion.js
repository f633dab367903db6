// Delays that are not in [1, 2^31-1] become 1 ms; a shared 1 ms list keeps creation order.
const t = Date.now(); while (Date.now() - t < 5) {}
setTimeout(() => console.log('zero'), 0);
setTimeout(() => console.log('negative'), -10);
setTimeout(() => console.log('NaN'), NaN);
setTimeout(() => console.log('string "1"'), '1');
setTimeout(() => console.log('huge'), 2 ** 31);
setTimeout(() => console.log('missing'));
const b = Date.now(); while (Date.now() - b < 5) {}
