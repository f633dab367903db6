//! A load test from the page: the engine's load on the running session, the thread-per-request
//! server beside it, and the figures the Load pane draws.
//!
//! HOW: [`LoadRun::start`] builds the engine's `LoadSpec` from the page's checked
//! [`LoadRequest`] and starts it on the session (`Session::start_load`: every step of
//! playback then sends the arrivals due and measures the replies). With "compare" on it also
//! runs the thread server at once: it does not run JavaScript, it plays each route's measured
//! profile (`profile_routes`, a fresh engine, one request at a time) on the same seeded
//! arrivals, which takes a fraction of the loop's time. The page then *reveals* the thread
//! server's seconds as the loop's virtual clock reaches them, so both lines grow together on
//! the same axes, and both summaries appear when the load ends.
//!
//! While the load runs the tiles show the last closed virtual second (throughput over the run
//! so far); at the end they show the whole run's figures, the same ones `looplab load` prints,
//! and the loop's one-line diagnosis. What this holds is bounded: the thread server's seconds
//! (one per virtual second of the load, at most an hour's) and a chart series cut to
//! [`MAX_POINTS`].

use looplab_engine::load::memory;
use looplab_engine::load::report::diagnose;
use looplab_engine::load::run::{profile_routes, LoopReport};
use looplab_engine::load::stats::{Second, Summary};
use looplab_engine::load::threads::{run_threads, ThreadConfig, ThreadReport};
use looplab_engine::session::Session;
use serde::{Deserialize, Serialize};

use crate::load_form::{thousands, LoadRequest};

/// Points a chart draws at most: longer runs merge neighbouring seconds.
pub const MAX_POINTS: usize = 240;

/// One server's figures. Fields a live view cannot know yet are None.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Replies so far.
    pub completed: u64,
    /// Requests sent (refused ones included) and errors (refused, timed out, 5xx): for the
    /// loop live and at the end, for the thread server at the end (over its whole seconds when
    /// stopped early); then by kind.
    pub sent: Option<u64>,
    pub errors: Option<u64>,
    pub refused: Option<u64>,
    pub timed_out: Option<u64>,
    pub server_errors: Option<u64>,
    /// Replies per virtual second.
    pub throughput_rps: f64,
    /// Latency in ms: of the last closed second while running, of the whole run at the end.
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub latency_p90_ms: Option<f64>,
    pub latency_mean_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    /// In flight: now (live) or at the end, the most at once, and the time average (end).
    pub in_flight: u64,
    pub in_flight_max: u64,
    pub in_flight_mean: Option<f64>,
    /// The loop's event-loop delay p99 (ms) and utilisation. For the thread server, which has
    /// no loop, their counterparts at the end: its run-queue delay p99 (how much later a slice
    /// of CPU ended than on a core of its own) and its cores' utilisation (cores busy on
    /// average over the cores it has).
    pub loop_delay_p99_ms: Option<f64>,
    pub elu: Option<f64>,
    /// Bytes at the in-flight peak so far: reserved (thread stacks at full size) and resident
    /// (known at the end).
    pub memory_bytes: u64,
    pub memory_resident: Option<u64>,
    /// The thread server: most threads alive, and connections refused.
    pub threads_peak: Option<u64>,
    /// The loop's libuv pool over the run (at the end): its busy workers, mean and most at
    /// once, and the mean time a job waited for a worker (ms).
    pub pool_busy_mean: Option<f64>,
    pub pool_busy_max: Option<u64>,
    pub pool_queue_wait_mean_ms: Option<f64>,
    pub series: Vec<Point>,
}

/// One point of a chart: a virtual second (or several merged).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Virtual seconds since the load started, at the point's end.
    pub t: f64,
    pub throughput_rps: f64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub in_flight: f64,
    pub memory_bytes: f64,
    pub loop_delay_p99_ms: Option<f64>,
}

/// What the Load pane shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadView {
    /// The test, in words ("10,000 users, think 5000 ms; GET /users/:id; 10 s; ...").
    pub title: String,
    pub running: bool,
    /// Virtual seconds of the load played, of `duration_s`.
    pub elapsed_s: f64,
    pub duration_s: f64,
    pub looped: Figures,
    pub threads: Option<Figures>,
    /// The thread server's settings, and at the end what happened to it.
    pub threads_note: Option<String>,
    /// clinic doctor's one line (at the end).
    pub diagnosis: Option<String>,
    /// The machine's RAM (the thread server's budget), against which both servers' memory is
    /// drawn.
    pub ram_bytes: u64,
    /// Stopped before its end (Stop, a step back, the program exited): the figures cover
    /// `elapsed_s`.
    pub stopped_early: bool,
    /// Why there is no thread comparison, or why the load could not start.
    pub error: Option<String>,
}

/// A load test on a runner's session.
pub struct LoadRun {
    duration_s: f64,
    threads: Option<Result<(ThreadConfig, ThreadReport), String>>,
    /// The live view's words, made once (a view is asked for after every step): the title,
    /// and the thread server's note while it runs.
    title: String,
    threads_note: Option<String>,
    /// The view once the load ended.
    done: Option<LoadView>,
}

impl LoadRun {
    /// Starts `request` on `session` (which must listen already); with compare, runs the
    /// thread server too. An error says why nothing started.
    pub fn start(
        session: &mut Session,
        source: &str,
        filename: &str,
        request: LoadRequest,
    ) -> Result<LoadRun, String> {
        if !session.engine_mut().has_http_server() {
            return Err(
                "The program waits for no HTTP requests (no app.listen or server.listen): \
                 a load test needs a server."
                    .into(),
            );
        }
        let routes = looplab_engine::load::routes(source);
        let spec = request.spec(&routes).map_err(|e| e.message)?;
        let threads = request.compare.then(|| {
            let cfg = ThreadConfig::default();
            let profiles = profile_routes(source, filename, session.options().clone(), &spec)?;
            run_threads(&spec, &cfg, &profiles).map(|r| (cfg, r))
        });
        session.start_load(&spec);
        let threads_note = match &threads {
            Some(Ok((cfg, _))) => Some(threads_note(cfg, None)),
            _ => None,
        };
        Ok(LoadRun {
            duration_s: spec.duration().as_ms_f64() / 1000.0,
            title: request.describe(),
            threads_note,
            threads,
            done: None,
        })
    }

    pub fn running(&self) -> bool {
        self.done.is_none()
    }

    /// Ends the load when the loop's clock reached its end (the result is kept); true when it
    /// just ended.
    pub fn poll(&mut self, session: &mut Session) -> bool {
        if self.done.is_some() {
            return false;
        }
        let now = session.engine().with_sim(|m| m.now());
        if !session.load().is_some_and(|l| l.finished(now)) {
            return false;
        }
        self.stop(session);
        true
    }

    /// Ends the load now (Stop, or its end): the loop's figures so far become its result.
    pub fn stop(&mut self, session: &mut Session) {
        if self.done.is_some() {
            return;
        }
        let mut view = self.live(session);
        let now = session.engine().with_sim(|m| m.now());
        let whole = session.load().is_some_and(|l| l.finished(now));
        if let Some(mut load) = session.stop_load() {
            let report = load.report(session.engine());
            let elapsed = view.elapsed_s;
            view.looped = loop_final(&report, if whole { self.duration_s } else { elapsed });
            view.diagnosis = Some(capitalise(&diagnose(&report)));
            view.stopped_early = !whole;
            if let Some(Ok((cfg, r))) = &self.threads {
                // Stopped early: the thread server's figures over the same span.
                view.threads = Some(if whole {
                    threads_final(r, cfg.cores)
                } else {
                    live_figures(&revealed(&r.summary.seconds, elapsed), None)
                });
                view.threads_note = Some(threads_note(cfg, Some(r)));
            }
        }
        view.running = false;
        self.done = Some(view);
    }

    /// What the pane shows now.
    pub fn view(&self, session: &Session) -> LoadView {
        match &self.done {
            Some(v) => v.clone(),
            None => self.live(session),
        }
    }

    fn live(&self, session: &Session) -> LoadView {
        let (elapsed, looped) = match session.load() {
            Some(load) => {
                let now = session.engine().with_sim(|m| m.now());
                let elapsed = if load.finished(now) {
                    self.duration_s
                } else {
                    now.saturating_sub(load.start()).as_ms_f64() / 1000.0
                };
                let live = load.live();
                let mut f = live_figures(live.seconds, Some(live.in_flight));
                f.sent = Some(live.sent);
                f.errors = Some(live.errors);
                f.in_flight_max = live.in_flight_max;
                f.memory_bytes = f.memory_bytes.max(
                    memory::loop_memory(
                        live.in_flight_max,
                        session.engine().with_sim(|m| m.pool().size()),
                    )
                    .0,
                );
                (elapsed, f)
            }
            None => (0.0, Figures::default()),
        };
        let (threads, threads_note, error) = match &self.threads {
            None => (None, None, None),
            Some(Ok((_, r))) => {
                let mut f = live_figures(&revealed(&r.summary.seconds, elapsed), None);
                // Its counts would lag the loop's by up to a second while both run: shown at
                // the end (or over its whole seconds when stopped early).
                (f.sent, f.errors) = (None, None);
                (Some(f), self.threads_note.clone(), None)
            }
            Some(Err(e)) => (
                None,
                None,
                Some(format!("No thread-per-request comparison: {e}")),
            ),
        };
        LoadView {
            title: self.title.clone(),
            running: true,
            elapsed_s: elapsed,
            duration_s: self.duration_s,
            looped,
            threads,
            threads_note,
            diagnosis: None,
            ram_bytes: ThreadConfig::default().ram,
            stopped_early: false,
            error,
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The seconds of a run that end by `elapsed`.
fn revealed(seconds: &[Second], elapsed: f64) -> Vec<Second> {
    seconds
        .iter()
        .take_while(|s| s.t as f64 <= elapsed + 1e-9)
        .cloned()
        .collect()
}

/// Figures from the closed seconds of a run: the last second's latency and delay, the
/// throughput over them all, the memory peak so far.
fn live_figures(seconds: &[Second], in_flight_now: Option<u64>) -> Figures {
    let completed: u64 = seconds.iter().map(|s| s.completed).sum();
    let last = seconds.last();
    Figures {
        completed,
        throughput_rps: if seconds.is_empty() {
            0.0
        } else {
            completed as f64 / seconds.len() as f64
        },
        latency_p50_ms: last.map_or(0.0, |s| s.latency_p50_ms),
        latency_p99_ms: last.map_or(0.0, |s| s.latency_p99_ms),
        in_flight: in_flight_now.unwrap_or_else(|| last.map_or(0, |s| s.in_flight)),
        in_flight_max: seconds.iter().map(|s| s.in_flight_max).max().unwrap_or(0),
        sent: last.map(|s| s.sent),
        errors: last.map(|s| s.errors),
        loop_delay_p99_ms: last.and_then(|s| s.loop_delay_p99_ms),
        elu: last.and_then(|s| s.elu),
        memory_bytes: seconds.iter().map(|s| s.memory_bytes).max().unwrap_or(0),
        series: series(seconds),
        ..Figures::default()
    }
}

fn summary_figures(s: &Summary, series_of: &[Second]) -> Figures {
    Figures {
        completed: s.requests,
        sent: Some(s.sent),
        errors: Some(s.errors.total()),
        refused: Some(s.errors.refused),
        timed_out: Some(s.errors.timed_out),
        server_errors: Some(s.errors.server),
        throughput_rps: s.throughput_rps,
        latency_p50_ms: s.latency_ms.p50,
        latency_p99_ms: s.latency_ms.p99,
        latency_p90_ms: Some(s.latency_ms.p90),
        latency_mean_ms: Some(s.latency_ms.mean),
        latency_max_ms: Some(s.latency_ms.max),
        in_flight: s.in_flight.now,
        in_flight_max: s.in_flight.max,
        in_flight_mean: Some(s.in_flight.mean),
        series: series(series_of),
        ..Figures::default()
    }
}

/// The loop's result; stopped early, over the `elapsed` seconds it ran (the engine's summary
/// runs to the load's planned end: its throughput and time average are taken over what ran).
fn loop_final(r: &LoopReport, elapsed: f64) -> Figures {
    let seconds = revealed(&r.summary.seconds, elapsed);
    let mut f = summary_figures(&r.summary, &seconds);
    if elapsed + 1e-9 < r.summary.duration_s {
        f.throughput_rps = if elapsed > 0.0 {
            f.completed as f64 / elapsed
        } else {
            0.0
        };
        f.in_flight_mean = None;
    }
    f.loop_delay_p99_ms = Some(r.delay_p99_ms);
    f.elu = Some(r.elu);
    f.pool_busy_mean = Some(r.pool_busy_mean);
    f.pool_busy_max = Some(r.pool_busy_max as u64);
    f.pool_queue_wait_mean_ms = Some(r.pool_queue_wait_mean_ms);
    f.memory_bytes = r.peak_memory;
    f.memory_resident = Some(r.peak_resident);
    f
}

fn threads_final(r: &ThreadReport, cores: u32) -> Figures {
    let mut f = summary_figures(&r.summary, &r.summary.seconds);
    f.elu = Some(r.cores_busy_mean / cores.max(1) as f64);
    f.loop_delay_p99_ms = Some(r.run_delay_p99_ms);
    f.memory_bytes = r.peak_memory;
    f.memory_resident = Some(r.peak_resident);
    f.threads_peak = Some(r.peak_threads);
    f
}

/// The thread server's settings in words, and what happened to it (at the end).
fn threads_note(cfg: &ThreadConfig, r: Option<&ThreadReport>) -> String {
    let threads = match cfg.max_threads {
        Some(t) => format!("at most {} threads", thousands(t as u64)),
        None => "a thread per connection".into(),
    };
    let mut note = format!(
        "Thread-per-request server: {threads} (Tomcat's default), an accept backlog of {}, \
         {} MiB of stack each, {} cores, {} GiB of RAM",
        cfg.backlog,
        cfg.stack >> 20,
        cfg.cores,
        cfg.ram as f64 / (1u64 << 30) as f64
    );
    if let Some(r) = r {
        note.push_str(&format!(
            ". It ran {} threads at most and refused {} connections",
            thousands(r.peak_threads),
            thousands(r.summary.errors.refused)
        ));
        if r.creation_refused > 0 {
            note.push_str(&format!(
                "; {} threads could not be created (their stacks did not fit in RAM)",
                thousands(r.creation_refused)
            ));
        }
    }
    note.push('.');
    note
}

/// A chart's points: every second, or neighbours merged when there are more than
/// [`MAX_POINTS`] (throughput averaged, the rest their worst).
pub fn series(seconds: &[Second]) -> Vec<Point> {
    let per = seconds.len().div_ceil(MAX_POINTS).max(1);
    seconds
        .chunks(per)
        .map(|c| {
            let last = c.last().expect("chunks are not empty");
            let max = |f: fn(&Second) -> f64| c.iter().map(f).fold(0.0, f64::max);
            Point {
                t: last.t as f64,
                throughput_rps: c.iter().map(|s| s.completed as f64).sum::<f64>() / c.len() as f64,
                latency_p50_ms: max(|s| s.latency_p50_ms),
                latency_p99_ms: max(|s| s.latency_p99_ms),
                in_flight: max(|s| s.in_flight_max as f64),
                memory_bytes: max(|s| s.memory_bytes as f64),
                loop_delay_p99_ms: c
                    .iter()
                    .filter_map(|s| s.loop_delay_p99_ms)
                    .reduce(f64::max),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn second(t: u32) -> Second {
        Second {
            t,
            completed: 10 * t as u64,
            latency_p50_ms: t as f64,
            latency_p99_ms: 2.0 * t as f64,
            in_flight: 3,
            in_flight_max: t as u64,
            sent: 12 * t as u64,
            errors: t as u64 / 2,
            memory_bytes: 1000 + t as u64,
            loop_delay_p99_ms: Some(1.5),
            elu: Some(0.25),
        }
    }

    #[test]
    fn a_long_run_is_drawn_with_a_bounded_number_of_points() {
        let seconds: Vec<Second> = (1..=3600).map(second).collect();
        let s = series(&seconds);
        assert!(s.len() <= MAX_POINTS, "{}", s.len());
        assert_eq!(s.last().unwrap().t, 3600.0);
        // Merged seconds: throughput is their mean, the rest their worst.
        let first = &s[0];
        let per = 3600usize.div_ceil(MAX_POINTS);
        let mean = (1..=per).map(|t| 10.0 * t as f64).sum::<f64>() / per as f64;
        assert_eq!(first.throughput_rps, mean);
        assert_eq!(first.latency_p99_ms, 2.0 * per as f64);
        assert_eq!(series(&seconds[..5]).len(), 5);
    }

    #[test]
    fn live_figures_are_the_last_second_and_the_run_so_far() {
        let seconds: Vec<Second> = (1..=4).map(second).collect();
        let f = live_figures(&seconds, Some(7));
        assert_eq!(f.completed, 100);
        assert_eq!(f.throughput_rps, 25.0);
        assert_eq!(f.latency_p99_ms, 8.0);
        assert_eq!(f.in_flight, 7);
        assert_eq!(f.in_flight_max, 4);
        assert_eq!(f.memory_bytes, 1004);
        assert_eq!((f.sent, f.errors), (Some(48), Some(2)), "counts so far");
        assert_eq!(revealed(&seconds, 2.5).len(), 2);
        assert_eq!(live_figures(&[], None), Figures::default());
    }
}
