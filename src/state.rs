//! The page's state and the only way to change it: a plain [`Reducible`] value and an
//! [`Action`] enum. Nothing here touches the DOM, so the reducer is unit-tested natively.
//!
//! Everything that shows a running program (stack, queues, workers, console, requests) starts
//! empty and stays empty until the engine is connected: the page never shows invented data.

use std::rc::Rc;

use yew::Reducible;

use crate::catalog::{Phase, QueueKind, THREADPOOL_SIZE};

/// The program the editor opens with: one call of each kind of asynchronous API.
pub const SAMPLE_PROGRAM: &str = "\
const fs = require('fs');

console.log('start');

setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
fs.readFile(__filename, () => console.log('readFile'));
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('nextTick'));

console.log('end');
";

/// Playback speed, as a multiple of real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Speed {
    Quarter,
    Half,
    Normal,
    Double,
    Quadruple,
}

impl Speed {
    pub const ALL: [Speed; 5] = [
        Speed::Quarter,
        Speed::Half,
        Speed::Normal,
        Speed::Double,
        Speed::Quadruple,
    ];

    /// Stable value for a `<select>` option.
    pub const fn key(self) -> &'static str {
        match self {
            Speed::Quarter => "0.25",
            Speed::Half => "0.5",
            Speed::Normal => "1",
            Speed::Double => "2",
            Speed::Quadruple => "4",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Speed::Quarter => "0.25×",
            Speed::Half => "0.5×",
            Speed::Normal => "1×",
            Speed::Double => "2×",
            Speed::Quadruple => "4×",
        }
    }

    /// Parses [`Speed::key`]; anything else is `None`.
    pub fn from_key(key: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// What a thread pool worker is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState {
    Idle,
}

impl WorkerState {
    /// Value of the worker's `data-state` attribute.
    pub const fn as_str(self) -> &'static str {
        match self {
            WorkerState::Idle => "idle",
        }
    }
}

/// Whether a program is loaded into the loop. Only `NotStarted` exists until the engine lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    NotStarted,
}

/// Everything the page renders.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The program in the editor.
    pub source: String,
    pub speed: Speed,
    pub status: RunStatus,
    /// Completed loop iterations.
    pub iteration: u64,
    /// The loop's clock in milliseconds since the program started.
    pub clock_ms: u64,
    /// The loop step being executed, if any.
    pub active_phase: Option<Phase>,
    /// Frames on the JavaScript call stack, outermost first.
    pub call_stack: Vec<String>,
    /// Callbacks waiting in each queue, oldest first, in [`QueueKind::ALL`] order.
    pub queues: Vec<(QueueKind, Vec<String>)>,
    pub workers: Vec<WorkerState>,
    /// Lines the program printed.
    pub console: Vec<String>,
    /// Outstanding libuv requests and active handles.
    pub requests: Vec<String>,
    /// One sentence saying what just happened.
    pub caption: String,
}

/// The caption while nothing runs.
pub const IDLE_CAPTION: &str =
    "Nothing is running yet. Once a program runs, each step of the loop is explained here.";

impl Default for AppState {
    fn default() -> Self {
        AppState {
            source: SAMPLE_PROGRAM.to_owned(),
            speed: Speed::Normal,
            status: RunStatus::NotStarted,
            iteration: 0,
            clock_ms: 0,
            active_phase: None,
            call_stack: Vec::new(),
            queues: QueueKind::ALL.iter().map(|&q| (q, Vec::new())).collect(),
            workers: vec![WorkerState::Idle; THREADPOOL_SIZE],
            console: Vec::new(),
            requests: Vec::new(),
            caption: IDLE_CAPTION.to_owned(),
        }
    }
}

impl AppState {
    /// The callbacks waiting in `kind` (empty if the queue is unknown).
    pub fn queue(&self, kind: QueueKind) -> &[String] {
        self.queues
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, items)| items.as_slice())
            .unwrap_or(&[])
    }

    /// True when the editor holds something other than the sample program.
    pub fn is_edited(&self) -> bool {
        self.source != SAMPLE_PROGRAM
    }
}

/// Every change the UI can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The editor's text changed.
    EditSource(String),
    /// Put the sample program back into the editor.
    ResetSource,
    SetSpeed(Speed),
}

impl AppState {
    /// Applies `action`, returning the new state (the reducer without the `Rc`).
    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::EditSource(source) => self.source = source,
            Action::ResetSource => self.source = SAMPLE_PROGRAM.to_owned(),
            Action::SetSpeed(speed) => self.speed = speed,
        }
        self
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = (*self).clone().apply(action);
        if next == *self {
            // Same value: hand back the same Rc so Yew skips the re-render.
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_with_the_sample_program_and_nothing_running() {
        let state = AppState::default();
        assert_eq!(state.source, SAMPLE_PROGRAM);
        assert!(!state.is_edited());
        assert_eq!(state.status, RunStatus::NotStarted);
        assert_eq!((state.iteration, state.clock_ms), (0, 0));
        assert_eq!(state.active_phase, None);
        assert!(state.call_stack.is_empty());
        assert!(state.console.is_empty());
        assert!(state.requests.is_empty());
        assert_eq!(state.caption, IDLE_CAPTION);
    }

    #[test]
    fn every_queue_exists_and_is_empty() {
        let state = AppState::default();
        let kinds: Vec<_> = state.queues.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, QueueKind::ALL.to_vec());
        for kind in QueueKind::ALL {
            assert!(state.queue(kind).is_empty(), "{kind:?} should start empty");
        }
    }

    #[test]
    fn thread_pool_starts_with_four_idle_workers() {
        let state = AppState::default();
        assert_eq!(state.workers, vec![WorkerState::Idle; 4]);
        assert!(state.workers.iter().all(|w| w.as_str() == "idle"));
    }

    #[test]
    fn editing_replaces_the_source_and_reset_restores_the_sample() {
        let state = Rc::new(AppState::default());
        let edited = state.reduce(Action::EditSource("console.log(1)".into()));
        assert_eq!(edited.source, "console.log(1)");
        assert!(edited.is_edited());
        let reset = edited.reduce(Action::ResetSource);
        assert_eq!(reset.source, SAMPLE_PROGRAM);
        assert!(!reset.is_edited());
    }

    #[test]
    fn editing_leaves_everything_else_alone() {
        let before = AppState::default();
        let after = before.clone().apply(Action::EditSource(String::new()));
        assert_eq!(
            AppState {
                source: before.source.clone(),
                ..after
            },
            before
        );
    }

    #[test]
    fn a_no_op_action_keeps_the_same_rc() {
        let state = Rc::new(AppState::default());
        let same = Rc::clone(&state).reduce(Action::SetSpeed(Speed::Normal));
        assert!(Rc::ptr_eq(&state, &same));
        let faster = Rc::clone(&state).reduce(Action::SetSpeed(Speed::Double));
        assert!(!Rc::ptr_eq(&state, &faster));
        assert_eq!(faster.speed, Speed::Double);
    }

    #[test]
    fn speed_keys_round_trip_and_unknown_keys_are_rejected() {
        for speed in Speed::ALL {
            assert_eq!(Speed::from_key(speed.key()), Some(speed));
        }
        assert_eq!(Speed::from_key("3"), None);
        assert_eq!(Speed::from_key(""), None);
    }

    #[test]
    fn speeds_are_listed_slowest_first() {
        let mut sorted = Speed::ALL;
        sorted.sort();
        assert_eq!(sorted, Speed::ALL);
    }
}
