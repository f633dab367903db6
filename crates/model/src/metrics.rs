//! What a load test would measure: loop iterations, event-loop delay and utilisation.
//!
//! HOW, event-loop delay: Node's `perf_hooks.monitorEventLoopDelay({ resolution })` arms a
//! repeating timer and records the interval between its firings; a loop busy for 80 ms shows up
//! as one interval of ~80 ms instead of 10. We keep that sampler *passive*, so that measuring
//! cannot change the order of anything: while the loop sleeps in poll, every sampler due time
//! inside the sleep fires on time; a due time that passes while the loop is busy is noticed at
//! the next timers phase, and the interval up to then is recorded.
//!
//! HOW, utilisation: `performance.eventLoopUtilization()` counts the time the loop spent inside
//! `epoll_wait` as idle and everything else since the loop started as active. Here the loop's own
//! bookkeeping is free, so active time is callback time.

use std::collections::BTreeMap;

use crate::time::Micros;

/// Counts of recorded values (µs); exact, ordered, no allocation per sample after warm-up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    counts: BTreeMap<u64, u64>,
    total: u64,
    sum: u128,
}

impl Histogram {
    pub fn record(&mut self, value: Micros, times: u64) {
        if times == 0 {
            return;
        }
        *self.counts.entry(value.0).or_default() += times;
        self.total += times;
        self.sum += value.0 as u128 * times as u128;
    }
    pub fn count(&self) -> u64 {
        self.total
    }
    pub fn min(&self) -> Option<Micros> {
        self.counts.keys().next().map(|v| Micros(*v))
    }
    pub fn max(&self) -> Option<Micros> {
        self.counts.keys().next_back().map(|v| Micros(*v))
    }
    pub fn mean(&self) -> Option<Micros> {
        (self.total > 0).then(|| Micros((self.sum / self.total as u128) as u64))
    }
    /// Each recorded value with its count, smallest first.
    pub fn iter(&self) -> impl Iterator<Item = (Micros, u64)> + '_ {
        self.counts.iter().map(|(v, c)| (Micros(*v), *c))
    }
    /// The smallest recorded value with at least `p` percent of samples at or below it.
    pub fn percentile(&self, p: f64) -> Option<Micros> {
        if self.total == 0 {
            return None;
        }
        let rank = ((p / 100.0) * self.total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (v, c) in &self.counts {
            seen += c;
            if seen >= rank {
                return Some(Micros(*v));
            }
        }
        self.max()
    }
}

/// One percentile of a [`Histogram`] kept up to date as values are recorded: O(log n) a value,
/// where [`Histogram::percentile`] walks every distinct value (a page that shows p50 and p99
/// after every step of a load run with thousands of distinct latencies cannot afford that).
///
/// HOW: it remembers its answer `v` and how many samples lie below it. Recording a smaller value
/// moves that count up; then the answer moves to a neighbouring key until the rank
/// `ceil(p% of total)` falls within `v`'s own samples again, the definition `percentile` uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Percentile {
    p: f64,
    /// (the answer, samples below it)
    at: Option<(u64, u64)>,
}

impl Percentile {
    pub fn new(p: f64) -> Percentile {
        Percentile { p, at: None }
    }

    /// The answer (what `hist.percentile(p)` would say).
    pub fn get(&self) -> Option<Micros> {
        self.at.map(|(v, _)| Micros(v))
    }

    /// `value` was just recorded `times` times into `hist` (every record must be reported).
    pub fn recorded(&mut self, hist: &Histogram, value: Micros, times: u64) {
        if times == 0 || hist.total == 0 {
            return;
        }
        let (mut v, mut below) = match self.at {
            None => (value.0, 0),
            Some((v, below)) if value.0 < v => (v, below + times),
            Some(at) => at,
        };
        let rank = ((self.p / 100.0) * hist.total as f64).ceil().max(1.0) as u64;
        while rank <= below {
            let (&prev, &c) = hist
                .counts
                .range(..v)
                .next_back()
                .expect("samples below the answer");
            v = prev;
            below -= c;
        }
        while rank > below + hist.counts.get(&v).copied().unwrap_or(0) {
            below += hist.counts.get(&v).copied().unwrap_or(0);
            v = *hist
                .counts
                .range(v + 1..)
                .next()
                .map(|(k, _)| k)
                .expect("samples above the answer");
        }
        self.at = Some((v, below));
    }
}

#[derive(Clone, Debug)]
pub struct Metrics {
    pub iterations: u64,
    pub callbacks: u64,
    /// Time spent inside `epoll_wait`.
    pub idle: Micros,
    /// When `uv_run` started (None during the main script).
    pub loop_start: Option<Micros>,
    pub eld: Histogram,
    /// The same samples as `eld` since a driver last took them ([`Metrics::take_eld_window`]):
    /// a load generator charts the delay per interval without resetting the program's own
    /// histogram or moving the sampler.
    eld_window: Histogram,
    eld_resolution: Micros,
    eld_prev_fire: Micros,
    eld_due: Micros,
}

impl Metrics {
    pub fn new(resolution: Micros) -> Metrics {
        Metrics {
            iterations: 0,
            callbacks: 0,
            idle: Micros::ZERO,
            loop_start: None,
            eld: Histogram::default(),
            eld_window: Histogram::default(),
            eld_resolution: resolution,
            eld_prev_fire: Micros::ZERO,
            eld_due: resolution,
        }
    }

    pub fn loop_started(&mut self, now: Micros) {
        self.loop_start = Some(now);
        self.eld_prev_fire = now;
        self.eld_due = now + self.eld_resolution;
    }

    /// Forget the samples so far; the sampler restarts at `now`.
    pub fn reset_eld(&mut self, now: Micros) {
        self.eld = Histogram::default();
        self.eld_prev_fire = now;
        self.eld_due = now + self.eld_resolution;
    }

    fn record_eld(&mut self, value: Micros, times: u64) {
        self.eld.record(value, times);
        self.eld_window.record(value, times);
    }

    /// The delay samples recorded since the last call (the sampler goes on as it was).
    pub fn take_eld_window(&mut self) -> Histogram {
        std::mem::take(&mut self.eld_window)
    }

    /// The recorded values and how many times each, smallest first.
    pub fn eld_window(&self) -> &Histogram {
        &self.eld_window
    }

    /// The loop slept in poll from `from` to `to`: sampler firings inside are on time.
    pub fn slept(&mut self, from: Micros, to: Micros) {
        self.idle += to - from;
        if self.loop_start.is_none() || self.eld_due < from || self.eld_due > to {
            return;
        }
        let res = self.eld_resolution;
        self.record_eld(self.eld_due - self.eld_prev_fire, 1);
        let extra = (to - self.eld_due).0 / res.0;
        self.record_eld(res, extra);
        self.eld_prev_fire = self.eld_due + Micros(extra * res.0);
        self.eld_due = self.eld_prev_fire + res;
    }

    /// The timers phase runs at `now`: a sampler due time that passed while busy fires now.
    pub fn timers_phase(&mut self, now: Micros) {
        if self.loop_start.is_none() || self.eld_due > now {
            return;
        }
        self.record_eld(now - self.eld_prev_fire, 1);
        self.eld_prev_fire = now;
        self.eld_due = now + self.eld_resolution;
    }

    /// (active, idle, utilisation) since the loop started, as `eventLoopUtilization()` reports.
    pub fn utilization(&self, now: Micros) -> (Micros, Micros, f64) {
        let Some(start) = self.loop_start else {
            return (Micros::ZERO, Micros::ZERO, 0.0);
        };
        let total = now - start;
        let active = total.saturating_sub(self.idle);
        let u = if total.0 == 0 {
            0.0
        } else {
            active.0 as f64 / total.0 as f64
        };
        (active, self.idle, u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_percentile_always_agrees_with_the_histogram() {
        // Values from a small LCG, some repeated, some recorded several times at once.
        let mut hist = Histogram::default();
        let ps = [0.1, 50.0, 90.0, 99.0, 100.0];
        let mut running: Vec<Percentile> = ps.iter().map(|&p| Percentile::new(p)).collect();
        let mut x: u64 = 12345;
        for i in 0..5_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Mostly rising latencies, as a run that gets slower, with some small ones.
            let value = Micros(if i % 7 == 0 {
                (x >> 33) % 50
            } else {
                i / 3 + (x >> 33) % 400
            });
            let times = 1 + (x >> 60) % 3;
            hist.record(value, times);
            for (r, &p) in running.iter_mut().zip(&ps) {
                r.recorded(&hist, value, times);
                assert_eq!(
                    r.get(),
                    hist.percentile(p),
                    "p{p} after {} samples",
                    hist.count()
                );
            }
        }
    }

    #[test]
    fn histogram_percentiles() {
        let mut h = Histogram::default();
        for v in 1..=100 {
            h.record(Micros(v), 1);
        }
        assert_eq!(h.percentile(50.0), Some(Micros(50)));
        assert_eq!(h.percentile(99.0), Some(Micros(99)));
        assert_eq!(h.min(), Some(Micros(1)));
        assert_eq!(h.max(), Some(Micros(100)));
        assert_eq!(h.mean(), Some(Micros(50)));
    }

    #[test]
    fn idle_loop_samples_at_resolution_and_busy_loop_shows_delay() {
        let mut m = Metrics::new(Micros::from_ms(10));
        m.loop_started(Micros::ZERO);
        m.slept(Micros::ZERO, Micros::from_ms(35)); // fires at 10, 20, 30
        assert_eq!(m.eld.count(), 3);
        assert_eq!(m.eld.max(), Some(Micros::from_ms(10)));
        // Busy from 35 to 120 ms: the 40 ms firing happens at 120.
        m.timers_phase(Micros::from_ms(120));
        assert_eq!(m.eld.max(), Some(Micros::from_ms(90)));
        let (active, idle, u) = m.utilization(Micros::from_ms(120));
        assert_eq!(idle, Micros::from_ms(35));
        assert_eq!(active, Micros::from_ms(85));
        assert!((u - 85.0 / 120.0).abs() < 1e-9);
        // The window holds the same samples, and taking it leaves the sampler where it was.
        let window = m.take_eld_window();
        assert_eq!(window, m.eld);
        assert_eq!(m.take_eld_window().count(), 0);
        m.slept(Micros::from_ms(120), Micros::from_ms(131)); // fires at 130
        assert_eq!(m.eld_window().max(), Some(Micros::from_ms(10)));
        assert_eq!(m.eld.count(), 5);
    }
}
