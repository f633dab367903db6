use yew::prelude::*;

use super::{Items, Pane};
use crate::catalog::QueueLook;
use crate::view::{QueueView, Worker};

#[derive(Properties, PartialEq)]
pub struct ThreadPoolProps {
    pub workers: Vec<Worker>,
    /// Jobs waiting for a free worker (libuv's `wq`).
    pub queue: QueueView,
}

/// libuv's worker threads, which run fs, dns.lookup, crypto and zlib work off the main thread.
#[function_component(ThreadPool)]
pub fn thread_pool(props: &ThreadPoolProps) -> Html {
    let busy = props.workers.iter().filter(|w| w.job.is_some()).count();
    let note = format!("{busy} of {} workers busy", props.workers.len());
    let many = props.workers.len() > 8;
    html! {
        <Pane title="Thread pool" test_id="threadpool" note={note} class="pane-threadpool">
            <ol class={classes!("workers", many.then_some("workers-many"))} data-place="worker">
                { for props.workers.iter().map(|w| {
                    let pct = w.job.as_ref().map(|j| (j.progress * 100.0).round()).unwrap_or(0.0);
                    html! {
                        <li class="worker" data-testid="worker" data-state={w.state()}
                            data-task={w.job.as_ref().map(|j| j.id.to_string())}
                            aria-label={match &w.job {
                                Some(j) => format!(
                                    "worker {}: {}{} ({pct}%)",
                                    w.index + 1,
                                    j.label,
                                    j.tag.map(|n| format!(" for request #{n}")).unwrap_or_default()
                                ),
                                None => format!("worker {}: idle", w.index + 1),
                            }}>
                            // "T1": a thread; "#N" is kept for the request a job belongs to.
                            <span class="worker-name" aria-hidden="true">{ format!("T{}", w.index + 1) }</span>
                            <span class="worker-job">
                                <super::Tag tag={w.job.as_ref().and_then(|j| j.tag)} />
                                { w.job.as_ref().map(|j| j.label.clone()).unwrap_or_else(|| "idle".to_owned()) }
                            </span>
                            <span class="worker-bar" aria-hidden="true">
                                <span class="worker-fill" style={format!("width: {pct}%")}></span>
                            </span>
                        </li>
                    }
                }) }
            </ol>
            <div class="pool-queue" data-testid={props.queue.kind.test_id()} data-place={props.queue.kind.test_id()} data-count={props.queue.count.to_string()}>
                <span class="pool-queue-label">{ props.queue.kind.label() }</span>
                <Items items={props.queue.items.clone()} hidden={props.queue.hidden()} label={format!("pool queue, {} waiting", props.queue.count)} />
            </div>
        </Pane>
    }
}
