// clearImmediate: of a queued immediate, of one in the running batch, twice.
let b;
const a = setImmediate(() => { console.log('A'); clearImmediate(b); clearImmediate(b); });
b = setImmediate(() => console.log('B never'));
const c = setImmediate(() => console.log('C never'));
clearImmediate(c);
setImmediate(() => console.log('D'));
clearImmediate(undefined);
console.log('A has ref', a.hasRef());
