use yew::prelude::*;

use super::{Empty, Pane};
use crate::catalog::{QueueGroup, QueueKind};

#[derive(Properties, PartialEq)]
pub struct QueuesProps {
    /// Every queue with its waiting callbacks, in display order.
    pub queues: Vec<(QueueKind, Vec<String>)>,
}

/// All the callback queues: Node's two, drained after every callback, then libuv's, one per phase.
#[function_component(Queues)]
pub fn queues(props: &QueuesProps) -> Html {
    let lanes = |group: QueueGroup| -> Html {
        props
            .queues
            .iter()
            .filter(|(kind, _)| kind.group() == group)
            .map(|(kind, items)| html! { <QueueLane key={kind.test_id()} kind={*kind} items={items.clone()} /> })
            .collect()
    };
    html! {
        <Pane title="Queues" test_id="queues" class="pane-queues">
            <div class="queue-group" role="group" aria-label="Drained after every callback">
                <h3 class="queue-group-title">{ "after every callback" }</h3>
                { lanes(QueueGroup::BetweenCallbacks) }
            </div>
            <div class="queue-group" role="group" aria-label="Drained in their phase">
                <h3 class="queue-group-title">{ "in their phase" }</h3>
                { lanes(QueueGroup::Phase) }
            </div>
        </Pane>
    }
}

#[derive(Properties, PartialEq)]
pub struct QueueLaneProps {
    pub kind: QueueKind,
    /// Waiting callbacks, oldest (next to run) first.
    pub items: Vec<String>,
}

/// One queue drawn as a lane of callbacks.
#[function_component(QueueLane)]
pub fn queue_lane(props: &QueueLaneProps) -> Html {
    let kind = props.kind;
    html! {
        <div class="queue" data-testid={kind.test_id()} data-count={props.items.len().to_string()}>
            <div class="queue-label">
                <span class="queue-name">{ kind.label() }</span>
                <span class="queue-hint">{ kind.hint() }</span>
            </div>
            <ol class="queue-items" aria-label={format!("{} queue", kind.label())}>
                if props.items.is_empty() {
                    <li class="queue-empty"><Empty /></li>
                } else {
                    { for props.items.iter().map(|item| html! { <li class="callback">{ item }</li> }) }
                }
            </ol>
        </div>
    }
}
