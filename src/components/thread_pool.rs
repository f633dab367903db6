use yew::prelude::*;

use super::Pane;
use crate::state::WorkerState;

#[derive(Properties, PartialEq)]
pub struct ThreadPoolProps {
    pub workers: Vec<WorkerState>,
}

/// libuv's worker threads, which run fs, dns.lookup, crypto and zlib work off the main thread.
#[function_component(ThreadPool)]
pub fn thread_pool(props: &ThreadPoolProps) -> Html {
    let note = format!("{} workers", props.workers.len());
    html! {
        <Pane title="Thread pool" test_id="threadpool" note={note} class="pane-threadpool">
            <ol class="workers">
                { for props.workers.iter().enumerate().map(|(i, w)| html! {
                    <li class="worker" data-testid="worker" data-state={w.as_str()}>
                        <span class="worker-name">{ format!("worker {}", i + 1) }</span>
                        <span class="worker-state">{ w.as_str() }</span>
                    </li>
                }) }
            </ol>
        </Pane>
    }
}
