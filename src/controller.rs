//! What the page's controls do to the run: the one place that decides it.
//!
//! HOW: the page has two owners of state. The reducer ([`AppState`]) holds what the user set
//! (the program in the editor, the speed, the burst size, ...) and the last [`View`]; the
//! [`Runner`] holds the run itself (the JavaScript heap, the loop, the steady rate). A control
//! becomes an [`Input`]; [`Controller::apply`] does what it means to the runner and returns the
//! [`Action`]s for the reducer, the runner's new view among them. So each fact has one home (the rate is on
//! when the runner's session has one, and the page reads that from the view), and every
//! decision is plain Rust, tested natively; `app.rs` only dispatches what comes back.

use std::rc::Rc;

use crate::presets;
use crate::runner::Runner;
use crate::settings::{self, RATE};
use crate::state::{Action, AppState, Command, RequestCommand};
use crate::view::View;

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A playback control or keyboard shortcut.
    Command(Command),
    /// A control of the Requests pane.
    Request(RequestCommand),
    /// A program from the preset menu.
    LoadPreset(&'static str),
    /// The thread pool's size (a different process: the program runs again).
    SetPoolSize(u16),
}

/// The running program and what the controls do to it.
pub struct Controller {
    runner: Runner,
}

impl Controller {
    /// The run of `source` with `pool_size` workers (nothing runs until the first step).
    pub fn new(source: &str, pool_size: u16) -> Controller {
        Controller {
            runner: Runner::new(source, pool_size),
        }
    }

    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    /// The runner, for playback (`crate::playback`), which steps it frame by frame.
    pub fn runner_mut(&mut self) -> &mut Runner {
        &mut self.runner
    }

    /// What the page shows now.
    pub fn view(&self) -> Rc<View> {
        Rc::new(self.runner.view())
    }

    /// Does what `input` asks, given the page's `state`; returns what the reducer must apply,
    /// in order (with the runner's new view when the run changed, before a `Play`, which looks
    /// at it to refuse playing an exited program).
    pub fn apply(&mut self, state: &AppState, input: Input) -> Vec<Action> {
        match input {
            Input::Command(cmd) => self.command(state, cmd),
            Input::Request(cmd) => self.request(state, cmd),
            Input::LoadPreset(key) => match presets::preset(key) {
                Some(p) => {
                    self.runner = Runner::new(p.source, state.pool_size);
                    vec![Action::LoadPreset(key), self.show()]
                }
                None => Vec::new(),
            },
            Input::SetPoolSize(n) => {
                let n = settings::pool_size(n);
                // A different pool is a different process: run the program again from the start.
                self.runner = Runner::new(&state.loaded, n);
                vec![Action::SetPoolSize(n), Action::Pause, self.show()]
            }
        }
    }

    fn show(&self) -> Action {
        Action::Show(self.view())
    }

    fn command(&mut self, state: &AppState, cmd: Command) -> Vec<Action> {
        match cmd {
            Command::Toggle if state.playing => vec![Action::Pause],
            Command::Toggle | Command::Play => vec![Action::Play],
            Command::Pause => vec![Action::Pause],
            Command::Step | Command::StepPhase | Command::StepIteration | Command::StepBack => {
                match cmd {
                    Command::Step => drop(self.runner.step()),
                    Command::StepPhase => drop(self.runner.step_phase()),
                    Command::StepIteration => drop(self.runner.step_iteration()),
                    // A long replay goes on a slice per frame (`crate::playback::rewind_frame`).
                    _ => drop(self.runner.begin_step_back()),
                }
                vec![Action::Pause, self.show()]
            }
            Command::Reset => {
                self.runner = Runner::new(&state.loaded, state.pool_size);
                vec![Action::Pause, self.show()]
            }
            Command::Run => {
                self.runner = Runner::new(&state.source, state.pool_size);
                vec![Action::Loaded, self.show(), Action::Play]
            }
        }
    }

    fn request(&mut self, state: &AppState, cmd: RequestCommand) -> Vec<Action> {
        let route = state.selected_route();
        match cmd {
            RequestCommand::SelectRoute(i) => vec![Action::SelectRoute(i)],
            RequestCommand::SetBurst(n) => vec![Action::SetBurst(n)],
            RequestCommand::SetRate(n) => {
                // A rate that is on follows its new value at once.
                if let (Some(route), true) = (route, self.runner.rate().is_some()) {
                    self.runner
                        .start_rate(&route.method, &route.pattern, RATE.clamp(n));
                }
                vec![Action::SetRate(n), self.show()]
            }
            RequestCommand::SendOne | RequestCommand::SendBurst => {
                let Some(route) = route else {
                    return Vec::new();
                };
                let n = match cmd {
                    RequestCommand::SendOne => 1,
                    _ => state.burst,
                };
                for _ in 0..n {
                    self.runner.send_route(&route.method, &route.pattern);
                }
                vec![self.show()]
            }
            RequestCommand::StartRate => {
                let Some(route) = route else {
                    return Vec::new();
                };
                self.runner
                    .start_rate(&route.method, &route.pattern, state.rate);
                vec![self.show(), Action::Play]
            }
            RequestCommand::StopRate => {
                self.runner.stop_rate();
                vec![self.show()]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playback::{Frame, Pacer, Pacing};
    use crate::state::Speed;
    use crate::view::RequestState;
    use yew::Reducible;

    /// The page in miniature: the reducer's state and the controller, inputs applied the way
    /// `app.rs` applies them.
    struct Page {
        state: Rc<AppState>,
        ctl: Controller,
    }

    impl Page {
        fn new() -> Page {
            let state = Rc::new(AppState::default());
            let ctl = Controller::new(&state.loaded, state.pool_size);
            Page { state, ctl }
        }
        fn input(&mut self, input: Input) {
            for action in self.ctl.apply(&self.state, input) {
                self.state = Rc::clone(&self.state).reduce(action);
            }
        }
        fn command(&mut self, cmd: Command) {
            self.input(Input::Command(cmd));
        }
        fn request(&mut self, cmd: RequestCommand) {
            self.input(Input::Request(cmd));
        }
        /// Plays at max speed for `frames` frames, as the frame loop would.
        fn play(&mut self, frames: usize) {
            let mut pacer = Pacer::new(Pacing::Max);
            let mut t = 0.0;
            let mut clock = move || {
                t += 0.5;
                t
            };
            for i in 0..frames {
                match pacer.frame(self.ctl.runner_mut(), i as f64 * 16.0, &mut clock) {
                    Frame::Stepped(_) | Frame::Exited => {
                        let show = Action::Show(self.ctl.view());
                        self.state = Rc::clone(&self.state).reduce(show);
                    }
                    Frame::Idle | Frame::Nothing => {}
                }
            }
        }
        fn listening(&mut self) {
            self.command(Command::Play);
            self.play(20);
            assert!(self.state.can_send(), "the server listens");
        }
    }

    #[test]
    fn step_pauses_and_shows_the_step() {
        let mut p = Page::new();
        p.command(Command::Play);
        assert!(p.state.playing);
        p.command(Command::Step);
        assert!(!p.state.playing);
        assert_eq!(p.state.view.steps, 1);
        p.command(Command::StepPhase);
        p.command(Command::StepIteration);
        assert!(p.state.view.steps > 2);
        let at = p.state.view.steps;
        p.command(Command::StepBack);
        assert_eq!(p.state.view.steps, at - 1);
    }

    #[test]
    fn toggle_plays_and_pauses() {
        let mut p = Page::new();
        p.command(Command::Toggle);
        assert!(p.state.playing);
        p.command(Command::Toggle);
        assert!(!p.state.playing);
    }

    #[test]
    fn the_steady_rate_is_on_exactly_when_the_runner_has_one() {
        let mut p = Page::new();
        p.listening();
        p.request(RequestCommand::StartRate);
        assert!(p.state.view.rate_on && p.state.playing);
        assert_eq!(
            p.ctl.runner().rate().map(|r| r.interval.0),
            Some(50_000),
            "20/s"
        );
        // A new value applies at once while the rate is on ...
        p.request(RequestCommand::SetRate(100));
        assert_eq!(p.ctl.runner().rate().map(|r| r.interval.0), Some(10_000));
        assert_eq!(p.state.rate, 100);
        p.play(5);
        assert!(p.state.view.requests.total > 0);
        // ... a step back stops it, and the page sees that in the view.
        p.command(Command::StepBack);
        assert!(!p.state.view.rate_on && p.ctl.runner().rate().is_none());
        // Stopped, a new value is only remembered.
        p.request(RequestCommand::SetRate(5));
        assert!(p.ctl.runner().rate().is_none());
        p.request(RequestCommand::StartRate);
        p.request(RequestCommand::StopRate);
        assert!(!p.state.view.rate_on);
        // Reset, a new pool size, a preset or a new program: a new run, no rate.
        for input in [
            Input::Command(Command::Reset),
            Input::SetPoolSize(2),
            Input::LoadPreset("server"),
            Input::Command(Command::Run),
        ] {
            p.listening();
            p.request(RequestCommand::StartRate);
            assert!(p.state.view.rate_on);
            p.input(input.clone());
            assert!(!p.state.view.rate_on, "{input:?}");
            assert!(p.ctl.runner().rate().is_none(), "{input:?}");
        }
    }

    #[test]
    fn a_rate_stops_when_the_program_exits() {
        // A rate cannot outlive the process it sends to: whether it ends by itself ...
        let mut exited = Runner::new("setTimeout(() => {}, 5)", 4);
        exited.start_rate("GET", "/", 10);
        exited.run_to_idle();
        assert!(exited.rate().is_none());
        assert!(!exited.view().rate_on);
        // ... or a handler calls process.exit() while the rate runs.
        let mut p = Page::new();
        let bye = "const express = require('express');\nconst app = express();\n\
                   app.get('/bye', (req, res) => { res.send('bye'); process.exit(3); });\n\
                   app.listen(3000);\n";
        p.state = Rc::clone(&p.state).reduce(Action::EditSource(bye.into()));
        p.command(Command::Run);
        p.listening();
        p.request(RequestCommand::StartRate);
        assert!(p.state.view.rate_on);
        p.play(10);
        assert_eq!(p.state.view.exited, Some(3));
        assert!(
            !p.state.view.rate_on,
            "the Requests pane shows the rate stopped"
        );
        assert!(p.ctl.runner().rate().is_none());
    }

    #[test]
    fn send_and_burst_go_to_the_selected_route() {
        let mut p = Page::new();
        p.listening();
        p.request(RequestCommand::SelectRoute(2));
        p.request(RequestCommand::SendOne);
        assert_eq!(p.state.view.requests.rows[0].url, "/login");
        p.request(RequestCommand::SetBurst(5000));
        assert_eq!(p.state.burst, 1000, "clamped");
        p.request(RequestCommand::SetBurst(3));
        p.request(RequestCommand::SelectRoute(0));
        p.request(RequestCommand::SendBurst);
        let v = &p.state.view.requests;
        assert_eq!(v.total, 4);
        assert_eq!(v.rows[0].url, "/users/4", "params are the request's number");
        assert!(v
            .rows
            .iter()
            .all(|r| r.state == RequestState::Waiting || r.url == "/login"));
    }

    #[test]
    fn a_pool_size_is_clamped_and_reruns_the_loaded_program() {
        let mut p = Page::new();
        p.input(Input::SetPoolSize(40));
        assert_eq!(p.state.pool_size, 16);
        assert_eq!(p.state.view.pool_size, 16);
        assert_eq!(p.state.view.steps, 0, "a fresh run");
        p.input(Input::SetPoolSize(0));
        assert_eq!((p.state.pool_size, p.state.view.workers.len()), (1, 1));
    }

    #[test]
    fn run_loads_the_edited_program_and_plays_it() {
        let mut p = Page::new();
        p.state = Rc::clone(&p.state).reduce(Action::EditSource("console.log('hi')".into()));
        assert!(p.state.is_edited());
        p.command(Command::Run);
        assert!(!p.state.is_edited() && p.state.playing);
        p.play(5);
        assert_eq!(p.state.view.console.lines, vec![(1, "hi".to_owned())]);
        assert!(!p.state.playing, "an exited program stops playback");
        // Reset runs the loaded program again from step 0.
        p.command(Command::Reset);
        assert_eq!(p.state.view.steps, 0);
        p.input(Input::LoadPreset("no-such-preset"));
        assert_eq!(p.state.preset, "server");
    }

    #[test]
    fn speeds_pace_the_frame_loop() {
        assert_eq!(Speed::Max.pacing(), Pacing::Max);
        assert_eq!(Speed::Steps4.pacing(), Pacing::StepsPerSecond(4.0));
    }
}
