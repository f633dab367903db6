// await of a value, of a promise, of a thenable, and an async return of a promise.
const log = (s) => console.log(s);
(async () => { await 1; log('await value'); })();
(async () => { await Promise.resolve(); log('await promise'); })();
(async () => { await { then(r) { r(); } }; log('await thenable'); })();
(async () => Promise.resolve('x'))().then(() => log('async returning promise'));
(async () => 'x')().then(() => log('async returning value'));
Promise.resolve().then(() => log('h1')).then(() => log('h2')).then(() => log('h3')).then(() => log('h4'));
