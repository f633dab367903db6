// An unref'd timer does not keep the process alive; a ref'd one does; hasRef reports it.
const t = setTimeout(() => console.log('unref never'), 1000);
t.unref();
console.log('hasRef', t.hasRef());
const u = setTimeout(() => console.log('ref again runs'), 50);
u.unref(); u.ref();
console.log('hasRef', u.hasRef());
