//! The running program: a [`Session`] (the engine with deterministic replay, which also holds
//! the steady request rate) plus what the page needs around it: the console split into lines,
//! the caption of the last step, the snapshot before it. The [`crate::controller::Controller`]
//! owns one `Runner` outside the reducer (a JavaScript heap is neither `Clone` nor `PartialEq`)
//! and the page dispatches its [`View`] after every action.
//!
//! Every method here is plain Rust, so the whole behaviour (routes, captions, rate, step back)
//! is tested natively; the browser only adds the clock that paces playback.

use looplab_engine::load::{Route, SteadyRate};
use looplab_engine::looplab_model::Stream;
use looplab_engine::looplab_model::{Config, EventKind, Micros, ModelError, Sim, Snapshot, Step};
use looplab_engine::session::{Replay, Session};
use looplab_engine::{Options, Output};

use crate::explain::{self, RequestNews};
use crate::load_form::LoadRequest;
use crate::load_run::{LoadRun, LoadView};
use crate::protocol::Process;
use crate::view::{self, LineBuffer, View, QUEUE_LIMIT};

/// The file name programs run as (what `__filename` says and stack traces show).
pub const FILENAME: &str = "/app/server.js";

pub struct Runner {
    session: Result<Session, String>,
    /// The program (a load test profiles its routes on a fresh copy).
    source: String,
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
    /// The replay in progress rebuilds a run (after Stop), rather than going back; with the
    /// caption to show once it is done.
    rebuilding: Option<Option<String>>,
    /// The caption once the replay in progress lands (a Goto back), if not the step back's.
    landing: Option<String>,
    /// How much of the session's recording has been reported ([`Runner::recorded_since`]):
    /// (requests, limits); None after a replay replaced the session (report from scratch).
    reported: Option<(usize, usize)>,
    /// The load test started from the Load pane (kept after it ends, for its result).
    load: Option<LoadRun>,
    /// Why the last load test could not start.
    load_error: Option<String>,
}

/// A step back that replays more steps than this is done a slice per frame
/// ([`Runner::rewind`]) instead of at once (≈70 µs a step in the release build).
pub const REWIND_AT_ONCE: u64 = 1_500;

impl Runner {
    /// Loads `source` with a thread pool of `pool_size` workers (the program's own
    /// `process.env.UV_THREADPOOL_SIZE` wins, as in libuv). Nothing runs until the first step.
    pub fn new(source: &str, pool_size: u16) -> Runner {
        Runner::start(&Process::new(source, pool_size))
    }

    /// `process`: its program, pool, seed and the engine costs it sets (name, µs; a name or
    /// value the engine does not accept is left at its default).
    pub fn start(process: &Process) -> Runner {
        let mut options = Options::default();
        options.config.pool_size =
            looplab_engine::looplab_model::clamp_pool_size(process.pool_size as i64);
        options.config.seed = process.seed;
        for (name, us) in &process.costs {
            let _ = options.set_cost(name, *us);
        }
        let session =
            Session::new(&process.source, FILENAME, options.clone()).map_err(|e| e.to_string());
        Runner::around(session, &process.source, process.pool_size, options)
    }

    /// A runner with no program yet: the worker's state until the page's first `Load`. It
    /// builds no engine (a JavaScript realm with Node's layer), which in a cold worker took most
    /// of a second only to be thrown away by that `Load`. Its view is the idle picture.
    pub fn unloaded(pool_size: u16) -> Runner {
        let mut options = Options::default();
        options.config.pool_size = looplab_engine::looplab_model::clamp_pool_size(pool_size as i64);
        Runner::around(Err(String::new()), "", pool_size, options)
    }

    /// No program loaded (see [`Runner::unloaded`]): an engine that failed to load says why.
    pub fn is_unloaded(&self) -> bool {
        matches!(&self.session, Err(e) if e.is_empty())
    }

    fn around(
        session: Result<Session, String>,
        source: &str,
        pool_size: u16,
        options: Options,
    ) -> Runner {
        let before = match &session {
            Ok(s) => s.engine().snapshot(QUEUE_LIMIT),
            // Nothing runs: the picture of a process that has not started.
            Err(_) => empty_snapshot(options.config),
        };
        Runner {
            session,
            source: source.to_owned(),
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
            rebuilding: None,
            landing: None,
            reported: Some((0, 0)),
            load: None,
            load_error: None,
        }
    }

    /// A run of `source` rebuilt from its recording: it replays, a slice at a time
    /// ([`Runner::rewind`]), the requests it received and the sleeps it cut short, up to
    /// `target` steps (the same run, deterministically, in a fresh engine).
    pub fn rebuilt(
        process: &Process,
        recording: &crate::protocol::Recording,
        target: u64,
        note: Option<String>,
    ) -> Runner {
        let source = process.source.as_str();
        let mut r = Runner::start(process);
        let Ok(s) = &r.session else { return r };
        let (inputs, limits) = (recording.inputs(), recording.cut_sleeps());
        let options = s.options().clone();
        if let Ok(replay) =
            Session::replay_recorded(source, FILENAME, options, inputs, limits, target)
        {
            r.rewind = Some(replay);
            r.rebuilding = Some(note);
        }
        r
    }

    /// What the session recorded since the last call: the requests it received and the poll
    /// sleeps it cut short (a replay of the same program needs exactly those), as a delta the
    /// page applies to its copy.
    pub fn recorded_since(&mut self) -> crate::protocol::RecordingDelta {
        use crate::protocol::{Recorded, RecordedLimit, RecordedRequest, RecordingDelta};
        let Ok(s) = &self.session else {
            return RecordingDelta::default();
        };
        let (from_requests, from_limits) = self.reported.unwrap_or((0, 0));
        let requests: Vec<RecordedRequest> = s
            .inputs_from(from_requests)
            .into_iter()
            .map(Into::into)
            .collect();
        let limits: Vec<RecordedLimit> = s
            .limits_from(from_limits)
            .into_iter()
            .map(Into::into)
            .collect();
        let delta = RecordingDelta {
            requests_from: from_requests,
            limits_from: from_limits,
            added: Recorded { requests, limits },
        };
        self.reported = Some((
            from_requests + delta.added.requests.len(),
            from_limits + delta.added.limits.len(),
        ));
        delta
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
            && !self.load_running()
            && !self.woken
            && self
                .session
                .as_ref()
                .is_ok_and(|s| s.last_step() == Some(Step::AwaitingInput))
    }

    /// Requests sent to the program so far.
    pub fn requests_sent(&self) -> u64 {
        self.session.as_ref().map_or(0, |s| s.requests_sent())
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
        if self.load_running() {
            // A load test's arrivals come in at every step, played or stepped.
            return self.step_with(|s| s.play_step(None));
        }
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
        // The requests due arrive before the step, so the snapshot before it shows them (the
        // caption names "HTTP request" when the step finds one ready).
        if let Ok(s) = &mut self.session {
            s.send_due();
        }
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
        // The steady rate and a load test stop with any step back (even one given up before it
        // lands): neither is replayed, their requests are.
        self.stop_rate();
        self.stop_load();
        self.landing = None;
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
        self.begin_replay_to(target)
    }

    /// Starts replaying the run from the start up to step `target` (going back, or to a step
    /// of a link). A short replay is done at once (false); a long one is left for
    /// [`Runner::rewind`] (true). The steady rate and a load test stop.
    pub fn begin_replay_to(&mut self, target: u64) -> bool {
        self.stop_rate();
        self.stop_load();
        let Ok(s) = &self.session else { return false };
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

    /// Goes back to step `target` by replaying the run (a link's or the embed API's Goto); as
    /// [`Runner::begin_replay_to`].
    pub fn go_back_to(&mut self, target: u64) -> bool {
        self.landing = Some(format!(
            "Went back to step {target} (replayed from the start: the run is deterministic)."
        ));
        self.begin_replay_to(target)
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
        // The recording is the replayed run's now: report it again from the start.
        self.reported = None;
        let rebuilt = std::mem::take(&mut self.rebuilding);
        let landing = self.landing.take();
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
        self.caption = if let Some(Some(note)) = rebuilt {
            note
        } else if let Some(note) = landing {
            note
        } else if target == 0 {
            explain::IDLE_CAPTION.to_owned()
        } else if rebuilt.is_some() {
            format!("Rebuilt the run up to step {target} (replayed from the start: the run is deterministic).")
        } else {
            format!("Stepped back to step {target} (replayed from the start: the run is deterministic).")
        };
        None
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
        self.landing = None;
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
        if s.engine().exited().is_some() {
            // Nothing more can be sent to a process that has gone (it ended by itself, by
            // process.exit() or by an uncaught error).
            s.stop_rate();
            if let Some(l) = &mut self.load {
                l.stop(s);
            }
        }
        if let Some(l) = &mut self.load {
            l.poll(s);
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
        for Output { stream, text } in s.output_from(self.consumed) {
            match stream {
                Stream::Stdout => self.console.push(text),
                Stream::Stderr => self.stderr.push_str(text),
            }
        }
        self.consumed = s.output_total();
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
            Err(_) if self.is_unloaded() => return View::idle(self.pool_size, &self.caption),
            Err(e) => {
                let mut v = View::idle(self.pool_size, "The program could not be loaded.");
                v.stderr = e.clone();
                v.exited = Some(1);
                return v;
            }
        };
        let snap = s.engine().snapshot(QUEUE_LIMIT);
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
            requests: view::requests_view(
                &s.engine().request_summary(),
                &s.engine().newest_requests(view::REQUEST_ROWS),
                snap.now,
            ),
            current_line: if ran { s.engine().current_line() } else { None },
            caption: match (self.rewinding(), self.last) {
                (Some((_, target)), _) if self.rebuilding.is_some() => rebuild_caption(target),
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
            load: match (&self.load, &self.load_error) {
                (_, Some(e)) => Some(LoadView {
                    error: Some(e.clone()),
                    ..LoadView::default()
                }),
                (Some(l), None) => Some(l.view(s)),
                (None, None) => None,
            },
            seeking: false,
        }
    }

    /// Whether a load test is running.
    pub fn load_running(&self) -> bool {
        self.load.as_ref().is_some_and(LoadRun::running)
    }

    /// Starts a load test: the program first runs until it waits for requests (if it has not
    /// yet), then the load's arrivals come in at every step of playback. Returns why it could
    /// not start (also shown in the Load pane).
    pub fn start_load(&mut self, request: LoadRequest) -> Result<(), String> {
        self.stop_load();
        self.load = None;
        self.load_error = None;
        // The program runs until it listens (or waits, or exits), at most 100,000 steps.
        for _ in 0..100_000 {
            if self.listening {
                break;
            }
            if matches!(
                self.step(),
                Some(Step::Exited(_) | Step::AwaitingInput) | None
            ) {
                break;
            }
        }
        let result = match &mut self.session {
            Ok(s) if s.engine().exited().is_some() => {
                Err("The program has exited: a load test needs a running server.".to_owned())
            }
            Ok(s) => LoadRun::start(s, &self.source, FILENAME, request),
            Err(e) => Err(format!("The program could not be loaded: {e}")),
        };
        match result {
            Ok(run) => {
                self.load = Some(run);
                self.woken = true;
                self.last = None;
                self.caption = "A load test started: its requests arrive as the loop plays.".into();
                Ok(())
            }
            Err(e) => {
                self.load_error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Ends a running load test now; its figures so far stay in the pane.
    pub fn stop_load(&mut self) {
        if let (Some(l), Ok(s)) = (&mut self.load, &mut self.session) {
            l.stop(s);
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

/// The caption while a run is rebuilt in a fresh engine (after Stop).
pub fn rebuild_caption(target: u64) -> String {
    format!(
        "Rebuilding the run up to step {target}: replaying the program, the requests it received \
         and its seed in a fresh engine."
    )
}

#[cfg(test)]
mod tests;
