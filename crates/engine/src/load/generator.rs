//! When each request of a load test arrives and which route it asks for: the one generator
//! both servers (the loop and the thread-per-request model) are fed from.
//!
//! HOW: an open loop's arrival times come from its cumulative rate Λ(t) = ∫ rate: the k-th
//! request (k = 0, 1, ...) arrives when Λ(t) reaches a target y_k, so a constant rate R gives
//! t = y/R and a linear ramp from R0 to R1 over D solves the quadratic R0·t + (R1−R0)·t²/2D = y.
//! Uniform arrivals take y_k = k (the first at the start); Poisson arrivals take y_k as a running
//! sum of exponential draws, which turns a homogeneous Poisson process into one with the ramp's
//! rate (the time-change theorem), so one formula serves all four cases.
//! A closed loop keeps its users in a queue ordered by when each one sends next: all of them at
//! the start (autocannon opens every connection at once), then each `think` after its reply.
//!
//! WHY two random streams: arrival times draw from one (seeded by the run's seed) and route
//! choices from another, so the same seed gives the same arrival instants whatever the mix, and
//! the same open-loop arrivals (times and routes) reach both servers. Times are whole
//! microseconds (`Micros`), rounded once from the formula, never accumulated in floating point.

use std::collections::BTreeSet;

use looplab_model::rng::Rng;
use looplab_model::Micros;

use super::spec::{Arrivals, LoadSpec, Mode};

/// One request the generator wants sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// When it reaches the server's socket.
    pub at: Micros,
    /// Its index in the spec's mix.
    pub route: usize,
    /// The closed-loop user who sends it (None in an open loop).
    pub user: Option<u32>,
}

/// The arrivals of one load test (see the module docs).
#[derive(Clone, Debug)]
pub struct Generator {
    spec: LoadSpec,
    start: Micros,
    end: Micros,
    times: Rng,
    routes: Rng,
    total_weight: u64,
    /// Open loop: Λ's target for the next arrival and that arrival's time (None when the run has
    /// no more).
    target: f64,
    next_open: Option<Micros>,
    /// Closed loop: (when, user) for every user waiting to send.
    waiting: BTreeSet<(Micros, u32)>,
}

/// Seeds the route stream apart from the time stream.
const ROUTE_STREAM: u64 = 0x5EED_0F20_47E5;

impl Generator {
    /// The arrivals of `spec`, from virtual time `start` to `start + duration`.
    pub fn new(spec: &LoadSpec, start: Micros) -> Generator {
        let mut g = Generator {
            spec: spec.clone(),
            start,
            end: start + spec.duration(),
            times: Rng::new(spec.seed()),
            routes: Rng::new(spec.seed() ^ ROUTE_STREAM),
            total_weight: spec.mix().iter().map(|w| w.weight as u64).sum(),
            target: 0.0,
            next_open: None,
            waiting: BTreeSet::new(),
        };
        match spec.mode() {
            Mode::Open { arrivals, .. } => {
                if *arrivals == Arrivals::Poisson {
                    g.target = g.exponential();
                }
                g.next_open = g.time_of(g.target);
            }
            Mode::Closed { users, .. } => {
                g.waiting = (0..*users).map(|u| (start, u)).collect();
            }
        }
        g
    }

    pub fn spec(&self) -> &LoadSpec {
        &self.spec
    }
    pub fn start(&self) -> Micros {
        self.start
    }
    /// When the load stops (nothing is sent at or after it).
    pub fn end(&self) -> Micros {
        self.end
    }

    /// When the next request is due, if any.
    pub fn next_due(&self) -> Option<Micros> {
        match self.spec.mode() {
            Mode::Open { .. } => self.next_open,
            Mode::Closed { .. } => self.waiting.first().map(|(t, _)| *t),
        }
    }

    /// The next request if it is due at or before `now` (in time order).
    pub fn pop_due(&mut self, now: Micros) -> Option<Arrival> {
        let at = self.next_due().filter(|t| *t <= now)?;
        let user = match self.spec.mode() {
            Mode::Open { arrivals, .. } => {
                self.target += match arrivals {
                    Arrivals::Uniform => 1.0,
                    Arrivals::Poisson => self.exponential(),
                };
                self.next_open = self.time_of(self.target);
                None
            }
            Mode::Closed { .. } => self.waiting.pop_first().map(|(_, u)| u),
        };
        Some(Arrival {
            at,
            route: self.pick_route(),
            user,
        })
    }

    /// A closed-loop user's reply arrived at `at` (or it gave up then): it sends again after
    /// its think time, if that is before the end.
    pub fn replied(&mut self, user: u32, at: Micros) {
        if let Mode::Closed { think, .. } = self.spec.mode() {
            let next = at + *think;
            if next < self.end {
                self.waiting.insert((next, user));
            }
        }
    }

    fn pick_route(&mut self) -> usize {
        let mut r = self.routes.below(self.total_weight);
        for (i, w) in self.spec.mix().iter().enumerate() {
            if r < w.weight as u64 {
                return i;
            }
            r -= w.weight as u64;
        }
        self.spec.mix().len() - 1
    }

    /// An exponential draw of mean 1 (1 − u lies in (0, 1], so the logarithm is finite).
    fn exponential(&mut self) -> f64 {
        -(1.0 - self.times.unit()).ln()
    }

    /// When Λ reaches `y`, or None past the end.
    fn time_of(&self, y: f64) -> Option<Micros> {
        let Mode::Open {
            rate, ramp_from, ..
        } = self.spec.mode()
        else {
            return None;
        };
        let d = self.spec.duration().0 as f64 / 1e6;
        let r0 = ramp_from.unwrap_or(*rate);
        let a = (*rate - r0) / (2.0 * d);
        let t = if y == 0.0 {
            0.0
        } else if a == 0.0 {
            y / r0
        } else {
            // a·t² + r0·t − y = 0, the root that starts at t = 0 for y = 0; written as
            // 2y / (r0 + √(r0² + 4ay)) so that r0 = 0 (a ramp from nothing) divides by no zero.
            let disc = r0 * r0 + 4.0 * a * y;
            if disc < 0.0 {
                return None;
            }
            let denom = r0 + disc.sqrt();
            if denom <= 0.0 {
                return None;
            }
            2.0 * y / denom
        };
        if !t.is_finite() {
            return None;
        }
        let at = self.start + Micros((t * 1e6).round() as u64);
        (at < self.end).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::{LoadSpec, Mode, Weighted};
    use super::super::Route;
    use super::*;

    fn mix(weights: &[u32]) -> Vec<Weighted> {
        weights
            .iter()
            .enumerate()
            .map(|(i, w)| Weighted {
                route: Route {
                    method: "GET".into(),
                    pattern: format!("/r{i}"),
                },
                weight: *w,
            })
            .collect()
    }

    fn open(rate: f64, arrivals: Arrivals, ramp_from: Option<f64>, d: f64, seed: u64) -> LoadSpec {
        let mode = Mode::Open {
            rate,
            arrivals,
            ramp_from,
        };
        LoadSpec::new(mode, mix(&[1]), d, 10.0, seed).unwrap()
    }

    fn drain(g: &mut Generator) -> Vec<Arrival> {
        let mut out = Vec::new();
        while let Some(a) = g.pop_due(Micros::MAX) {
            out.push(a);
        }
        out
    }

    #[test]
    fn a_fractional_uniform_rate_spaces_arrivals_evenly_from_the_start() {
        let spec = open(0.5, Arrivals::Uniform, None, 10.0, 0);
        let mut g = Generator::new(&spec, Micros::from_ms(100));
        let times: Vec<u64> = drain(&mut g).iter().map(|a| a.at.as_ms()).collect();
        assert_eq!(times, [100, 2_100, 4_100, 6_100, 8_100]);
        // Nothing is handed out before it is due.
        let mut g = Generator::new(&spec, Micros::ZERO);
        assert!(g.pop_due(Micros::ZERO).is_some());
        assert!(g.pop_due(Micros::from_ms(1_999)).is_none());
        assert_eq!(g.next_due(), Some(Micros::from_ms(2_000)));
    }

    #[test]
    fn poisson_arrivals_have_the_rate_and_exponential_gaps_and_repeat_with_the_seed() {
        let spec = open(1_000.0, Arrivals::Poisson, None, 20.0, 42);
        let a = drain(&mut Generator::new(&spec, Micros::ZERO));
        let b = drain(&mut Generator::new(&spec, Micros::ZERO));
        assert_eq!(a, b, "same seed, same arrivals");
        let c = drain(&mut Generator::new(
            &open(1_000.0, Arrivals::Poisson, None, 20.0, 43),
            Micros::ZERO,
        ));
        assert_ne!(a, c);
        // 20,000 expected; a Poisson count's standard deviation is √20000 ≈ 141.
        assert!(
            (a.len() as f64 - 20_000.0).abs() < 5.0 * 141.0,
            "{}",
            a.len()
        );
        // Exponential gaps: the coefficient of variation is 1 (uniform gaps would give 0).
        let gaps: Vec<f64> = a
            .windows(2)
            .map(|w| (w[1].at.0 - w[0].at.0) as f64)
            .collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64;
        assert!((mean - 1_000.0).abs() < 30.0, "mean gap {mean}");
        assert!(
            (var.sqrt() / mean - 1.0).abs() < 0.05,
            "cv {}",
            var.sqrt() / mean
        );
    }

    #[test]
    fn a_linear_ramp_sends_the_area_under_the_rate_and_more_at_its_end() {
        // From 0 to 100 req/s over 10 s: 500 requests, a quarter of them in the first half.
        let spec = open(100.0, Arrivals::Uniform, Some(0.0), 10.0, 0);
        let a = drain(&mut Generator::new(&spec, Micros::ZERO));
        assert!((499..=500).contains(&a.len()), "{}", a.len());
        let first_half = a.iter().filter(|x| x.at < Micros::from_ms(5_000)).count();
        assert!((124..=126).contains(&first_half), "{first_half}");
        // The k-th arrival solves 5t² = k: the 125th (k = 125) at 5 s.
        assert_eq!(a[125].at, Micros::from_ms(5_000));
        // Ramping down from 100 to 0 sends the same number, most of them early.
        let down = drain(&mut Generator::new(
            &open(1e-9, Arrivals::Uniform, Some(100.0), 10.0, 0),
            Micros::ZERO,
        ));
        assert!((499..=501).contains(&down.len()), "{}", down.len());
        assert!(down[250].at < Micros::from_ms(3_000));
    }

    #[test]
    fn routes_follow_their_weights() {
        let spec = LoadSpec::new(
            Mode::Open {
                rate: 1_000.0,
                arrivals: Arrivals::Uniform,
                ramp_from: None,
            },
            mix(&[9, 1]),
            10.0,
            10.0,
            3,
        )
        .unwrap();
        let a = drain(&mut Generator::new(&spec, Micros::ZERO));
        let second = a.iter().filter(|x| x.route == 1).count() as f64 / a.len() as f64;
        assert!((second - 0.1).abs() < 0.015, "{second}");
    }

    #[test]
    fn closed_loop_users_start_together_and_send_again_after_think_time() {
        let spec = LoadSpec::new(
            Mode::Closed {
                users: 3,
                think: Micros::from_ms(50),
            },
            mix(&[1]),
            1.0,
            10.0,
            0,
        )
        .unwrap();
        let mut g = Generator::new(&spec, Micros::from_ms(10));
        let first = drain(&mut g);
        assert_eq!(first.len(), 3);
        assert!(first.iter().all(|a| a.at == Micros::from_ms(10)));
        assert_eq!(g.next_due(), None, "everyone waits for a reply");
        g.replied(1, Micros::from_ms(30));
        g.replied(0, Micros::from_ms(20));
        let next = drain(&mut g);
        assert_eq!(
            next.iter()
                .map(|a| (a.user, a.at.as_ms()))
                .collect::<Vec<_>>(),
            [(Some(0), 70), (Some(1), 80)]
        );
        // A reply whose think time ends after the load stops sends nothing more.
        g.replied(2, Micros::from_ms(990));
        assert_eq!(g.next_due(), None);
    }
}
