//! The root component: wiring. It owns the reducer ([`AppState`]) and the [`Backend`] (the
//! simulation, in a Web Worker or on the page's thread: see `backend.rs`), turns every control
//! into a [`controller::Input`], dispatches the actions [`controller::plan`] returns and sends
//! its commands; the simulation's views and progress notes come back into the reducer. Keyboard
//! shortcuts are one `keydown` listener. What any input does to the run is decided in
//! `controller.rs`, `sim_worker.rs` and `playback.rs`, tested natively.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::{
    CallStack, Caption, Console, Controls, Editor, LessonPane, LessonSelect, Load, PhaseRing,
    ProgramBar, Queues, Requests, Share, ThreadPool, TimelineStore, TimelineStrip,
};
use crate::controller::{self, Input, LessonInput};
use crate::link::{EditorMode, Link, Pane, Scenario, Theme};
use crate::protocol::FromWorker;
use crate::state::{Action, Busy, Command};

/// How long the view stays settled before the address follows it (ms).
const ADDRESS_DELAY_MS: u32 = 200;

/// Runs the address's pending write, if there is one (taken out first: it may not be run twice).
fn run_pending(write: &std::cell::RefCell<Option<Box<dyn FnOnce()>>>) {
    let write = write.borrow_mut().take();
    if let Some(write) = write {
        write();
    }
}

/// `<html data-address-due>` while the address waits to follow the view.
fn mark_address_due(due: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = if due {
            root.set_attribute("data-address-due", "")
        } else {
            root.remove_attribute("data-address-due")
        };
    }
}

thread_local! {
    /// Whether the app runs its simulation in a Web Worker (the trunk build: [`crate::start`])
    /// or on the page's thread ([`crate::mount`], the browser tests).
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Makes the apps rendered after this call run their simulation in a Web Worker.
pub fn use_worker(on: bool) {
    IN_WORKER.with(|w| w.set(on));
}

/// The page's address: its query and fragment, without `?` and `#` (empty outside a window).
pub fn address() -> (String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return Default::default();
    };
    let search = loc.search().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    (
        search.trim_start_matches('?').to_owned(),
        hash.trim_start_matches('#').to_owned(),
    )
}

/// The page's address without query and fragment.
fn base_url() -> String {
    web_sys::window()
        .and_then(|w| {
            let loc = w.location();
            Some(format!("{}{}", loc.origin().ok()?, loc.pathname().ok()?))
        })
        .unwrap_or_default()
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// What the page's address asked for (the default page when empty).
    #[prop_or_default]
    pub link: Rc<Link>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    // The link decides the first state and the first commands, once.
    let opened = {
        let link = props.link.clone();
        use_memo((), move |_| controller::open(&link))
    };
    let state = {
        let opened = opened.clone();
        use_reducer(move || opened.0.clone())
    };

    // The page's copy of the run's timeline (the worker sends what it added with each view).
    let timeline = use_memo((), |_| TimelineStore::default());
    // The simulation: its messages go into the reducer.
    let backend = {
        let dispatcher = state.dispatcher();
        let timeline = (*timeline).clone();
        use_memo((), move |_| {
            let on_message = Callback::from(move |msg: FromWorker| match msg {
                FromWorker::View {
                    view,
                    timeline: delta,
                    ..
                } => {
                    if timeline.data.borrow_mut().apply(delta) {
                        timeline.revision.set(timeline.revision.get() + 1);
                    }
                    dispatcher.dispatch(Action::Show((*view).into()))
                }
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
    // The first process: the program the page (or its link) starts with.
    {
        let backend = backend.clone();
        use_effect_with((), move |_| {
            for cmd in opened.1.iter().cloned() {
                backend.send(cmd);
            }
        });
    }

    // A theme the link fixes (`auto` follows the reader's `prefers-color-scheme`).
    use_effect_with(state.theme, |theme| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = match theme {
                Theme::Auto => root.remove_attribute("data-theme"),
                t => root.set_attribute("data-theme", t.key()),
            };
        }
    });

    // The scenario shown now, as a link carries it (and whether its requests had to be left
    // out), from what the user set and what the backend keeps of the run.
    let scenario = {
        let backend = backend.clone();
        let state = state.clone();
        move || -> Option<(Scenario, bool)> {
            let (process, recording, step) = backend.run_record()?;
            Some(controller::scenario(&state, &process, &recording, step))
        }
    };

    // The address follows the state while the run is paused (never mid-play: browsers throttle
    // `history.replaceState`, and a link is wanted of a moment, not of a blur). It is written
    // a moment after the view settles, not in the render that shows it: the link compresses the
    // program and every recorded input (a load run's are many) and a long address costs the
    // browser too, and a jump or a step back must be drawn first. Another view before then
    // puts it off again (stepping through the past writes the address once, where it stops).
    let last_fragment = use_mut_ref(|| None::<String>);
    let address_due = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    // The write waiting for it (run at once if the page goes away first). `<html
    // data-address-due>` is set meanwhile (the browser tests wait for it to go).
    let address_write = use_mut_ref(|| None::<Box<dyn FnOnce()>>);
    {
        let address_write = address_write.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "pagehide", move |_| run_pending(&address_write)));
            move || drop(listener)
        });
    }
    {
        let scenario = scenario.clone();
        let settled = !state.playing
            && !state.view.seeking
            && state.view.rewinding.is_none()
            && state.busy.is_none();
        let embed = state.embed.clone();
        let theme = state.theme;
        let lesson_at = state.lesson.as_ref().map(|p| (p.index, p.step));
        use_effect_with(
            (
                Rc::as_ptr(&state.view) as usize,
                lesson_at,
                settled,
                state.speed,
                (state.route, state.burst, state.rate),
                state.load_form.clone(),
            ),
            move |_| {
                address_due.borrow_mut().take();
                address_write.borrow_mut().take();
                mark_address_due(false);
                if !settled {
                    return;
                }
                let write = move || {
                    let fragment = match lesson_at {
                        Some((index, step)) => {
                            crate::link::lesson_fragment(index, step, embed.as_ref(), theme)
                        }
                        None => {
                            let Some((sc, _)) = scenario() else { return };
                            sc.fragment(embed.as_ref(), theme)
                        }
                    };
                    if last_fragment.borrow().as_deref() == Some(fragment.as_str()) {
                        return;
                    }
                    let Some(window) = web_sys::window() else {
                        return;
                    };
                    let loc = window.location();
                    // The fragment holds everything (the embed options too): a query the page was
                    // opened with would win over it on reload, so the address drops it.
                    let path = loc.pathname().unwrap_or_default();
                    let url = if fragment.is_empty() {
                        path
                    } else {
                        format!("{path}#{fragment}")
                    };
                    if let Ok(history) = window.history() {
                        if history
                            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                            .is_ok()
                        {
                            *last_fragment.borrow_mut() = Some(fragment);
                        }
                    }
                };
                *address_write.borrow_mut() = Some(Box::new(write));
                mark_address_due(true);
                let pending = address_write.clone();
                *address_due.borrow_mut() = Some(gloo_timers::callback::Timeout::new(
                    ADDRESS_DELAY_MS,
                    move || {
                        run_pending(&pending);
                        mark_address_due(false);
                    },
                ));
            },
        );
    }
    let share_open = use_state(|| false);
    let open_full = use_node_ref();

    // Every control: the controller decides, the reducer applies, the simulation is told.
    // The callback is made once: a callback made anew in each render differs from the last
    // one, so every pane it reaches (the editor, the Load pane, the timeline...) was drawn
    // again with every view, changed or not (a few milliseconds of each jump and each playing
    // frame). It reads the reducer's state through the latest render's handle (`latest`):
    // Yew's handle keeps every value it was read at until a render makes a new one, so a
    // handle kept for good would keep every state of the run.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let input = {
        let backend = backend.clone();
        let latest = latest.clone();
        (*use_memo((), move |_| {
            Callback::from(move |input: Input| {
                // (A clone, so no borrow is held while the reducer runs.)
                let state = latest.borrow().clone();
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
        }))
        .clone()
    };

    // In a course page's frame: its postMessage commands and our events (docs/embed.md).
    let lesson_event = state.lesson.as_ref().map(|p| {
        let result = p
            .asked
            .as_ref()
            .and_then(|a| a.result.as_ref().map(|r| (a, r)));
        let question = p.current().and_then(|s| s.question.as_ref());
        crate::host_api::Event::Lesson {
            id: p.lesson.key.to_owned(),
            step: p.step + 1,
            answered: result.and_then(|(a, _)| question.map(|q| q.options[a.choice].clone())),
            correct: result.map(|(a, r)| r.correct == Some(a.choice)),
        }
    });
    crate::host_bridge::use_host_api(
        state.view.clone(),
        state.routes.iter().map(|r| r.key()).collect(),
        state.can_send(),
        lesson_event,
        input.clone(),
    );

    // A lesson's question: once the simulation has run the reveal, the model's answer.
    {
        let backend = backend.clone();
        let state = state.clone();
        use_effect_with(
            (
                Rc::as_ptr(&state.view) as usize,
                state.views_while_revealing,
                state.lesson.as_ref().is_some_and(|p| p.revealing()),
            ),
            move |_| {
                if let Some(action) =
                    controller::lesson_answer(&state, &state.view, !backend.pending())
                {
                    state.dispatch(action);
                }
            },
        );
    }

    let on_command = use_reform(&input, Input::Command);

    // Keyboard shortcuts, unless the user is typing in a field.
    // Escape closes the Share panel when it is open (and stops nothing then).
    let close_share = use_mut_ref(|| None::<Callback<()>>);
    *close_share.borrow_mut() = share_open.then(|| {
        let share_open = share_open.clone();
        Callback::from(move |()| share_open.set(false))
    });
    {
        let on_command = on_command.clone();
        let close_share = close_share.clone();
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
                    if e.key() == "Escape" {
                        if let Some(close) = close_share.borrow().clone() {
                            e.prevent_default();
                            close.emit(());
                            return;
                        }
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
                        on_command.emit(cmd);
                    }
                })
            });
            move || drop(listener)
        });
    }

    let on_source = {
        let d = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |source: String| d.dispatch(Action::EditSource(source)))
        }))
        .clone()
    };
    let on_run = use_reform(&input, |()| Input::Command(Command::Run));
    let on_speed = use_reform(&input, Input::SetSpeed);
    let on_preset = use_reform(&input, Input::LoadPreset);
    let on_pool_size = use_reform(&input, Input::SetPoolSize);
    let on_request = use_reform(&input, Input::Request);
    let on_lesson_open = use_reform(&input, |i| Input::Lesson(LessonInput::Open(i)));
    let on_lesson = use_reform(&input, Input::Lesson);
    let on_goto = use_reform(&input, Input::Goto);
    let on_keep_running = use_reform(&input, |()| Input::KeepRunning);
    let on_load = use_reform(&input, Input::Load);

    crate::flight_layer::use_flights(state.view.clone(), state.speed.flight_ms(state.playing));

    let view = state.view.clone();
    // Steps come faster than anyone reads: panes draw less and follow nothing.
    let live = state.playing && state.speed.is_live();
    let embed = state.embed.clone();
    let show = |p: Pane| embed.as_ref().is_none_or(|e| e.shows(p));
    let full_controls = embed.as_ref().is_none_or(|e| !e.minimal_controls);
    let editor_mode = embed.as_ref().map_or(EditorMode::Editable, |e| e.editor);

    let controls = html! {
        <Controls
            speed={state.speed}
            playing={state.playing}
            can_step={view.exited.is_none()}
            can_back={view.steps > 0}
            can_stop={state.playing || state.busy.is_some() || view.rewinding.is_some()}
            minimal={!full_controls}
            on_command={on_command.clone()}
            {on_speed}
        />
    };
    let notice = state.link_notice.clone().map(|text| {
        let d = state.dispatcher();
        let dismiss = Callback::from(move |_: MouseEvent| d.dispatch(Action::DismissNotice));
        html! {
            <div class="notice" role="alert" data-testid="notice">
                <p>{ text }</p>
                <button type="button" class="btn" data-testid="notice-dismiss" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        }
    });
    let masthead = if embed.is_some() {
        // "Open in Looplab": the full page at this moment (its href is made when it is used).
        let scenario = scenario.clone();
        let theme = state.theme;
        let anchor = open_full.clone();
        let refresh = Callback::from(move |_: ()| {
            let Some(a) = anchor.cast::<web_sys::HtmlAnchorElement>() else {
                return;
            };
            if let Some((sc, _)) = scenario() {
                let fragment = sc.fragment(None, theme);
                let hash = if fragment.is_empty() {
                    String::new()
                } else {
                    format!("#{fragment}")
                };
                a.set_href(&format!("{}{hash}", base_url()));
            }
        });
        html! {
            <header class="masthead masthead-embed">
                { controls }
                <a
                    class="open-full"
                    data-testid="open-in-looplab"
                    href={base_url()}
                    target="_blank"
                    rel="noopener"
                    ref={open_full.clone()}
                    onclick={refresh.reform(|_: MouseEvent| ())}
                    onfocusin={refresh.reform(|_: FocusEvent| ())}
                    onpointerover={refresh.reform(|_: PointerEvent| ())}
                >
                    { "Open in Looplab ↗" }
                </a>
            </header>
        }
    } else {
        let shared = share_open.then(&scenario).flatten();
        let on_toggle = {
            let share_open = share_open.clone();
            Callback::from(move |open| share_open.set(open))
        };
        html! {
            <header class="masthead">
                <div class="brand">
                    <h1 class="title">{ "Looplab" }</h1>
                    <p class="tagline">
                        { "The Node.js event loop, live: libuv's phases, Node's queues and the thread pool" }
                    </p>
                </div>
                { controls }
                <LessonSelect
                    current={state.lesson.as_ref().map(|p| p.index)}
                    on_open={on_lesson_open}
                />
                <Share
                    base={AttrValue::from(base_url())}
                    cut={shared.as_ref().is_some_and(|s| s.1)}
                    scenario={shared.map(|s| Rc::new(s.0))}
                    theme={state.theme}
                    open={*share_open}
                    {on_toggle}
                />
            </header>
        }
    };
    let program_column = show(Pane::Editor) || show(Pane::Console);
    let loop_column = show(Pane::Loop) || show(Pane::Stack) || show(Pane::Requests);
    let queue_column = show(Pane::Queues) || show(Pane::Pool);
    html! {
        <div class={classes!("app", embed.is_some().then_some("embed"), state.lesson.is_some().then_some("with-lesson"))}>
            { masthead }
            { for notice }
            if let Some(progress) = state.lesson.clone() {
                <LessonPane
                    {progress}
                    busy={view.seeking || view.rewinding.is_some() || backend.pending()}
                    on_input={on_lesson}
                />
            }
            <main class="board">
                if program_column {
                <div class="column column-program">
                    if show(Pane::Editor) {
                    <Editor
                        source={AttrValue::from(state.source.clone())}
                        current_line={view.current_line}
                        follow={!live}
                        readonly={editor_mode == EditorMode::ReadOnly}
                        on_change={on_source}
                        on_run={on_run.clone()}
                    >
                        if full_controls || editor_mode == EditorMode::Editable {
                        <ProgramBar
                            preset={state.preset}
                            pool_size={state.pool_size}
                            edited={state.is_edited()}
                            {on_preset}
                            {on_pool_size}
                            {on_run}
                        />
                        }
                    </Editor>
                    }
                    if show(Pane::Console) {
                    <Console
                        console={view.console.clone()}
                        error={AttrValue::from(view.stderr.clone())}
                        exited={view.exited}
                        {live}
                    />
                    }
                </div>
                }
                if loop_column {
                <div class="column column-loop">
                    if show(Pane::Loop) || show(Pane::Stack) {
                    <div class="loop-row">
                        if show(Pane::Loop) {
                        <PhaseRing
                            active={view.phase}
                            in_main={view.in_main}
                            iteration={view.iteration}
                            clock={AttrValue::from(view.clock_text())}
                        />
                        }
                        if show(Pane::Stack) {
                        <CallStack frames={view.stack.clone()} />
                        }
                    </div>
                    }
                    if show(Pane::Requests) {
                    <Requests
                        routes={state.routes.clone()}
                        route={state.route}
                        burst={state.burst}
                        rate={state.rate}
                        rate_on={view.rate_on}
                        can_send={state.can_send()}
                        requests={view.requests.clone()}
                        {live}
                        on_command={on_request}
                    />
                    }
                </div>
                }
                if queue_column {
                <div class="column column-queues">
                    if show(Pane::Queues) {
                    <Queues queues={view.queues.clone()} />
                    }
                    if show(Pane::Pool) {
                    <ThreadPool workers={view.workers.clone()} queue={view.pool_queue.clone()} />
                    }
                </div>
                }
            </main>
            if show(Pane::Timeline) {
            <TimelineStrip
                store={(*timeline).clone()}
                revision={timeline.revision.get()}
                steps={view.steps}
                present={view.present}
                pool_size={view.pool_size}
                history_bytes={view.history_bytes}
                history_from={view.history_from}
                playing={state.playing}
                {on_goto}
            />
            }
            <Caption
                text={AttrValue::from(state.caption())}
                steps={view.steps}
                progress={view.rewinding}
                over_budget={view.exited == Some(looplab_engine::RUNAWAY_EXIT)}
                {on_keep_running}
            />
            if show(Pane::Load) {
            <Load
                form={state.load_form.clone()}
                error={state.load_error.clone()}
                load={view.load.clone()}
                on_input={on_load}
            />
            }
        </div>
    }
}

/// `input.reform(to)`, made once: a callback that stays the same across renders, so a pane whose
/// other props did not change is not drawn again.
#[hook]
fn use_reform<T: 'static>(input: &Callback<Input>, to: fn(T) -> Input) -> Callback<T> {
    let input = input.clone();
    (*use_memo((), move |_| input.reform(to))).clone()
}
