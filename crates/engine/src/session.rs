//! A program run that can go backwards: deterministic replay.
//!
//! HOW: a JavaScript heap cannot be copied, so stepping back means starting again from the
//! same program, options and seed, and replaying the same inputs (synthetic requests, recorded
//! with the step count at which they were sent) up to the wanted step. Because the model and
//! the engine are deterministic, the replayed run passes through exactly the same states.
//! Cost: O(N) steps to reach step N; a few thousand steps replay in milliseconds natively.

use looplab_model::snapshot::FrameView;
use looplab_model::{EventKind, Micros, ModelError, Phase, Step, TraceEvent};

use crate::input_log::{InputLog, LimitLog, Replaying, ReplayingLimits};
use crate::load::run::LoopLoad;
use crate::load::spec::LoadSpec;
use crate::load::{Route, SteadyRate};
use crate::{Engine, EngineError, Options, Output};

/// Why a session could not go where it was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionError {
    /// The model refused a step (a driver mistake; never a program's own error).
    Model(ModelError),
    /// A fresh engine for the replay could not be started.
    Engine(EngineError),
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionError::Model(e) => write!(f, "{e}"),
            SessionError::Engine(e) => write!(f, "{e}"),
        }
    }
}
impl std::error::Error for SessionError {}

impl From<ModelError> for SessionError {
    fn from(e: ModelError) -> Self {
        SessionError::Model(e)
    }
}

/// Something from outside the process, replayed at the same point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A request that reached the server's socket at `at` (now, or for a load test's arrival
    /// possibly while the last callback ran).
    Request {
        method: String,
        url: String,
        at: Micros,
    },
}

/// Writes to stdout/stderr a session keeps at least (the page shows the last few dozen lines).
pub const OUTPUT_KEPT: usize = 1_000;

pub struct Session {
    source: String,
    filename: String,
    options: Options,
    engine: Engine,
    steps: u64,
    /// (steps done when it was sent, input), packed (see `input_log.rs`).
    inputs: InputLog,
    /// (index of the step, its limit) for every step taken with `step_until`, so that replays
    /// cut the same poll sleeps at the same instants.
    limits: LimitLog,
    /// What the program wrote, the last [`OUTPUT_KEPT`] to `2 * OUTPUT_KEPT` writes of it
    /// (a server that logs every request would otherwise grow without end).
    output: Vec<Output>,
    /// Writes forgotten before `output[0]`.
    output_base: usize,
    last_events: Vec<TraceEvent>,
    last_step: Option<Step>,
    /// Requests at a steady rate while playing (see [`Session::play_step`]). Not replayed: the
    /// requests it sent are recorded inputs like any other.
    rate: Option<SteadyRate>,
    /// Requests among `inputs` (what the next route URL is numbered after).
    requests_sent: u64,
    /// A load test while playing (see [`Session::start_load`]). Not replayed either.
    load: Option<LoopLoad>,
}

impl Session {
    pub fn new(source: &str, filename: &str, options: Options) -> Result<Session, EngineError> {
        let engine = Engine::new(source, filename, options.clone())?;
        Ok(Session {
            source: source.to_owned(),
            filename: filename.to_owned(),
            options,
            engine,
            steps: 0,
            inputs: InputLog::default(),
            limits: LimitLog::default(),
            output: Vec::new(),
            output_base: 0,
            last_events: Vec::new(),
            last_step: None,
            rate: None,
            requests_sent: 0,
            load: None,
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }
    pub fn steps(&self) -> u64 {
        self.steps
    }
    /// The program's latest writes (see [`OUTPUT_KEPT`]); the first is write number
    /// [`Session::output_base`].
    pub fn output(&self) -> &[Output] {
        &self.output
    }

    /// How many writes were forgotten before [`Session::output`]'s first.
    pub fn output_base(&self) -> usize {
        self.output_base
    }

    /// The writes from write number `from` on (those still kept).
    pub fn output_from(&self, from: usize) -> &[Output] {
        &self.output[from.saturating_sub(self.output_base).min(self.output.len())..]
    }

    /// Every write so far, forgotten ones included.
    pub fn output_total(&self) -> usize {
        self.output_base + self.output.len()
    }

    /// Forgets the output so far (a long load test prints what nobody reads).
    pub fn clear_output(&mut self) {
        self.output_base += self.output.len();
        self.output.clear();
    }
    /// Trace events of the last step.
    pub fn last_events(&self) -> &[TraceEvent] {
        &self.last_events
    }
    pub fn last_step(&self) -> Option<Step> {
        self.last_step
    }
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// One model step (a whole callback when the step runs one).
    pub fn step(&mut self) -> Result<Step, ModelError> {
        self.step_bounded(None)
    }

    /// One step, but a sleep in poll ends at `limit` (for real-time playback).
    pub fn step_until(&mut self, limit: Micros) -> Result<Step, ModelError> {
        self.step_bounded(Some(limit))
    }

    fn step_bounded(&mut self, limit: Option<Micros>) -> Result<Step, ModelError> {
        let step = match limit {
            Some(l) => self.engine.step_until(l)?,
            None => self.engine.step()?,
        };
        // Only a limit that cut a sleep changes the run: the replay needs that one, and a
        // steady rate at full speed would otherwise record a limit for every step.
        if let Some(l) = limit {
            if self.engine.with_sim(|m| m.limit_cut()) {
                self.limits.push(self.steps, l);
            }
        }
        self.steps += 1;
        self.last_events = self.engine.take_trace();
        self.output.extend(self.engine.take_output());
        if self.output.len() > 2 * OUTPUT_KEPT {
            let forget = self.output.len() - OUTPUT_KEPT;
            self.output.drain(..forget);
            self.output_base += forget;
        }
        self.last_step = Some(step);
        Ok(step)
    }

    /// One step of `step_phase` and `step_iteration`: while a load test runs, its arrivals
    /// come in and its replies are measured at every step, stepped or played.
    fn next_step(&mut self) -> Result<Step, ModelError> {
        // Past its end a load has no arrivals left; its end as a poll limit would then stop
        // every step at the same instant.
        let now = self.engine.with_sim(|m| m.now());
        if self.load.as_ref().is_some_and(|l| !l.finished(now)) {
            self.play_step(None)
        } else {
            self.step()
        }
    }

    /// Step until the loop enters another phase (or a callback runs, or the run ends).
    pub fn step_phase(&mut self) -> Result<Step, ModelError> {
        let start = self.engine.with_sim(|s| s.phase());
        let mut events = Vec::new();
        let step = loop {
            let step = self.next_step()?;
            events.extend(self.last_events.drain(..));
            let phase = self.engine.with_sim(|s| s.phase());
            if phase != start
                || matches!(step, Step::Exited(_) | Step::AwaitingInput)
                || events.len() > 100_000
            {
                break step;
            }
        };
        self.last_events = events;
        Ok(step)
    }

    /// Step until the next loop iteration starts (or the run ends).
    pub fn step_iteration(&mut self) -> Result<Step, ModelError> {
        let start = self.engine.with_sim(|s| (s.iteration(), s.phase()));
        let mut events = Vec::new();
        let step = loop {
            let step = self.next_step()?;
            events.extend(self.last_events.drain(..));
            let now = self.engine.with_sim(|s| (s.iteration(), s.phase()));
            let next_iteration =
                now.0 > start.0 || (start.1 == Phase::Main && now.1 != Phase::Main);
            if next_iteration
                || matches!(step, Step::Exited(_) | Step::AwaitingInput)
                || events.len() > 100_000
            {
                break step;
            }
        };
        self.last_events = events;
        Ok(step)
    }

    /// The steady rate, if one is on.
    pub fn rate(&self) -> Option<&SteadyRate> {
        self.rate.as_ref()
    }

    /// Starts (or replaces) a steady rate of requests to `route`, the first one now.
    pub fn start_rate(&mut self, route: Route, per_second: u32) {
        let now = self.engine.with_sim(|m| m.now());
        self.rate = Some(SteadyRate::new(route, per_second, now));
    }

    pub fn stop_rate(&mut self) {
        self.rate = None;
    }

    /// One step during playback: sends the requests the steady rate has due, then steps,
    /// cutting a poll sleep at `limit` (real-time playback) or at the rate's next request,
    /// whichever is first.
    pub fn play_step(&mut self, limit: Option<Micros>) -> Result<Step, ModelError> {
        self.send_due();
        self.send_load_due()?;
        let next_load = self.load.as_ref().and_then(LoopLoad::next_event);
        let limit = [limit, self.rate.as_ref().map(|r| r.next), next_load]
            .into_iter()
            .flatten()
            .min();
        let step = self.step_bounded(limit)?;
        if let Some(mut load) = self.load.take() {
            load.after_step(&mut self.engine, step);
            self.load = Some(load);
        }
        Ok(step)
    }

    /// Starts a load test now (replacing one that runs); `play_step` sends its requests and
    /// measures them. Replies are tracked from here on, and only the latest 1,000 finished
    /// requests are kept for [`Engine::requests`].
    pub fn start_load(&mut self, spec: &LoadSpec) {
        self.engine.track_completions(1_000);
        self.load = Some(LoopLoad::new(spec, &mut self.engine));
    }

    /// The load test, if one was started.
    pub fn load(&self) -> Option<&LoopLoad> {
        self.load.as_ref()
    }

    /// Ends the load test and hands it over for its report. Arrivals due by now are sent
    /// first: a last callback may have run past some of them (and past the end), and they did
    /// arrive, so both servers count the same arrivals.
    pub fn stop_load(&mut self) -> Option<LoopLoad> {
        // A model error here would only lose arrivals already counted as due; the load ends.
        let _ = self.send_load_due();
        self.load.take()
    }

    /// Sends the load test's requests due now, each dated when it arrived.
    fn send_load_due(&mut self) -> Result<(), ModelError> {
        let Some(mut load) = self.load.take() else {
            return Ok(());
        };
        let now = self.engine.with_sim(|m| m.now());
        let mut result = Ok(());
        while let Some((arrival, route)) = load.pop_due(now) {
            let url = route.url(self.requests_sent + 1);
            match self.engine.send_request_at(&route.method, &url, arrival.at) {
                Ok(Some(id)) => {
                    self.record(Input::Request {
                        method: route.method.clone(),
                        url,
                        at: arrival.at,
                    });
                    load.sent(id, arrival);
                }
                Ok(None) => load.refused(arrival),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.last_events.extend(self.engine.take_trace());
        self.load = Some(load);
        result
    }

    /// Sends the requests the steady rate has due now (`play_step` does it first; a caller
    /// that wants to look at the state between the two can call it itself).
    pub fn send_due(&mut self) {
        let now = self.engine.with_sim(|m| m.now());
        let Some(rate) = &mut self.rate else { return };
        let due = rate.take_due(now);
        let route = rate.route.clone();
        for _ in 0..due {
            self.send_route(&route);
        }
    }

    /// Requests sent so far (replayed ones included).
    pub fn requests_sent(&self) -> u64 {
        self.requests_sent
    }

    /// Sends a request to `route`, its `:params` filled with the request's number.
    pub fn send_route(&mut self, route: &Route) -> Option<u64> {
        let url = route.url(self.requests_sent() + 1);
        self.send_request(&route.method, &url)
    }

    /// The frames of the callback the last step ran, as they were while it ran: the step runs
    /// a whole callback, so the live stack is empty again afterwards. The callback's frame
    /// first, then the latest host call it made (`db.query`, `fs.readFile`) on top.
    pub fn last_frames(&self) -> Vec<FrameView> {
        let tag = self.engine.with_sim(|m| m.ran_tag());
        self.engine.with_labels(|labels| {
            let mut frames: Vec<FrameView> = Vec::new();
            for e in &self.last_events {
                match &e.kind {
                    EventKind::CallbackStart { source, label, .. } => {
                        frames.clear();
                        frames.push(FrameView {
                            label: labels.name(*label).to_owned(),
                            tag,
                            source: Some(*source),
                        });
                    }
                    EventKind::HostCallStart { label } => {
                        frames.truncate(1);
                        frames.push(FrameView {
                            label: labels.name(*label).to_owned(),
                            tag: None,
                            source: None,
                        });
                    }
                    _ => {}
                }
            }
            frames
        })
    }

    /// A client sends a request now; it is recorded so that replays send it at the same point.
    pub fn send_request(&mut self, method: &str, url: &str) -> Option<u64> {
        let at = self.engine.with_sim(|m| m.now());
        let id = self.engine.send_request(method, url)?;
        self.record(Input::Request {
            method: method.into(),
            url: url.into(),
            at,
        });
        self.last_events = self.engine.take_trace();
        Some(id)
    }

    /// Remembers an input sent now, for replays.
    fn record(&mut self, input: Input) {
        match input {
            Input::Request { .. } => self.requests_sent += 1,
        }
        self.inputs.push(self.steps, &input);
    }

    /// Go back one step (replaying from the start).
    pub fn step_back(&mut self) -> Result<(), SessionError> {
        let target = self.steps.saturating_sub(1);
        self.goto(target)
    }

    /// Replay from the start to exactly `target` steps (at most the steps taken so far).
    pub fn goto(&mut self, target: u64) -> Result<(), SessionError> {
        let mut replay = self.replay_to(target).map_err(SessionError::Engine)?;
        while !replay.advance(u64::MAX)? {}
        *self = replay.finish();
        Ok(())
    }

    /// The requests sent so far, with the step each was sent at, from the `from`-th on.
    pub fn inputs_from(&self, from: usize) -> Vec<(u64, Input)> {
        self.inputs.read_from(from).collect()
    }

    /// How many inputs the run received.
    pub fn inputs_len(&self) -> usize {
        self.inputs.len()
    }

    /// The poll sleeps cut short so far (step, instant), from the `from`-th on.
    pub fn limits_from(&self, from: usize) -> Vec<(u64, Micros)> {
        self.limits.read_from(from)
    }

    /// Starts replaying this session, from a fresh engine, up to `target` steps; this session
    /// is left as it is until the replay is finished and swapped in. A page drives the replay
    /// a few milliseconds per frame ([`Replay::advance`]), so a long history rewinds without
    /// freezing the tab.
    pub fn replay_to(&self, target: u64) -> Result<Replay, EngineError> {
        let fresh = Session::new(&self.source, &self.filename, self.options.clone())?;
        Ok(Replay {
            session: fresh,
            feed: Feed {
                target: target.min(self.steps),
                inputs: Replaying::new(self.inputs.clone()),
                limits: ReplayingLimits::new(self.limits.clone()),
                done: false,
            },
        })
    }
}

/// A recorded run's inputs and cut sleeps, fed into a session as it steps, up to a target
/// step: what makes a replay the same run. [`Replay`] owns the session it feeds; a page that
/// wants every replayed step as stepping there showed it (its view, its caption, its console)
/// steps a session of its own through [`Feed::step`] instead.
pub struct Feed {
    target: u64,
    /// The inputs and step limits of the run being replayed, and how far they were used.
    inputs: Replaying,
    limits: ReplayingLimits,
    done: bool,
}

impl Feed {
    /// Feeds `inputs` and `limits` (as [`Session::inputs_from`] and [`Session::limits_from`]
    /// gave them) to a fresh session of the same program and options, up to `target` steps.
    pub fn recorded(inputs: Vec<(u64, Input)>, limits: Vec<(u64, Micros)>, target: u64) -> Feed {
        Feed {
            target,
            inputs: Replaying::new(inputs.into_iter().collect()),
            limits: ReplayingLimits::new(limits.into_iter().collect()),
            done: false,
        }
    }

    /// Where the feed stops.
    pub fn target(&self) -> u64 {
        self.target
    }

    /// Moves the target back. A target `s` has passed already ends the feed where it is.
    pub fn retarget(&mut self, target: u64) {
        self.target = self.target.min(target);
    }

    /// Whether `s` (the session fed) reached the target, or the program exited on the way.
    pub fn done(&self, s: &Session) -> bool {
        self.done || s.steps >= self.target
    }

    /// One step of `s`, after the inputs sent before it, with the sleep limit it had.
    pub fn step(&mut self, s: &mut Session) -> Result<Step, ModelError> {
        self.send_inputs_due(s);
        let limit = match self.limits.peek() {
            Some(&(at, l)) if at == s.steps => {
                self.limits.advance();
                Some(l)
            }
            _ => None,
        };
        let step = s.step_bounded(limit)?;
        if matches!(step, Step::Exited(_)) {
            self.done = true;
        }
        Ok(step)
    }

    /// Sends the inputs due at `s`'s step; true if there were any.
    fn send_inputs_due(&mut self, s: &mut Session) -> bool {
        let mut sent = false;
        while self.inputs.peek().is_some_and(|(step, _)| *step == s.steps) {
            let Some((_, input)) = self.inputs.advance() else {
                break;
            };
            let Input::Request { method, url, at } = &input;
            let _ = s.engine.send_request_at(method, url, *at);
            s.record(input);
            sent = true;
        }
        sent
    }

    /// Ends the feed at `s`'s step. Inputs sent at exactly that step are sent too (they
    /// happened before the next step); later ones are forgotten, as a new future begins here.
    /// True when that sent any.
    pub fn finish(mut self, s: &mut Session) -> bool {
        // Skip inputs that belonged to steps never replayed (an exit on the way).
        while self.inputs.peek().is_some_and(|(step, _)| *step < s.steps) {
            self.inputs.advance();
        }
        self.send_inputs_due(s)
    }
}

/// A replay in progress (see [`Session::replay_to`]).
pub struct Replay {
    session: Session,
    feed: Feed,
}

impl Replay {
    /// Steps replayed so far.
    pub fn steps(&self) -> u64 {
        self.session.steps
    }

    /// Where the replay stops.
    pub fn target(&self) -> u64 {
        self.feed.target()
    }

    /// Moves the target back (the user asks to go back further while it replays). A target
    /// the replay has already passed ends it where it is: start a new replay to reach it.
    pub fn retarget(&mut self, target: u64) {
        self.feed.retarget(target);
    }

    /// Replays at most `max_steps` more steps; true once the target is reached (or the program
    /// exited on the way).
    pub fn advance(&mut self, max_steps: u64) -> Result<bool, ModelError> {
        self.advance_each(max_steps, |_| {})
    }

    /// [`Replay::advance`], calling `each` with the replayed session after every step (a
    /// timeline reads the replayed run as it goes).
    pub fn advance_each(
        &mut self,
        max_steps: u64,
        mut each: impl FnMut(&Session),
    ) -> Result<bool, ModelError> {
        let mut budget = max_steps;
        while !self.feed.done(&self.session) && budget > 0 {
            self.feed.step(&mut self.session)?;
            each(&self.session);
            budget -= 1;
        }
        Ok(self.feed.done(&self.session))
    }

    /// The replayed session. Inputs sent at exactly the step it stopped at are replayed too
    /// (they happened before the next step); later ones are forgotten, as a new future
    /// begins here.
    pub fn finish(mut self) -> Session {
        self.feed.finish(&mut self.session);
        self.session
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "const express = require('express');\nconst db = require('db');\nconst app = express();\n\
        app.get('/users/:id', async (req, res) => {\n  console.log('request', req.params.id);\n  const [user] = await db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);\n  res.json(user);\n});\n\
        app.listen(3000, () => console.log('listening'));\n";

    fn snapshot_text(s: &Session) -> String {
        format!("{:?}", s.engine().snapshot(50))
    }

    #[test]
    fn stepping_back_replays_to_the_same_state() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        for _ in 0..30 {
            s.step().unwrap();
        }
        assert_eq!(s.step().unwrap(), Step::AwaitingInput);
        s.send_request("GET", "/users/3").unwrap();
        s.send_request("GET", "/users/4").unwrap();
        let mut states = Vec::new();
        loop {
            states.push((s.steps(), snapshot_text(&s), s.output().to_vec()));
            if s.step().unwrap() == Step::AwaitingInput {
                break;
            }
            assert!(states.len() < 500);
        }
        let done = s.engine().requests();
        assert_eq!(done.len(), 2);
        assert!(done.iter().all(|r| r.status == Some(200)), "{done:?}");
        // Walk back through every recorded state.
        for (steps, snap, out) in states.into_iter().rev() {
            s.goto(steps).unwrap();
            assert_eq!(s.steps(), steps);
            assert_eq!(snapshot_text(&s), snap, "state at step {steps}");
            assert_eq!(s.output(), &out[..]);
        }
    }

    #[test]
    fn a_replay_in_chunks_reaches_the_same_state_and_can_be_sent_further_back() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        let listening = s.steps();
        let mut live_early = String::new();
        for i in 0..5 {
            s.send_request("GET", &format!("/users/{i}")).unwrap();
            if s.steps() == listening + 2 {
                // What a replay to this step must show: the request sent at it included.
                live_early = snapshot_text(&s);
            }
            s.step().unwrap();
        }
        let mut states = Vec::new();
        while s.step().unwrap() != Step::AwaitingInput {
            states.push((s.steps(), snapshot_text(&s)));
        }
        let end = (s.steps(), snapshot_text(&s), s.output().to_vec());
        let (mid, mid_snap) = states[states.len() / 2].clone();

        // The live session is untouched while a replay runs beside it.
        let mut r = s.replay_to(mid).unwrap();
        let mut chunks = 0;
        while !r.advance(7).unwrap() {
            chunks += 1;
            assert!(r.steps() <= mid);
        }
        assert!(chunks > 3, "{chunks} chunks");
        assert_eq!((s.steps(), snapshot_text(&s)), (end.0, end.1.clone()));
        let back = r.finish();
        assert_eq!((back.steps(), snapshot_text(&back)), (mid, mid_snap));

        // Going back further while replaying: a new target before the replay reaches it.
        let mut r = s.replay_to(end.0 - 1).unwrap();
        r.advance(3).unwrap();
        r.retarget(listening + 2);
        assert_eq!(r.target(), listening + 2);
        while !r.advance(5).unwrap() {}
        let early = r.finish();
        assert_eq!(early.steps(), listening + 2);
        assert_eq!(snapshot_text(&early), live_early);

        // A replay to the end reproduces the output and the state.
        let mut again = s.replay_to(end.0).unwrap();
        while !again.advance(u64::MAX).unwrap() {}
        let again = again.finish();
        assert_eq!(again.output(), &end.2[..]);
        assert_eq!(snapshot_text(&again), end.1);
    }

    #[test]
    fn an_idle_server_sleeps_until_the_limit_and_replays_the_same_way() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        let now = s.engine().with_sim(|m| m.now());
        // With a limit the idle loop sleeps until it (a UI sends the next request then).
        assert_eq!(
            s.step_until(now + Micros::from_ms(200)).unwrap(),
            Step::Progress
        );
        assert_eq!(s.engine().with_sim(|m| m.now()), now + Micros::from_ms(200));
        s.send_request("GET", "/users/1").unwrap();
        for _ in 0..3 {
            s.step_until(now + Micros::from_ms(230)).unwrap();
        }
        let steps = s.steps();
        let snap = snapshot_text(&s);
        s.step().unwrap();
        s.goto(steps).unwrap();
        assert_eq!(snapshot_text(&s), snap);
        // Without a limit it still says it waits for input.
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        assert_eq!(s.step().unwrap(), Step::AwaitingInput);
    }

    #[test]
    fn step_phase_and_iteration_move_further_than_step() {
        let src = "setTimeout(() => console.log('a'), 5);\nsetImmediate(() => console.log('b'));\n";
        let mut s = Session::new(src, "/app/p.js", Options::default()).unwrap();
        s.step_iteration().unwrap();
        let it = s.engine().with_sim(|m| m.iteration());
        s.step_iteration().unwrap();
        assert_eq!(s.engine().with_sim(|m| m.iteration()), it + 1);
        let p = s.engine().with_sim(|m| m.phase());
        s.step_phase().unwrap();
        assert_ne!(s.engine().with_sim(|m| m.phase()), p);
        while !matches!(s.step().unwrap(), Step::Exited(_)) {}
        let text: String = s.output().iter().map(|o| o.text.as_str()).collect();
        assert_eq!(text, "b\na\n");
    }

    #[test]
    fn anonymous_callbacks_are_labelled_by_the_start_of_their_source() {
        let src = "setTimeout(() => console.log('a'), 5);\n\
                   setImmediate(function named() {});\n\
                   process.nextTick(function () {\n  console.log('a rather long body that goes on and on');\n});\n\
                   setTimeout(console.log, 1, 'x');\n";
        let mut s = Session::new(src, "/app/n.js", Options::default()).unwrap();
        s.step().unwrap();
        let snap = s.engine().snapshot(10);
        let labels: Vec<String> = snap
            .queues
            .iter()
            .flat_map(|q| q.items.iter().map(|i| i.label.clone()))
            .collect();
        assert!(
            labels.contains(&"() => console.log('a')".to_owned()),
            "{labels:?}"
        );
        assert!(labels.contains(&"named".to_owned()), "{labels:?}");
        assert!(
            labels.contains(&"log".to_owned()),
            "a native function keeps its name: {labels:?}"
        );
        let long = labels
            .iter()
            .find(|l| l.starts_with("function () {"))
            .expect("the tick");
        assert_eq!(long.chars().count(), 40, "{long}");
        assert!(long.ends_with('…') && !long.contains('\n'), "{long}");
    }

    #[test]
    fn current_line_follows_the_running_callback() {
        let src = "setTimeout(() => {\n  console.log('x');\n}, 1);\n";
        let mut s = Session::new(src, "/app/l.js", Options::default()).unwrap();
        let mut lines = Vec::new();
        while !matches!(s.step().unwrap(), Step::Exited(_)) {
            if let Some(l) = s.engine().current_line() {
                lines.push(l);
            }
        }
        assert!(lines.contains(&1) && lines.contains(&2), "{lines:?}");
    }

    #[test]
    fn a_steady_rate_sends_one_request_per_interval_of_virtual_time() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        let route = Route {
            method: "GET".into(),
            pattern: "/users/:id".into(),
        };
        let t0 = s.engine().with_sim(|m| m.now());
        s.start_rate(route, 20);
        while s.engine().with_sim(|m| m.now()) < t0 + Micros::from_ms(1_000) {
            s.play_step(None).unwrap();
        }
        // 20 a second from t0: t0, t0 + 50 ms, ..., t0 + 950 ms, and t0 + 1 s if reached.
        let sent = s.engine().requests();
        assert!((20..=21).contains(&sent.len()), "{}", sent.len());
        for (i, r) in sent.iter().enumerate() {
            assert_eq!(
                r.url,
                format!("/users/{}", i + 1),
                "params are the request's number"
            );
            assert_eq!(r.arrived, t0 + Micros::from_ms(50 * i as u64), "{r:?}");
        }
        // A replay sends the same requests at the same steps, without the rate.
        let (steps, snap) = (s.steps(), snapshot_text(&s));
        s.stop_rate();
        s.goto(steps).unwrap();
        assert_eq!(snapshot_text(&s), snap);
        assert_eq!(s.requests_sent(), sent.len() as u64);
        assert!(s.rate().is_none());
    }

    #[test]
    fn a_load_test_dates_each_request_when_it_arrived_and_replays_the_same_way() {
        use crate::load::generator::Generator;
        use crate::load::spec::{Arrivals, LoadSpec, Mode, Weighted};
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        let mix = vec![Weighted::parse("GET /users/:id", &crate::load::routes(SERVER)).unwrap()];
        let mode = Mode::Open {
            rate: 400.0,
            arrivals: Arrivals::Poisson,
            ramp_from: None,
        };
        let spec = LoadSpec::new(mode, mix, 0.5, 10.0, 3).unwrap();
        let start = s.engine().with_sim(|m| m.now());
        s.start_load(&spec);
        let end = s.load().unwrap().end();
        let mut late = 0;
        while s.engine().with_sim(|m| m.now()) < end {
            let before = s.requests_sent();
            let now = s.engine().with_sim(|m| m.now());
            s.play_step(None).unwrap();
            // Requests sent at the start of this step that arrived before it began (while the
            // last callback ran) keep their arrival time.
            late += s.engine().requests()[before as usize..]
                .iter()
                .filter(|r| r.arrived < now)
                .count();
        }
        let mut g = Generator::new(&spec, start);
        let mut want = Vec::new();
        while let Some(a) = g.pop_due(end) {
            want.push(a.at);
        }
        let got: Vec<Micros> = s.engine().requests().iter().map(|r| r.arrived).collect();
        assert_eq!(got, want);
        assert!(late > 0, "some requests arrived while a callback ran");
        let mut load = s.stop_load().unwrap();
        let r = load.report(s.engine());
        assert_eq!(r.summary.sent, want.len() as u64);
        // A replay sends the same requests, dated the same, at the same steps.
        let (steps, snap) = (s.steps(), snapshot_text(&s));
        s.goto(steps).unwrap();
        assert_eq!(snapshot_text(&s), snap);
        let again: Vec<Micros> = s.engine().requests().iter().map(|r| r.arrived).collect();
        assert_eq!(again, want);
    }

    #[test]
    fn a_tracked_engine_reports_each_reply_once_and_keeps_only_the_latest_finished() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        s.engine_mut().track_completions(2);
        for i in 1..=5 {
            s.send_request("GET", &format!("/users/{i}")).unwrap();
        }
        let mut done = Vec::new();
        while s.step().unwrap() != Step::AwaitingInput {
            done.extend(s.engine_mut().take_completions());
        }
        // Each once, in the order the replies went out (the database's jitter reorders them).
        let mut ids: Vec<u64> = done.iter().map(|c| c.id).collect();
        let mut latest = ids[3..].to_vec();
        ids.sort();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
        assert!(done.windows(2).all(|w| w[0].finished <= w[1].finished));
        assert!(done
            .iter()
            .all(|c| c.status == 200 && c.finished > c.arrived));
        // The two that finished last stay.
        latest.sort();
        let kept: Vec<u64> = s.engine().requests().iter().map(|r| r.id).collect();
        assert_eq!(kept, latest);
    }

    #[test]
    fn the_last_frames_are_the_callback_and_its_latest_host_call() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        let route = Route {
            method: "GET".into(),
            pattern: "/users/:id".into(),
        };
        let id = s.send_route(&route).unwrap();
        let frames = loop {
            s.step().unwrap();
            let f = s.last_frames();
            if f.first()
                .is_some_and(|f| f.label == crate::names::REQUEST_CALLBACK)
            {
                break f;
            }
            assert!(s.steps() < 500);
        };
        assert_eq!(frames.len(), 2, "{frames:?}");
        assert_eq!(frames[0].tag, Some(id));
        assert!(matches!(
            frames[0].source,
            Some(looplab_model::Source::Io(_))
        ));
        assert_eq!(
            (frames[1].label.as_str(), frames[1].source),
            ("db.query", None)
        );
        // A step that runs no callback has no frames.
        while s.step().unwrap() != Step::AwaitingInput {
            if !s
                .last_events()
                .iter()
                .any(|e| matches!(e.kind, EventKind::CallbackStart { .. }))
            {
                assert!(s.last_frames().is_empty());
            }
        }
    }
}
