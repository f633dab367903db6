// err.stack as V8 and Node write it: "Name: message", then one frame per call, innermost
// first, named the way V8 names them (Object.<anonymous> for the main module, Timeout._onTimeout
// for a timer's callback, ...), followed by Node's own frames. Paths are cut to the file name.
// (Methods are left out: V8 names their frames after the receiver's class, `Object.method`,
// which boa's frames do not record.)
const show = (label, err) => {
  const lines = err.stack.split('\n').map((l) => l.split(__dirname + '/').join(''));
  console.log(`[${label}]\n${lines.join('\n')}`);
};
function inner() {
  return new Error('made in inner');
}
function outer() {
  return inner();
}
show('main', outer());
setTimeout(() => show('timer', new Error('in a timer')), 50);
setTimeout(function named() {
  show('named timer', new RangeError('in a named timer'));
}, 51);
setImmediate(() => show('immediate', new Error('in an immediate')));
process.nextTick(function tick() {
  show('tick', new Error('in a tick'));
});
try {
  null.property;
} catch (e) {
  // (Only the frames: boa words this message its own way.)
  e.message = 'reading a property of null';
  show('runtime error', e);
}
try {
  undefinedFunction();
} catch (e) {
  show('reference error', e);
}
const e = new Error('message changed');
e.message = 'after creation';
show('changed before first read', e);
const custom = new Error('custom name');
custom.name = 'CustomError';
show('custom name', custom);
try {
  setTimeout('not a function');
} catch (err) {
  console.log(err.stack.split('\n')[0]);
}
console.log(String(new Error('toString')));
console.log('stack' in new Error('x'), typeof new Error('x').stack);
