//! What a load test measured, in virtual time: the same collector for both servers, and the
//! report (`looplab load`'s table and JSON) built from it.
//!
//! HOW: a server model tells the [`Collector`] when each request arrived, when it left and how
//! (a status, a timeout, a refusal). Latencies go into an HdrHistogram (3 significant digits:
//! every percentile within 0.1%, the structure autocannon and wrk report from) over 1 µs to
//! one hour; one more histogram covers the current virtual second, for the per-second series
//! a chart draws. Requests in flight are integrated over time (the area under the in-flight
//! curve, in request·µs), so the time average is exact, not sampled: it is what Little's law
//! L = λW speaks of.
//!
//! Order: the loop may report a reply at 9 ms, and only then an arrival dated 8 ms (it reached
//! the socket while the callback ran, and is sent when the step is over). Events are buffered
//! and applied sorted by time at [`Collector::flush`], up to a horizon no later event can
//! precede: for the loop, its last look at the kernel (`Sim::kernel_seen`: input is never dated
//! before it, and replies happen in callbacks that run after it).
//!
//! Size: fixed histograms, one `Second` per virtual second of the run (at most 3,600), nothing
//! per request.

use std::collections::BinaryHeap;

use hdrhistogram::Histogram;
use looplab_model::Micros;

const SECOND: Micros = Micros(1_000_000);

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A reply with this status (5xx counts as an error).
    Replied(u16),
    /// The client gave up waiting (the load's timeout).
    TimedOut,
}

/// One virtual second of the run, for charts.
#[derive(Clone, Debug, PartialEq)]
pub struct Second {
    /// Seconds since the load started, at this second's end.
    pub t: u32,
    /// Replies in this second.
    pub completed: u64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    /// In flight at the second's end, and the most at any instant in it.
    pub in_flight: u64,
    pub in_flight_max: u64,
    /// Requests sent and errors (refused, timed out, 5xx) since the load started, as counted
    /// when this second closed (arrivals and refusals are counted as they are reported, so the
    /// batch that closed the second may be in): a run stopped early reports the thread
    /// server's counts up to its last whole second.
    pub sent: u64,
    pub errors: u64,
    /// Filled by the server model: its memory at the in-flight peak of the second, and for the
    /// loop the event-loop delay p99 and ELU over the second.
    pub memory_bytes: u64,
    pub loop_delay_p99_ms: Option<f64>,
    pub elu: Option<f64>,
}

/// Events of one run, folded into histograms and counters (see the module docs).
pub struct Collector {
    start: Micros,
    end: Micros,
    latency: Histogram<u64>,
    second_latency: Histogram<u64>,
    second_completed: u64,
    second_in_flight_max: u64,
    pub sent: u64,
    pub completed: u64,
    pub server_errors: u64,
    pub refused: u64,
    pub timed_out: u64,
    in_flight: u64,
    in_flight_max: u64,
    /// ∫ in-flight dt, request·µs, from `start` to `last`.
    area: u128,
    last: Micros,
    /// Arrivals and departures not yet applied, soonest first (see [`Pending`]).
    buffer: BinaryHeap<Pending>,
    /// How many events have been reported: each one's place in the report order.
    reported: u64,
    seconds: Vec<Second>,
}

/// An event waiting for its horizon: +1 arrival (`None`) or −1 departure with its latency.
///
/// The heap pops the earliest `at` first and, at equal times, the one reported first (`order`),
/// so arrivals and departures at one instant apply in the order the server reported them. A
/// heap, not a sorted list: the horizon (the loop's last look at the kernel) stands still for
/// a whole poll phase, while thousands of ready sockets' callbacks report their events; a
/// list sorted and split at every step made that phase quadratic (3.7 % of the 10,000-user
/// preset's native time).
struct Pending {
    at: Micros,
    order: u64,
    event: Option<(Micros, Outcome)>,
}

impl Pending {
    fn key(&self) -> std::cmp::Reverse<(Micros, u64)> {
        std::cmp::Reverse((self.at, self.order))
    }
}
impl PartialEq for Pending {
    fn eq(&self, other: &Pending) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Pending) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Pending) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// A latency histogram in µs (1 µs to an hour, 3 significant digits): shared with the thread
/// server's run-queue delay.
pub(super) fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid HdrHistogram bounds")
}

pub(super) fn ms(us: u64) -> f64 {
    us as f64 / 1_000.0
}

impl Collector {
    pub fn new(start: Micros, end: Micros) -> Collector {
        Collector {
            start,
            end,
            latency: histogram(),
            second_latency: histogram(),
            second_completed: 0,
            second_in_flight_max: 0,
            sent: 0,
            completed: 0,
            server_errors: 0,
            refused: 0,
            timed_out: 0,
            in_flight: 0,
            in_flight_max: 0,
            area: 0,
            last: start,
            buffer: BinaryHeap::new(),
            reported: 0,
            seconds: Vec::new(),
        }
    }

    /// A request reached the server at `at`.
    pub fn arrived(&mut self, at: Micros) {
        self.sent += 1;
        self.buffer_event(at, None);
    }

    /// A connection was refused at `at` (it never was in flight).
    pub fn refused(&mut self, _at: Micros) {
        self.sent += 1;
        self.refused += 1;
    }

    /// A request that arrived at `arrived` left at `at`.
    pub fn left(&mut self, arrived: Micros, at: Micros, outcome: Outcome) {
        self.buffer_event(at, Some((at - arrived, outcome)));
    }

    fn buffer_event(&mut self, at: Micros, event: Option<(Micros, Outcome)>) {
        self.reported += 1;
        self.buffer.push(Pending {
            at,
            order: self.reported,
            event,
        });
    }

    /// Applies the buffered events up to `horizon`, in time order; `on_second` fills each
    /// virtual second that ends on the way (its memory, its loop figures).
    pub fn flush(&mut self, horizon: Micros, mut on_second: impl FnMut(&mut Second)) {
        self.flush_with(horizon, &mut on_second);
    }

    fn flush_with(&mut self, horizon: Micros, mut on_second: &mut impl FnMut(&mut Second)) {
        while self.buffer.peek().is_some_and(|p| p.at <= horizon) {
            let Pending { at, event, .. } = self.buffer.pop().expect("peeked");
            self.advance(at, &mut on_second);
            match event {
                None => {
                    self.in_flight += 1;
                    self.in_flight_max = self.in_flight_max.max(self.in_flight);
                    self.second_in_flight_max = self.second_in_flight_max.max(self.in_flight);
                }
                Some((latency, outcome)) => {
                    self.in_flight -= 1;
                    match outcome {
                        Outcome::TimedOut => self.timed_out += 1,
                        Outcome::Replied(status) => {
                            self.completed += 1;
                            if status >= 500 {
                                self.server_errors += 1;
                            }
                            let v = latency.0.max(1);
                            self.latency.saturating_record(v);
                            self.second_latency.saturating_record(v);
                            self.second_completed += 1;
                        }
                    }
                }
            }
        }
    }

    /// Moves the clock to `t`: integrates in-flight and closes the seconds that end before it.
    fn advance(&mut self, t: Micros, on_second: &mut impl FnMut(&mut Second)) {
        let t = t.max(self.last);
        loop {
            let boundary = self.start + Micros(SECOND.0 * (self.seconds.len() as u64 + 1));
            if boundary > t || boundary > self.end {
                break;
            }
            self.integrate(boundary);
            let mut s = Second {
                t: self.seconds.len() as u32 + 1,
                completed: self.second_completed,
                latency_p50_ms: ms(self.second_latency.value_at_quantile(0.5)),
                latency_p99_ms: ms(self.second_latency.value_at_quantile(0.99)),
                in_flight: self.in_flight,
                in_flight_max: self.second_in_flight_max.max(self.in_flight),
                sent: self.sent,
                errors: self.refused + self.timed_out + self.server_errors,
                memory_bytes: 0,
                loop_delay_p99_ms: None,
                elu: None,
            };
            on_second(&mut s);
            self.seconds.push(s);
            self.second_latency.reset();
            self.second_completed = 0;
            self.second_in_flight_max = self.in_flight;
        }
        self.integrate(t);
    }

    fn integrate(&mut self, t: Micros) {
        if t > self.last {
            self.area += self.in_flight as u128 * (t - self.last).0 as u128;
            self.last = t;
        }
    }

    pub fn in_flight(&self) -> u64 {
        self.in_flight
    }
    pub fn in_flight_max(&self) -> u64 {
        self.in_flight_max
    }
    pub fn seconds(&self) -> &[Second] {
        &self.seconds
    }
    pub fn latency(&self) -> &Histogram<u64> {
        &self.latency
    }

    /// The time average of requests in flight from the start to `at`.
    pub fn in_flight_mean(&self, at: Micros) -> f64 {
        let span = (at.max(self.last) - self.start).0;
        let area = self.area + self.in_flight as u128 * (at.max(self.last) - self.last).0 as u128;
        if span == 0 {
            0.0
        } else {
            area as f64 / span as f64
        }
    }

    /// The figures both servers report, at the end of the load (`end`).
    pub fn summary(&mut self, mut on_second: impl FnMut(&mut Second)) -> Summary {
        let end = self.end;
        // The load is [start, end): events at or after the end (replies to requests in flight
        // then) are not the load's.
        self.flush_with(end - Micros(1), &mut on_second);
        self.advance(end, &mut on_second);
        let secs = (end - self.start).0 as f64 / 1e6;
        let h = &self.latency;
        let q = |p: f64| {
            if h.is_empty() {
                0.0
            } else {
                ms(h.value_at_quantile(p))
            }
        };
        Summary {
            duration_s: secs,
            sent: self.sent,
            requests: self.completed,
            errors: Errors {
                refused: self.refused,
                timed_out: self.timed_out,
                server: self.server_errors,
            },
            throughput_rps: self.completed as f64 / secs,
            latency_ms: Latency {
                p50: q(0.5),
                p90: q(0.9),
                p99: q(0.99),
                max: if h.is_empty() { 0.0 } else { ms(h.max()) },
                mean: if h.is_empty() { 0.0 } else { h.mean() / 1e3 },
                stdev: if h.is_empty() { 0.0 } else { h.stdev() / 1e3 },
            },
            in_flight: InFlight {
                now: self.in_flight,
                max: self.in_flight_max,
                mean: self.in_flight_mean(end),
            },
            seconds: self.seconds.clone(),
        }
    }
}

/// Errors by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Errors {
    /// Connections the server refused (no listener; a full accept backlog; no thread).
    pub refused: u64,
    /// Requests the client stopped waiting for.
    pub timed_out: u64,
    /// Replies with a 5xx status.
    pub server: u64,
}

impl Errors {
    pub fn total(&self) -> u64 {
        self.refused + self.timed_out + self.server
    }
}

/// Latency percentiles in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
    pub stdev: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct InFlight {
    /// At the end of the load.
    pub now: u64,
    pub max: u64,
    /// Time-averaged over the load.
    pub mean: f64,
}

/// What every server model reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub duration_s: f64,
    /// Requests sent (refused ones included).
    pub sent: u64,
    /// Replies received within the load (5xx included).
    pub requests: u64,
    pub errors: Errors,
    /// Replies per virtual second.
    pub throughput_rps: f64,
    pub latency_ms: Latency,
    pub in_flight: InFlight,
    pub seconds: Vec<Second>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_is_integrated_over_time_whatever_order_events_are_reported_in() {
        let mut c = Collector::new(Micros::ZERO, Micros::from_ms(3_000));
        // One request from 0 to 1.5 s; another from 0.5 s to 2.5 s, reported out of order.
        c.left(Micros::ZERO, Micros::from_ms(1_500), Outcome::Replied(200));
        c.arrived(Micros::ZERO);
        c.arrived(Micros::from_ms(500));
        let memory = |s: &mut Second| s.memory_bytes = s.in_flight_max * 10;
        c.flush(Micros::from_ms(1_000), memory);
        // Only what lies before the horizon is applied.
        assert_eq!((c.in_flight(), c.in_flight_max()), (2, 2));
        c.flush(Micros::from_ms(2_000), memory);
        assert_eq!(c.in_flight(), 1);
        c.left(
            Micros::from_ms(500),
            Micros::from_ms(2_500),
            Outcome::Replied(503),
        );
        let s = c.summary(memory);
        assert_eq!(s.in_flight.max, 2);
        assert_eq!(s.in_flight.now, 0);
        // Area 1.5 + 2.0 = 3.5 request·s over 3 s.
        assert!((s.in_flight.mean - 3.5 / 3.0).abs() < 1e-12);
        assert_eq!((s.requests, s.errors.server), (2, 1));
        assert!((s.latency_ms.mean - 1_750.0).abs() < 2.0);
        assert!(
            (s.latency_ms.max - 2_000.0).abs() < 2.0,
            "{}",
            s.latency_ms.max
        );
        let per_second: Vec<(u32, u64, u64, u64)> = s
            .seconds
            .iter()
            .map(|x| (x.t, x.completed, x.in_flight_max, x.memory_bytes))
            .collect();
        assert_eq!(
            per_second,
            [(1, 0, 2, 20), (2, 1, 2, 20), (3, 1, 1, 10)],
            "{:?}",
            s.seconds
        );
    }

    #[test]
    fn percentiles_are_within_a_tenth_of_a_percent() {
        let mut c = Collector::new(Micros::ZERO, Micros::from_ms(1_001));
        for i in 1..=1_000u64 {
            c.arrived(Micros::ZERO);
            c.left(Micros::ZERO, Micros(i * 1_000), Outcome::Replied(200));
        }
        let s = c.summary(|_| {});
        for (got, want) in [
            (s.latency_ms.p50, 500.0),
            (s.latency_ms.p90, 900.0),
            (s.latency_ms.p99, 990.0),
            (s.latency_ms.max, 1_000.0),
            (s.latency_ms.mean, 500.5),
        ] {
            assert!((got - want).abs() / want < 0.001, "{got} vs {want}");
        }
        assert!(s.errors.total() == 0 && s.requests == 1_000);
    }
}
