// Timers fire by delay, then creation order for equal delays.
setTimeout(() => console.log('200'), 200);
setTimeout(() => console.log('50 a'), 50);
setTimeout(() => console.log('100'), 100);
setTimeout(() => console.log('50 b'), 50);
console.log('sync');
