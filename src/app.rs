//! The root component: owns the state, the running program and playback, and lays out the
//! regions.
//!
//! The [`Runner`] (the JavaScript heap and the loop) lives in a `use_mut_ref`, outside the
//! reducer; after every action the app dispatches its new [`crate::view::View`]. Playback is an
//! effect: a `requestAnimationFrame` loop that steps the runner according to the speed and
//! stops when the program exits (or idles, without stepping, while a server waits for
//! requests). Keyboard shortcuts are one `keydown` listener on the document.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use looplab_engine::looplab_model::{Micros, Step};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{
    CallStack, Caption, Console, Controls, Editor, PhaseRing, ProgramBar, Queues, Requests,
    ThreadPool,
};
use crate::presets;
use crate::runner::Runner;
use crate::state::{
    steps_owed, Action, AppState, Command, Pacing, RequestCommand, Speed, FRAME_BUDGET_MS,
};

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// One playback session: the animation frame loop and its pacing state.
struct Playback {
    runner: Rc<RefCell<Runner>>,
    show: Callback<()>,
    pacing: Pacing,
    frame: RefCell<Option<AnimationFrame>>,
    last: Cell<Option<f64>>,
    carry: Cell<f64>,
    /// Virtual time playback has reached (real-time speeds), in µs.
    playhead: Cell<Option<u64>>,
}

impl Playback {
    fn schedule(self: &Rc<Self>) {
        let this = Rc::clone(self);
        let frame = request_animation_frame(move |ts| {
            this.tick(ts);
            this.schedule();
        });
        *self.frame.borrow_mut() = Some(frame);
    }

    fn stop(&self) {
        self.frame.borrow_mut().take();
    }

    fn tick(&self, ts: f64) {
        let dt = self
            .last
            .replace(Some(ts))
            .map(|l| ts - l)
            .unwrap_or(0.0)
            .clamp(0.0, 250.0);
        let started = wall_ms();
        let stepped = {
            let mut r = self.runner.borrow_mut();
            if r.exited() {
                drop(r);
                self.show.emit(());
                return;
            }
            if r.idle() {
                // A server waiting for requests: nothing to step until one is sent.
                self.playhead.set(None);
                return;
            }
            let mut steps = 0u32;
            let stop =
                |s: Option<Step>| matches!(s, None | Some(Step::Exited(_) | Step::AwaitingInput));
            match self.pacing {
                Pacing::StepsPerSecond(per_second) => {
                    let (n, carry) = steps_owed(self.carry.get(), dt, per_second);
                    self.carry.set(carry);
                    for _ in 0..n {
                        steps += 1;
                        if stop(r.play_step(None)) {
                            break;
                        }
                    }
                }
                Pacing::Virtual(us_per_ms) => {
                    let now = r.now().0;
                    let head = self.playhead.get().unwrap_or(now) + (dt * us_per_ms) as u64;
                    while r.now().0 < head && wall_ms() - started < FRAME_BUDGET_MS {
                        steps += 1;
                        if stop(r.play_step_with(Some(Micros(head)), false)) {
                            break;
                        }
                    }
                    // Never build up a debt the browser cannot pay back.
                    let head = if wall_ms() - started >= FRAME_BUDGET_MS {
                        r.now().0.max(now)
                    } else {
                        head
                    };
                    self.playhead.set(Some(head));
                }
                Pacing::Max => {
                    while wall_ms() - started < FRAME_BUDGET_MS {
                        steps += 1;
                        if stop(r.play_step_with(None, false)) {
                            break;
                        }
                    }
                }
            }
            steps > 0
        };
        if stepped {
            self.show.emit(());
        }
    }
}

/// One frame of a step back in progress: replay for the frame's budget, show the progress (or
/// the result), and come back next frame until it is done.
fn rewind_frame(
    runner: Rc<RefCell<Runner>>,
    show: Callback<()>,
    frame: Rc<RefCell<Option<AnimationFrame>>>,
) {
    let next = frame.clone();
    *frame.borrow_mut() = Some(request_animation_frame(move |_| {
        let started = wall_ms();
        let more = {
            let mut r = runner.borrow_mut();
            loop {
                match r.rewind(32) {
                    None => break false,
                    Some(_) if wall_ms() - started >= FRAME_BUDGET_MS => break true,
                    Some(_) => {}
                }
            }
        };
        show.emit(());
        if more {
            rewind_frame(runner, show, next);
        }
    }));
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let runner = use_mut_ref(|| Runner::new(presets::default_preset().source, state.pool_size));

    // Publishes the runner's view into the reducer.
    let show = {
        let runner = runner.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::Show(Rc::new(runner.borrow().view()))))
    };

    // Playback: a frame loop while playing, restarted when the speed changes.
    {
        let runner = runner.clone();
        let show = show.clone();
        use_effect_with(
            (state.playing, state.speed),
            move |&(playing, speed): &(bool, Speed)| {
                let playback = Rc::new(Playback {
                    runner,
                    show,
                    pacing: speed.pacing(),
                    frame: RefCell::new(None),
                    last: Cell::new(None),
                    carry: Cell::new(0.99),
                    playhead: Cell::new(None),
                });
                if playing {
                    playback.schedule();
                }
                move || playback.stop()
            },
        );
    }

    // A long step back: replay a slice per frame until the run is back, showing progress.
    {
        let runner = runner.clone();
        let show = show.clone();
        use_effect_with(state.view.rewinding.is_some(), move |&rewinding| {
            let frame: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if rewinding {
                rewind_frame(runner, show, frame.clone());
            }
            move || drop(frame.borrow_mut().take())
        });
    }

    let on_command = {
        let runner = runner.clone();
        let state = state.clone();
        let show = show.clone();
        Callback::from(move |cmd: Command| {
            let d = state.dispatcher();
            let cmd = match cmd {
                Command::Toggle if state.playing => Command::Pause,
                Command::Toggle => Command::Play,
                other => other,
            };
            match cmd {
                Command::Play => d.dispatch(Action::Play),
                Command::Pause => d.dispatch(Action::Pause),
                Command::Step | Command::StepPhase | Command::StepIteration | Command::StepBack => {
                    d.dispatch(Action::Pause);
                    let mut r = runner.borrow_mut();
                    match cmd {
                        Command::Step => drop(r.step()),
                        Command::StepPhase => drop(r.step_phase()),
                        Command::StepIteration => drop(r.step_iteration()),
                        _ => {
                            // A long replay continues in the rewind effect below.
                            r.begin_step_back();
                            d.dispatch(Action::RateOn(false));
                        }
                    }
                    drop(r);
                    show.emit(());
                }
                Command::Reset => {
                    *runner.borrow_mut() = Runner::new(&state.loaded, state.pool_size);
                    d.dispatch(Action::Pause);
                    d.dispatch(Action::RateOn(false));
                    show.emit(());
                }
                Command::Run => {
                    *runner.borrow_mut() = Runner::new(&state.source, state.pool_size);
                    d.dispatch(Action::Loaded);
                    show.emit(());
                    d.dispatch(Action::Play);
                }
                Command::Toggle => {}
            }
        })
    };

    // Keyboard shortcuts, unless the user is typing in a field.
    let latest_command = use_mut_ref(|| on_command.clone());
    *latest_command.borrow_mut() = on_command.clone();
    {
        let latest = latest_command.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let listener = document.map(|doc| {
                EventListener::new(&doc, "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                    if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                        return;
                    }
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .map(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT" | "BUTTON" if e.key() == " " || el.tag_name() != "BUTTON"))
                        .unwrap_or(false);
                    if typing {
                        return;
                    }
                    if let Some(cmd) = Command::from_key(&e.key(), e.shift_key()) {
                        e.prevent_default();
                        latest.borrow().emit(cmd);
                    }
                })
            });
            move || drop(listener)
        });
    }

    let on_source = {
        let d = state.dispatcher();
        Callback::from(move |source: String| d.dispatch(Action::EditSource(source)))
    };
    let on_run = on_command.reform(|()| Command::Run);
    let on_speed = {
        let d = state.dispatcher();
        Callback::from(move |speed: Speed| d.dispatch(Action::SetSpeed(speed)))
    };
    let on_preset = {
        let runner = runner.clone();
        let d = state.dispatcher();
        let show = show.clone();
        let pool = state.pool_size;
        Callback::from(move |key: &'static str| {
            if let Some(p) = presets::preset(key) {
                *runner.borrow_mut() = Runner::new(p.source, pool);
                d.dispatch(Action::LoadPreset(key));
                show.emit(());
            }
        })
    };
    let on_pool_size = {
        let runner = runner.clone();
        let d = state.dispatcher();
        let show = show.clone();
        let loaded = state.loaded.clone();
        Callback::from(move |n: u16| {
            let n = n.clamp(
                *crate::state::POOL_SIZES.start(),
                *crate::state::POOL_SIZES.end(),
            );
            // A different pool is a different process: run the program again from the start.
            *runner.borrow_mut() = Runner::new(&loaded, n);
            d.dispatch(Action::SetPoolSize(n));
            d.dispatch(Action::Pause);
            d.dispatch(Action::RateOn(false));
            show.emit(());
        })
    };
    let on_request = {
        let runner = runner.clone();
        let state = state.clone();
        let show = show.clone();
        Callback::from(move |cmd: RequestCommand| {
            let d = state.dispatcher();
            let route = state.selected_route().cloned();
            match cmd {
                RequestCommand::SelectRoute(i) => d.dispatch(Action::SelectRoute(i)),
                RequestCommand::SetBurst(n) => d.dispatch(Action::SetBurst(n)),
                RequestCommand::SetRate(n) => {
                    d.dispatch(Action::SetRate(n));
                    if let (true, Some(route)) = (state.rate_on, &route) {
                        runner.borrow_mut().start_rate(
                            &route.method,
                            &route.pattern,
                            n.clamp(1, 1000),
                        );
                    }
                }
                RequestCommand::SendOne | RequestCommand::SendBurst => {
                    let Some(route) = route else { return };
                    let n = if cmd == RequestCommand::SendOne {
                        1
                    } else {
                        state.burst
                    };
                    let mut r = runner.borrow_mut();
                    for _ in 0..n {
                        r.send_route(&route.method, &route.pattern);
                    }
                    drop(r);
                    show.emit(());
                }
                RequestCommand::StartRate => {
                    let Some(route) = route else { return };
                    runner
                        .borrow_mut()
                        .start_rate(&route.method, &route.pattern, state.rate);
                    d.dispatch(Action::RateOn(true));
                    d.dispatch(Action::Play);
                }
                RequestCommand::StopRate => {
                    runner.borrow_mut().stop_rate();
                    d.dispatch(Action::RateOn(false));
                }
            }
        })
    };

    crate::flight_layer::use_flights(state.view.clone(), state.speed.flight_ms(state.playing));

    let view = state.view.clone();
    html! {
        <div class="app">
            <header class="masthead">
                <div class="brand">
                    <h1 class="title">{ "Looplab" }</h1>
                    <p class="tagline">
                        { "The Node.js event loop, live: libuv's phases, Node's queues and the thread pool" }
                    </p>
                </div>
                <Controls
                    speed={state.speed}
                    playing={state.playing}
                    can_step={view.exited.is_none()}
                    can_back={view.steps > 0}
                    on_command={on_command.clone()}
                    {on_speed}
                />
            </header>
            <main class="board">
                <div class="column column-program">
                    <Editor
                        source={AttrValue::from(state.source.clone())}
                        current_line={view.current_line}
                        on_change={on_source}
                        on_run={on_run.clone()}
                    >
                        <ProgramBar
                            preset={state.preset}
                            pool_size={state.pool_size}
                            edited={state.is_edited()}
                            {on_preset}
                            {on_pool_size}
                            {on_run}
                        />
                    </Editor>
                    <Console
                        console={view.console.clone()}
                        error={AttrValue::from(view.stderr.clone())}
                        exited={view.exited}
                    />
                </div>
                <div class="column column-loop">
                    <div class="loop-row">
                        <PhaseRing
                            active={view.phase}
                            in_main={view.in_main}
                            iteration={view.iteration}
                            clock={AttrValue::from(view.clock_text())}
                        />
                        <CallStack frames={view.stack.clone()} />
                    </div>
                    <Requests
                        routes={state.routes.clone()}
                        route={state.route}
                        burst={state.burst}
                        rate={state.rate}
                        rate_on={state.rate_on}
                        can_send={state.can_send()}
                        requests={view.requests.clone()}
                        on_command={on_request}
                    />
                </div>
                <div class="column column-queues">
                    <Queues queues={view.queues.clone()} />
                    <ThreadPool workers={view.workers.clone()} queue={view.pool_queue.clone()} />
                </div>
            </main>
            <Caption text={AttrValue::from(view.caption.clone())} steps={view.steps} progress={view.rewinding} />
        </div>
    }
}
