//! The root component: wiring. It owns the reducer ([`AppState`]) and the [`Backend`] (the
//! simulation, in a Web Worker or on the page's thread: see `backend.rs`), turns every control
//! into a [`controller::Input`], dispatches the actions [`controller::plan`] returns and sends
//! its commands; the simulation's views and progress notes come back into the reducer. Keyboard
//! shortcuts are one `keydown` listener. What any input does to the run is decided in
//! `controller.rs`, `sim_worker.rs` and `playback.rs`, tested natively.

use std::cell::Cell;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::{
    CallStack, Caption, Console, Controls, Editor, Load, PhaseRing, ProgramBar, Queues, Requests,
    ThreadPool,
};
use crate::controller::{self, Input};
use crate::protocol::{FromWorker, ToWorker};
use crate::state::{Action, AppState, Busy, Command, RequestCommand};

thread_local! {
    /// Whether the app runs its simulation in a Web Worker (the trunk build: [`crate::start`])
    /// or on the page's thread ([`crate::mount`], the browser tests).
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Makes the apps rendered after this call run their simulation in a Web Worker.
pub fn use_worker(on: bool) {
    IN_WORKER.with(|w| w.set(on));
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);

    // The simulation: its messages go into the reducer.
    let backend = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            let on_message = Callback::from(move |msg: FromWorker| match msg {
                FromWorker::View { view, .. } => dispatcher.dispatch(Action::Show((*view).into())),
                FromWorker::Busy { callback, line, ms } => {
                    dispatcher.dispatch(Action::Busy(Busy { callback, line, ms }))
                }
                // The backend replaces the worker and rebuilds the run, with a caption.
                FromWorker::OutOfMemory { .. } => {}
            });
            if IN_WORKER.with(Cell::get) {
                Backend::worker(on_message)
            } else {
                // On the page's thread, the budget still ends a runaway callback.
                looplab_engine::watchdog::set_clock(js_sys::Date::now);
                Backend::in_page(on_message)
            }
        })
    };
    // The first process: the program the page starts with.
    {
        let backend = backend.clone();
        let (source, pool_size) = (state.loaded.clone(), state.pool_size);
        use_effect_with((), move |_| {
            backend.send(ToWorker::Load {
                source,
                pool_size,
                costs: Vec::new(),
                replay: None,
                note: None,
            })
        });
    }

    // Every control: the controller decides, the reducer applies, the simulation is told.
    let input = {
        let backend = backend.clone();
        let state = state.clone();
        Callback::from(move |input: Input| {
            let plan = controller::plan(&state, input);
            for action in plan.actions {
                state.dispatch(action);
            }
            if plan.stop {
                state.dispatch(Action::Stopped(backend.stop()));
            }
            for cmd in plan.commands {
                backend.send(cmd);
            }
        })
    };

    let on_command = input.reform(Input::Command);

    // Keyboard shortcuts, unless the user is typing in a field.
    let latest_command = use_mut_ref(|| on_command.clone());
    *latest_command.borrow_mut() = on_command.clone();
    {
        let latest = latest_command.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let listener = document.map(|doc| {
                // Not passive: a shortcut's key must not also scroll the page (preventDefault).
                let options = gloo_events::EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&doc, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                    if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                        return;
                    }
                    let typing = e.key() != "Escape" && e
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
    let on_speed = input.reform(Input::SetSpeed);
    let on_preset = input.reform(Input::LoadPreset);
    let on_pool_size = input.reform(Input::SetPoolSize);
    let on_request = input.reform(|cmd: RequestCommand| controller::Input::Request(cmd));

    crate::flight_layer::use_flights(state.view.clone(), state.speed.flight_ms(state.playing));

    let view = state.view.clone();
    // Steps come faster than anyone reads: panes draw less and follow nothing.
    let live = state.playing && state.speed.is_live();
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
                    can_stop={state.playing || state.busy.is_some() || view.rewinding.is_some()}
                    on_command={on_command.clone()}
                    {on_speed}
                />
            </header>
            <main class="board">
                <div class="column column-program">
                    <Editor
                        source={AttrValue::from(state.source.clone())}
                        current_line={view.current_line}
                        follow={!live}
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
                        {live}
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
            <Caption
                text={AttrValue::from(state.caption())}
                steps={view.steps}
                progress={view.rewinding}
                over_budget={view.exited == Some(looplab_engine::RUNAWAY_EXIT)}
                on_keep_running={input.reform(|()| Input::KeepRunning)}
            />
            <Load
                form={state.load_form.clone()}
                error={state.load_error.clone()}
                load={view.load.clone()}
                on_input={input.reform(Input::Load)}
            />
        </div>
    }
}
