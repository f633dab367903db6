// all, allSettled, race, any: results and order.
const wait = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
Promise.all([wait(30, 'a'), wait(10, 'b'), 3]).then((v) => console.log('all', v.join(',')));
Promise.allSettled([wait(20, 'ok'), wait(40, 'bad', true)]).then((r) => console.log('allSettled', r.map((x) => x.status + ':' + (x.value || x.reason.message)).join(' ')));
Promise.race([wait(50, 'slow'), wait(15, 'fast')]).then((v) => console.log('race', v));
Promise.any([wait(5, 'e1', true), wait(25, 'first ok')]).then((v) => console.log('any', v));
Promise.any([wait(5, 'x', true)]).catch((e) => console.log('any failed', e.constructor.name, e.errors.length));
Promise.all([wait(10, 'boom', true), wait(60, 'late')]).catch((e) => console.log('all rejected', e.message));
