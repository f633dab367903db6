// for await over an async generator interleaves with other promise chains.
async function* gen() { for (let i = 0; i < 3; i++) { await null; yield i; } }
(async () => { for await (const v of gen()) console.log('gen', v); console.log('gen done'); })();
Promise.resolve().then(() => console.log('p1')).then(() => console.log('p2')).then(() => console.log('p3')).then(() => console.log('p4')).then(() => console.log('p5'));
