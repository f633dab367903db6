// The executor runs synchronously; resolve with a promise adds two hops.
new Promise((resolve) => { console.log('executor'); resolve(Promise.resolve('inner')); }).then((v) => console.log('resolved with', v));
Promise.resolve().then(() => console.log('p1')).then(() => console.log('p2')).then(() => console.log('p3'));
console.log('after constructor');
