// Promise.resolve(p) returns p itself; resolving with a thenable calls then() in a microtask.
const p = Promise.resolve(1);
console.log('same object:', Promise.resolve(p) === p);
const thenable = { then(res) { console.log('then() called'); res('T'); } };
Promise.resolve(thenable).then((v) => console.log('thenable value', v));
Promise.resolve().then(() => console.log('m1')).then(() => console.log('m2')).then(() => console.log('m3'));
console.log('sync end');
