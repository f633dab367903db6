// A rejection caught within the same checkpoint is not unhandled.
const p = Promise.reject(new Error('caught later'));
Promise.resolve().then(() => p.catch((e) => console.log('caught:', e.message)));
setTimeout(() => console.log('still alive'), 5);
