// monitorEventLoopDelay sees a 100 ms block; eventLoopUtilization counts busy time.
const { monitorEventLoopDelay, performance } = require('perf_hooks');
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
setTimeout(() => { const t = Date.now(); while (Date.now() - t < 100) {} }, 50);
setTimeout(() => {
  h.disable();
  console.log('max >= 100ms:', h.max >= 100e6 ? 'yes' : 'no', 'min ~10ms:', h.min >= 9e6 && h.min <= 12e6 ? 'yes' : 'no');
  const u = performance.eventLoopUtilization();
  console.log('utilization between 0.2 and 0.6:', u.utilization > 0.2 && u.utilization < 0.6 ? 'yes' : 'no');
}, 300);
