//! The running program: a [`Session`] (the engine with deterministic replay) plus what the page
//! needs around it: the console split into lines, the caption of the last step, the steady
//! request rate. The app keeps one `Runner` outside the reducer (a JavaScript heap is neither
//! `Clone` nor `PartialEq`) and dispatches its [`View`] after every action.
//!
//! Every method here is plain Rust, so the whole behaviour (routes, captions, rate, step back)
//! is tested natively; the browser only adds the clock that paces playback.

use looplab_engine::load::{Route, SteadyRate};
use looplab_engine::looplab_model::Stream;
use looplab_engine::looplab_model::{Config, EventKind, Micros, ModelError, Sim, Snapshot, Step};
use looplab_engine::session::{Replay, Session};
use looplab_engine::{Options, Output};

use crate::explain::{self, RequestNews};
use crate::view::{self, LineBuffer, View, QUEUE_LIMIT};

/// The file name programs run as (what `__filename` says and stack traces show).
pub const FILENAME: &str = "/app/server.js";

pub struct Runner {
    session: Result<Session, String>,
    pool_size: u16,
    console: LineBuffer,
    stderr: String,
    /// How many of the session's outputs are in `console`/`stderr`.
    consumed: usize,
    /// The snapshot before the last step (names the operations the caption talks about).
    before: Snapshot,
    /// The last step, when the caption is to be written from it (lazily, in `view`: playback
    /// takes many steps per frame and only the last one is shown).
    last: Option<Option<Step>>,
    /// The caption when no step explains the state (before the first step, after a step back).
    caption: String,
    /// An HTTP server listens (requests can be sent).
    listening: bool,
    /// Input arrived since the last step (so a loop that awaited input has work again).
    woken: bool,
    /// Take the "before" snapshot for the next step (see `play_step_with`).
    exact: bool,
    /// A step back in progress: the run replayed from the start beside the live one (see
    /// [`Runner::begin_step_back`]).
    rewind: Option<Replay>,
}

/// A step back that replays more steps than this is done a slice per frame
/// ([`Runner::rewind`]) instead of at once (≈70 µs a step in the release build).
pub const REWIND_AT_ONCE: u64 = 1_500;

impl Runner {
    /// Loads `source` with a thread pool of `pool_size` workers (the program's own
    /// `process.env.UV_THREADPOOL_SIZE` wins, as in libuv). Nothing runs until the first step.
    pub fn new(source: &str, pool_size: u16) -> Runner {
        let mut options = Options::default();
        options.config.pool_size = looplab_engine::looplab_model::clamp_pool_size(pool_size as i64);
        let session = Session::new(source, FILENAME, options.clone()).map_err(|e| e.to_string());
        let before = match &session {
            Ok(s) => s.engine().snapshot(QUEUE_LIMIT),
            // Nothing runs: the picture of a process that has not started.
            Err(_) => empty_snapshot(options.config),
        };
        Runner {
            session,
            pool_size,
            console: LineBuffer::default(),
            stderr: String::new(),
            consumed: 0,
            before,
            last: None,
            caption: explain::IDLE_CAPTION.to_owned(),
            listening: false,
            woken: false,
            exact: true,
            rewind: None,
        }
    }

    pub fn pool_size(&self) -> u16 {
        self.pool_size
    }

    pub fn steps(&self) -> u64 {
        self.session.as_ref().map(|s| s.steps()).unwrap_or(0)
    }

    /// Virtual time now.
    pub fn now(&self) -> Micros {
        self.session
            .as_ref()
            .map(|s| s.engine().with_sim(|m| m.now()))
            .unwrap_or(Micros::ZERO)
    }

    pub fn exited(&self) -> bool {
        match &self.session {
            Ok(s) => s.engine().exited().is_some(),
            Err(_) => true,
        }
    }

    /// True when the loop waits for outside input (and no steady rate will send it).
    pub fn idle(&self) -> bool {
        self.rate().is_none()
            && !self.woken
            && self
                .session
                .as_ref()
                .is_ok_and(|s| s.last_step() == Some(Step::AwaitingInput))
    }

    /// The steady rate of requests, if one is on.
    pub fn rate(&self) -> Option<&SteadyRate> {
        self.session.as_ref().ok().and_then(|s| s.rate())
    }

    /// Starts (or replaces) a steady rate of requests to `method pattern`.
    pub fn start_rate(&mut self, method: &str, pattern: &str, per_second: u32) {
        if let Ok(s) = &mut self.session {
            s.start_rate(route(method, pattern), per_second);
        }
    }

    pub fn stop_rate(&mut self) {
        if let Ok(s) = &mut self.session {
            s.stop_rate();
        }
    }

    /// One step (a whole callback when one runs). None when the program cannot run.
    pub fn step(&mut self) -> Option<Step> {
        self.step_with(|s| s.step())
    }

    /// One step during playback: sends the requests the steady rate has due, and cuts a poll
    /// sleep at `limit` (real-time playback) or at the rate's next request, whichever is first.
    pub fn play_step(&mut self, limit: Option<Micros>) -> Option<Step> {
        self.play_step_with(limit, true)
    }

    /// `play_step` for fast playback: without `exact`, no snapshot is taken before the step
    /// (the caption then names operations from callback names alone), which keeps a step cheap
    /// when a thousand watchers wait.
    pub fn play_step_with(&mut self, limit: Option<Micros>, exact: bool) -> Option<Step> {
        self.exact = exact;
        self.step_with(|s| s.play_step(limit))
    }

    /// Steps over the rest of the current phase.
    pub fn step_phase(&mut self) -> Option<Step> {
        self.step_with(|s| s.step_phase())
    }

    /// Steps to the start of the next loop iteration.
    pub fn step_iteration(&mut self) -> Option<Step> {
        self.step_with(|s| s.step_iteration())
    }

    /// Goes back one step by replaying from the start (deterministic), at once.
    pub fn step_back(&mut self) {
        if self.begin_step_back() {
            while self.rewind(u64::MAX).is_some() {}
        }
    }

    /// Starts going back one step (or one step further, when a step back is already
    /// replaying). A short replay is done at once and false is returned; a long one is left
    /// for [`Runner::rewind`] to advance (true), while the page keeps showing the present.
    pub fn begin_step_back(&mut self) -> bool {
        // The steady rate stops with any step back (even one given up before it lands).
        self.stop_rate();
        let Ok(s) = &self.session else { return false };
        let target = match self.rewind.take() {
            Some(mut r) => {
                let target = r.target().saturating_sub(1);
                if r.steps() <= target {
                    r.retarget(target);
                    self.rewind = Some(r);
                    return true;
                }
                // Already replayed past it: start again, to the step now wanted.
                target
            }
            None if s.steps() == 0 => return false,
            None => s.steps() - 1,
        };
        let Ok(replay) = s.replay_to(target) else {
            return false;
        };
        self.rewind = Some(replay);
        if target <= REWIND_AT_ONCE {
            while self.rewind(u64::MAX).is_some() {}
            return false;
        }
        true
    }

    /// A long step back in progress: (steps replayed, target).
    pub fn rewinding(&self) -> Option<(u64, u64)> {
        self.rewind.as_ref().map(|r| (r.steps(), r.target()))
    }

    /// Replays up to `max_steps` more steps of a step back; when it is done, the replayed run
    /// replaces the live one and None is returned.
    pub fn rewind(&mut self, max_steps: u64) -> Option<(u64, u64)> {
        let r = self.rewind.as_mut()?;
        match r.advance(max_steps) {
            Ok(false) => return Some((r.steps(), r.target())),
            Ok(true) => {}
            // The same program, options and inputs failed on replay: keep the live run.
            Err(_) => {
                self.rewind = None;
                return None;
            }
        }
        let replayed = self.rewind.take()?.finish();
        let target = replayed.steps();
        self.session = Ok(replayed);
        let Ok(s) = &mut self.session else {
            return None;
        };
        self.listening = s.engine_mut().has_http_server();
        self.before = s.engine().snapshot(QUEUE_LIMIT);
        self.console = LineBuffer::default();
        self.stderr.clear();
        self.consumed = 0;
        self.absorb_output();
        // (The steady rate already stopped in `begin_step_back`.)
        self.last = None;
        self.caption = if target == 0 {
            explain::IDLE_CAPTION.to_owned()
        } else {
            format!("Stepped back to step {target} (replayed from the start: the run is deterministic).")
        };
        None
    }

    /// Gives up a step back in progress (the user did something else).
    pub fn cancel_rewind(&mut self) {
        self.rewind = None;
    }

    /// Runs until the program exits or waits for input (at most 100,000 steps).
    pub fn run_to_idle(&mut self) -> Option<Step> {
        let mut last = None;
        for _ in 0..100_000 {
            last = self.step();
            if matches!(last, Some(Step::Exited(_) | Step::AwaitingInput) | None) {
                break;
            }
        }
        last
    }

    /// A client sends `method url`; returns the request id, or None when no server listens.
    pub fn send(&mut self, method: &str, url: &str) -> Option<u64> {
        self.rewind = None;
        let s = self.session.as_mut().ok()?;
        let id = s.send_request(method, url)?;
        self.woken = true;
        Some(id)
    }

    /// Sends a request to a route pattern, filling `:params` with the request's number.
    pub fn send_route(&mut self, method: &str, pattern: &str) -> Option<u64> {
        self.rewind = None;
        let s = self.session.as_mut().ok()?;
        let id = s.send_route(&route(method, pattern))?;
        self.woken = true;
        Some(id)
    }

    /// The label of the callback the last step ran, if it ran one.
    pub fn last_callback_label(&self) -> Option<String> {
        let s = self.session.as_ref().ok()?;
        s.last_frames().into_iter().next().map(|f| f.label)
    }

    fn step_with(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<Step, ModelError>,
    ) -> Option<Step> {
        // Going forward gives up a step back still replaying.
        self.rewind = None;
        let s = self.session.as_mut().ok()?;
        if let Some(code) = s.engine().exited() {
            return Some(Step::Exited(code));
        }
        if std::mem::replace(&mut self.exact, true) {
            self.before = s.engine().snapshot(QUEUE_LIMIT);
        } else {
            self.before.queues.clear();
            self.before.workers.clear();
            self.before.pool_queue.items.clear();
            self.before.now = s.engine().with_sim(|m| m.now());
        }
        self.woken = false;
        let step = f(s).ok();
        if matches!(step, Some(Step::Exited(_))) {
            // Nothing more can be sent to a process that has gone.
            s.stop_rate();
        }
        // Only JavaScript can open or close a server: ask again after callbacks ran.
        if s.last_events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::CallbackStart { .. }))
        {
            self.listening = s.engine_mut().has_http_server();
        }
        self.absorb_output();
        self.last = Some(step);
        step
    }

    fn absorb_output(&mut self) {
        let Ok(s) = &self.session else { return };
        for Output { stream, text } in &s.output()[self.consumed..] {
            match stream {
                Stream::Stdout => self.console.push(text),
                Stream::Stderr => self.stderr.push_str(text),
            }
        }
        self.consumed = s.output().len();
    }

    fn explain(&self, s: &Session, step: Option<Step>, after: &Snapshot) -> String {
        let (from, to) = (self.before.now, after.now);
        let mut news = RequestNews::default();
        if s.last_events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::CallbackStart { .. }))
        {
            for r in s.engine().requests() {
                if r.started.is_some_and(|t| t > from && t <= to) {
                    news.started.push(r.id);
                }
                if let (Some(t), Some(status), Some(l)) = (r.finished, r.status, r.latency()) {
                    if t > from && t <= to {
                        news.finished.push((r.id, status, l.as_ms_f64()));
                    }
                }
            }
        }
        s.engine().with_labels(|labels| {
            explain::caption(step, s.last_events(), labels, &self.before, after, &news)
        })
    }

    /// What the page shows now.
    pub fn view(&self) -> View {
        let s = match &self.session {
            Ok(s) => s,
            Err(e) => {
                let mut v = View::idle(self.pool_size, "The program could not be loaded.");
                v.stderr = e.clone();
                v.exited = Some(1);
                return v;
            }
        };
        let snap = s.engine().snapshot(QUEUE_LIMIT);
        let records = s.engine().requests();
        let ran = matches!(s.last_step(), Some(Step::Run(_)))
            || s.last_events()
                .iter()
                .any(|e| matches!(e.kind, EventKind::CallbackStart { .. }));
        let stack = if !snap.stack.is_empty() {
            view::stack(&snap.stack)
        } else if ran {
            view::stack(&s.last_frames())
        } else {
            Vec::new()
        };
        let started = s.steps() > 0;
        View {
            steps: s.steps(),
            now_us: snap.now.0,
            loop_ms: snap.loop_ms,
            iteration: snap.iteration,
            phase: if started {
                view::phase_of(snap.phase)
            } else {
                None
            },
            in_main: started && snap.phase == looplab_engine::looplab_model::Phase::Main,
            stack,
            queues: view::queues(&snap),
            pool_size: snap.pool_size,
            workers: view::workers(&snap),
            pool_queue: view::pool_queue(&snap),
            console: self.console.view(),
            stderr: self.stderr.clone(),
            requests: view::requests_view(&records, snap.now),
            current_line: if ran { s.engine().current_line() } else { None },
            caption: match (self.rewinding(), self.last) {
                (Some((_, target)), _) => rewind_caption(target),
                (None, Some(step)) => self.explain(s, step, &snap),
                (None, None) => self.caption.clone(),
            },
            rewinding: self.rewinding(),
            born: born(s.last_events()),
            exited: snap.exited,
            awaiting_input: s.last_step() == Some(Step::AwaitingInput),
            listening: self.listening,
            rate_on: s.rate().is_some(),
            active_handles: snap.active_handles,
            active_reqs: snap.active_reqs,
        }
    }
}

/// A `Route` from its method and pattern.
fn route(method: &str, pattern: &str) -> Route {
    Route {
        method: method.to_owned(),
        pattern: pattern.to_owned(),
    }
}

/// The picture of a process that has not started (when a program cannot be loaded).
fn empty_snapshot(config: Config) -> Snapshot {
    Sim::new(config)
        .or_else(|_| Sim::new(Config::default()))
        .map(|m| m.snapshot(0))
        .expect("the default configuration is valid")
}

/// The tasks enqueued while a callback ran, in the events of one step.
fn born(events: &[looplab_engine::looplab_model::TraceEvent]) -> Vec<u64> {
    let mut running = false;
    let mut born = Vec::new();
    for e in events {
        match &e.kind {
            EventKind::CallbackStart { .. } => running = true,
            EventKind::CallbackEnd { .. } => running = false,
            EventKind::Enqueue { task, .. } if running && !born.contains(&task.0) => {
                born.push(task.0)
            }
            _ => {}
        }
    }
    born
}

/// The caption while a long step back replays. It changes only with the target (the caption
/// is a live region: a screen reader should not hear every frame's progress, which the
/// caption's progress bar shows).
pub fn rewind_caption(target: u64) -> String {
    format!(
        "Going back to step {target}: replaying the run from the start. A JavaScript heap \
         cannot be copied, so going back means running the same program, inputs and seed again."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::{default_preset, preset, PRESETS};
    use crate::view::RequestState;

    fn server() -> Runner {
        let mut r = Runner::new(default_preset().source, 4);
        assert_eq!(r.run_to_idle(), Some(Step::AwaitingInput));
        assert_eq!(
            r.view().console.lines,
            vec![(1, "listening on 3000".to_owned())]
        );
        r
    }

    /// Steps until `pred` holds for the view (bounded).
    fn until(r: &mut Runner, what: &str, pred: impl Fn(&View) -> bool) -> View {
        for _ in 0..500 {
            r.step();
            let v = r.view();
            if pred(&v) {
                return v;
            }
        }
        panic!("never saw: {what}");
    }

    fn queue(v: &View, kind: crate::catalog::QueueKind) -> Vec<String> {
        v.queue(kind)
            .items
            .iter()
            .map(|i| format!("{} [{}]", i.label, i.detail))
            .collect()
    }

    #[test]
    fn the_database_route_waits_in_the_kernel_then_resumes_as_a_microtask() {
        use crate::catalog::QueueKind;
        let mut r = server();
        let id = r.send_route("GET", "/users/:id").unwrap();
        assert_eq!(r.view().requests.rows[0].url, "/users/1");
        assert_eq!(r.view().requests.rows[0].state, RequestState::Waiting);
        let v = until(&mut r, "the handler on the stack", |v| {
            v.stack.iter().any(|f| f.label == "onconnection (request)")
        });
        assert_eq!(v.stack.last().unwrap().label, "db.query", "{:?}", v.stack);
        assert_eq!(v.requests.rows[0].state, RequestState::Running);
        assert!(
            queue(&v, QueueKind::Poll).iter().any(
                |i| i.contains("onQueryReply") && i.contains("db.query: waiting in the kernel")
            ),
            "{:?}",
            queue(&v, QueueKind::Poll)
        );
        assert!(v
            .console
            .lines
            .iter()
            .any(|(_, l)| l == "Request received for user 1"));
        assert_eq!(v.current_line, Some(12), "the db.query line");
        let v = until(&mut r, "the reply callback", |v| {
            v.stack.first().is_some_and(|f| f.label == "onQueryReply")
        });
        assert!(
            v.queue(QueueKind::Microtask).count >= 1,
            "the continuation waits as a microtask"
        );
        let v = until(&mut r, "the response", |v| v.requests.done == 1);
        let row = &v.requests.rows[0];
        assert_eq!(
            (row.id, row.status, row.state),
            (id, Some(200), RequestState::Done)
        );
        assert!(row.ms > 15.0 && row.ms < 40.0, "db latency {}", row.ms);
    }

    #[test]
    fn the_file_route_makes_trips_through_the_pool() {
        let mut r = server();
        r.send_route("GET", "/files/report").unwrap();
        let v = until(&mut r, "a busy worker", |v| {
            v.workers.iter().any(|w| w.state() == "busy")
        });
        assert!(
            v.workers
                .iter()
                .any(|w| w.job.as_ref().is_some_and(|j| j.label.starts_with("fs."))),
            "{:?}",
            v.workers
        );
        let v = until(&mut r, "the response", |v| v.requests.done == 1);
        assert_eq!(v.requests.rows[0].status, Some(200));
    }

    #[test]
    fn the_hash_route_keeps_a_worker_busy_for_about_75_ms() {
        let mut r = server();
        r.send_route("GET", "/login").unwrap();
        let v = until(&mut r, "a busy worker", |v| {
            v.workers.iter().any(|w| w.state() == "busy")
        });
        let job = v.workers.iter().find_map(|w| w.job.clone()).unwrap();
        assert_eq!(job.label, "crypto.pbkdf2");
        assert!(job.left_ms > 50.0, "{job:?}");
        let v = until(&mut r, "the response", |v| v.requests.done == 1);
        assert!(v.requests.rows[0].ms > 50.0);
    }

    #[test]
    fn the_cpu_route_blocks_the_loop_for_50_ms() {
        let mut r = server();
        r.send_route("GET", "/report/cpu").unwrap();
        r.send_route("GET", "/users/:id").unwrap();
        let v = until(&mut r, "both responses", |v| v.requests.done == 2);
        let user = v
            .requests
            .rows
            .iter()
            .find(|row| row.url.starts_with("/users"))
            .unwrap();
        assert!(
            user.ms >= 50.0,
            "the user request waited behind the busy loop: {}",
            user.ms
        );
    }

    #[test]
    fn every_finite_preset_runs_to_exit_0_without_errors() {
        for p in PRESETS.iter().filter(|p| !p.server) {
            let mut r = Runner::new(p.source, 4);
            assert_eq!(r.run_to_idle(), Some(Step::Exited(0)), "{}", p.key);
            let v = r.view();
            assert_eq!(v.stderr, "", "{}", p.key);
            assert!(v.console.total > 2, "{}", p.key);
        }
    }

    #[test]
    fn presets_print_what_real_node_printed() {
        for p in PRESETS.iter().filter(|p| !p.server) {
            let expected = std::fs::read_to_string(format!(
                "{}/tests/e2e/expected/{}.out",
                env!("CARGO_MANIFEST_DIR"),
                p.key
            ))
            .unwrap();
            let mut r = Runner::new(p.source, 4);
            r.run_to_idle();
            let got: String = r
                .view()
                .console
                .lines
                .iter()
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            assert_eq!(got, expected, "{}", p.key);
        }
    }

    #[test]
    fn pool_saturation_queues_two_jobs_behind_four_workers_and_none_with_six() {
        let p = preset("pool-saturation").unwrap();
        let mut r = Runner::new(p.source, 4);
        let v = until(&mut r, "four busy workers", |v| {
            v.workers.iter().filter(|w| w.state() == "busy").count() == 4
        });
        assert_eq!(v.pool_queue.count, 2);
        let mut r = Runner::new(p.source, 6);
        let v = until(&mut r, "six busy workers", |v| {
            v.workers.iter().filter(|w| w.state() == "busy").count() == 6
        });
        assert_eq!((v.pool_size, v.pool_queue.count), (6, 0));
    }

    #[test]
    fn errors_go_to_stderr_not_the_console() {
        let mut r = Runner::new("console.log('a');\nconst x = ;\n", 4);
        assert_eq!(r.run_to_idle(), Some(Step::Exited(1)));
        let v = r.view();
        assert!(v.stderr.contains("SyntaxError"), "{}", v.stderr);
        assert!(v.stderr.contains("line 2"), "{}", v.stderr);
        assert!(v.console.lines.is_empty());
        let mut r = Runner::new("setTimeout(() => { throw new Error('boom'); }, 1);", 4);
        assert_eq!(r.run_to_idle(), Some(Step::Exited(1)));
        assert!(r.view().stderr.contains("Error: boom"));
        assert_eq!(r.view().exited, Some(1));
    }

    #[test]
    fn a_long_step_back_replays_a_slice_at_a_time_and_can_go_further_back() {
        let mut r = server();
        for _ in 0..200 {
            r.send_route("GET", "/users/:id");
        }
        let mut views = Vec::new();
        while r.steps() < REWIND_AT_ONCE + 50 {
            r.step();
            views.push(r.view());
        }
        let now = r.view();
        assert!(r.begin_step_back(), "a long replay is left to rewind()");
        assert_eq!(r.rewinding(), Some((0, now.steps - 1)));
        let during = r.view();
        assert_eq!(during.steps, now.steps, "the present stays on screen");
        assert_eq!(during.queues, now.queues);
        assert!(
            during
                .caption
                .starts_with(&format!("Going back to step {}", now.steps - 1)),
            "{}",
            during.caption
        );
        // Back again while it replays: one step further.
        assert!(r.begin_step_back());
        assert_eq!(r.rewinding().map(|p| p.1), Some(now.steps - 2));
        let mut slices = 0;
        while let Some((done, target)) = r.rewind(100) {
            assert!(done <= target);
            slices += 1;
        }
        assert!(slices >= 15, "{slices} slices");
        let back = r.view();
        let expected = views.iter().find(|v| v.steps == now.steps - 2).unwrap();
        assert_eq!(back.steps, expected.steps);
        assert_eq!(back.queues, expected.queues);
        assert_eq!(back.requests, expected.requests);
        assert_eq!(back.console, expected.console);
        assert_eq!(back.rewinding, None);
        // Stepping forward gives up a rewind in progress.
        assert!(r.begin_step_back());
        r.step();
        assert_eq!(r.rewinding(), None);
        assert_eq!(r.view().steps, expected.steps + 1);
    }

    #[test]
    fn going_back_further_than_a_replay_has_reached_starts_again_at_the_step_wanted() {
        let mut r = server();
        for _ in 0..200 {
            r.send_route("GET", "/users/:id");
        }
        while r.steps() < REWIND_AT_ONCE + 50 {
            r.step();
        }
        assert!(r.begin_step_back());
        r.rewind(40);
        let reached = r.rewinding().unwrap().0;
        assert_eq!(reached, 40);
        // Back, again and again, until the target is where the replay is ...
        while r.rewinding().unwrap().1 > reached {
            assert!(r.begin_step_back());
        }
        // ... and once more: it has passed that step, so it starts again, to the step wanted.
        r.begin_step_back();
        assert_eq!(r.rewinding(), None, "a short replay is done at once");
        assert_eq!(r.steps(), reached - 1);
    }

    #[test]
    fn a_step_back_stops_the_steady_rate_even_when_given_up() {
        let mut r = server();
        r.start_rate("GET", "/users/:id", 50);
        while r.steps() < REWIND_AT_ONCE + 50 {
            r.play_step(None);
        }
        assert!(r.begin_step_back());
        assert!(r.rate().is_none());
        r.step();
        assert_eq!(r.rewinding(), None);
        assert!(
            r.rate().is_none(),
            "no request is sent by a rate the page shows as stopped"
        );
    }

    #[test]
    fn every_pane_says_which_request_a_callback_belongs_to() {
        use crate::catalog::QueueKind;
        let mut r = server();
        r.send_route("GET", "/users/:id");
        r.send_route("GET", "/users/:id");
        let id = |v: &View| v.requests.rows[0].id; // the newest
        let v = r.view();
        let last = id(&v);
        assert!(
            v.queue(QueueKind::Poll)
                .items
                .iter()
                .any(|i| i.tag == Some(last)),
            "the socket watcher"
        );
        let v = until(&mut r, "the second handler", |v| {
            v.stack
                .first()
                .is_some_and(|f| f.label == "onconnection (request)" && f.tag == Some(last))
        });
        let watcher = v
            .queue(QueueKind::Poll)
            .items
            .iter()
            .find(|i| i.label == "onQueryReply" && i.tag == Some(last));
        assert!(
            watcher.is_some(),
            "its query waits in the kernel, tagged: {:?}",
            v.queue(QueueKind::Poll).items
        );
        let v = until(&mut r, "its continuation", |v| {
            v.queue(QueueKind::Microtask)
                .items
                .iter()
                .any(|i| i.tag == Some(last))
        });
        assert_eq!(
            v.stack.first().and_then(|f| f.tag),
            Some(last),
            "the reply callback that resolved it"
        );
        // A pool job carries its request too; the main script's work carries none.
        r.send_route("GET", "/login");
        let v = until(&mut r, "the hash on a worker", |v| {
            v.workers.iter().any(|w| w.job.is_some())
        });
        let job = v.workers.iter().find_map(|w| w.job.as_ref()).unwrap();
        assert_eq!(job.tag, Some(id(&v)));
        let mut fresh = Runner::new(crate::presets::preset("pool-saturation").unwrap().source, 4);
        fresh.step();
        assert!(fresh
            .view()
            .workers
            .iter()
            .filter_map(|w| w.job.as_ref())
            .all(|j| j.tag.is_none()));
    }

    #[test]
    fn the_view_names_what_the_callback_queued() {
        let mut r = server();
        r.send_route("GET", "/users/:id");
        let v = until(&mut r, "the handler on the stack", |v| {
            v.stack.iter().any(|f| f.label == "onconnection (request)")
        });
        // The handler's db.query put a watcher in the poll lane: it is born in this step.
        let watcher = v
            .queue(crate::catalog::QueueKind::Poll)
            .items
            .iter()
            .find(|i| i.label == "onQueryReply")
            .expect("the watcher");
        assert!(
            v.born.contains(&watcher.id),
            "{:?} vs {}",
            v.born,
            watcher.id
        );
        // A step that runs no callback queues nothing.
        let v = until(&mut r, "a step without a callback", |v| v.stack.is_empty());
        assert!(v.born.is_empty(), "{:?}", v.born);
    }

    #[test]
    fn step_back_replays_to_the_previous_view() {
        let mut r = server();
        r.send_route("GET", "/users/:id");
        let mut views = vec![r.view()];
        for _ in 0..12 {
            r.step();
            views.push(r.view());
        }
        for expected in views.iter().rev().skip(1) {
            r.step_back();
            let got = r.view();
            assert_eq!(got.steps, expected.steps);
            assert_eq!(got.queues, expected.queues);
            assert_eq!(got.workers, expected.workers);
            assert_eq!(got.console, expected.console);
            assert_eq!(got.requests, expected.requests);
        }
    }

    #[test]
    fn a_steady_rate_sends_requests_in_virtual_time() {
        let mut r = server();
        let t0 = r.now();
        r.start_rate("GET", "/users/:id", 10);
        while r.now() < t0 + Micros::from_ms(1_000) {
            r.play_step(None);
        }
        let v = r.view();
        assert!(
            (10..=11).contains(&v.requests.total),
            "{} requests in a virtual second",
            v.requests.total
        );
        assert!(v.requests.done >= 9);
        r.stop_rate();
        assert_eq!(r.run_to_idle(), Some(Step::AwaitingInput));
        // Step back still replays the same run (limits and inputs are recorded).
        let before = r.view();
        r.step();
        r.step_back();
        assert_eq!(r.view().requests, before.requests);
    }

    #[test]
    fn an_idle_server_is_idle_until_a_request_arrives() {
        let mut r = server();
        assert!(r.idle());
        r.send_route("GET", "/login");
        assert!(!r.idle(), "the request wakes playback up");
        r.run_to_idle();
        assert!(r.idle());
    }

    #[test]
    fn fast_playback_skips_the_snapshot_but_still_names_the_request() {
        let mut r = server();
        r.send_route("GET", "/users/:id");
        let v = (0..50)
            .find_map(|_| {
                r.play_step_with(None, false);
                let v = r.view();
                v.stack
                    .iter()
                    .any(|f| f.label == "onconnection (request)")
                    .then_some(v)
            })
            .expect("the handler ran");
        assert!(
            v.caption.starts_with("poll: request #1 arrived"),
            "{}",
            v.caption
        );
    }

    #[test]
    fn a_thousand_requests_in_flight_stay_compact() {
        let mut r = server();
        for _ in 0..1000 {
            r.send_route("GET", "/users/:id").unwrap();
        }
        for _ in 0..300 {
            r.step();
        }
        let v = r.view();
        assert_eq!(v.requests.total, 1000);
        assert!(v.requests.in_flight() > 100);
        assert!(v.requests.rows.len() <= view::REQUEST_ROWS);
        for q in &v.queues {
            assert!(q.items.len() <= QUEUE_LIMIT);
        }
        assert!(
            v.queues.iter().map(|q| q.count).sum::<usize>() > 100,
            "long queues are counted, not drawn"
        );
    }
}
