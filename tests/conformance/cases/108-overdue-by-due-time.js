// After a block, overdue timers run by due time, not creation order.
setTimeout(() => console.log('created first, 60ms'), 60);
const a = Date.now(); while (Date.now() - a < 20) {}
setTimeout(() => console.log('created second, 10ms (due ~30)'), 10);
setTimeout(() => console.log('created third, 1ms (due ~21)'), 1);
const b = Date.now(); while (Date.now() - b < 100) {}
console.log('blocked');
