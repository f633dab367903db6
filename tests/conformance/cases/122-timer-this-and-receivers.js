// `this` in timer and immediate callbacks is the Timeout / Immediate; the functions work when
// called with another receiver (setTimeout.call, timers.setTimeout.apply, detached).
const timers = require('timers');
setTimeout(function () {
  console.log('timeout this is a Timeout:', this.constructor.name, typeof this.ref, this.hasRef());
}, 100);
const iv = setInterval(function () {
  console.log('interval this is its Timeout:', this === iv);
  clearInterval(this);
}, 100);
setImmediate(function () {
  console.log('immediate this:', this.constructor.name, typeof this.hasRef);
});
setTimeout.call({ not: 'global' }, (v) => console.log('setTimeout.call works', v), 102, 'v1');
timers.setTimeout.apply(null, [(v) => console.log('timers.setTimeout.apply works', v), 103, 'v2']);
const { setTimeout: detached, setImmediate: detachedImmediate } = timers;
detached(() => console.log('detached setTimeout works'), 104);
detachedImmediate.call(42, (v) => console.log('setImmediate.call works', v), 'v3');
setTimeout.call(undefined, function () {
  console.log('arrow-free callback this still a Timeout:', this.constructor.name);
}, 105);
console.log('timers module functions are the globals', timers.setTimeout === setTimeout, timers.clearTimeout === clearTimeout);
for (const bad of [undefined, 'str', 5]) {
  try {
    setTimeout(bad, 1);
  } catch (e) {
    console.log(e.code, e.message);
  }
}
