//! A load test on the loop: the real program, its JavaScript run for every request.
//!
//! HOW: the [`Session`](crate::session::Session) owns a [`LoopLoad`] while a test runs. Before
//! each step it sends the requests the generator has due, each dated when it reached the
//! socket (possibly while the last callback ran: the model lets input be dated back to the
//! loop's last look at the kernel); it cuts a sleep in poll at the next arrival, the next
//! timeout or the end. After each step it charges the callback's CPU to the request whose tag
//! the callback ran with (`Sim::ran_tag`, `Sim::last_callback_cpu`), takes the replies the
//! engine heard (`Engine::take_completions`), gives up on requests past the timeout, and folds
//! the loop's own figures in: the event-loop delay samples of the model's
//! `monitorEventLoopDelay` since the last step, ELU and the pool's totals as differences from
//! the start.
//!
//! What it holds grows with what is in flight (a map of pending requests), never with the
//! length of the run. [`profile_routes`] measures, on a fresh engine and one request at a time,
//! what each route costs: its CPU slices on the main thread and the waits between them, the
//! input of the thread-per-request model.

use std::collections::{BTreeMap, BTreeSet};

use looplab_model::metrics::Histogram as DelayHistogram;
use looplab_model::{Micros, PoolTotals, Step};

use super::generator::{Arrival, Generator};
use super::memory;
use super::spec::LoadSpec;
use super::stats::{Collector, Outcome, Second, Summary};
use super::threads::{Profile, Segment};
use super::Route;
use crate::{Engine, Options};

/// Replied requests whose later callbacks are still charged to their route.
const RECENT: usize = 10_000;

/// A closed-loop client whose connection was refused tries again after this: Linux's initial
/// SYN retransmission timeout (`TCP_TIMEOUT_INIT`, 1 s), what a client sees when a full accept
/// queue drops its SYN. (It also keeps a closed loop from spinning at one instant.)
pub const RETRY_AFTER: Micros = Micros(1_000_000);

#[derive(Clone, Copy, Debug)]
struct Flight {
    arrived: Micros,
    route: usize,
    user: Option<u32>,
    cpu: Micros,
}

/// A load test running on a session's engine (see the module docs).
pub struct LoopLoad {
    gen: Generator,
    stats: Collector,
    flight: BTreeMap<u64, Flight>,
    deadlines: BTreeSet<(Micros, u64)>,
    /// Per route of the mix: main-thread CPU of its finished requests, and how many.
    cpu_by_route: Vec<(Micros, u64)>,
    /// The routes of the latest replied requests (at most `RECENT`), oldest first: callbacks
    /// that run after a reply (the response's 'finish') are still that route's CPU.
    recent: BTreeMap<u64, usize>,
    recent_order: std::collections::VecDeque<u64>,
    pool_size: u16,
    pool_start: PoolTotals,
    /// (active, idle) of the loop when the test started, and at the last closed second.
    util_start: (Micros, Micros),
    util_second: (Micros, Micros),
    delay: DelayHistogram,
    delay_second: DelayHistogram,
    /// Most pool workers busy at once at a step's end.
    pool_busy_max: u16,
}

impl LoopLoad {
    pub(crate) fn new(spec: &LoadSpec, engine: &mut Engine) -> LoopLoad {
        let (now, pool_start, util, pool_size) = engine.with_sim(|m| {
            let (a, i, _) = m.metrics().utilization(m.now());
            (m.now(), m.pool().totals, (a, i), m.pool().size())
        });
        engine.with_sim_mut(|m| {
            m.take_eld_window();
        });
        let gen = Generator::new(spec, now);
        LoopLoad {
            stats: Collector::new(now, gen.end()),
            gen,
            flight: BTreeMap::new(),
            deadlines: BTreeSet::new(),
            cpu_by_route: vec![(Micros::ZERO, 0); spec.mix().len()],
            recent: BTreeMap::new(),
            recent_order: Default::default(),
            pool_size,
            pool_start,
            util_start: util,
            util_second: util,
            delay: DelayHistogram::default(),
            delay_second: DelayHistogram::default(),
            pool_busy_max: 0,
        }
    }

    pub fn spec(&self) -> &LoadSpec {
        self.gen.spec()
    }

    /// When the load started (the loop's clock then).
    pub fn start(&self) -> Micros {
        self.gen.start()
    }

    /// When the load stops sending.
    pub fn end(&self) -> Micros {
        self.gen.end()
    }

    /// Whether the loop's clock has reached the end of the load.
    pub fn finished(&self, now: Micros) -> bool {
        now >= self.gen.end()
    }

    /// What a live view shows while the test plays: sent, replied, errors, in flight now and
    /// at most, and the virtual seconds closed so far (for charts; at most one per second).
    pub fn live(&self) -> Live<'_> {
        Live {
            sent: self.stats.sent,
            completed: self.stats.completed,
            errors: self.stats.refused + self.stats.timed_out + self.stats.server_errors,
            in_flight: self.stats.in_flight(),
            in_flight_max: self.stats.in_flight_max(),
            seconds: self.stats.seconds(),
        }
    }

    /// The next instant a step must stop at: an arrival, a timeout, or the end.
    pub(crate) fn next_event(&self) -> Option<Micros> {
        [
            self.gen.next_due(),
            self.deadlines.first().map(|(t, _)| *t),
            Some(self.gen.end()),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    pub(crate) fn pop_due(&mut self, now: Micros) -> Option<(Arrival, Route)> {
        let a = self.gen.pop_due(now)?;
        Some((a, self.gen.spec().mix()[a.route].route.clone()))
    }

    pub(crate) fn sent(&mut self, id: u64, a: Arrival) {
        self.stats.arrived(a.at);
        self.flight.insert(
            id,
            Flight {
                arrived: a.at,
                route: a.route,
                user: a.user,
                cpu: Micros::ZERO,
            },
        );
        self.deadlines
            .insert((a.at + self.gen.spec().timeout(), id));
    }

    pub(crate) fn refused(&mut self, a: Arrival) {
        self.stats.refused(a.at);
        if let Some(u) = a.user {
            self.gen.replied(u, a.at + RETRY_AFTER);
        }
    }

    pub(crate) fn after_step(&mut self, engine: &mut Engine, step: Step) {
        let (now, tag, cpu, busy) =
            engine.with_sim(|m| (m.now(), m.ran_tag(), m.last_callback_cpu(), m.pool().busy()));
        self.pool_busy_max = self.pool_busy_max.max(busy);
        if let (Step::Run(_), Some(tag)) = (step, tag) {
            if let Some(f) = self.flight.get_mut(&tag) {
                f.cpu += cpu;
            } else if let Some(&route) = self.recent.get(&tag) {
                self.cpu_by_route[route].0 += cpu;
            }
        }
        for c in engine.take_completions() {
            let Some(f) = self.flight.remove(&c.id) else {
                continue; // the client had given up
            };
            self.deadlines
                .remove(&(f.arrived + self.gen.spec().timeout(), c.id));
            self.stats
                .left(f.arrived, c.finished, Outcome::Replied(c.status));
            let r = &mut self.cpu_by_route[f.route];
            r.0 += f.cpu;
            r.1 += 1;
            self.recent.insert(c.id, f.route);
            self.recent_order.push_back(c.id);
            if self.recent_order.len() > RECENT {
                let old = self.recent_order.pop_front().expect("longer than RECENT");
                self.recent.remove(&old);
            }
            if let Some(u) = f.user {
                self.gen.replied(u, c.finished);
            }
        }
        while let Some(&(deadline, id)) = self.deadlines.first() {
            // The load is [start, end): a deadline at the end is past it.
            if deadline > now || deadline >= self.gen.end() {
                break;
            }
            self.deadlines.pop_first();
            if let Some(f) = self.flight.remove(&id) {
                self.stats.left(f.arrived, deadline, Outcome::TimedOut);
                if let Some(u) = f.user {
                    self.gen.replied(u, deadline);
                }
            }
        }
        let window = engine.with_sim_mut(|m| m.take_eld_window());
        for (v, n) in window.iter() {
            self.delay.record(v, n);
            self.delay_second.record(v, n);
        }
        let (util, horizon) = engine.with_sim(|m| {
            let (a, i, _) = m.metrics().utilization(m.now());
            ((a, i), m.kernel_seen())
        });
        let pool_size = self.pool_size;
        let (delay_second, util_second) = (&mut self.delay_second, &mut self.util_second);
        self.stats.flush(horizon, |s| {
            close_second(s, pool_size, delay_second, util_second, util);
        });
    }

    /// The figures so far (at the end of the load, the test's result).
    pub fn report(&mut self, engine: &Engine) -> LoopReport {
        let (util, pool) = engine.with_sim(|m| {
            let (a, i, _) = m.metrics().utilization(m.now());
            ((a, i), m.pool().totals)
        });
        let pool_size = self.pool_size;
        let (delay_second, util_second) = (&mut self.delay_second, &mut self.util_second);
        let summary = self.stats.summary(|s| {
            close_second(s, pool_size, delay_second, util_second, util);
        });
        let active = util.0 - self.util_start.0;
        let idle = util.1 - self.util_start.1;
        let elapsed = (active + idle).0.max(1) as f64;
        let jobs = pool.started - self.pool_start.started;
        let (peak, peak_resident) = memory::loop_memory(summary.in_flight.max, pool_size);
        let ms = |m: Option<Micros>| m.map(|m| m.as_ms_f64()).unwrap_or(0.0);
        LoopReport {
            summary,
            peak_memory: peak,
            peak_resident,
            elu: active.0 as f64 / elapsed,
            delay_p50_ms: ms(self.delay.percentile(50.0)),
            delay_p99_ms: ms(self.delay.percentile(99.0)),
            delay_max_ms: ms(self.delay.max()),
            pool_jobs: jobs,
            pool_busy_mean: (pool.busy - self.pool_start.busy).0 as f64 / elapsed,
            pool_busy_max: self.pool_busy_max,
            pool_queue_wait_mean_ms: if jobs == 0 {
                0.0
            } else {
                (pool.queue_wait - self.pool_start.queue_wait).as_ms_f64() / jobs as f64
            },
            cpu_by_route: self
                .gen
                .spec()
                .mix()
                .iter()
                .zip(&self.cpu_by_route)
                .map(|(w, (cpu, n))| RouteCpu {
                    route: w.route.key(),
                    requests: *n,
                    cpu_ms: cpu.as_ms_f64(),
                })
                .collect(),
        }
    }
}

fn close_second(
    s: &mut Second,
    pool_size: u16,
    delay: &mut DelayHistogram,
    util_last: &mut (Micros, Micros),
    util: (Micros, Micros),
) {
    s.memory_bytes = memory::loop_memory(s.in_flight_max, pool_size).0;
    s.loop_delay_p99_ms = delay.percentile(99.0).map(|m| m.as_ms_f64());
    let active = util.0 - util_last.0;
    let total = active + (util.1 - util_last.1);
    s.elu = (total.0 > 0).then(|| active.0 as f64 / total.0 as f64);
    *delay = DelayHistogram::default();
    *util_last = util;
}

/// A load test's figures while it plays (see [`LoopLoad::live`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Live<'a> {
    pub sent: u64,
    pub completed: u64,
    pub errors: u64,
    pub in_flight: u64,
    pub in_flight_max: u64,
    pub seconds: &'a [Second],
}

/// A route's share of the main thread.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteCpu {
    pub route: String,
    /// Its requests that finished.
    pub requests: u64,
    /// The main-thread CPU they took in all.
    pub cpu_ms: f64,
}

/// What a load test on the loop measured.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopReport {
    pub summary: Summary,
    /// Bytes: reserved (thread stacks at full size) and resident, at the in-flight peak.
    pub peak_memory: u64,
    pub peak_resident: u64,
    /// Event-loop utilisation over the load.
    pub elu: f64,
    pub delay_p50_ms: f64,
    pub delay_p99_ms: f64,
    pub delay_max_ms: f64,
    /// Jobs the pool started, its mean busy workers, the most busy at once, and a job's mean
    /// wait in its queue.
    pub pool_jobs: u64,
    pub pool_busy_mean: f64,
    pub pool_busy_max: u16,
    pub pool_queue_wait_mean_ms: f64,
    pub cpu_by_route: Vec<RouteCpu>,
}

/// Runs `spec` against `source`: starts it, waits until it listens (or gives up after
/// `max_start_steps`), then plays the load to its end. An error says why there was no run.
pub fn run_loop(
    source: &str,
    filename: &str,
    options: Options,
    spec: &LoadSpec,
) -> Result<LoopReport, String> {
    run_loop_each(source, filename, options, spec, |_| {})
}

/// [`run_loop`], calling `each` with the session after every step of the run, from its first
/// (the main script) to the load's end (`looplab load --timeline` reads the run as it goes).
pub fn run_loop_each(
    source: &str,
    filename: &str,
    options: Options,
    spec: &LoadSpec,
    mut each: impl FnMut(&crate::session::Session),
) -> Result<LoopReport, String> {
    let mut s = crate::session::Session::new(source, filename, options).map_err(|e| e.0)?;
    start_listening(&mut s, &mut each)?;
    s.start_load(spec);
    loop {
        let now = s.engine().with_sim(|m| m.now());
        if s.load().is_some_and(|l| l.finished(now)) {
            break;
        }
        let step = s.play_step(None).map_err(|e| e.to_string())?;
        each(&s);
        match step {
            Step::Exited(code) => {
                return Err(format!(
                    "the program exited (status {code}) during the load, at {} ms",
                    now.as_ms()
                ))
            }
            _ => s.clear_output(),
        }
    }
    let mut load = s.stop_load().expect("started");
    // (Stopping sends what was due at the end: `each` sees those arrivals too.)
    each(&s);
    Ok(load.report(s.engine()))
}

fn start_listening(
    s: &mut crate::session::Session,
    each: &mut impl FnMut(&crate::session::Session),
) -> Result<(), String> {
    for _ in 0..1_000_000 {
        let step = s.step().map_err(|e| e.to_string())?;
        each(s);
        match step {
            Step::AwaitingInput => break,
            Step::Exited(code) => {
                let err: String = s.output().iter().map(|o| o.text.as_str()).collect();
                return Err(format!(
                    "the program exited (status {code}) before it listened{}",
                    if err.is_empty() {
                        String::new()
                    } else {
                        format!(":\n{err}")
                    }
                ));
            }
            _ => {}
        }
    }
    if !s.engine_mut().has_http_server() {
        return Err(
            "the program waits for no HTTP requests (no app.listen / server.listen)".into(),
        );
    }
    s.clear_output();
    Ok(())
}

/// Requests each route is measured with, one at a time.
pub const PROFILE_SAMPLES: u64 = 8;

/// What each route of `spec`'s mix costs when it runs alone: [`PROFILE_SAMPLES`] requests per
/// route, each sent when the loop is idle, on a fresh engine with the same options. A request's
/// profile is its CPU slices on the main thread (callbacks run with its tag) and the waits
/// between them (the database, the pool), from its arrival to its reply.
pub fn profile_routes(
    source: &str,
    filename: &str,
    options: Options,
    spec: &LoadSpec,
) -> Result<Vec<Vec<Profile>>, String> {
    let mut s = crate::session::Session::new(source, filename, options).map_err(|e| e.0)?;
    start_listening(&mut s, &mut |_| {})?;
    s.engine_mut().track_completions(0);
    let mut out = Vec::new();
    for w in spec.mix() {
        let mut samples = Vec::new();
        for _ in 0..PROFILE_SAMPLES {
            let arrived = s.engine().with_sim(|m| m.now());
            let id = s
                .send_route(&w.route)
                .ok_or("the server stopped listening")?;
            let mut segments: Vec<Segment> = Vec::new();
            let mut cursor = arrived;
            let finished = loop {
                let step = s.step().map_err(|e| e.to_string())?;
                let (now, tag, cpu) = s
                    .engine()
                    .with_sim(|m| (m.now(), m.ran_tag(), m.last_callback_cpu()));
                if let (Step::Run(_), Some(t)) = (step, tag) {
                    if t == id {
                        let start = now - cpu;
                        if start > cursor {
                            segments.push(Segment::Wait(start - cursor));
                        }
                        segments.push(Segment::Cpu(now - start.max(cursor)));
                        cursor = now;
                    }
                }
                let done = s.engine_mut().take_completions();
                if let Some(c) = done.iter().find(|c| c.id == id) {
                    break c.finished;
                }
                match step {
                    Step::Exited(code) => {
                        return Err(format!(
                            "the program exited (status {code}) while {} was measured",
                            w.route.key()
                        ))
                    }
                    Step::AwaitingInput => {
                        return Err(format!("{} never replied", w.route.key()));
                    }
                    _ => {}
                }
                s.clear_output();
            };
            // The reply went out during the last slice: the rest of it is not the client's wait,
            // but its thread's work all the same (the profile's tail).
            let over = cursor.saturating_sub(finished);
            if let Some(Segment::Cpu(last)) = segments.last_mut() {
                *last = last.saturating_sub(over);
            }
            let mut tail = over;
            // Let the loop settle (callbacks after the reply) before the next sample.
            loop {
                let step = s.step().map_err(|e| e.to_string())?;
                let (tag, cpu) = s
                    .engine()
                    .with_sim(|m| (m.ran_tag(), m.last_callback_cpu()));
                if matches!(step, Step::Run(_)) && tag == Some(id) {
                    tail += cpu;
                }
                if matches!(step, Step::AwaitingInput | Step::Exited(_)) {
                    break;
                }
            }
            s.clear_output();
            samples.push(Profile::with_tail(segments, tail));
        }
        out.push(samples);
    }
    Ok(out)
}
