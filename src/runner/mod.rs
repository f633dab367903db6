//! The running program: a [`Session`] (the engine with deterministic replay, which also holds
//! the steady request rate) plus what the page needs around it: the console split into lines,
//! the caption of the last step, the virtual time before it. The [`crate::controller::Controller`]
//! owns one `Runner` outside the reducer (a JavaScript heap is neither `Clone` nor `PartialEq`)
//! and the page dispatches its [`View`] after every action.
//!
//! Every method here is plain Rust, so the whole behaviour (routes, captions, rate, step back)
//! is tested natively; the browser only adds the clock that paces playback.

use looplab_engine::load::{Route, SteadyRate};
use looplab_engine::looplab_model::Stream;
use looplab_engine::looplab_model::{EventKind, Micros, ModelError, Snapshot, Step};
use looplab_engine::session::{Feed, Replay, Session};
use looplab_engine::{Options, Output};

use crate::explain::{self, RequestNews};
use crate::history::{History, Moment, Outcome};
use crate::load_form::LoadRequest;
use crate::load_run::{LoadRun, LoadView};
use crate::protocol::Process;
use crate::timeline::{TimelineDelta, TimelineLog};
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
    /// Virtual time before the last step (the caption names the requests started or answered
    /// since).
    before_now: Micros,
    /// The last step, when the caption is to be written from it (lazily, in `view`: playback
    /// takes many steps per frame and only the last one is shown).
    last: Option<Option<Step>>,
    /// The caption when no step explains the state (before the first step, after a step back).
    caption: String,
    /// An HTTP server listens (requests can be sent).
    listening: bool,
    /// Input arrived since the last step (so a loop that awaited input has work again).
    woken: bool,
    /// A step back in progress: the run replayed from the start beside the live one (see
    /// [`Runner::begin_step_back`]).
    rewind: Option<Replay>,
    /// A rebuilt run's recording, fed into its own session as it steps (see
    /// [`Runner::rebuilt`]): each replayed step is recorded in the history as stepping there
    /// would have recorded it.
    feed: Option<Feed>,
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
    /// What the page showed after every step (see [`crate::history`]).
    history: History,
    /// The most bytes the history, the timeline log and the console lines hold together
    /// ([`crate::history::RUN_BUDGET`]; a test sets less).
    budget: usize,
    /// Showing step k of the history (k < the session's steps): the past, without running
    /// anything. Stepping moves it; going on from it (a request, a load) branches.
    cursor: Option<u64>,
    /// What waits for a branch's replay to land (a request sent in the past).
    deferred: Vec<Deferred>,
    /// The run as a timeline (see [`crate::timeline`]).
    timeline: TimelineLog,
    /// The timeline of the run a replay in progress rebuilds.
    replay_timeline: TimelineLog,
    /// The present changed without a step (a request sent, a rate or load started or
    /// stopped): its moment is recorded again before the next step.
    stale: bool,
}

/// Something asked of the past that needs the JavaScript state of that step: done once the
/// replay that rebuilds it lands.
#[derive(Clone, Debug)]
enum Deferred {
    Send(String, String),
    SendRoute(String, String),
    StartRate(String, String, u32),
    StartLoad(LoadRequest),
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
        #[cfg(target_arch = "wasm32")]
        crate::browser_text::install();
        let mut options = Options::default();
        options.config.pool_size =
            looplab_engine::looplab_model::clamp_pool_size(process.pool_size as i64);
        options.config.seed = process.seed;
        for (name, us) in &process.costs {
            let _ = options.set_cost(name, *us);
        }
        let session = Session::new(&process.source, FILENAME, options).map_err(|e| e.to_string());
        Runner::around(session, &process.source, process.pool_size)
    }

    /// A runner with no program yet: the worker's state until the page's first `Load`. It
    /// builds no engine (a JavaScript realm with Node's layer), which in a cold worker took most
    /// of a second only to be thrown away by that `Load`. Its view is the idle picture.
    pub fn unloaded(pool_size: u16) -> Runner {
        Runner::around(Err(String::new()), "", pool_size)
    }

    /// No program loaded (see [`Runner::unloaded`]): an engine that failed to load says why.
    pub fn is_unloaded(&self) -> bool {
        matches!(&self.session, Err(e) if e.is_empty())
    }

    fn around(session: Result<Session, String>, source: &str, pool_size: u16) -> Runner {
        let before_now = match &session {
            Ok(s) => s.engine().with_sim(|m| m.now()),
            Err(_) => Micros::ZERO,
        };
        Runner {
            session,
            source: source.to_owned(),
            pool_size,
            console: LineBuffer::default(),
            stderr: String::new(),
            consumed: 0,
            before_now,
            last: None,
            caption: explain::IDLE_CAPTION.to_owned(),
            listening: false,
            woken: false,
            rewind: None,
            feed: None,
            rebuilding: None,
            landing: None,
            reported: Some((0, 0)),
            load: None,
            load_error: None,
            history: History::default(),
            budget: crate::history::RUN_BUDGET,
            cursor: None,
            deferred: Vec::new(),
            stale: false,
            timeline: TimelineLog::default(),
            replay_timeline: TimelineLog::default(),
        }
    }

    /// A run of `source` rebuilt from its recording: it replays, a slice at a time
    /// ([`Runner::rewind`]), the requests it received and the sleeps it cut short, up to
    /// `target` steps (the same run, deterministically, in a fresh engine).
    ///
    /// Unlike a step back, whose replay runs in a session of its own while the history keeps
    /// the steps it had, a rebuilt run has no history yet (after Stop, a link, a changed pool
    /// size or program the past is a different one): it steps its own session through the
    /// recording, recording every step's moment and timeline as stepping there would, so once
    /// it lands any step before the target is shown at once.
    pub fn rebuilt(
        process: &Process,
        recording: &crate::protocol::Recording,
        target: u64,
        note: Option<String>,
    ) -> Runner {
        let mut r = Runner::start(process);
        if r.session.is_ok() {
            r.feed = Some(Feed::recorded(
                recording.inputs(),
                recording.cut_sleeps(),
                target,
            ));
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

    /// Everything the session recorded (what a replay of the run needs).
    pub fn recording(&self) -> crate::protocol::Recording {
        use crate::protocol::{Recorded, Recording, RecordingDelta};
        let mut rec = Recording::default();
        if let Ok(s) = &self.session {
            rec.apply(RecordingDelta {
                requests_from: 0,
                limits_from: 0,
                added: Recorded {
                    requests: s.inputs_from(0).into_iter().map(Into::into).collect(),
                    limits: s.limits_from(0).into_iter().map(Into::into).collect(),
                },
            });
        }
        rec
    }

    pub fn pool_size(&self) -> u16 {
        self.pool_size
    }

    /// The step shown: the live run's, or the past step the cursor is on.
    pub fn steps(&self) -> u64 {
        self.cursor.unwrap_or_else(|| self.present())
    }

    /// Steps the live run has taken (the present, whatever step is shown).
    pub fn present(&self) -> u64 {
        self.session.as_ref().map(|s| s.steps()).unwrap_or(0)
    }

    /// Virtual time now (at the step shown).
    pub fn now(&self) -> Micros {
        if let Some(m) = self.cursor.and_then(|k| self.history.get(k)) {
            return Micros(m.view.now_us);
        }
        self.session
            .as_ref()
            .map(|s| s.engine().with_sim(|m| m.now()))
            .unwrap_or(Micros::ZERO)
    }

    pub fn exited(&self) -> bool {
        if self.cursor.is_some() {
            // The past has a future.
            return false;
        }
        match &self.session {
            Ok(s) => s.engine().exited().is_some(),
            Err(_) => true,
        }
    }

    /// True when the loop waits for outside input (and no steady rate will send it).
    pub fn idle(&self) -> bool {
        self.cursor.is_none()
            && self.rate().is_none()
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
        if self.defer(|| Deferred::StartRate(method.to_owned(), pattern.to_owned(), per_second)) {
            return;
        }
        if let Ok(s) = &mut self.session {
            s.start_rate(route(method, pattern), per_second);
        }
        self.stale = true;
    }

    pub fn stop_rate(&mut self) {
        self.stale = true;
        if let Ok(s) = &mut self.session {
            s.stop_rate();
        }
    }

    /// One step (a whole callback when one runs). None when the program cannot run.
    pub fn step(&mut self) -> Option<Step> {
        if self.cursor.is_some() {
            return self.step_past(|_, _| true);
        }
        if self.load_running() {
            // A load test's arrivals come in at every step, played or stepped.
            return self.step_with(|s| s.play_step(None));
        }
        self.step_with(|s| s.step())
    }

    /// One step during playback: sends the requests the steady rate has due, and cuts a poll
    /// sleep at `limit` (real-time playback) or at the rate's next request, whichever is first.
    pub fn play_step(&mut self, limit: Option<Micros>) -> Option<Step> {
        if self.cursor.is_some() {
            return self.step_past(|_, _| true);
        }
        // The requests due arrive before the step (the caption names "HTTP request" when the
        // step finds one ready).
        if let Ok(s) = &mut self.session {
            s.send_due();
        }
        self.step_with(|s| s.play_step(limit))
    }

    /// Steps over the rest of the current phase.
    pub fn step_phase(&mut self) -> Option<Step> {
        if self.cursor.is_some() {
            return self.step_past(|from, m| {
                m.view.phase != from.view.phase || m.view.iteration != from.view.iteration
            });
        }
        self.step_until(|from, now| now.1 != from.1)
    }

    /// Steps to the start of the next loop iteration.
    pub fn step_iteration(&mut self) -> Option<Step> {
        if self.cursor.is_some() {
            return self.step_past(|from, m| m.view.iteration != from.view.iteration);
        }
        self.step_until(|from, now| {
            now.0 > from.0
                || (from.1 == looplab_engine::looplab_model::Phase::Main && now.1 != from.1)
        })
    }

    /// The live loop's (iteration, phase).
    fn live_position(&self) -> (u64, looplab_engine::looplab_model::Phase) {
        self.session
            .as_ref()
            .map_or((0, looplab_engine::looplab_model::Phase::Main), |s| {
                s.engine().with_sim(|m| (m.iteration(), m.phase()))
            })
    }

    /// Steps one at a time (each one recorded, as a single step is) until `done(from, now)`
    /// holds for the loop's (iteration, phase), the run ends or waits for requests, or
    /// 100,000 steps.
    fn step_until(
        &mut self,
        done: impl Fn(
            (u64, looplab_engine::looplab_model::Phase),
            (u64, looplab_engine::looplab_model::Phase),
        ) -> bool,
    ) -> Option<Step> {
        let from = self.live_position();
        let mut last = None;
        for _ in 0..100_000 {
            last = self.step();
            if matches!(last, Some(Step::Exited(_) | Step::AwaitingInput) | None)
                || done(from, self.live_position())
            {
                break;
            }
        }
        last
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
        // A request waiting for a branch's replay is given up with it.
        self.deferred.clear();
        if let Some(f) = self.feed.as_mut() {
            // Back while a rebuild feeds: it stops one step earlier (as Back again does while
            // a step back replays); a step it passed already is in the history.
            let target = f.target().saturating_sub(1);
            f.retarget(target);
            if self.present() > target {
                self.show(target);
            }
            return true;
        }
        let shown = self.steps();
        if self.rewind.is_none() && shown > 0 && self.show(shown - 1) {
            return false;
        }
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
            // One step before the step shown (the past's oldest kept step, or the present).
            None if shown == 0 || s.steps() == 0 => return false,
            None => shown - 1,
        };
        self.begin_replay_to(target)
    }

    /// Starts replaying the run from the start up to step `target` (going back, or to a step
    /// of a link). A short replay is done at once (false); a long one is left for
    /// [`Runner::rewind`] (true). The steady rate and a load test stop.
    pub fn begin_replay_to(&mut self, target: u64) -> bool {
        self.cursor = None;
        self.drop_feed();
        self.deferred.clear();
        self.stop_rate();
        self.stop_load();
        let Ok(s) = &self.session else { return false };
        let Ok(replay) = s.replay_to(target) else {
            return false;
        };
        self.rewind = Some(replay);
        self.replay_timeline = TimelineLog::default();
        if target <= REWIND_AT_ONCE {
            while self.rewind(u64::MAX).is_some() {}
            return false;
        }
        true
    }

    /// Goes back to step `target` by replaying the run (a link's or the embed API's Goto); as
    /// [`Runner::begin_replay_to`].
    pub fn go_back_to(&mut self, target: u64) -> bool {
        if self.show(target) {
            return false;
        }
        self.landing = Some(format!(
            "Went back to step {target} (replayed from the start: the run is deterministic)."
        ));
        self.begin_replay_to(target)
    }

    /// A long step back in progress: (steps replayed, target).
    pub fn rewinding(&self) -> Option<(u64, u64)> {
        match (&self.rewind, &self.feed) {
            (Some(r), _) => Some((r.steps(), r.target())),
            (None, Some(f)) => Some((self.present(), f.target())),
            (None, None) => None,
        }
    }

    /// Replays up to `max_steps` more steps of a step back; when it is done, the replayed run
    /// replaces the live one and None is returned.
    pub fn rewind(&mut self, max_steps: u64) -> Option<(u64, u64)> {
        if self.rewind.is_none() && self.feed.is_some() {
            return self.feed_steps(max_steps);
        }
        let r = self.rewind.as_mut()?;
        let timeline = &mut self.replay_timeline;
        match r.advance_each(max_steps, |s| timeline.read_step(s)) {
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
        self.timeline
            .replace_with(std::mem::take(&mut self.replay_timeline));
        self.session = Ok(replayed);
        // The recording is the replayed run's now: report it again from the start.
        self.reported = None;
        let rebuilt = std::mem::take(&mut self.rebuilding);
        let landing = self.landing.take();
        let Ok(s) = &mut self.session else {
            return None;
        };
        self.listening = s.engine_mut().has_http_server();
        self.before_now = s.engine().with_sim(|m| m.now());
        // The future after the replayed step is gone; the history up to it stays. Its console
        // is cut back to that step's (the session keeps only its last writes: rebuilding the
        // console from them would number its lines anew).
        self.history.truncate(target + 1);
        let kept = self.history.get(target).and_then(|m| {
            let partial = if m.view.console.total > m.lines as usize {
                m.view.console.lines.last().map(|(_, t)| t.clone())
            } else {
                Some(String::new())
            }?;
            self.console
                .rewind_to(m.lines as usize, &partial)
                .then_some(m.stderr_len as usize)
        });
        match kept {
            Some(stderr_len) if stderr_len <= self.stderr.len() => {
                self.stderr.truncate(stderr_len);
                self.consumed = s.output_total();
            }
            _ => {
                self.console = LineBuffer::default();
                self.stderr.clear();
                self.consumed = 0;
                self.absorb_output();
            }
        }
        // (The steady rate already stopped in `begin_step_back`.)
        self.landed(target, rebuilt, landing);
        None
    }

    /// Steps a rebuilt run's own session through its recording (see [`Runner::rebuilt`]), at
    /// most `max_steps` steps: as [`Runner::rewind`].
    fn feed_steps(&mut self, max_steps: u64) -> Option<(u64, u64)> {
        let mut feed = self.feed.take()?;
        let mut left = max_steps;
        loop {
            let Ok(s) = &self.session else {
                self.rebuilding = None;
                return None;
            };
            // (An exit on the way ends it too: an exited run takes no more steps.)
            if feed.done(s) || s.engine().exited().is_some() {
                break;
            }
            if left == 0 {
                let at = (s.steps(), feed.target());
                self.feed = Some(feed);
                return Some(at);
            }
            left -= 1;
            if self.advance(|s| feed.step(s)).is_none() {
                // The same program, options and inputs failed on replay: the run stays
                // where it got to.
                break;
            }
        }
        let target = self.present();
        if let Ok(s) = &mut self.session {
            if feed.finish(s) {
                // Requests sent at the last step: the present's moment is recorded again.
                self.stale = true;
            }
        }
        let rebuilt = std::mem::take(&mut self.rebuilding);
        let landing = self.landing.take();
        self.landed(target, rebuilt, landing);
        None
    }

    /// A replay reached `target`: the caption says so, and what was asked of that past step
    /// goes on now.
    fn landed(&mut self, target: u64, rebuilt: Option<Option<String>>, landing: Option<String>) {
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
        // What was asked of the past step this replay rebuilt goes on now.
        for d in std::mem::take(&mut self.deferred) {
            match d {
                Deferred::Send(m, u) => drop(self.send(&m, &u)),
                Deferred::SendRoute(m, p) => drop(self.send_route(&m, &p)),
                Deferred::StartRate(m, p, n) => self.start_rate(&m, &p, n),
                Deferred::StartLoad(r) => drop(self.start_load(r)),
            }
        }
    }

    /// Gives up a rebuild still feeding its recording (the run stays at the step it reached).
    fn drop_feed(&mut self) {
        if self.feed.take().is_some() {
            self.rebuilding = None;
        }
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
        if self.defer(|| Deferred::Send(method.to_owned(), url.to_owned())) {
            return None;
        }
        self.rewind = None;
        let s = self.session.as_mut().ok()?;
        let id = s.send_request(method, url)?;
        self.woken = true;
        self.stale = true;
        Some(id)
    }

    /// Sends a request to a route pattern, filling `:params` with the request's number.
    pub fn send_route(&mut self, method: &str, pattern: &str) -> Option<u64> {
        if self.defer(|| Deferred::SendRoute(method.to_owned(), pattern.to_owned())) {
            return None;
        }
        self.rewind = None;
        let s = self.session.as_mut().ok()?;
        let id = s.send_route(&route(method, pattern))?;
        self.woken = true;
        self.stale = true;
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
        if self.feed.is_some() {
            // A rebuild in progress: nothing steps until it lands (Stop ends it). Giving it up
            // would leave the run where the rebuild got to, the rest of its recording lost.
            return None;
        }
        // Going forward gives up a step back still replaying.
        self.rewind = None;
        self.landing = None;
        self.deferred.clear();
        self.advance(f)
    }

    /// One step of the live run by `f`, read into the timeline, the console and the history.
    fn advance(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<Step, ModelError>,
    ) -> Option<Step> {
        self.record_present();
        let s = self.session.as_mut().ok()?;
        if let Some(code) = s.engine().exited() {
            return Some(Step::Exited(code));
        }
        self.before_now = s.engine().with_sim(|m| m.now());
        self.woken = false;
        let steps_before = s.steps();
        let step = f(s).ok();
        if s.steps() > steps_before {
            self.timeline.read_step(s);
        }
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
        self.record_present();
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
        let (from, to) = (self.before_now, after.now);
        let mut news = RequestNews::default();
        if s.last_events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::CallbackStart { .. }))
        {
            let (started, finished) = s.engine().request_news(from, to);
            news.started = started;
            news.finished = finished
                .into_iter()
                .map(|(id, status, l)| (id, status, l.as_ms_f64()))
                .collect();
        }
        // The operations of the tasks this step touched, as the model tells them now (see
        // `explain::caption`).
        let ops: Vec<(u64, String)> = s.engine().with_sim(|m| {
            s.last_events()
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::CallbackStart { source, .. } => source.task(),
                    EventKind::IoReady { task } => Some(task),
                    _ => None,
                })
                .filter_map(|t| Some((t.0, m.labels().name(m.op_of(t)?).to_owned())))
                .collect()
        });
        s.engine().with_labels(|labels| {
            explain::caption(step, s.last_events(), labels, after, &news, &ops)
        })
    }

    /// What the page shows now: the step the cursor is on, or the live run.
    pub fn view(&self) -> View {
        if let Some(v) = self.cursor.and_then(|k| self.past_view(k)) {
            return v;
        }
        self.live_view(true)
    }

    /// The live run's view; without `console`, the console holds only its unfinished last
    /// line and stderr is left empty (what a [`Moment`] keeps).
    fn live_view(&self, console: bool) -> View {
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
            console: if console {
                self.console.view()
            } else {
                self.console
                    .view_at(self.console.complete(), self.console.partial(), 0)
            },
            stderr: if console {
                self.stderr.clone()
            } else {
                String::new()
            },
            requests: view::requests_view(
                &s.engine().request_summary(),
                s.engine()
                    .map_newest_requests(view::REQUEST_ROWS, |r| view::request_row(r, snap.now)),
            ),
            current_line: if ran { s.engine().current_line() } else { None },
            // (A moment recorded while a rebuilt run replays keeps its step's own caption.)
            caption: match (self.rewinding().filter(|_| console), self.last) {
                (Some((_, target)), _) if self.rebuilding.is_some() => rebuild_caption(target),
                (Some((_, target)), _) => rewind_caption(target),
                (None, Some(step)) => self.explain(s, step, &snap),
                (None, None) => self.caption.clone(),
            },
            rewinding: self.rewinding().filter(|_| console),
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
            present: s.steps(),
            history_from: self.history.first().min(s.steps()),
            // (0 in a moment: a moment cannot know what the history holds later.)
            history_bytes: if console {
                self.history_bytes() as u64
            } else {
                0
            },
        }
    }

    // ---- The past: the history of views -----------------------------------------------------

    /// What the timeline added since the last call (for the page's copy).
    pub fn timeline_since(&mut self) -> TimelineDelta {
        self.timeline.since()
    }

    /// The run's timeline, as the worker keeps it.
    pub fn timeline(&self) -> &crate::timeline::Timeline {
        self.timeline.data()
    }

    /// Where the history starts (its earliest step shown at once).
    pub fn history_from(&self) -> u64 {
        self.history.first()
    }

    /// Sets the budget of what is kept for going back (tests: a small one is reached fast).
    #[cfg(test)]
    pub fn set_budget(&mut self, bytes: usize) {
        self.budget = bytes;
    }

    /// Bytes the history, the timeline and the console lines kept for it hold.
    pub fn history_bytes(&self) -> usize {
        self.history.bytes() + self.timeline.bytes() + self.console.bytes()
    }

    /// Forgets the history from step `k` on: going back there replays the run (the last step
    /// run again with a longer budget must not be shown as it ended before).
    pub fn forget_from(&mut self, k: u64) {
        if self.cursor.is_some_and(|c| c >= k) {
            self.cursor = None;
        }
        self.history.truncate(k);
    }

    /// The step the cursor shows, when it is in the past.
    pub fn cursor(&self) -> Option<u64> {
        self.cursor
    }

    /// Shows step `k` at once: from the history when it is in the past (nothing runs), the
    /// live run when it is the present. False when the history does not keep it (going back
    /// there replays the run).
    pub fn show(&mut self, k: u64) -> bool {
        if self.session.is_err() {
            return false;
        }
        let present = self.present();
        if k == present {
            self.cursor = None;
            return true;
        }
        if k > present || !self.history.has(k) {
            return false;
        }
        // Looking at the past pauses what feeds the present (as a step back always did).
        self.stop_rate();
        self.stop_load();
        self.rewind = None;
        // (A rebuild still feeding goes on: its steps so far are in the history already.)
        self.deferred.clear();
        self.cursor = Some(k);
        true
    }

    /// Moves the cursor forward through the past until `stop(from, moment)` (or the
    /// present, where the live run takes over).
    fn step_past(&mut self, stop: impl Fn(&Moment, &Moment) -> bool) -> Option<Step> {
        let mut k = self.cursor?;
        let present = self.present();
        let from = self.history.get(k)?;
        loop {
            k += 1;
            if k >= present {
                self.cursor = None;
                return self.last.flatten().or(Some(Step::Progress));
            }
            self.cursor = Some(k);
            let m = self.history.get(k)?;
            if stop(&from, &m) {
                return Some(match m.outcome {
                    Outcome::Moved => Step::Progress,
                    Outcome::AwaitingInput => Step::AwaitingInput,
                    Outcome::Exited => Step::Exited(m.view.exited.unwrap_or(0)),
                });
            }
        }
    }

    /// Step `k`'s view from the history, its console and stderr as they were then.
    fn past_view(&self, k: u64) -> Option<View> {
        let m = self.history.get(k)?;
        let mut v = m.view;
        let partial = if v.console.total > m.lines as usize {
            v.console.lines.pop().map(|(_, t)| t).unwrap_or_default()
        } else {
            String::new()
        };
        v.console = self
            .console
            .view_at(m.lines as usize, &partial, view::CONSOLE_LIMIT);
        v.stderr = self
            .stderr
            .get(..m.stderr_len as usize)
            .unwrap_or(&self.stderr)
            .to_owned();
        v.present = self.present();
        v.history_from = self.history.first();
        v.history_bytes = self.history_bytes() as u64;
        // The controls follow the live run: looking at the past stopped the rate.
        v.rate_on = self.rate().is_some();
        v.rewinding = None;
        Some(v)
    }

    /// Records the live run's moment, if the history lacks it (before the first step, after
    /// a replay replaced the session); the history's future past it is dropped.
    fn record_present(&mut self) {
        let Ok(s) = &self.session else { return };
        let k = s.steps();
        if self.history.has(k) {
            if !self.stale {
                // Recorded already; a future past it (left by a replay) is dropped.
                self.history.truncate(k + 1);
                return;
            }
            self.history.truncate(k);
        }
        self.stale = false;
        if self.history.end() != k {
            self.history.restart(k);
        }
        let outcome = match s.last_step() {
            Some(Step::AwaitingInput) => Outcome::AwaitingInput,
            _ if s.engine().exited().is_some() => Outcome::Exited,
            _ => Outcome::Moved,
        };
        let view = self.live_view(false);
        // The moments get what the timeline and the console leave of the run's budget.
        let budget = self
            .budget
            .saturating_sub(self.timeline.bytes() + self.console.bytes());
        self.history.push(
            &Moment {
                view,
                lines: self.console.complete() as u64,
                stderr_len: self.stderr.len() as u64,
                outcome,
            },
            budget,
        );
    }

    /// Leaves the past to go on from it: the old future is dropped and the run is replayed to
    /// the step shown, whose JavaScript state the history does not keep. True when `what`
    /// waits for that replay (a long one, done a slice at a time) and must not run now.
    fn defer(&mut self, what: impl FnOnce() -> Deferred) -> bool {
        if self.feed.is_some() {
            // A rebuilt run still replays its recording: this goes on where the rebuild lands.
            self.deferred.push(what());
            return true;
        }
        if let Some(k) = self.cursor {
            let dropped = self.present() - k;
            // (The history after k goes when the replay lands: until then the old future is
            // still the live run's.)
            // The caption once the replay lands (at once for a short one).
            self.landing = Some(format!(
                "A new future from step {k}: the old one ({dropped} steps after it) was \
                 dropped, and the run was replayed to step {k} to go on from there."
            ));
            if !self.begin_replay_to(k) {
                return false;
            }
            self.deferred.push(what());
            return true;
        }
        if self.rewind.is_some() && !self.deferred.is_empty() {
            // A branch still replays: this goes on after it too.
            self.deferred.push(what());
            return true;
        }
        false
    }

    /// Whether a load test is running.
    pub fn load_running(&self) -> bool {
        self.load.as_ref().is_some_and(LoadRun::running)
    }

    /// Starts a load test: the program first runs until it waits for requests (if it has not
    /// yet), then the load's arrivals come in at every step of playback. Returns why it could
    /// not start (also shown in the Load pane).
    pub fn start_load(&mut self, request: LoadRequest) -> Result<(), String> {
        if self.defer(|| Deferred::StartLoad(request.clone())) {
            return Ok(());
        }
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
        self.stale = true;
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
        self.stale = true;
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
