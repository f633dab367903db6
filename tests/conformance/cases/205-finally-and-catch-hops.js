// finally passes values through; catch costs a hop on the fulfilled path.
Promise.resolve(1).finally(() => console.log('finally')).then((v) => console.log('after finally', v));
Promise.reject(new Error('no')).catch((e) => console.log('caught', e.message)).then(() => console.log('after catch'));
Promise.resolve().then(() => console.log('a1')).then(() => console.log('a2')).then(() => console.log('a3')).then(() => console.log('a4'));
Promise.reject(new Error('passes')).then(() => console.log('never')).catch((e) => console.log('caught late', e.message));
