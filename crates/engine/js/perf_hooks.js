// perf_hooks (lib/perf_hooks.js): performance.now() in virtual time, and the loop's own metrics
// (`monitorEventLoopDelay`, `eventLoopUtilization`), which the model measures.

const performance = {
  now: () => host.performanceNow(),
  timeOrigin: host.dateNow() - host.performanceNow(),
  eventLoopUtilization: () => host.elu(),
};
const perfHooks = {
  performance,
  monitorEventLoopDelay() {
    let enabled = false;
    return {
      enable() {
        if (enabled) return false;
        enabled = true;
        host.eldReset();
        return true;
      },
      disable() {
        enabled = false;
        return true;
      },
      reset() {
        host.eldReset();
      },
      percentile(p) {
        return host.eld('p', p) * 1e3;
      },
      get min() {
        return host.eld('min', 0) * 1e3;
      },
      get max() {
        return host.eld('max', 0) * 1e3;
      },
      get mean() {
        return host.eld('mean', 0) * 1e3;
      },
      get count() {
        return host.eld('count', 0);
      },
      get enabled() {
        return enabled;
      },
    };
  },
};
