//! The simulation's side of the worker boundary: commands in, views out, in plain Rust.
//!
//! HOW: a [`CommandLoop`] owns the [`Runner`] (the engine, the model, the JavaScript heap) and
//! does what each [`ToWorker`] command asks. Playing, a long step back or a rebuild is work that
//! goes on between commands: the host (the Web Worker's script, or the page itself when no
//! worker can be started) calls [`CommandLoop::slice`] again and again, each call working for
//! at most [`SLICE_MS`] of wall time so that a Pause or a Stop is read promptly, and posts what
//! [`CommandLoop::outbox`] returns. A view is posted when it changed and either the page drew the
//! last one ([`ToWorker::Drawn`]) or the page sent a command since: the page draws the latest
//! view of a playing run at most every other frame (every fourth at max speed:
//! [`crate::playback::frames_before_drawn`]), and the worker never floods it, but what the user
//! asked for (a step back, a jump) is answered at once.
//!
//! A view that may be a large change for the page to draw is *held*: the worker steps no
//! further until the page drew it ([`CommandLoop::held`]). Such a view answers a command that
//! left no seek or replay running (a Load, a preset, a jump within the history, a Send: the
//! page may build panes anew; the answer to a command that starts a seek or a replay is a
//! placeholder, and holding it would only delay that work) or brings a burst of at least
//! [`HOLD_REQUESTS`] requests (10,000 users arriving at once). On a two-core machine the worker
//! stepping flat out and the page drawing share one core with the browser's raster and
//! compositor threads, and a frame's work took about twice its CPU time; held, the page's long
//! frames get a core to themselves. The hold ends when every held view posted was drawn, or
//! [`HOLD_MAX_MS`] after the oldest held view not drawn was first seen: a hidden tab draws
//! nothing, and once that time is past the held views of the commands it keeps getting do not
//! hold the worker again; commands that keep coming (a drag along the timeline) do not extend
//! it.
//!
//! Everything here is plain Rust with the wall clock passed in, tested natively.

use crate::playback::{rewind_frame_for, Frame, Pacer};
use crate::protocol::{Condition, FromWorker, StepBy, ToWorker, UNTIL_MAX_STEPS};
use crate::runner::Runner;
use looplab_engine::looplab_model::Step;

/// Wall-clock budget of one slice of work (ms): a command waits at most about this long.
pub const SLICE_MS: f64 = 8.0;

/// A view bringing at least this many recorded requests is held until drawn (a burst: a
/// steadily played run brings a few dozen a view).
pub const HOLD_REQUESTS: usize = 1_000;

/// The longest the worker waits for a held view to be drawn (ms of wall time).
pub const HOLD_MAX_MS: f64 = 250.0;

/// Where a seek is going.
enum Seek {
    /// To this step.
    Step(u64),
    /// Until `condition` holds (console lines counted from `lines_before`), at most
    /// `steps_left` more steps.
    Until {
        condition: Condition,
        lines_before: usize,
        steps_left: u64,
    },
}

/// The simulation, driven by commands.
pub struct CommandLoop {
    runner: Runner,
    /// Playing at a pace (Some) or paused (None).
    pacer: Option<Pacer>,
    /// Stepping towards a target ([`ToWorker::Goto`] forward, [`ToWorker::Until`]), a slice
    /// at a time.
    seek: Option<Seek>,
    /// What is left of a [`ToWorker::Sequence`], run as each seek ends.
    queued: std::collections::VecDeque<ToWorker>,
    /// The view changed since the last one posted.
    dirty: bool,
    /// The views posted that the page has not drawn yet, oldest first (it answers each with a
    /// `Drawn`, in order): whether each is held.
    in_flight: std::collections::VecDeque<bool>,
    /// The page sent a command since the last view posted: its answer goes out at once.
    asked: bool,
    /// Commands handled (all but `Drawn`).
    handled: u64,
    /// When [`CommandLoop::held`] first saw the oldest held view in flight (wall ms): the
    /// hold's time limit runs from there, and a later held view does not restart it.
    held_since: Option<f64>,
}

impl Default for CommandLoop {
    fn default() -> Self {
        CommandLoop::new()
    }
}

impl CommandLoop {
    /// Nothing loaded yet: the page's first command is a `Load`.
    pub fn new() -> CommandLoop {
        CommandLoop {
            runner: Runner::unloaded(crate::settings::POOL_SIZE.default as u16),
            pacer: None,
            seek: None,
            queued: std::collections::VecDeque::new(),
            dirty: false,
            in_flight: std::collections::VecDeque::new(),
            asked: false,
            handled: 0,
            held_since: None,
        }
    }

    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    /// Does what `cmd` asks, at once (stepping, sending) or by setting up work for the
    /// following slices (playing, a long step back).
    pub fn handle(&mut self, cmd: ToWorker) {
        match cmd {
            ToWorker::Drawn => {
                if self.in_flight.pop_front() == Some(true) {
                    // The oldest held view is drawn: a later one's limit runs from now on.
                    self.held_since = None;
                }
                return;
            }
            _ => self.handled += 1,
        }
        // What the page asked for is answered at once: pacing is for the work that goes on by
        // itself (playing, a replay), and a jump or a step back waiting for the page's next
        // draw showed a frame or two late. (Counting the views not drawn keeps a playing run
        // at one view in flight afterwards: a plain flag let a second one in for good.)
        self.asked = true;
        // A command from the page ends what is left of a sequence.
        self.queued.clear();
        self.run(cmd);
    }

    /// Runs the queued commands of a sequence while nothing seeks.
    fn run_queued(&mut self) {
        while self.seek.is_none() && self.runner.rewinding().is_none() {
            let Some(cmd) = self.queued.pop_front() else {
                return;
            };
            let rest = std::mem::take(&mut self.queued);
            self.run(cmd);
            // (A nested sequence runs before the rest.)
            self.queued.extend(rest);
        }
    }

    fn run(&mut self, cmd: ToWorker) {
        if self.runner.is_unloaded() && !matches!(cmd, ToWorker::Load { .. }) {
            // Nothing to play, step or load-test before the page's first program.
            return;
        }
        // Anything that moves the run itself ends a Goto that is stepping forward.
        if matches!(
            cmd,
            ToWorker::Load { .. }
                | ToWorker::Branch { .. }
                | ToWorker::Step(_)
                | ToWorker::Back
                | ToWorker::Rerun
                | ToWorker::Goto(_)
                | ToWorker::Until(_)
                | ToWorker::Play(_)
                | ToWorker::Pause
                | ToWorker::StartLoad(_)
        ) {
            self.seek = None;
        }
        match cmd {
            ToWorker::Drawn => {}
            ToWorker::Sequence(cmds) => {
                self.queued.extend(cmds);
                self.run_queued();
            }
            ToWorker::Load {
                process,
                replay,
                note,
            } => {
                self.pacer = None;
                self.runner = match replay {
                    Some((recording, step)) => Runner::rebuilt(&process, &recording, step, note),
                    None => Runner::start(&process),
                };
            }
            ToWorker::Branch { process, note } => {
                self.pacer = None;
                let k = self.runner.steps();
                let recording = self.runner.recording().up_to(k);
                self.runner = Runner::rebuilt(&process, &recording, k, Some(note));
            }
            ToWorker::Step(by) => {
                self.pacer = None;
                match by {
                    StepBy::Event => drop(self.runner.step()),
                    StepBy::Phase => drop(self.runner.step_phase()),
                    StepBy::Iteration => drop(self.runner.step_iteration()),
                }
            }
            ToWorker::Back => {
                self.pacer = None;
                self.runner.begin_step_back();
            }
            ToWorker::Rerun => {
                self.pacer = None;
                let last = self.runner.present().saturating_sub(1);
                // The history's last step is not what running it again will show.
                self.runner.forget_from(last);
                self.runner.begin_step_back();
            }
            ToWorker::Goto(target) => {
                self.pacer = None;
                // The history shows any step it keeps at once; earlier ones are replayed,
                // later ones stepped to.
                let present = self.runner.present();
                if self.runner.show(target) {
                } else if target < present {
                    self.runner.go_back_to(target);
                } else {
                    self.runner.show(present);
                    self.seek = Some(Seek::Step(target));
                }
            }
            ToWorker::Until(condition) => {
                self.pacer = None;
                let view = self.runner.view();
                if !condition.met(&view, view.console.total) {
                    self.seek = Some(Seek::Until {
                        condition,
                        lines_before: view.console.total,
                        steps_left: UNTIL_MAX_STEPS,
                    });
                }
            }
            ToWorker::Play(pacing) => self.pacer = Some(Pacer::new(pacing)),
            ToWorker::Pause => self.pacer = None,
            ToWorker::Send {
                method,
                pattern,
                count,
            } => {
                for _ in 0..count {
                    self.runner.send_route(&method, &pattern);
                }
            }
            ToWorker::StartRate {
                method,
                pattern,
                per_second,
            } => self.runner.start_rate(&method, &pattern, per_second),
            ToWorker::StopRate => self.runner.stop_rate(),
            // A load that cannot start says why in the view (the Load pane shows it).
            ToWorker::StartLoad(request) => drop(self.runner.start_load(request)),
            ToWorker::StopLoad => self.runner.stop_load(),
            ToWorker::Budget(ms) => looplab_engine::watchdog::set_budget(ms),
        }
        self.dirty = true;
    }

    /// True while a view waits to be posted (it changed since the last one).
    pub fn pending(&self) -> bool {
        self.dirty
    }

    /// True while there is work for the next slice (playing, replaying).
    pub fn busy(&self) -> bool {
        self.runner.rewinding().is_some()
            || self.pacer.is_some()
            || self.seek.is_some()
            || !self.queued.is_empty()
    }

    /// Works for at most [`SLICE_MS`] of `clock` (ms): a replay first, else playback. Returns
    /// whether more work remains.
    pub fn slice(&mut self, clock: &mut dyn FnMut() -> f64) -> bool {
        if self.held(clock()).is_some() {
            return true;
        }
        if self.runner.rewinding().is_some() {
            let more = rewind_frame_for(&mut self.runner, clock, SLICE_MS);
            self.dirty = true;
            if !more {
                self.run_queued();
            }
            return more || self.busy();
        }
        if self.seek.is_some() {
            self.dirty = true;
            let more = self.seek_for(clock);
            if !more {
                self.seek = None;
                self.run_queued();
            }
            return self.busy();
        }
        let Some(pacer) = self.pacer.as_mut() else {
            return false;
        };
        let now = clock();
        match pacer.frame_for(&mut self.runner, now, clock, SLICE_MS) {
            Frame::Stepped(_) => self.dirty = true,
            Frame::Exited => {
                self.pacer = None;
                self.dirty = true;
                return false;
            }
            Frame::Idle | Frame::Nothing => {}
        }
        true
    }

    /// Steps towards the seek's target for at most [`SLICE_MS`]; false once it is reached or
    /// cannot be (the program exited or waits for requests).
    fn seek_for(&mut self, clock: &mut dyn FnMut() -> f64) -> bool {
        let start = clock();
        loop {
            match &self.seek {
                Some(Seek::Step(target)) if self.runner.steps() >= *target => return false,
                None => return false,
                Some(_) => {}
            }
            let step = self.runner.play_step(None);
            if let Some(Seek::Until {
                condition,
                lines_before,
                steps_left,
            }) = &mut self.seek
            {
                let met = match condition {
                    // Cheap checks first: a load test is thousands of steps.
                    Condition::LoadDone => !self.runner.load_running(),
                    Condition::Exited => self.runner.exited(),
                    // A server that listens is what `Listening` waits for, not a dead end.
                    c => c.met(&self.runner.view(), *lines_before),
                };
                if met {
                    return false;
                }
                *steps_left -= 1;
                if *steps_left == 0 {
                    return false;
                }
            }
            if !matches!(step, Some(Step::Progress | Step::Run(_))) {
                // The program ended or waits for requests: it can go no further.
                return false;
            }
            if clock() - start >= SLICE_MS {
                return true;
            }
        }
    }

    /// While a held view waits to be drawn (`now`: wall ms), how long it may still wait (ms):
    /// the host schedules no slice meanwhile (it looks again after that long), and a slice does
    /// nothing. A hold lasts until every held view posted was drawn, or [`HOLD_MAX_MS`] after
    /// the oldest held view not drawn was first seen: a hidden tab draws nothing, and the held
    /// views of the commands it keeps getting do not hold the worker again once that is past.
    pub fn held(&mut self, now: f64) -> Option<f64> {
        if !self.in_flight.contains(&true) {
            return None;
        }
        let since = *self.held_since.get_or_insert(now);
        let left = HOLD_MAX_MS - (now - since);
        (left > 0.0).then_some(left)
    }

    /// What to post now: the view, when it changed and either the page drew the last one or
    /// sent a command since.
    pub fn outbox(&mut self) -> Option<FromWorker> {
        if !self.dirty || (!self.in_flight.is_empty() && !self.asked) {
            return None;
        }
        let recorded = self.runner.recorded_since();
        let settled =
            self.seek.is_none() && self.queued.is_empty() && self.runner.rewinding().is_none();
        let hold = (self.asked && settled) || recorded.added.requests.len() >= HOLD_REQUESTS;
        self.dirty = false;
        self.asked = false;
        self.in_flight.push_back(hold);
        let mut view = self.runner.view();
        view.seeking = self.seek.is_some() || !self.queued.is_empty();
        Some(FromWorker::View {
            view: Box::new(view),
            hold,
            recorded,
            timeline: self.runner.timeline_since(),
            handled: self.handled,
            heap_bytes: crate::heap::live_bytes(),
            wasm_bytes: crate::heap::linear_memory_bytes(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playback::Pacing;
    use crate::presets::default_preset;
    use crate::protocol::Recording;
    use crate::view::View;

    fn ticking() -> impl FnMut() -> f64 {
        let mut t = 0.0;
        move || {
            t += 0.25;
            t
        }
    }

    /// Runs slices and collects what the page would draw, drawing each at once.
    fn drive(w: &mut CommandLoop, slices: usize, page: &mut Recording) -> Vec<View> {
        let mut views = Vec::new();
        let mut clock = ticking();
        for _ in 0..slices {
            if let Some(FromWorker::View { view, recorded, .. }) = w.outbox() {
                page.apply(recorded);
                views.push(*view);
                w.handle(ToWorker::Drawn);
            }
            if !w.slice(&mut clock) && !w.dirty {
                break;
            }
        }
        if let Some(FromWorker::View { view, recorded, .. }) = w.outbox() {
            page.apply(recorded);
            views.push(*view);
            w.handle(ToWorker::Drawn);
        }
        views
    }

    fn load(source: &str) -> ToWorker {
        ToWorker::Load {
            process: crate::protocol::Process::new(source, 4),
            replay: None,
            note: None,
        }
    }

    /// A loop with `source` loaded and its first view drawn.
    fn loaded(source: &str) -> CommandLoop {
        let mut w = CommandLoop::new();
        w.handle(load(source));
        assert!(w.outbox().is_some(), "the load's view");
        w.handle(ToWorker::Drawn);
        w
    }

    #[test]
    fn while_playing_a_view_is_posted_only_after_the_last_was_drawn() {
        let mut w = loaded("setInterval(() => {}, 1);");
        w.handle(ToWorker::Play(Pacing::Max));
        let mut clock = ticking();
        let Some(FromWorker::View { hold: true, .. }) = w.outbox() else {
            panic!("the command's view is posted at once, held")
        };
        w.handle(ToWorker::Drawn);
        assert!(w.slice(&mut clock));
        let Some(FromWorker::View { view, hold, .. }) = w.outbox() else {
            panic!("the slice's view")
        };
        assert!(!hold, "a few steps of a played run are no large change");
        let first = view.steps;
        assert!(w.slice(&mut clock));
        assert!(w.outbox().is_none(), "the last view is not drawn yet");
        w.handle(ToWorker::Drawn);
        let Some(FromWorker::View { view, .. }) = w.outbox() else {
            panic!("the slice's view, once the last was drawn")
        };
        assert!(view.steps > first);
        assert!(w.outbox().is_none(), "one view per draw");
    }

    /// A wall clock that advances a quarter of a millisecond each time it is read, from `at`
    /// (which the test may move on): a slice ends after its `SLICE_MS`.
    fn clock_at(at: &std::rc::Rc<std::cell::Cell<f64>>) -> impl FnMut() -> f64 {
        let at = at.clone();
        move || {
            at.set(at.get() + 0.25);
            at.get()
        }
    }

    #[test]
    fn a_held_view_stops_the_stepping_until_it_is_drawn_or_for_at_most_hold_max_ms() {
        let mut w = CommandLoop::new();
        w.handle(load("setInterval(() => {}, 1);"));
        w.handle(ToWorker::Play(Pacing::Max));
        let Some(FromWorker::View { view, hold, .. }) = w.outbox() else {
            panic!("the command's view")
        };
        assert!(hold, "a view answering a command is held");
        let steps = view.steps;
        let now = std::rc::Rc::new(std::cell::Cell::new(1_000.0));
        let mut clock = clock_at(&now);
        assert!(w.slice(&mut clock), "work remains");
        assert_eq!(w.runner().steps(), steps, "no step while held");
        let left = w.held(now.get()).expect("held");
        assert!(left > 0.0 && left <= HOLD_MAX_MS, "{left}");
        assert!(w.held(now.get() + left - 1.0).is_some());
        // Drawn: the stepping goes on.
        w.handle(ToWorker::Drawn);
        assert_eq!(w.held(now.get()), None);
        w.slice(&mut clock);
        assert!(w.runner().steps() > steps);

        // A held view the page never draws (a hidden tab) is let go after HOLD_MAX_MS.
        w.handle(ToWorker::Play(Pacing::Max));
        assert!(matches!(
            w.outbox(),
            Some(FromWorker::View { hold: true, .. })
        ));
        let steps = w.runner().steps();
        let first_seen = now.get();
        assert!(w.held(first_seen).is_some());
        w.slice(&mut clock);
        assert_eq!(w.runner().steps(), steps, "no step while held");
        now.set(first_seen + HOLD_MAX_MS);
        assert_eq!(w.held(now.get()), None);
        w.slice(&mut clock);
        assert!(w.runner().steps() > steps);
        // The tab still draws nothing: the held views of the commands it keeps getting hold
        // the worker no more, since the oldest held view not drawn was first seen long ago.
        for _ in 0..3 {
            w.handle(ToWorker::Play(Pacing::Max));
            assert!(matches!(
                w.outbox(),
                Some(FromWorker::View { hold: true, .. })
            ));
            assert_eq!(w.held(now.get()), None, "no new wait per command");
            let steps = w.runner().steps();
            w.slice(&mut clock);
            assert!(w.runner().steps() > steps);
        }

        // The page draws again: once every view in flight is drawn, a new held view holds.
        for _ in 0..4 {
            w.handle(ToWorker::Drawn);
        }
        w.handle(ToWorker::Play(Pacing::Max));
        assert!(matches!(
            w.outbox(),
            Some(FromWorker::View { hold: true, .. })
        ));
        let start = now.get();
        assert!(w.held(start).is_some());
        // Commands that keep coming (a drag along the timeline) do not extend the hold.
        now.set(start + HOLD_MAX_MS / 2.0);
        w.handle(ToWorker::Play(Pacing::Max));
        assert!(matches!(
            w.outbox(),
            Some(FromWorker::View { hold: true, .. })
        ));
        let left = w.held(now.get()).expect("still held");
        assert!(left <= HOLD_MAX_MS / 2.0, "{left}");
        now.set(start + HOLD_MAX_MS);
        assert_eq!(
            w.held(now.get()),
            None,
            "HOLD_MAX_MS from the first held view not drawn"
        );
        // The first is drawn: the second, still in flight, holds for its own time from now on.
        w.handle(ToWorker::Drawn);
        let left = w.held(now.get()).expect("the second held view");
        assert_eq!(left, HOLD_MAX_MS);
        w.handle(ToWorker::Drawn);
        assert_eq!(w.held(now.get()), None);
    }

    #[test]
    fn a_jump_that_replays_and_a_sequence_still_running_are_not_held() {
        // A jump to a step the history no longer keeps replays from the start; its answer is
        // a placeholder while the replay runs, and holding it would only delay the replay.
        let mut w = loaded("setInterval(() => {}, 1);");
        w.runner.set_budget(64 * 1024);
        let target = 2 * crate::runner::REWIND_AT_ONCE + 1_000;
        w.handle(ToWorker::Goto(target));
        drive(&mut w, 100_000, &mut Recording::default());
        assert_eq!(w.runner().steps(), target);
        let back_to = crate::runner::REWIND_AT_ONCE + 100;
        assert!(w.runner().history_from() > back_to, "the step is not kept");
        w.handle(ToWorker::Goto(back_to));
        assert!(w.runner().rewinding().is_some(), "the jump replays");
        let Some(FromWorker::View { hold, .. }) = w.outbox() else {
            panic!("the jump's answer")
        };
        assert!(!hold, "the replay's answer is not held");
        assert_eq!(w.held(0.0), None);

        // A sequence still running (its `Until` seeks) is not settled either. (What is left of
        // a sequence waits only behind a seek or a replay, `run_queued`: so `queued` in the
        // condition is a safeguard no test can tell from the seek.)
        let mut w = loaded("setInterval(() => {}, 1);");
        w.handle(ToWorker::Sequence(vec![
            ToWorker::Step(StepBy::Event),
            ToWorker::Until(Condition::Exited),
        ]));
        let Some(FromWorker::View { hold, .. }) = w.outbox() else {
            panic!("the sequence's first answer")
        };
        assert!(!hold, "more of the sequence is queued: not held");
    }

    #[test]
    fn the_answer_to_a_command_that_starts_a_seek_is_not_held() {
        let mut w = CommandLoop::new();
        w.handle(load("setInterval(() => {}, 1);"));
        assert!(matches!(
            w.outbox(),
            Some(FromWorker::View { hold: true, .. })
        ));
        w.handle(ToWorker::Drawn);
        w.handle(ToWorker::Goto(1_000_000));
        let Some(FromWorker::View { hold, view, .. }) = w.outbox() else {
            panic!("the goto's answer")
        };
        assert!(view.seeking);
        assert!(!hold, "the seek's work is not delayed");
        let steps = w.runner().steps();
        w.slice(&mut ticking());
        assert!(
            w.runner().steps() > steps,
            "the seek steps before its answer is drawn"
        );
    }

    #[test]
    fn a_command_is_answered_at_once_even_before_the_last_view_was_drawn() {
        let mut w = CommandLoop::new();
        w.handle(load(default_preset().source));
        assert!(w.outbox().is_some());
        // The page steps again before drawing: a jump or a step back is not kept waiting.
        w.handle(ToWorker::Step(StepBy::Event));
        let Some(FromWorker::View { view, .. }) = w.outbox() else {
            panic!("the step's view")
        };
        assert_eq!(view.steps, 1);
        w.handle(ToWorker::Back);
        let Some(FromWorker::View { view, .. }) = w.outbox() else {
            panic!("the step back's view")
        };
        assert_eq!(view.steps, 0);
        w.handle(ToWorker::Drawn);
        assert!(w.outbox().is_none(), "nothing changed since");
    }

    #[test]
    fn after_a_command_a_playing_run_goes_back_to_one_view_in_flight() {
        let mut w = CommandLoop::new();
        w.handle(load("setInterval(() => {}, 1);"));
        w.handle(ToWorker::Play(Pacing::Max));
        let now = std::rc::Rc::new(std::cell::Cell::new(0.0));
        let mut clock = {
            let now = now.clone();
            move || {
                now.set(now.get() + 0.25);
                now.get()
            }
        };
        let mut posted = 0;
        let mut drawn = 0;
        let mut step = |w: &mut CommandLoop, posted: &mut u32| {
            w.slice(&mut clock);
            if w.outbox().is_some() {
                *posted += 1;
            }
        };
        step(&mut w, &mut posted);
        // A command while a view is in flight: answered at once, two views in flight now.
        w.handle(ToWorker::Play(Pacing::Max));
        step(&mut w, &mut posted);
        assert_eq!(posted, 2);
        // The commands' views are held; undrawn, they are let go after HOLD_MAX_MS, and the
        // slices below step: only the views in flight keep the next one back.
        now.set(now.get() + HOLD_MAX_MS);
        // The page draws them one by one: the next view waits for both.
        for _ in 0..2 {
            step(&mut w, &mut posted);
            assert!(w.pending(), "the slice stepped: a view waits");
            assert_eq!(posted, 2, "no view while {} are not drawn", 2 - drawn);
            w.handle(ToWorker::Drawn);
            drawn += 1;
        }
        step(&mut w, &mut posted);
        assert_eq!(posted, 3);
        step(&mut w, &mut posted);
        assert_eq!(posted, 3, "one view in flight again");
    }

    #[test]
    fn a_fresh_loop_builds_no_engine_until_the_first_load() {
        let mut w = CommandLoop::new();
        assert!(w.runner().is_unloaded());
        // Nothing to play before the first program: the command is counted, not acted on.
        w.handle(ToWorker::Play(Pacing::Max));
        assert!(!w.busy());
        let idle = w.runner().view();
        assert_eq!(idle.exited, None, "no program is not a failed program");
        assert!(idle.stderr.is_empty());
        assert_eq!(idle.steps, 0);
        assert!(!idle.listening);
        w.handle(load("console.log('hi')"));
        w.handle(ToWorker::Play(Pacing::Max));
        let views = drive(&mut w, 1_000, &mut Recording::default());
        assert_eq!(
            views.last().unwrap().console.lines,
            vec![(1, "hi".to_owned())]
        );
    }

    #[test]
    fn playing_runs_in_slices_until_paused_or_exited() {
        let mut w = CommandLoop::new();
        w.handle(load("setTimeout(() => console.log('done'), 30);"));
        w.handle(ToWorker::Play(Pacing::Max));
        let views = drive(&mut w, 10_000, &mut Recording::default());
        let last = views.last().unwrap();
        assert_eq!(last.exited, Some(0));
        assert_eq!(last.console.lines, vec![(1, "done".to_owned())]);
        assert!(!w.busy(), "an exited program stops playback");
    }

    #[test]
    fn a_run_is_rebuilt_from_its_recording_to_the_same_view() {
        // A server, some requests at a steady rate (cut sleeps), then a Stop: the page kept the
        // recording; a fresh worker replays it to the same step and shows the same panes.
        let mut page = Recording::default();
        let mut w = CommandLoop::new();
        w.handle(load(default_preset().source));
        w.handle(ToWorker::Play(Pacing::Max));
        drive(&mut w, 200, &mut page);
        w.handle(ToWorker::StartRate {
            method: "GET".into(),
            pattern: "/users/:id".into(),
            per_second: 200,
        });
        // (Requests sent by hand are in the page's view of the step they were sent at; a
        // replay sends them before the next step.)
        let sent_at = w.runner().steps();
        w.handle(ToWorker::Send {
            method: "GET".into(),
            pattern: "/login".into(),
            count: 3,
        });
        let views = drive(&mut w, 40, &mut page);
        w.handle(ToWorker::Pause);
        let before = views.last().unwrap().clone();
        assert!(before.requests.total > 3, "{}", before.requests.total);
        assert_eq!(page.request_count(), before.requests.total);

        let mut fresh = CommandLoop::new();
        fresh.handle(ToWorker::Load {
            process: crate::protocol::Process::new(default_preset().source, 4),
            replay: Some((page.clone(), before.steps)),
            note: None,
        });
        let mut again = Recording::default();
        let views = drive(&mut fresh, 100_000, &mut again);
        let after = views.last().unwrap();
        assert_eq!(after.steps, before.steps);
        assert_eq!(after.queues, before.queues);
        assert_eq!(after.requests, before.requests);
        assert_eq!(after.console, before.console);
        assert_eq!(
            again.requests(),
            page.requests(),
            "the rebuilt run records the same"
        );
        assert!(
            after.caption.starts_with("Rebuilt the run"),
            "{}",
            after.caption
        );
        // The rebuild recorded every step it replayed: any earlier step is shown at once, with
        // the panes the original run showed there.
        for j in [
            1,
            sent_at - 1,
            sent_at + 1,
            before.steps / 2,
            before.steps - 1,
        ] {
            let at = |w: &mut CommandLoop| {
                w.handle(ToWorker::Goto(j));
                assert!(!w.busy(), "step {j} is shown at once");
                drive(w, 10, &mut Recording::default()).pop().unwrap()
            };
            let (a, b) = (at(&mut fresh), at(&mut w));
            assert_eq!((a.steps, a.present), (j, before.steps));
            let panes = |v: &View| {
                (
                    v.now_us,
                    v.phase,
                    v.stack.clone(),
                    v.queues.clone(),
                    v.workers.clone(),
                    v.console.clone(),
                    v.requests.clone(),
                    v.caption.clone(),
                )
            };
            assert_eq!(panes(&a), panes(&b), "step {j}");
        }
    }

    #[test]
    fn a_branch_to_another_pool_size_keeps_its_new_past_for_going_back() {
        // Eight pbkdf2 jobs on four workers, looked at in the past, then the pool set to one:
        // a new future from that step, and the new run's steps before it are shown at once,
        // as stepping a fresh run with one worker shows them.
        let source = "const crypto = require('crypto');\n\
             for (let i = 0; i < 8; i++) crypto.pbkdf2('pw', 'salt', 1000, 16, 'sha256', () => console.log('done', i));\n\
             setTimeout(() => console.log('timer'), 1);";
        let process = |pool_size| crate::protocol::Process::new(source, pool_size);
        let mut w = CommandLoop::new();
        w.handle(load(source));
        w.handle(ToWorker::Goto(40));
        drive(&mut w, 10_000, &mut Recording::default());
        w.handle(ToWorker::Goto(12));
        drive(&mut w, 10, &mut Recording::default());
        w.handle(ToWorker::Branch {
            process: process(1),
            note: "one worker".into(),
        });
        let landed = drive(&mut w, 10_000, &mut Recording::default())
            .pop()
            .unwrap();
        assert_eq!(
            (landed.steps, landed.present, landed.pool_size),
            (12, 12, 1)
        );
        assert_eq!(landed.caption, "one worker");
        let mut one = CommandLoop::new();
        one.handle(ToWorker::Load {
            process: process(1),
            replay: None,
            note: None,
        });
        for j in [1, 5, 11] {
            w.handle(ToWorker::Goto(j));
            assert!(!w.busy(), "step {j} of the new run is shown at once");
            let a = drive(&mut w, 10, &mut Recording::default()).pop().unwrap();
            one.handle(ToWorker::Goto(j));
            let b = drive(&mut one, 10_000, &mut Recording::default())
                .pop()
                .unwrap();
            assert_eq!(a.steps, j);
            assert_eq!(
                (&a.workers, &a.pool_queue, &a.queues, &a.console, &a.caption),
                (&b.workers, &b.pool_queue, &b.queues, &b.console, &b.caption),
                "step {j}"
            );
        }
    }

    #[test]
    fn a_rebuild_keeps_its_run_through_the_commands_sent_while_it_feeds() {
        // A rebuild of some 3,000 steps takes a few slices. Meanwhile Step waits for it, a
        // look at a step it replayed already shows it without stopping it, and Back makes it
        // land one step earlier, as Back does while a step back replays.
        let source =
            "let n = 0; const t = setInterval(() => { if (++n === 1500) clearInterval(t); }, 1);\n\
             require('http').createServer((q, s) => s.end()).listen(3000);";
        let mut w = CommandLoop::new();
        w.handle(load(source));
        w.handle(ToWorker::Goto(3_000));
        drive(&mut w, 100_000, &mut Recording::default());
        let target = w.runner().present();
        assert_eq!(target, 3_000);
        w.handle(ToWorker::Branch {
            process: crate::protocol::Process::new(source, 2),
            note: "two workers".into(),
        });
        let mut clock = ticking();
        w.slice(&mut clock);
        let fed = w.runner().present();
        assert!(fed > 10 && fed < target, "{fed} of {target} after a slice");
        w.handle(ToWorker::Step(StepBy::Event));
        assert_eq!(w.runner().rewinding(), Some((fed, target)), "Step waits");
        w.handle(ToWorker::Goto(5));
        assert_eq!(w.runner().steps(), 5);
        assert!(w.busy(), "looking at the past does not stop the rebuild");
        w.handle(ToWorker::Back);
        let views = drive(&mut w, 100_000, &mut Recording::default());
        let v = views.last().unwrap();
        assert_eq!(v.present, target - 1, "Back: one step before its target");
        assert!(!w.busy());
        // Every step of the rebuilt run is in its history.
        w.handle(ToWorker::Goto(target - 2));
        assert!(!w.busy());
    }

    #[test]
    fn a_rebuild_of_a_program_that_exits_on_the_way_lands_where_it_exited() {
        // A program edited in the past that throws at once: its rebuild ends at its exit
        // instead of waiting for a step that will never come.
        let mut w = CommandLoop::new();
        w.handle(load("setInterval(() => {}, 1);"));
        w.handle(ToWorker::Goto(200));
        drive(&mut w, 100_000, &mut Recording::default());
        w.handle(ToWorker::Goto(100));
        drive(&mut w, 10, &mut Recording::default());
        w.handle(ToWorker::Branch {
            process: crate::protocol::Process::new("null.x;", 4),
            note: "edited".into(),
        });
        let views = drive(&mut w, 1_000, &mut Recording::default());
        let v = views.last().unwrap();
        assert!(!w.busy(), "the rebuild landed");
        assert_eq!(v.exited, Some(1));
        assert!(v.present < 100, "{}", v.present);
    }

    #[test]
    fn goto_steps_forward_in_slices_and_replays_back() {
        let mut w = CommandLoop::new();
        w.handle(load(
            "let n = 0; const t = setInterval(() => { if (++n === 500) clearInterval(t); }, 1);\n\
             require('http').createServer((q, s) => s.end()).listen(3000);",
        ));
        w.handle(ToWorker::Goto(300));
        assert!(w.busy(), "stepping forward is work for the slices");
        let views = drive(&mut w, 10_000, &mut Recording::default());
        assert_eq!(views.last().unwrap().steps, 300);
        assert!(!w.busy());
        // Back: at once, from the history (the live run stays at 300).
        w.handle(ToWorker::Goto(120));
        assert!(!w.busy(), "nothing to replay");
        let views = drive(&mut w, 10_000, &mut Recording::default());
        let v = views.last().unwrap();
        assert_eq!((v.steps, v.present), (120, 300));
        // Before the history (a rebuilt run's starts at its step): replayed, with its caption.
        w.runner.forget_from(0);
        w.handle(ToWorker::Goto(100));
        let views = drive(&mut w, 10_000, &mut Recording::default());
        let v = views.last().unwrap();
        assert_eq!((v.steps, v.present), (100, 100));
        assert!(
            v.caption.starts_with("Went back to step 100"),
            "{}",
            v.caption
        );
        // Forward past where the program waits for requests (the interval done): it stops.
        w.handle(ToWorker::Goto(1_000_000));
        let views = drive(&mut w, 10_000, &mut Recording::default());
        let v = views.last().unwrap();
        assert!(v.awaiting_input && v.steps < 1_000_000, "{}", v.steps);
        assert!(!w.busy());
        // Another command ends a forward Goto.
        w.handle(ToWorker::Goto(0));
        drive(&mut w, 10_000, &mut Recording::default());
        w.handle(ToWorker::Goto(400));
        w.handle(ToWorker::Pause);
        assert!(!w.busy());
    }
}

#[cfg(test)]
mod load_tests {
    use super::*;
    use crate::load_form::{presets, LoadForm};
    use crate::playback::Pacing;
    use crate::presets::{default_preset, routes};
    use crate::runner::FILENAME;
    use looplab_engine::load::run::{profile_routes, run_loop};
    use looplab_engine::load::threads::{run_threads, ThreadConfig};
    use looplab_engine::Options;

    /// The "one CPU route" preset, shortened.
    fn form() -> LoadForm {
        let mut f = presets()[1].2.clone();
        f.duration_s = "3".into();
        f
    }

    fn play_to_the_end(w: &mut CommandLoop) -> crate::load_run::LoadView {
        let mut t = 0.0;
        let mut clock = move || {
            t += 0.5;
            t
        };
        for _ in 0..1_000_000 {
            if !w.runner().load_running() {
                break;
            }
            w.slice(&mut clock);
        }
        w.runner().view().load.expect("a load view")
    }

    #[test]
    fn the_page_load_test_measures_what_looplab_load_measures() {
        // The page's path (a fresh process with the form's database latency, run until it
        // listens, the load played at max speed) and the command line's (`run_loop`,
        // `run_threads`) are the same run: same seed, same figures.
        let source = default_preset().source;
        let request = form().check(&routes(source)).unwrap();
        let mut w = loading(&request);
        w.handle(ToWorker::Play(Pacing::Max));
        let live = w.runner().view().load.unwrap();
        assert!(live.running && live.error.is_none(), "{live:?}");
        let done = play_to_the_end(&mut w);
        assert!(!done.running);

        let mut options = Options::default();
        for (name, us) in request.costs() {
            options.set_cost(&name, us).unwrap();
        }
        let spec = request.spec(&routes(source)).unwrap();
        let cli = run_loop(source, FILENAME, options.clone(), &spec).unwrap();
        assert_eq!(done.looped.completed, cli.summary.requests);
        assert_eq!(done.looped.sent, Some(cli.summary.sent));
        assert_eq!(done.looped.latency_p99_ms, cli.summary.latency_ms.p99);
        assert_eq!(done.looped.loop_delay_p99_ms, Some(cli.delay_p99_ms));
        assert_eq!(done.looped.memory_bytes, cli.peak_memory);
        let diagnosis = done.diagnosis.unwrap();
        assert!(
            diagnosis.starts_with("The loop is blocked") && diagnosis.contains("GET /report/cpu"),
            "{diagnosis}"
        );

        let profiles = profile_routes(source, FILENAME, options, &spec).unwrap();
        let threads = run_threads(&spec, &ThreadConfig::default(), &profiles).unwrap();
        let t = done.threads.unwrap();
        assert_eq!(
            t.sent, done.looped.sent,
            "the same arrivals to both servers"
        );
        assert_eq!(t.completed, threads.summary.requests);
        assert_eq!(t.latency_p99_ms, threads.summary.latency_ms.p99);
        assert_eq!(t.threads_peak, Some(threads.peak_threads));
        // The article's trade-off, both ways round: the CPU route blocks the loop's other
        // requests, while four cores let the thread server's fast requests pass it.
        assert!(t.latency_p99_ms < done.looped.latency_p99_ms);
        assert_eq!(done.looped.series.len(), 3);
        assert_eq!(t.series.len(), 3);
    }

    #[test]
    fn the_thread_server_is_revealed_as_the_loops_clock_reaches_its_seconds() {
        let request = form().check(&routes(default_preset().source)).unwrap();
        let mut w = loading(&request);
        w.handle(ToWorker::Play(Pacing::Max));
        let mut t = 0.0;
        let mut clock = move || {
            t += 0.5;
            t
        };
        let mut seen_partial = false;
        while w.runner().load_running() {
            w.slice(&mut clock);
            let v = w.runner().view().load.unwrap();
            let threads = v.threads.as_ref().unwrap();
            assert!(threads.series.len() as f64 <= v.elapsed_s + 1e-9);
            assert!(threads.series.len() <= v.looped.series.len() + 1);
            seen_partial |= (1..3).contains(&threads.series.len());
        }
        assert!(
            seen_partial,
            "the thread server's line grows with the loop's"
        );
    }

    /// A loop running the default server with `request`'s database latency, its load started.
    fn loading(request: &crate::load_form::LoadRequest) -> CommandLoop {
        let source = default_preset().source;
        let mut w = CommandLoop::new();
        w.handle(load(source, request));
        w.handle(ToWorker::StartLoad(request.clone()));
        w
    }

    #[test]
    fn the_view_bringing_the_users_at_once_is_held_and_the_views_after_it_are_not() {
        let mut f = presets()[0].2.clone();
        f.users = "2000".into();
        let request = f.check(&routes(default_preset().source)).unwrap();
        let mut w = loading(&request);
        w.handle(ToWorker::Play(Pacing::Max));
        let Some(FromWorker::View { hold: true, .. }) = w.outbox() else {
            panic!("the commands' view is held")
        };
        w.handle(ToWorker::Drawn);
        let mut t = 0.0;
        let mut clock = move || {
            t += 0.5;
            t
        };
        // Every view with what it brought: (held, requests).
        let mut seen = Vec::new();
        let mut checked = false;
        while seen.len() < 200 && w.runner().load_running() {
            w.slice(&mut clock);
            if let Some(FromWorker::View { hold, recorded, .. }) = w.outbox() {
                let n = recorded.added.requests.len();
                seen.push((hold, n));
                if n >= HOLD_REQUESTS {
                    // Not drawn yet: the worker steps no further.
                    let steps = w.runner().steps();
                    assert!(w.slice(&mut clock), "work remains");
                    assert_eq!(w.runner().steps(), steps, "held: no step");
                    checked = true;
                }
                w.handle(ToWorker::Drawn);
            }
        }
        assert!(checked, "no view brought the users: {seen:?}");
        let burst = seen.iter().position(|&(_, n)| n >= HOLD_REQUESTS).unwrap();
        assert!(seen[burst].0, "the users' arrival is held: {seen:?}");
        // The 2,000 users wait for the database and think: the views after theirs bring a few
        // requests or none, and none of them is held.
        assert!(seen.len() > burst + 10, "{seen:?}");
        assert!(seen[burst + 1..].iter().all(|&(hold, _)| !hold), "{seen:?}");
    }

    fn load(source: &str, request: &crate::load_form::LoadRequest) -> ToWorker {
        ToWorker::Load {
            process: crate::protocol::Process {
                source: source.into(),
                pool_size: 4,
                costs: request.costs(),
                seed: 0,
            },
            replay: None,
            note: None,
        }
    }

    #[test]
    fn stop_and_step_back_end_the_load_and_keep_its_figures() {
        let request = form().check(&routes(default_preset().source)).unwrap();
        let mut w = loading(&request);
        // Stepping sends the load's arrivals too.
        for _ in 0..400 {
            w.handle(ToWorker::Step(StepBy::Event));
        }
        let v = w.runner().view().load.unwrap();
        assert!(v.running);
        assert!(v.looped.sent.unwrap() > 0, "{v:?}");
        w.handle(ToWorker::StopLoad);
        let stopped = w.runner().view().load.unwrap();
        assert!(!stopped.running && stopped.stopped_early);
        assert!(stopped.diagnosis.is_some());
        assert_eq!(stopped.looped.sent, v.looped.sent);
        // Over the span that ran, not the planned three seconds.
        assert!(stopped.elapsed_s < 3.0);
        let over_elapsed = stopped.looped.completed as f64 / stopped.elapsed_s;
        assert!((stopped.looped.throughput_rps - over_elapsed).abs() < 1e-9);
        assert!(stopped.looped.series.len() as f64 <= stopped.elapsed_s);
        // A step back stops a load that runs.
        w.handle(ToWorker::StartLoad(request));
        w.handle(ToWorker::Step(StepBy::Iteration));
        w.handle(ToWorker::Back);
        assert!(!w.runner().load_running());
    }

    #[test]
    fn a_load_stopped_early_counts_both_servers_over_the_span_that_ran() {
        let request = form().check(&routes(default_preset().source)).unwrap();
        let mut w = loading(&request);
        for _ in 0..100_000 {
            if w.runner().view().load.unwrap().elapsed_s >= 1.5 {
                break;
            }
            w.handle(ToWorker::Step(StepBy::Iteration));
        }
        w.handle(ToWorker::StopLoad);
        let v = w.runner().view().load.unwrap();
        assert!(
            v.stopped_early && (1.5..3.0).contains(&v.elapsed_s),
            "{v:?}"
        );
        let threads = v.threads.clone().expect("compared with threads");
        // The thread server's counts run to its last whole second, the loop's to the stop.
        let (sent, errors) = (threads.sent.unwrap(), threads.errors.unwrap());
        assert!(
            sent > 0 && sent <= v.looped.sent.unwrap(),
            "{sent} vs {v:?}"
        );
        assert!(errors <= sent);
    }

    #[test]
    fn stepping_by_phase_and_iteration_crosses_the_end_of_a_load() {
        let source = default_preset().source;
        let mut f = form();
        f.duration_s = "1".into();
        let request = f.check(&routes(source)).unwrap();
        let mut w = loading(&request);
        let mut n = 0;
        while w.runner().load_running() {
            w.handle(ToWorker::Step(if n % 2 == 0 {
                StepBy::Phase
            } else {
                StepBy::Iteration
            }));
            n += 1;
            assert!(n < 200_000, "the load never ended");
        }
        let v = w.runner().view().load.unwrap();
        assert!(!v.stopped_early);
        assert_eq!(v.elapsed_s, 1.0);
    }

    #[test]
    fn a_program_without_a_server_says_why_no_load_starts() {
        let request = form().check(&routes(default_preset().source)).unwrap();
        let mut w = CommandLoop::new();
        w.handle(ToWorker::Load {
            process: crate::protocol::Process::new("setTimeout(() => {}, 10);", 4),
            replay: None,
            note: None,
        });
        w.handle(ToWorker::StartLoad(request));
        let v = w.runner().view().load.unwrap();
        assert!(!v.running);
        let e = v.error.unwrap();
        assert!(e.contains("exited") || e.contains("no HTTP"), "{e}");
    }
}
