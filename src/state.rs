//! The page's state and the only way to change it: a plain [`Reducible`] value and an
//! [`Action`] enum. Nothing here touches the DOM or the engine, so the reducer is unit-tested
//! natively. The running program itself lives outside (in [`crate::runner::Runner`], owned by
//! the [`crate::controller::Controller`]); what it shows arrives here as a [`View`].

use std::rc::Rc;

use yew::Reducible;

use crate::explain::IDLE_CAPTION;
use crate::link::{Embed, Theme};
use crate::load_form::{FieldError, LoadForm};
use crate::playback::Pacing;
use crate::presets::{self, routes, Route};
use crate::settings::{self, BURST, POOL_SIZE, RATE};
use crate::view::View;

/// Playback speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Speed {
    /// One step a second: read every caption.
    Slow,
    Steps4,
    Steps15,
    /// Virtual milliseconds pass as fast as wall milliseconds.
    RealTime,
    /// Ten virtual milliseconds per wall millisecond.
    RealTime10,
    /// As many steps as fit in a frame.
    Max,
}

impl Speed {
    pub const ALL: [Speed; 6] = [
        Speed::Slow,
        Speed::Steps4,
        Speed::Steps15,
        Speed::RealTime,
        Speed::RealTime10,
        Speed::Max,
    ];

    /// Stable value for a `<select>` option.
    pub const fn key(self) -> &'static str {
        match self {
            Speed::Slow => "1",
            Speed::Steps4 => "4",
            Speed::Steps15 => "15",
            Speed::RealTime => "realtime",
            Speed::RealTime10 => "realtime10",
            Speed::Max => "max",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Speed::Slow => "1 step/s",
            Speed::Steps4 => "4 steps/s",
            Speed::Steps15 => "15 steps/s",
            Speed::RealTime => "real time",
            Speed::RealTime10 => "10× real time",
            Speed::Max => "max",
        }
    }

    pub fn from_key(key: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.key() == key)
    }

    /// How long the page animates one step (items flying between queues, stack and workers),
    /// in ms: a manual step (paused) or a slow speed, where the eye can follow; None when steps
    /// come too fast to follow one by one.
    pub const fn flight_ms(self, playing: bool) -> Option<f64> {
        match (playing, self) {
            (false, _) => Some(650.0),
            (true, Speed::Slow) => Some(650.0),
            (true, Speed::Steps4) => Some(230.0),
            _ => None,
        }
    }

    /// Playing at this speed, steps come faster than anyone reads (ten times real time, or as
    /// fast as the machine goes): the console draws only its latest lines and the editor stops
    /// following the running line (see `components::console`).
    pub const fn is_live(self) -> bool {
        matches!(self, Speed::RealTime10 | Speed::Max)
    }

    pub const fn pacing(self) -> Pacing {
        match self {
            Speed::Slow => Pacing::StepsPerSecond(1.0),
            Speed::Steps4 => Pacing::StepsPerSecond(4.0),
            Speed::Steps15 => Pacing::StepsPerSecond(15.0),
            Speed::RealTime => Pacing::Virtual(1000.0),
            Speed::RealTime10 => Pacing::Virtual(10_000.0),
            Speed::Max => Pacing::Max,
        }
    }
}

/// What the playback controls and keyboard shortcuts ask the runner to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Play,
    Pause,
    /// Play if paused, pause if playing.
    Toggle,
    Step,
    StepPhase,
    StepIteration,
    StepBack,
    /// Back to step 0 of the loaded program.
    Reset,
    /// Load the editor's program (and play it).
    Run,
    /// End what the simulation is doing now (a long callback, a long replay), keeping the run
    /// up to the last step drawn.
    Stop,
}

impl Command {
    /// The keyboard shortcut for a key (`KeyboardEvent.key`), with or without Shift.
    /// Shortcuts are ignored while typing in the editor or a form field (the app checks).
    pub fn from_key(key: &str, shift: bool) -> Option<Command> {
        Some(match (key, shift) {
            (" " | "k", _) => Command::Toggle,
            ("ArrowRight", false) | ("s", false) | (".", _) => Command::Step,
            ("ArrowRight", true) | ("p", _) => Command::StepPhase,
            ("i", _) => Command::StepIteration,
            ("ArrowLeft", _) | ("b", _) | (",", _) => Command::StepBack,
            ("r", _) => Command::Reset,
            ("Escape", _) => Command::Stop,
            _ => return None,
        })
    }

    /// The shortcut as shown in tooltips and `aria-keyshortcuts`.
    pub const fn shortcut(self) -> &'static str {
        match self {
            Command::Play | Command::Pause | Command::Toggle => "Space",
            Command::Step => "ArrowRight",
            Command::StepPhase => "Shift+ArrowRight",
            Command::StepIteration => "I",
            Command::StepBack => "ArrowLeft",
            Command::Reset => "R",
            Command::Run => "Control+Enter",
            Command::Stop => "Escape",
        }
    }
}

/// What the Requests pane asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestCommand {
    SelectRoute(usize),
    SendOne,
    SetBurst(u32),
    SendBurst,
    SetRate(u32),
    StartRate,
    StopRate,
}

/// Everything the page renders.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The program in the editor.
    pub source: String,
    /// The program the runner runs (the editor may differ until "Run").
    pub loaded: String,
    /// The preset last chosen.
    pub preset: &'static str,
    pub pool_size: u16,
    pub speed: Speed,
    pub playing: bool,
    /// Routes of the loaded program, and the one selected for requests.
    pub routes: Vec<Route>,
    pub route: usize,
    pub burst: u32,
    /// Requests per second for the steady rate (whether it is on is the runner's: `view.rate_on`).
    pub rate: u32,
    /// What the running program shows.
    pub view: Rc<View>,
    /// A callback that has been running for a while, as the simulation reported it (cleared
    /// by the next view).
    pub busy: Option<Busy>,
    /// A callback's wall-time budget (ms): "Keep running" multiplies it.
    pub budget_ms: f64,
    /// What the caption says until the simulation's next view (after Stop).
    pub notice: Option<String>,
    /// The Load pane's fields as typed, and the field that cannot be sent (with why).
    pub load_form: LoadForm,
    pub load_error: Option<FieldError>,
    /// The model's seed for the next process (a link may set it).
    pub seed: u64,
    /// The page is embedded in a course page (`?embed`): its options.
    pub embed: Option<Embed>,
    pub theme: Theme,
    /// What was wrong with the link the page was opened from, until dismissed.
    pub link_notice: Option<String>,
    /// The lesson open, if one is.
    pub lesson: Option<LessonProgress>,
    /// Views received while a lesson's answer is being revealed (the same view twice is still
    /// news then: the simulation may have settled on it).
    pub views_while_revealing: u64,
}

/// Where the reader is in a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonProgress {
    /// The lesson's place in `lessons::all()` (0-based).
    pub index: usize,
    pub lesson: Rc<crate::lessons::Lesson>,
    /// The step shown (0-based).
    pub step: usize,
    /// The reader's answer to the step's question, once given.
    pub asked: Option<Asked>,
}

/// An answer given: the option chosen, the console's line count then, and once the model has
/// run the reveal, what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    pub choice: usize,
    pub lines_before: usize,
    pub result: Option<Revealed>,
}

/// The model's answer, and the option it makes right (None: no option matches).
#[derive(Clone, Debug, PartialEq)]
pub struct Revealed {
    pub answer: String,
    pub correct: Option<usize>,
}

impl LessonProgress {
    pub fn current(&self) -> Option<&crate::lessons::Step> {
        self.lesson.steps.get(self.step)
    }
    /// The reader answered and the model's answer is not in yet.
    pub fn revealing(&self) -> bool {
        self.asked.as_ref().is_some_and(|a| a.result.is_none())
    }
}

/// A callback running for `ms` of wall time (at `line`, when known).
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    pub callback: String,
    pub line: Option<u32>,
    pub ms: f64,
}

impl Busy {
    /// The progress note the caption shows while it runs.
    pub fn note(&self) -> String {
        let at = self
            .line
            .map(|l| format!(" (line {l})"))
            .unwrap_or_default();
        format!(
            "Running {}{at} for {:.1} s: one callback holds the only JavaScript thread, so \
             nothing else can run. Stop (Esc) ends it; the run is kept up to the last step drawn.",
            self.callback,
            self.ms / 1000.0
        )
    }
}

impl Default for AppState {
    fn default() -> Self {
        let preset = presets::default_preset();
        AppState {
            source: preset.source.to_owned(),
            loaded: preset.source.to_owned(),
            preset: preset.key,
            pool_size: POOL_SIZE.default as u16,
            speed: Speed::Steps4,
            playing: false,
            routes: routes(preset.source),
            route: 0,
            burst: BURST.default,
            rate: RATE.default,
            view: Rc::new(View::idle(POOL_SIZE.default as u16, IDLE_CAPTION)),
            busy: None,
            budget_ms: settings::BUDGET_MS,
            notice: None,
            load_form: LoadForm::default(),
            load_error: None,
            seed: 0,
            embed: None,
            theme: Theme::Auto,
            link_notice: None,
            lesson: None,
            views_while_revealing: 0,
        }
    }
}

impl AppState {
    /// The caption's sentence: a long callback's progress, a notice, or the step's caption.
    pub fn caption(&self) -> String {
        match (&self.busy, &self.notice) {
            (Some(busy), _) => busy.note(),
            (None, Some(notice)) => notice.clone(),
            (None, None) => self.view.caption.clone(),
        }
    }

    /// True when the editor holds something other than the program that runs.
    pub fn is_edited(&self) -> bool {
        self.source != self.loaded
    }

    pub fn selected_route(&self) -> Option<&Route> {
        self.routes.get(self.route)
    }

    /// Whether requests can be sent now.
    pub fn can_send(&self) -> bool {
        self.view.listening && self.view.exited.is_none() && self.selected_route().is_some()
    }
}

/// Every change the UI can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The editor's text changed.
    EditSource(String),
    /// A preset was chosen: its source goes into the editor and is loaded.
    LoadPreset(&'static str),
    /// The editor's program was (re)loaded into a fresh runner.
    Loaded,
    /// The loaded program runs again as a new process (a load test starts from a fresh one).
    Restarted,
    SetPoolSize(u16),
    /// The model's seed for the next process.
    SetSeed(u64),
    SetSpeed(Speed),
    Play,
    Pause,
    SelectRoute(usize),
    SetBurst(u32),
    SetRate(u32),
    /// The runner's new view.
    Show(Rc<View>),
    /// The simulation reports a long-running callback.
    Busy(Busy),
    /// Callbacks get this wall-time budget (ms) and the run plays on (Keep running).
    KeepRunning(f64),
    /// The simulation was stopped; the caption says this until its next view.
    Stopped(String),
    /// The Load pane's fields changed.
    EditLoad(LoadForm),
    /// A field of the Load pane cannot be sent (None: all can).
    LoadFieldError(Option<FieldError>),
    /// The reader closed the notice about the link.
    DismissNotice,
    /// A lesson's step is shown (its program and actions are on their way to the simulation).
    LessonAt {
        index: usize,
        lesson: Rc<crate::lessons::Lesson>,
        step: usize,
    },
    /// The reader chose an option; the console had this many lines.
    LessonAsked {
        choice: usize,
        lines_before: usize,
    },
    /// The model's answer to the question asked.
    LessonRevealed(Revealed),
    LessonClose,
}

impl AppState {
    /// Applies `action`, returning the new state (the reducer without the `Rc`).
    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::EditSource(source) => self.source = source,
            Action::LoadPreset(key) => {
                if let Some(p) = presets::preset(key) {
                    self.preset = p.key;
                    self.source = p.source.to_owned();
                    self = self.apply(Action::Loaded);
                }
            }
            Action::Loaded => {
                self.loaded = self.source.clone();
                self.routes = routes(&self.loaded);
                self.route = self.route.min(self.routes.len().saturating_sub(1));
                self = self.apply(Action::Restarted);
            }
            Action::Restarted => {
                self.playing = false;
                // A new process: the old one's view (exited, say) no longer applies; the
                // simulation sends the new one's.
                self.view = Rc::new(View::idle(self.pool_size, IDLE_CAPTION));
            }
            Action::SetPoolSize(n) => self.pool_size = settings::pool_size(n),
            Action::SetSeed(seed) => self.seed = seed,
            Action::SetSpeed(speed) => self.speed = speed,
            Action::Play => self.playing = self.view.exited.is_none(),
            Action::Pause => self.playing = false,
            Action::SelectRoute(i) => {
                if i < self.routes.len() {
                    self.route = i;
                }
            }
            Action::SetBurst(n) => self.burst = BURST.clamp(n),
            Action::SetRate(n) => self.rate = RATE.clamp(n),
            Action::Show(view) => {
                if self.lesson.as_ref().is_some_and(LessonProgress::revealing) {
                    self.views_while_revealing += 1;
                }
                if view.exited.is_some() {
                    self.playing = false;
                }
                self.view = view;
                self.busy = None;
                self.notice = None;
            }
            Action::Busy(busy) => self.busy = Some(busy),
            Action::Stopped(note) => {
                self.playing = false;
                self.busy = None;
                self.notice = Some(note);
                // A reveal cut short answers nothing: the question is open again.
                if let Some(p) = self.lesson.as_mut().filter(|p| p.revealing()) {
                    p.asked = None;
                }
            }
            Action::KeepRunning(ms) => {
                self.budget_ms = ms;
                self.playing = true;
            }
            Action::EditLoad(form) => {
                // Editing the field that was wrong clears its message.
                self.load_error = None;
                self.load_form = form;
            }
            Action::LoadFieldError(e) => self.load_error = e,
            Action::DismissNotice => self.link_notice = None,
            Action::LessonAt {
                index,
                lesson,
                step,
            } => {
                self.lesson = Some(LessonProgress {
                    index,
                    lesson,
                    step,
                    asked: None,
                })
            }
            Action::LessonAsked {
                choice,
                lines_before,
            } => {
                if let Some(p) = self.lesson.as_mut().filter(|p| p.asked.is_none()) {
                    p.asked = Some(Asked {
                        choice,
                        lines_before,
                        result: None,
                    });
                }
            }
            Action::LessonRevealed(r) => {
                if let Some(a) = self.lesson.as_mut().and_then(|p| p.asked.as_mut()) {
                    a.result = Some(r);
                }
            }
            Action::LessonClose => self.lesson = None,
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
    fn starts_on_the_server_with_its_four_routes_paused() {
        let state = AppState::default();
        assert_eq!(state.preset, "server");
        assert!(!state.is_edited());
        assert!(!state.playing);
        assert_eq!(state.routes.len(), 4);
        assert_eq!(state.selected_route().unwrap().key(), "GET /users/:id");
        assert_eq!(state.view.caption, IDLE_CAPTION);
        assert!(!state.can_send(), "nothing listens before the program runs");
    }

    #[test]
    fn editing_marks_the_program_edited_until_it_is_loaded() {
        let state = Rc::new(AppState::default());
        let edited = state.reduce(Action::EditSource("console.log(1)".into()));
        assert!(edited.is_edited());
        let loaded = edited.reduce(Action::Loaded);
        assert!(!loaded.is_edited());
        assert!(loaded.routes.is_empty());
        assert_eq!(loaded.route, 0);
    }

    #[test]
    fn a_preset_replaces_the_source_and_stops_playback() {
        let state = AppState {
            playing: true,
            ..AppState::default()
        };
        let next = state.apply(Action::LoadPreset("blocked-loop"));
        assert_eq!(next.preset, "blocked-loop");
        assert!(next.source.contains("while (Date.now()"));
        assert!(!next.is_edited() && !next.playing);
        let same = next.clone().apply(Action::LoadPreset("no-such-preset"));
        assert_eq!(same, next);
    }

    #[test]
    fn an_exited_view_stops_playback_and_play_stays_off() {
        let mut view = View::idle(4, "x");
        view.exited = Some(0);
        let state = AppState {
            playing: true,
            ..AppState::default()
        }
        .apply(Action::Show(Rc::new(view)));
        assert!(!state.playing);
        assert!(!state.apply(Action::Play).playing);
    }

    #[test]
    fn inputs_are_clamped() {
        let s = AppState::default();
        assert_eq!(s.clone().apply(Action::SetPoolSize(0)).pool_size, 1);
        assert_eq!(s.clone().apply(Action::SetPoolSize(99)).pool_size, 16);
        assert_eq!(s.clone().apply(Action::SetBurst(0)).burst, 1);
        assert_eq!(s.clone().apply(Action::SetRate(5000)).rate, 1000);
        assert_eq!(s.clone().apply(Action::SelectRoute(9)).route, 0);
        assert_eq!(s.apply(Action::SelectRoute(2)).route, 2);
    }

    #[test]
    fn a_no_op_action_keeps_the_same_rc() {
        let state = Rc::new(AppState::default());
        let same = Rc::clone(&state).reduce(Action::SetSpeed(Speed::Steps4));
        assert!(Rc::ptr_eq(&state, &same));
        let view = Rc::new((*state.view).clone());
        let same = Rc::clone(&state).reduce(Action::Show(view));
        assert!(
            Rc::ptr_eq(&state, &same),
            "an equal view does not re-render"
        );
    }

    #[test]
    fn speed_keys_round_trip_and_are_listed_slowest_first() {
        for speed in Speed::ALL {
            assert_eq!(Speed::from_key(speed.key()), Some(speed));
        }
        assert_eq!(Speed::from_key("3"), None);
        let mut sorted = Speed::ALL;
        sorted.sort();
        assert_eq!(sorted, Speed::ALL);
    }

    #[test]
    fn keyboard_shortcuts() {
        assert_eq!(Command::from_key(" ", false), Some(Command::Toggle));
        assert_eq!(Command::from_key("ArrowRight", false), Some(Command::Step));
        assert_eq!(
            Command::from_key("ArrowRight", true),
            Some(Command::StepPhase)
        );
        assert_eq!(Command::from_key("i", false), Some(Command::StepIteration));
        assert_eq!(
            Command::from_key("ArrowLeft", false),
            Some(Command::StepBack)
        );
        assert_eq!(Command::from_key("r", false), Some(Command::Reset));
        assert_eq!(Command::from_key("x", false), None);
    }
}
