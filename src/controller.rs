//! What the page's controls do: the one place that decides it, on the page's side of the
//! worker boundary.
//!
//! HOW: the page has two owners of state. The reducer ([`AppState`]) holds what the user set
//! (the program in the editor, the speed, the burst size, ...) and the last [`View`]; the
//! simulation (the engine, the model, the steady rate) runs in a Web Worker and is driven by
//! [`ToWorker`] commands (see [`crate::protocol`] and [`crate::sim_worker`]). A control becomes
//! an [`Input`]; [`plan`] says what it means: the [`Action`]s for the reducer now, and the
//! commands for the simulation, whose new view comes back later. Each fact has one home (the
//! rate is on when the simulation's session has one, and the page reads that from the view), and
//! every decision is plain Rust, tested natively; `app.rs` only dispatches and posts what comes
//! back.

use std::rc::Rc;

use crate::lessons::{self, Act, Lesson};
use crate::link::{Link, Scenario};
use crate::load_form::{self, LoadForm};
use crate::presets;
use crate::protocol::{Process, Recording, StepBy, ToWorker};
use crate::settings::{self, RATE};
use crate::state::{Action, AppState, Command, RequestCommand, Revealed, Speed};

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A playback control or keyboard shortcut.
    Command(Command),
    /// A control of the Requests pane.
    Request(RequestCommand),
    /// A program from the preset menu.
    LoadPreset(&'static str),
    /// The thread pool's size (a different process: the program runs again).
    SetPoolSize(u16),
    /// The playback speed.
    SetSpeed(Speed),
    /// A callback ran past its time budget and ended the run: give callbacks longer, go back
    /// one step, and play it again.
    KeepRunning,
    /// A control of the Load pane.
    Load(LoadInput),
    /// A program to load, paused at step 0 (an embedding page's `looplab:load`): its source,
    /// the preset it is (if one), and the pool size and seed (the page's if None).
    Open {
        source: String,
        preset: Option<&'static str>,
        pool_size: Option<u16>,
        seed: Option<u64>,
    },
    /// Go to this step (back by replaying, forward by stepping), paused.
    Goto(u64),
    /// `count` requests to the route at this index of the program's routes (the selected one
    /// if None).
    SendTo { route: Option<usize>, count: u32 },
    /// The lesson pane.
    Lesson(LessonInput),
}

/// What the lesson pane asks.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonInput {
    /// Open the lesson at this place in `lessons::all()`, at its first step.
    Open(usize),
    /// Show this step (0-based) of the open lesson.
    Step(usize),
    Next,
    Prev,
    /// The reader picks this option of the step's question.
    Answer(usize),
    Close,
}

/// What the Load pane asks.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadInput {
    /// The fields as typed now.
    Edit(LoadForm),
    /// Fill the fields from a preset (by key) and start it.
    Preset(&'static str),
    Start,
    Stop,
}

/// What the page does for one input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// For the reducer, in order, now.
    pub actions: Vec<Action>,
    /// For the simulation, in order.
    pub commands: Vec<ToWorker>,
    /// End what the simulation is doing, at once, and rebuild the run (before `commands`).
    pub stop: bool,
}

impl Plan {
    fn new(actions: Vec<Action>, commands: Vec<ToWorker>) -> Plan {
        Plan {
            actions,
            commands,
            stop: false,
        }
    }
}

/// A fresh process of `source` on `pool_size` workers, with the page's seed.
/// The page shows a step of the run's past (the live run is further on).
fn in_past(state: &AppState) -> bool {
    state.view.steps < state.view.present
}

/// Another pool size or program: from the past, a new future of the same run from the step
/// shown (the requests it had received replayed); from the present, the program again from
/// the start.
fn reload(state: &AppState, source: &str, pool_size: u16, what: &str) -> ToWorker {
    if !in_past(state) {
        return load(state, source, pool_size);
    }
    let k = state.view.steps;
    ToWorker::Branch {
        process: Process {
            seed: state.seed,
            ..Process::new(source, pool_size)
        },
        note: format!(
            "A new future from step {k} with {what}: the run was replayed to step {k} with the \
             requests it had received, and the old future ({} steps after it) was dropped.",
            state.view.present - k
        ),
    }
}

fn load(state: &AppState, source: &str, pool_size: u16) -> ToWorker {
    ToWorker::Load {
        process: Process {
            seed: state.seed,
            ..Process::new(source, pool_size)
        },
        replay: None,
        note: None,
    }
}

/// The page as a link opens it: its state, and the commands that load (and replay) the run.
/// A link without a scenario opens the default program; one with problems says so in the
/// notice.
pub fn open(link: &Link) -> (AppState, Vec<ToWorker>) {
    let mut state = AppState {
        embed: link.embed.clone(),
        theme: link.theme,
        link_notice: link.notice(),
        ..AppState::default()
    };
    let autoplay = link.embed.as_ref().is_some_and(|e| e.autoplay);
    if let Some((index, step)) = link.lesson {
        let Some(lesson) = lessons::all().get(index) else {
            return (
                state.clone(),
                vec![load(&state, &state.loaded, state.pool_size)],
            );
        };
        let p = enter_lesson(&state, index, Rc::new(lesson.clone()), step);
        for a in p.actions {
            state = state.apply(a);
        }
        return (state, p.commands);
    }
    let Some(sc) = &link.scenario else {
        let mut commands = vec![load(&state, &state.loaded, state.pool_size)];
        if autoplay {
            state.playing = true;
            commands.push(ToWorker::Play(state.speed.pacing()));
        }
        return (state, commands);
    };
    state.preset = sc.preset;
    state.source = sc.source().to_owned();
    state.loaded = state.source.clone();
    state.routes = presets::routes(&state.loaded);
    state.route = sc.route.min(state.routes.len().saturating_sub(1));
    state.pool_size = settings::pool_size(sc.pool_size);
    state.seed = sc.seed;
    state.speed = sc.speed;
    state.burst = sc.burst;
    state.rate = sc.rate;
    state.load_form = sc.load_form.clone();
    let mut commands = Vec::new();
    if sc.load_ran {
        // The load test runs again: same form, same seed, the same run.
        let p = start_load_paused(&state);
        if let Some(e) = p.actions.iter().find_map(|a| match a {
            Action::LoadFieldError(Some(e)) => Some(e.clone()),
            _ => None,
        }) {
            state.link_notice = Some(format!(
                "This link's load test could not start: {} {}. The program was opened without it.",
                e.field, e.message
            ));
            state.load_error = Some(e);
            commands.push(load(&state, &state.loaded, state.pool_size));
        } else {
            // Paused at the link's step (or playing from the start with autoplay).
            for a in p.actions {
                state = state.apply(a);
            }
            commands.extend(p.commands);
            if sc.step > 0 {
                commands.push(ToWorker::Goto(sc.step));
            }
        }
    } else {
        let replay = (sc.step > 0 || sc.recording.request_count() > 0)
            .then(|| (sc.recording.up_to(sc.step), sc.step));
        let note = replay.as_ref().map(|(_, step)| {
            format!(
                "Opened from a link: the run was replayed to step {step} (the same program, \
                 requests and seed give the same run)."
            )
        });
        commands.push(ToWorker::Load {
            process: Process {
                pool_size: state.pool_size,
                ..sc.process()
            },
            replay,
            note,
        });
    }
    if autoplay {
        state.playing = true;
        commands.push(ToWorker::Play(state.speed.pacing()));
    }
    (state, commands)
}

/// The scenario the page shows: what the user set (`state`) and what the run is (the last
/// `Load`'s process, the requests it received, the step drawn: the backend's supervisor keeps
/// them). A run with too many requests for a link leaves them out (the link then opens at step
/// 0; [`Scenario::too_long`] says so).
pub fn scenario(
    state: &AppState,
    process: &Process,
    recording: &Recording,
    step: u64,
) -> (Scenario, bool) {
    let load_ran = state.view.load.is_some();
    let program = (presets::preset(state.preset).map(|p| p.source)
        != Some(process.source.as_str()))
    .then(|| process.source.clone());
    let mut sc = Scenario {
        preset: state.preset,
        program,
        pool_size: process.pool_size,
        seed: process.seed,
        // A load test's costs come from its form.
        costs: if load_ran {
            Vec::new()
        } else {
            process.costs.clone()
        },
        speed: state.speed,
        route: state.route,
        burst: state.burst,
        rate: state.rate,
        load_form: state.load_form.clone(),
        load_ran,
        // A load test is rebuilt from its form and seed, not from its thousands of requests.
        recording: if load_ran {
            Recording::default()
        } else {
            recording.up_to(step)
        },
        step,
    };
    let cut = sc.too_long().contains(&"in");
    if cut {
        sc.recording = Recording::default();
        sc.step = 0;
    }
    (sc, cut)
}

/// What `input` means, given the page's `state`.
pub fn plan(state: &AppState, input: Input) -> Plan {
    match input {
        Input::Command(cmd) => command(state, cmd),
        Input::Request(cmd) => request(state, cmd),
        Input::LoadPreset(key) => match presets::preset(key) {
            Some(p) => Plan::new(
                vec![Action::LessonClose, Action::LoadPreset(key)],
                vec![load(state, p.source, state.pool_size)],
            ),
            None => Plan::default(),
        },
        Input::SetPoolSize(n) => {
            let n = settings::pool_size(n);
            // A different pool is a different process: from the present, the program runs again
            // from the start; from the past, the same run goes on from the step shown.
            Plan::new(
                vec![Action::SetPoolSize(n), Action::Pause],
                vec![reload(
                    state,
                    &state.loaded,
                    n,
                    &format!("{n} pool worker{}", if n == 1 { "" } else { "s" }),
                )],
            )
        }
        Input::KeepRunning => {
            if state.view.exited != Some(looplab_engine::RUNAWAY_EXIT) {
                return Plan::default();
            }
            let budget = state.budget_ms * settings::KEEP_RUNNING_FACTOR;
            Plan::new(
                vec![Action::KeepRunning(budget)],
                vec![
                    ToWorker::Budget(budget),
                    ToWorker::Rerun,
                    ToWorker::Play(state.speed.pacing()),
                ],
            )
        }
        Input::Load(input) => load_input(state, input),
        Input::Open {
            source,
            preset,
            pool_size,
            seed,
        } => {
            let mut actions = vec![Action::LessonClose];
            let pool_size = pool_size.map_or(state.pool_size, settings::pool_size);
            actions.push(Action::SetPoolSize(pool_size));
            let seed = seed.unwrap_or(state.seed);
            actions.push(Action::SetSeed(seed));
            match preset {
                Some(key) => actions.push(Action::LoadPreset(key)),
                None => {
                    actions.push(Action::EditSource(source.clone()));
                    actions.push(Action::Loaded);
                }
            }
            let process = Process {
                seed,
                ..Process::new(&source, pool_size)
            };
            Plan::new(
                actions,
                vec![ToWorker::Load {
                    process,
                    replay: None,
                    note: None,
                }],
            )
        }
        Input::Goto(step) => Plan::new(vec![Action::Pause], vec![ToWorker::Goto(step)]),
        Input::Lesson(input) => lesson_input(state, input),
        Input::SendTo { route, count } => {
            let mut st = state.clone();
            let mut actions = Vec::new();
            if let Some(i) = route {
                actions.push(Action::SelectRoute(i));
                st = st.apply(Action::SelectRoute(i));
            }
            let Some(r) = st.selected_route() else {
                return Plan::default();
            };
            let send = ToWorker::Send {
                method: r.method.clone(),
                pattern: r.pattern.clone(),
                count: count.clamp(1, settings::BURST.max),
            };
            Plan::new(actions, vec![send])
        }
        Input::SetSpeed(speed) => {
            // Playing goes on at the new pace.
            let commands = if state.playing {
                vec![ToWorker::Play(speed.pacing())]
            } else {
                Vec::new()
            };
            Plan::new(vec![Action::SetSpeed(speed)], commands)
        }
    }
}

fn load_input(state: &AppState, input: LoadInput) -> Plan {
    match input {
        LoadInput::Edit(form) => Plan::new(vec![Action::EditLoad(form)], Vec::new()),
        LoadInput::Preset(key) => {
            let Some((_, _, form)) = load_form::presets().into_iter().find(|p| p.0 == key) else {
                return Plan::default();
            };
            let mut edited = state.clone();
            edited.load_form = form.clone();
            let mut p = start_load(&edited);
            p.actions.insert(0, Action::EditLoad(form));
            p
        }
        LoadInput::Start => start_load(state),
        LoadInput::Stop => Plan::new(Vec::new(), vec![ToWorker::StopLoad]),
    }
}

fn lesson_input(state: &AppState, input: LessonInput) -> Plan {
    let open = state.lesson.as_ref();
    match input {
        LessonInput::Open(index) => match lessons::all().get(index) {
            Some(lesson) => enter_lesson(state, index, Rc::new(lesson.clone()), 0),
            None => Plan::default(),
        },
        LessonInput::Close => Plan::new(vec![Action::LessonClose], Vec::new()),
        LessonInput::Step(step) => match open {
            Some(p) if step < p.lesson.steps.len() => {
                enter_lesson(state, p.index, p.lesson.clone(), step)
            }
            _ => Plan::default(),
        },
        LessonInput::Next => match open {
            Some(p) if p.step + 1 < p.lesson.steps.len() => {
                enter_lesson(state, p.index, p.lesson.clone(), p.step + 1)
            }
            _ => Plan::default(),
        },
        LessonInput::Prev => match open {
            Some(p) if p.step > 0 => enter_lesson(state, p.index, p.lesson.clone(), p.step - 1),
            _ => Plan::default(),
        },
        LessonInput::Answer(choice) => {
            let Some(p) = open.filter(|p| p.asked.is_none()) else {
                return Plan::default();
            };
            let Some(q) = p.current().and_then(|s| s.question.as_ref()) else {
                return Plan::default();
            };
            if choice >= q.options.len() {
                return Plan::default();
            }
            let lines_before = state.view.console.total;
            let mut actions = vec![
                Action::Pause,
                Action::LessonAsked {
                    choice,
                    lines_before,
                },
            ];
            let mut st = state.clone();
            let mut reveal = Vec::new();
            for act in &q.reveal {
                lesson_act(&mut st, act, &mut actions, &mut reveal);
            }
            // The answer is read once the simulation has settled (`lesson_answer`), also when
            // there is nothing to reveal: the view then is the one to read.
            Plan::new(actions, vec![ToWorker::Pause, ToWorker::Sequence(reveal)])
        }
    }
}

/// The model's answer to the question being revealed, once the simulation has settled on
/// `view` (`settled`: every command sent is handled and nothing seeks); None before that.
pub fn lesson_answer(state: &AppState, view: &crate::view::View, settled: bool) -> Option<Action> {
    let p = state.lesson.as_ref()?;
    let asked = p.asked.as_ref().filter(|a| a.result.is_none())?;
    if !settled || view.seeking || view.rewinding.is_some() {
        return None;
    }
    let q = p.current()?.question.as_ref()?;
    let answer = lessons::answer(&q.answer, &q.options, view, asked.lines_before);
    let correct = lessons::grade(&q.answer, &q.options, &answer);
    Some(Action::LessonRevealed(Revealed { answer, correct }))
}

/// Shows step `step` of `lesson`: its run is rebuilt from the last step at or before it that
/// starts a program, with every step's actions since (and the reveals of their questions).
fn enter_lesson(state: &AppState, index: usize, lesson: Rc<Lesson>, step: usize) -> Plan {
    let base = (0..=step)
        .rev()
        .find(|&j| lesson.steps[j].program.is_some())
        .unwrap_or(0);
    let first = &lesson.steps[base];
    let Some(program) = first.program.as_ref() else {
        return Plan::default();
    };
    let pool = first.pool.unwrap_or(settings::POOL_SIZE.default as u16);
    let mut actions = vec![
        Action::Pause,
        Action::SetPoolSize(pool),
        Action::SetSeed(0),
        Action::EditLoad(LoadForm::default()),
    ];
    match program.preset() {
        Some(key) => actions.push(Action::LoadPreset(key)),
        None => {
            actions.push(Action::EditSource(program.source().to_owned()));
            actions.push(Action::Loaded);
        }
    }
    let mut st = state.clone();
    for a in &actions {
        st = st.apply(a.clone());
    }
    let load = ToWorker::Load {
        process: Process::new(program.source(), pool),
        replay: None,
        note: None,
    };
    let mut commands = Vec::new();
    for (j, s) in lesson.steps.iter().enumerate().take(step + 1).skip(base) {
        for act in &s.actions {
            lesson_act(&mut st, act, &mut actions, &mut commands);
        }
        if j < step {
            for act in s.question.iter().flat_map(|q| &q.reveal) {
                lesson_act(&mut st, act, &mut actions, &mut commands);
            }
        }
    }
    actions.push(Action::LessonAt {
        index,
        lesson,
        step,
    });
    // The actions run one after another in the simulation, each once the one before is done.
    Plan::new(actions, vec![load, ToWorker::Sequence(commands)])
}

/// One lesson action: the commands it sends (and, for a load, the Load pane's form).
fn lesson_act(
    st: &mut AppState,
    act: &Act,
    actions: &mut Vec<Action>,
    commands: &mut Vec<ToWorker>,
) {
    match act {
        Act::Until(c) => commands.push(ToWorker::Until(c.clone())),
        Act::Steps(n) => {
            commands.extend((0..*n).map(|_| ToWorker::Step(StepBy::Event)));
        }
        Act::Send {
            count,
            method,
            pattern,
        } => commands.push(ToWorker::Send {
            method: method.clone(),
            pattern: pattern.clone(),
            count: *count,
        }),
        Act::Load(form) => {
            st.load_form = form.clone();
            actions.push(Action::EditLoad(form.clone()));
            let p = start_load_paused(st);
            for a in p.actions {
                *st = st.clone().apply(a.clone());
                actions.push(a);
            }
            commands.extend(p.commands);
        }
    }
}

/// `start_load`, left paused (a link or a lesson decides what plays): no Play action or
/// command.
fn start_load_paused(state: &AppState) -> Plan {
    let mut p = start_load(state);
    p.actions.retain(|a| !matches!(a, Action::Play));
    p.commands.retain(|c| !matches!(c, ToWorker::Play(_)));
    p
}

/// Start: the form checked against the loaded program's routes; a field that is wrong says
/// so and nothing is sent. Otherwise the program runs afresh with the load's database latency,
/// the load starts, and it plays (a speed in steps per second becomes max: a load test is
/// thousands of steps).
fn start_load(state: &AppState) -> Plan {
    let request = match state.load_form.check(&state.routes) {
        Ok(r) => r,
        Err(e) => return Plan::new(vec![Action::LoadFieldError(Some(e))], Vec::new()),
    };
    let speed = if state.speed >= Speed::RealTime {
        state.speed
    } else {
        Speed::Max
    };
    Plan::new(
        vec![
            Action::LoadFieldError(None),
            Action::SetSpeed(speed),
            Action::Restarted,
            Action::Play,
        ],
        vec![
            ToWorker::Load {
                process: Process {
                    costs: request.costs(),
                    seed: state.seed,
                    ..Process::new(&state.loaded, state.pool_size)
                },
                replay: None,
                note: None,
            },
            ToWorker::StartLoad(request),
            ToWorker::Play(speed.pacing()),
        ],
    )
}

fn play(state: &AppState) -> Plan {
    if state.view.exited.is_some() {
        return Plan::default();
    }
    Plan::new(
        vec![Action::Play],
        vec![ToWorker::Play(state.speed.pacing())],
    )
}

fn command(state: &AppState, cmd: Command) -> Plan {
    let paused = |c: ToWorker| Plan::new(vec![Action::Pause], vec![c]);
    match cmd {
        Command::Toggle if state.playing => paused(ToWorker::Pause),
        Command::Toggle | Command::Play => play(state),
        Command::Pause => paused(ToWorker::Pause),
        Command::Step => paused(ToWorker::Step(StepBy::Event)),
        Command::StepPhase => paused(ToWorker::Step(StepBy::Phase)),
        Command::StepIteration => paused(ToWorker::Step(StepBy::Iteration)),
        // A long replay goes on in slices in the simulation.
        Command::StepBack => paused(ToWorker::Back),
        Command::Reset => paused(load(state, &state.loaded, state.pool_size)),
        Command::Stop => Plan {
            stop: true,
            ..Plan::new(vec![Action::Pause], Vec::new())
        },
        Command::Run => Plan::new(
            vec![Action::LessonClose, Action::Loaded, Action::Play],
            vec![
                reload(state, &state.source, state.pool_size, "the edited program"),
                ToWorker::Play(state.speed.pacing()),
            ],
        ),
    }
}

fn request(state: &AppState, cmd: RequestCommand) -> Plan {
    let route = state.selected_route();
    match cmd {
        RequestCommand::SelectRoute(i) => Plan::new(vec![Action::SelectRoute(i)], Vec::new()),
        RequestCommand::SetBurst(n) => Plan::new(vec![Action::SetBurst(n)], Vec::new()),
        RequestCommand::SetRate(n) => {
            // A rate that is on follows its new value at once.
            let commands = match (route, state.view.rate_on) {
                (Some(route), true) => vec![ToWorker::StartRate {
                    method: route.method.clone(),
                    pattern: route.pattern.clone(),
                    per_second: RATE.clamp(n),
                }],
                _ => Vec::new(),
            };
            Plan::new(vec![Action::SetRate(n)], commands)
        }
        RequestCommand::SendOne | RequestCommand::SendBurst => {
            let Some(route) = route else {
                return Plan::default();
            };
            let count = match cmd {
                RequestCommand::SendOne => 1,
                _ => state.burst,
            };
            Plan::new(
                Vec::new(),
                vec![ToWorker::Send {
                    method: route.method.clone(),
                    pattern: route.pattern.clone(),
                    count,
                }],
            )
        }
        RequestCommand::StartRate => {
            let Some(route) = route else {
                return Plan::default();
            };
            let start = ToWorker::StartRate {
                method: route.method.clone(),
                pattern: route.pattern.clone(),
                per_second: state.rate,
            };
            let mut p = play(state);
            p.commands.insert(0, start);
            p
        }
        RequestCommand::StopRate => Plan::new(Vec::new(), vec![ToWorker::StopRate]),
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::playback::Pacing;
    use crate::protocol::FromWorker;
    use crate::sim_worker::CommandLoop;
    use crate::view::{RequestState, View};
    use yew::Reducible;

    /// The page in miniature: the reducer's state, and the simulation behind the boundary,
    /// answering each command as the worker would (every view drawn at once).
    struct Page {
        state: Rc<AppState>,
        sim: CommandLoop,
        /// What the backend's supervisor keeps: the last Load's process and the recording.
        process: Option<Process>,
        recording: Recording,
    }

    impl Page {
        fn new() -> Page {
            let state = AppState::default();
            let mut p = Page {
                state: Rc::new(AppState::default()),
                sim: CommandLoop::new(),
                process: None,
                recording: Recording::default(),
            };
            p.handle(load(&state, &state.loaded, state.pool_size));
            p.deliver();
            p
        }
        fn handle(&mut self, cmd: ToWorker) {
            if let ToWorker::Load { process, .. } = &cmd {
                self.process = Some(process.clone());
                self.recording = Recording::default();
            }
            self.sim.handle(cmd);
        }
        fn reduce(&mut self, action: Action) {
            self.state = Rc::clone(&self.state).reduce(action);
        }
        /// The worker's next message, drawn.
        fn deliver(&mut self) {
            if let Some(FromWorker::View { view, recorded, .. }) = self.sim.outbox() {
                self.recording.apply(recorded);
                self.reduce(Action::Show(Rc::new(*view)));
                self.sim.handle(ToWorker::Drawn);
            }
        }
        fn input(&mut self, input: Input) {
            let plan = plan(&self.state, input);
            for a in plan.actions {
                self.reduce(a);
            }
            for c in plan.commands {
                self.handle(c);
            }
            self.deliver();
        }
        fn command(&mut self, cmd: Command) {
            self.input(Input::Command(cmd));
        }
        fn request(&mut self, cmd: RequestCommand) {
            self.input(Input::Request(cmd));
        }
        /// Lets the simulation work `slices` slices, drawing what it posts.
        /// Each slice starts a frame's worth (a quarter second) of wall time after the last.
        fn play(&mut self, slices: usize) {
            let t = std::cell::Cell::new(0.0);
            for i in 0..slices {
                t.set(i as f64 * 250.0);
                let mut clock = || {
                    t.set(t.get() + 0.5);
                    t.get()
                };
                self.sim.slice(&mut clock);
                self.deliver();
            }
        }
        fn listening(&mut self) {
            self.command(Command::Play);
            self.play(40);
            assert!(self.state.can_send(), "the server listens");
        }
        fn view(&self) -> &View {
            &self.state.view
        }
    }

    #[test]
    fn a_pool_size_or_program_changed_in_the_past_goes_on_from_the_step_shown() {
        let mut p = Page::new();
        p.listening();
        p.request(RequestCommand::SendBurst);
        for _ in 0..40 {
            p.command(Command::Step);
        }
        let present = p.view().steps;
        let k = present - 25;
        p.input(Input::Goto(k));
        assert_eq!(
            (p.view().steps, p.view().present),
            (k, present),
            "the past, at once"
        );
        let requests = p.view().requests.total;
        p.input(Input::SetPoolSize(2));
        p.play(20);
        let v = p.view();
        assert_eq!((v.steps, v.present, v.pool_size), (k, k, 2));
        assert_eq!(
            v.requests.total, requests,
            "the requests it had received, replayed"
        );
        assert!(
            v.caption
                .starts_with(&format!("A new future from step {k} with 2 pool workers")),
            "{}",
            v.caption
        );
        // In the past again, an edited program goes on from there too.
        p.command(Command::Step);
        p.command(Command::Step);
        p.input(Input::Goto(k));
        let edited = format!("{}\n// edited\n", p.state.loaded);
        p.reduce(Action::EditSource(edited.clone()));
        p.command(Command::Run);
        p.command(Command::Pause);
        p.play(20);
        assert!(
            p.view().caption.contains("the edited program"),
            "{}",
            p.view().caption
        );
        assert_eq!(p.view().steps, k);
        assert_eq!(p.sim.runner().pool_size(), 2);
        // From the present, another pool size runs the program again from the start.
        p.input(Input::SetPoolSize(3));
        assert_eq!(p.view().steps, 0);
    }

    #[test]
    fn step_pauses_and_shows_the_step() {
        let mut p = Page::new();
        p.command(Command::Play);
        assert!(p.state.playing);
        p.command(Command::Step);
        assert!(!p.state.playing);
        assert_eq!(p.view().steps, 1);
        p.command(Command::StepPhase);
        p.command(Command::StepIteration);
        assert!(p.view().steps > 2);
        let at = p.view().steps;
        p.command(Command::StepBack);
        assert_eq!(p.view().steps, at - 1);
    }

    #[test]
    fn toggle_plays_and_pauses_and_a_speed_change_reaches_the_simulation() {
        let mut p = Page::new();
        p.command(Command::Toggle);
        assert!(p.state.playing && p.sim.busy());
        let planned = plan(&p.state, Input::SetSpeed(Speed::Max));
        assert_eq!(planned.commands, vec![ToWorker::Play(Pacing::Max)]);
        p.command(Command::Toggle);
        assert!(!p.state.playing && !p.sim.busy());
        let planned = plan(&p.state, Input::SetSpeed(Speed::Slow));
        assert!(
            planned.commands.is_empty(),
            "paused: only the setting changes"
        );
    }

    #[test]
    fn the_steady_rate_is_on_exactly_when_the_simulation_has_one() {
        let mut p = Page::new();
        p.listening();
        p.request(RequestCommand::StartRate);
        assert!(p.view().rate_on && p.state.playing);
        assert_eq!(
            p.sim.runner().rate().map(|r| r.interval.0),
            Some(50_000),
            "20/s"
        );
        // A new value applies at once while the rate is on ...
        p.request(RequestCommand::SetRate(100));
        assert_eq!(p.sim.runner().rate().map(|r| r.interval.0), Some(10_000));
        assert_eq!(p.state.rate, 100);
        p.play(5);
        assert!(p.view().requests.total > 0);
        // ... a step back stops it, and the page sees that in the view.
        p.command(Command::StepBack);
        assert!(!p.view().rate_on && p.sim.runner().rate().is_none());
        // Stopped, a new value is only remembered.
        p.request(RequestCommand::SetRate(5));
        assert!(p.sim.runner().rate().is_none());
        p.request(RequestCommand::StartRate);
        p.request(RequestCommand::StopRate);
        assert!(!p.view().rate_on);
        // Reset, a new pool size, a preset or a new program: a new run, no rate.
        for input in [
            Input::Command(Command::Reset),
            Input::SetPoolSize(2),
            Input::LoadPreset("server"),
            Input::Command(Command::Run),
        ] {
            p.listening();
            p.request(RequestCommand::StartRate);
            assert!(p.view().rate_on);
            p.input(input.clone());
            assert!(!p.view().rate_on, "{input:?}");
            assert!(p.sim.runner().rate().is_none(), "{input:?}");
        }
    }

    #[test]
    fn a_rate_stops_when_the_program_exits() {
        let mut p = Page::new();
        let bye = "const express = require('express');\nconst app = express();\n\
                   app.get('/bye', (req, res) => { res.send('bye'); process.exit(3); });\n\
                   app.listen(3000);\n";
        p.reduce(Action::EditSource(bye.into()));
        p.command(Command::Run);
        p.listening();
        p.request(RequestCommand::StartRate);
        assert!(p.view().rate_on);
        p.play(10);
        assert_eq!(p.view().exited, Some(3));
        assert!(
            !p.view().rate_on,
            "the Requests pane shows the rate stopped"
        );
        assert!(!p.state.playing);
        assert!(p.sim.runner().rate().is_none());
    }

    #[test]
    fn send_and_burst_go_to_the_selected_route() {
        let mut p = Page::new();
        p.listening();
        p.command(Command::Pause);
        p.request(RequestCommand::SelectRoute(2));
        p.request(RequestCommand::SendOne);
        assert_eq!(p.view().requests.rows[0].url, "/login");
        p.request(RequestCommand::SetBurst(5000));
        assert_eq!(p.state.burst, 1000, "clamped");
        p.request(RequestCommand::SetBurst(3));
        p.request(RequestCommand::SelectRoute(0));
        p.request(RequestCommand::SendBurst);
        let v = &p.view().requests;
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
        assert_eq!(p.view().pool_size, 16);
        assert_eq!(p.view().steps, 0, "a fresh run");
        p.input(Input::SetPoolSize(0));
        assert_eq!((p.state.pool_size, p.view().workers.len()), (1, 1));
    }

    #[test]
    fn run_loads_the_edited_program_and_plays_it() {
        let mut p = Page::new();
        p.reduce(Action::EditSource("console.log('hi')".into()));
        assert!(p.state.is_edited());
        p.command(Command::Run);
        assert!(!p.state.is_edited() && p.state.playing);
        p.play(5);
        assert_eq!(p.view().console.lines, vec![(1, "hi".to_owned())]);
        assert!(!p.state.playing, "an exited program stops playback");
        // Play on an exited program does nothing; Reset runs the loaded program again.
        assert_eq!(
            plan(&p.state, Input::Command(Command::Play)),
            Plan::default()
        );
        p.command(Command::Reset);
        assert_eq!(p.view().steps, 0);
        assert_eq!(
            plan(&p.state, Input::LoadPreset("no-such-preset")),
            Plan::default()
        );
    }

    #[test]
    fn keep_running_gives_a_long_callback_longer_until_it_finishes() {
        let mut p = Page::new();
        // A finite loop that takes far longer than 5 ms of wall time.
        p.reduce(Action::EditSource(
            "let s = 0;\nfor (let i = 0; i < 2e6; i++) s += i % 3;\nconsole.log(s);\n".into(),
        ));
        p.input(Input::KeepRunning);
        assert_eq!(
            p.state.budget_ms,
            settings::BUDGET_MS,
            "nothing to keep running"
        );
        p.reduce(Action::KeepRunning(5.0));
        p.sim.handle(ToWorker::Budget(5.0));
        p.command(Command::Run);
        p.play(5);
        assert_eq!(p.view().exited, Some(looplab_engine::RUNAWAY_EXIT));
        assert!(p.view().stderr.contains("ran for"), "{}", p.view().stderr);
        let mut presses = 0;
        while p.view().exited != Some(0) {
            presses += 1;
            assert!(
                presses <= 8,
                "still over budget at {} ms",
                p.state.budget_ms
            );
            p.input(Input::KeepRunning);
            assert!(p.state.playing);
            p.play(5);
        }
        assert_eq!(p.view().console.lines, vec![(1, "1999999".to_owned())]);
        assert_eq!(p.view().stderr, "");
        assert_eq!(p.state.budget_ms, 5.0 * 4f64.powi(presses));
    }

    #[test]
    fn speeds_pace_the_simulation() {
        assert_eq!(Speed::Max.pacing(), Pacing::Max);
        assert_eq!(Speed::Steps4.pacing(), Pacing::StepsPerSecond(4.0));
    }

    /// A page opened from `link`: its state, and its first commands handled.
    fn opened(link: &Link) -> Page {
        let (state, commands) = open(link);
        let mut p = Page {
            state: Rc::new(state),
            sim: CommandLoop::new(),
            process: None,
            recording: Recording::default(),
        };
        for c in commands {
            p.handle(c);
        }
        p.play(400);
        p.deliver();
        p
    }

    /// The link of `p` as the page would write it.
    fn link_of(p: &Page) -> (Link, bool) {
        let process = p.process.clone().unwrap();
        let (sc, cut) = scenario(&p.state, &process, &p.recording, p.view().steps);
        (
            Link::parse("", &sc.fragment(None, crate::link::Theme::Auto)),
            cut,
        )
    }

    #[test]
    fn a_link_opens_the_same_run_at_the_same_step() {
        // A run with requests from a burst and from the steady rate (cut sleeps), paused.
        let mut p = Page::new();
        p.input(Input::SetPoolSize(2));
        p.listening();
        p.request(RequestCommand::SetBurst(25));
        p.request(RequestCommand::SendBurst);
        // The rate cuts poll sleeps at its next request: the link must carry those too.
        p.input(Input::SetSpeed(Speed::Max));
        p.request(RequestCommand::StartRate);
        p.play(150);
        p.command(Command::Pause);
        p.command(Command::Step);
        let before = p.view().clone();
        assert!(before.requests.total > 25, "{}", before.requests.total);
        assert!(!p.recording.cut_sleeps().is_empty(), "the rate cut sleeps");
        let (link, cut) = link_of(&p);
        assert!(!cut);
        let sc = link.scenario.clone().expect("a scenario");
        assert_eq!(sc.pool_size, 2);
        assert_eq!(sc.step, before.steps);
        assert_eq!(sc.burst, 25);

        let q = opened(&link);
        assert_eq!(q.state.pool_size, 2);
        assert_eq!(q.state.burst, 25);
        let after = q.view();
        assert_eq!(after.steps, before.steps);
        assert_eq!(after.queues, before.queues);
        assert_eq!(after.requests, before.requests);
        assert_eq!(after.console, before.console);
        assert_eq!(after.workers, before.workers);
        assert!(
            after.caption.starts_with("Opened from a link"),
            "{}",
            after.caption
        );
        assert!(!q.state.playing, "a link opens paused");
    }

    #[test]
    fn a_link_to_a_load_test_runs_it_again_to_the_same_step() {
        let mut p = Page::new();
        p.input(Input::Load(LoadInput::Edit(LoadForm {
            duration_s: "1".into(),
            rate: "50".into(),
            ..LoadForm::default()
        })));
        p.input(Input::Load(LoadInput::Start));
        p.play(3);
        p.command(Command::Pause);
        let before = p.view().clone();
        assert!(before.load.is_some() && before.steps > 0);
        let (link, _) = link_of(&p);
        let sc = link.scenario.clone().unwrap();
        assert!(sc.load_ran && sc.recording.request_count() == 0);
        let (state, commands) = open(&link);
        assert!(
            matches!(commands[1], ToWorker::StartLoad(_)),
            "{commands:?}"
        );
        assert_eq!(commands.last(), Some(&ToWorker::Goto(before.steps)));
        assert_eq!(state.load_form.rate, "50");
        let q = opened(&link);
        assert_eq!(q.view().steps, before.steps);
        assert_eq!(q.view().requests, before.requests);
        assert_eq!(q.view().queues, before.queues);
        let (l, b) = (
            q.view().load.as_ref().unwrap(),
            before.load.as_ref().unwrap(),
        );
        assert_eq!(l.looped.sent, b.looped.sent);
    }

    #[test]
    fn a_link_that_cannot_be_read_opens_the_default_program_with_a_notice() {
        let link = Link::parse("", "pool=99&code=!!!");
        let (state, commands) = open(&link);
        assert_eq!(state.pool_size, 4);
        assert_eq!(state.loaded, AppState::default().loaded);
        let notice = state.link_notice.clone().unwrap();
        assert!(
            notice.contains("`pool`") && notice.contains("`code`"),
            "{notice}"
        );
        assert_eq!(commands, vec![load(&state, &state.loaded, 4)]);
        let state = state.apply(Action::DismissNotice);
        assert_eq!(state.link_notice, None);
        // Autoplay plays once loaded.
        let (state, commands) = open(&Link::parse("embed&autoplay", ""));
        assert!(state.playing && matches!(commands[1], ToWorker::Play(_)));
    }
}

#[cfg(test)]
mod load_tests {
    use super::*;
    use crate::load_form::Sender;

    #[test]
    fn a_bad_field_is_named_and_nothing_is_sent() {
        let mut state = AppState::default();
        state.load_form.sender = Sender::Users;
        state.load_form.users = "0".into();
        let p = plan(&state, Input::Load(LoadInput::Start));
        assert!(p.commands.is_empty());
        let [Action::LoadFieldError(Some(e))] = p.actions.as_slice() else {
            panic!("{:?}", p.actions)
        };
        assert_eq!(e.field, "load-users");
    }

    #[test]
    fn start_runs_the_loaded_program_afresh_with_the_database_latency_then_loads_and_plays() {
        let mut state = AppState::default();
        state.source = "edited, not run".into();
        let p = plan(&state, Input::Load(LoadInput::Preset("ten-thousand")));
        let [ToWorker::Load { process, .. }, ToWorker::StartLoad(r), ToWorker::Play(pacing)] =
            p.commands.as_slice()
        else {
            panic!("{:?}", p.commands)
        };
        let (source, costs) = (&process.source, &process.costs);
        assert_eq!(
            source, &state.loaded,
            "the loaded program, not the editor's draft"
        );
        assert_eq!(costs, &vec![("dbLatency".to_owned(), 1_000_000.0)]);
        assert_eq!(r.users, 10_000);
        // The default speed (4 steps a second) would take hours: a load plays at max.
        assert_eq!(*pacing, Speed::Max.pacing());
        assert!(matches!(p.actions[0], Action::EditLoad(_)));
        assert!(p.actions.contains(&Action::Restarted));
        // A speed in virtual time is kept.
        state.speed = Speed::RealTime;
        let p = plan(&state, Input::Load(LoadInput::Start));
        assert!(p
            .commands
            .contains(&ToWorker::Play(Speed::RealTime.pacing())));
        assert_eq!(
            plan(&state, Input::Load(LoadInput::Stop)).commands,
            vec![ToWorker::StopLoad]
        );
    }
}
