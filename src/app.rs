//! The root component: owns the state and lays out the regions.

use yew::prelude::*;

use crate::components::{
    CallStack, Caption, Console, Controls, Editor, PhaseRing, Queues, Requests, ThreadPool,
};
use crate::state::{Action, AppState, Speed};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);

    let on_source = {
        let state = state.dispatcher();
        Callback::from(move |source: String| state.dispatch(Action::EditSource(source)))
    };
    let on_reset = {
        let state = state.dispatcher();
        Callback::from(move |()| state.dispatch(Action::ResetSource))
    };
    let on_speed = {
        let state = state.dispatcher();
        Callback::from(move |speed: Speed| state.dispatch(Action::SetSpeed(speed)))
    };

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
                    can_reset={state.is_edited()}
                    {on_speed}
                    {on_reset}
                />
            </header>
            <main class="board">
                <div class="column column-program">
                    <Editor source={AttrValue::from(state.source.clone())} on_change={on_source} />
                    <Console lines={state.console.clone()} />
                </div>
                <div class="column column-loop">
                    <PhaseRing
                        active={state.active_phase}
                        iteration={state.iteration}
                        clock_ms={state.clock_ms}
                    />
                    <div class="row-split">
                        <CallStack frames={state.call_stack.clone()} />
                        <Requests requests={state.requests.clone()} />
                    </div>
                </div>
                <div class="column column-queues">
                    <Queues queues={state.queues.clone()} />
                    <ThreadPool workers={state.workers.clone()} />
                </div>
            </main>
            <Caption text={AttrValue::from(state.caption.clone())} />
        </div>
    }
}
