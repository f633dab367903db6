//! The root component: wiring. It owns the reducer ([`AppState`]) and the [`Controller`] (the
//! running program, in a `use_mut_ref`: a JavaScript heap is neither `Clone` nor `PartialEq`),
//! turns every control into a [`controller::Input`] and dispatches the actions the controller
//! returns. Playback and long step backs are `requestAnimationFrame` loops that call
//! [`crate::playback`] once per frame; keyboard shortcuts are one `keydown` listener. What any
//! input does to the run is decided in `controller.rs` and `playback.rs`, tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{
    CallStack, Caption, Console, Controls, Editor, PhaseRing, ProgramBar, Queues, Requests,
    ThreadPool,
};
use crate::controller::{self, Controller, Input};
use crate::playback::{self, Frame, Pacer};
use crate::state::{Action, AppState, Command, RequestCommand, Speed};

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

type Shared = Rc<RefCell<Controller>>;
type FrameSlot = Rc<RefCell<Option<AnimationFrame>>>;

/// Calls `tick` on every animation frame until it returns false or the slot is emptied.
fn every_frame(slot: FrameSlot, mut tick: impl FnMut(f64) -> bool + 'static) {
    let next = slot.clone();
    *slot.borrow_mut() = Some(request_animation_frame(move |ts| {
        if tick(ts) {
            every_frame(next, tick);
        }
    }));
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let ctl: Shared = {
        let (source, pool) = (state.loaded.clone(), state.pool_size);
        use_mut_ref(move || Controller::new(&source, pool))
    };

    // Publishes the controller's view into the reducer.
    let show = {
        let ctl = ctl.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::Show(ctl.borrow().view())))
    };

    // Every control: the controller decides, the reducer applies.
    let input = {
        let ctl = ctl.clone();
        let state = state.clone();
        Callback::from(move |input: Input| {
            let actions = ctl.borrow_mut().apply(&state, input);
            for action in actions {
                state.dispatch(action);
            }
        })
    };

    // Playback: a frame loop while playing, restarted when the speed changes.
    {
        let ctl = ctl.clone();
        let show = show.clone();
        use_effect_with(
            (state.playing, state.speed),
            move |&(playing, speed): &(bool, Speed)| {
                let slot: FrameSlot = Rc::new(RefCell::new(None));
                if playing {
                    let mut pacer = Pacer::new(speed.pacing());
                    every_frame(slot.clone(), move |ts| {
                        let frame = pacer.frame(ctl.borrow_mut().runner_mut(), ts, &mut wall_ms);
                        if matches!(frame, Frame::Stepped(_) | Frame::Exited) {
                            show.emit(());
                        }
                        frame != Frame::Exited
                    });
                }
                move || drop(slot.borrow_mut().take())
            },
        );
    }

    // A long step back: replay a slice per frame until the run is back, showing progress.
    {
        let ctl = ctl.clone();
        let show = show.clone();
        use_effect_with(state.view.rewinding.is_some(), move |&rewinding| {
            let slot: FrameSlot = Rc::new(RefCell::new(None));
            if rewinding {
                every_frame(slot.clone(), move |_| {
                    let more = playback::rewind_frame(ctl.borrow_mut().runner_mut(), &mut wall_ms);
                    show.emit(());
                    more
                });
            }
            move || drop(slot.borrow_mut().take())
        });
    }

    let on_command = input.reform(Input::Command);

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
    let on_preset = input.reform(Input::LoadPreset);
    let on_pool_size = input.reform(Input::SetPoolSize);
    let on_request = input.reform(|cmd: RequestCommand| controller::Input::Request(cmd));

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
                        rate_on={view.rate_on}
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
