// ref/unref/hasRef in every order, on live, fired and cleared timers, from inside their own
// callbacks (`this`), and called on something that is not a timer (Node ignores it).
let unrefCallbacks = 0;
const t1 = setTimeout(() => {}, 10).unref().ref().unref();
console.log('chained', t1.hasRef());
const i1 = setInterval(() => {}, 10).unref().ref().unref();
console.log('interval chained', i1.hasRef());

setTimeout(function () {
  unrefCallbacks++;
  this.unref();
  console.log('unref from inside, hasRef', this.hasRef());
}, 20);

setInterval(function () {
  console.log('interval unrefs itself');
  this.unref();
}, 20);

{
  const t = setInterval(() => {}, 1);
  process.nextTick(t.unref.bind({}));
  process.nextTick(t.unref.bind(t));
  process.nextTick(() => console.log('interval unref via bind, hasRef', t.hasRef()));
}

const cleared = setTimeout(() => {}, 5);
clearTimeout(cleared);
cleared.unref();
cleared.ref();
console.log('cleared then ref, hasRef', cleared.hasRef());

const fired = setTimeout(() => {
  setTimeout(() => {
    fired.unref();
    fired.ref();
    console.log('fired then ref, hasRef', fired.hasRef());
  }, 1);
}, 1);

const proto = Object.getPrototypeOf(setTimeout(() => {}, 0));
for (const [label, receiver] of [['{}', {}], ['{ _id: 0 }', { _id: 0 }], ['null', null], ['undefined', undefined]]) {
  try {
    proto.ref.call(receiver);
    proto.unref.call(receiver);
    console.log('ref/unref on', label, 'ok');
  } catch (e) {
    console.log('ref/unref on', label, 'threw', e.constructor.name);
  }
}
const imm = setImmediate(() => console.log('immediate ran'));
imm.unref();
imm.ref();
Object.getPrototypeOf(imm).unref.call({});
process.on('exit', () => console.log('exit, unref callbacks:', unrefCallbacks));
