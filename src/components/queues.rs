use yew::prelude::*;

use super::Pane;
use crate::catalog::{QueueGroup, QueueKind, QueueLook};
use crate::view::{Item, QueueView};

#[derive(Properties, PartialEq)]
pub struct QueuesProps {
    /// Every queue with its first items, in display order.
    pub queues: Vec<QueueView>,
}

/// All the callback queues: Node's two, drained after every callback, then libuv's, one per phase.
#[function_component(Queues)]
pub fn queues(props: &QueuesProps) -> Html {
    let lanes = |group: QueueGroup| -> Html {
        props
            .queues
            .iter()
            .filter(|q| q.kind.group() == group)
            .map(|q| html! { <QueueLane key={q.kind.test_id()} queue={q.clone()} /> })
            .collect()
    };
    html! {
        <Pane title="Queues" test_id="queues" note="next to run comes first" class="pane-queues">
            <div class="queue-group" role="group" aria-label="Drained after every callback">
                <h3 class="queue-group-title">{ "after every callback (Node)" }</h3>
                { lanes(QueueGroup::BetweenCallbacks) }
            </div>
            <div class="queue-group" role="group" aria-label="Drained in their phase">
                <h3 class="queue-group-title">{ "in their phase (libuv)" }</h3>
                { lanes(QueueGroup::Phase) }
            </div>
        </Pane>
    }
}

#[derive(Properties, PartialEq)]
pub struct QueueLaneProps {
    pub queue: QueueView,
}

/// One queue drawn as a lane of callbacks: the first few, then "+ N more".
#[function_component(QueueLane)]
pub fn queue_lane(props: &QueueLaneProps) -> Html {
    let q = &props.queue;
    let kind: QueueKind = q.kind;
    html! {
        <div class="queue" data-testid={kind.test_id()} data-place={kind.test_id()} data-count={q.count.to_string()}>
            <div class="queue-label">
                <span class="queue-name">{ kind.label() }</span>
                <span class="queue-hint">{ kind.hint() }</span>
            </div>
            <Items
                items={q.items.clone()}
                hidden={q.hidden()}
                label={format!("{} queue, {} waiting", kind.label(), q.count)}
                all_details={kind == QueueKind::Timers}
            />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemsProps {
    pub items: Vec<Item>,
    /// Items not drawn.
    pub hidden: usize,
    pub label: String,
    /// Show every item's detail (timers: their due times), not only the next one's.
    #[prop_or_default]
    pub all_details: bool,
}

/// A row of queue items keyed by task id (so an item keeps its node, and its entrance
/// animation plays once), then the count of the rest.
#[function_component(Items)]
pub fn items(props: &ItemsProps) -> Html {
    html! {
        // Up to three items each take a row; four or more (a busy lane) are compact chips
        // after the first, so a lane is never taller than three rows.
        <ol class={classes!("queue-items", (props.items.len() > 3).then_some("crowded"))} aria-label={props.label.clone()}>
            if props.items.is_empty() {
                <li class="queue-empty"><span class="empty">{ "empty" }</span></li>
            } else {
                { for props.items.iter().enumerate().map(|(i, item)| html! {
                    <li
                        key={item.id.to_string()}
                        class="callback"
                        data-testid="queue-item"
                        data-task={item.id.to_string()}
                        title={
                            let request = item.tag.map(|n| format!(" (request #{n})")).unwrap_or_default();
                            if item.detail.is_empty() { format!("{}{request}", item.label) } else { format!("{}{request}: {}", item.label, item.detail) }
                        }
                    >
                        <span class="callback-label"><Tag tag={item.tag} />{ &item.label }</span>
                        // The next item to run shows its detail; the others keep it in their tooltip.
                        if (i == 0 || props.all_details) && !item.detail.is_empty() {
                            <span class="callback-detail">{ &item.detail }</span>
                        }
                    </li>
                }) }
                if props.hidden > 0 {
                    <li class="more" key="more">{ format!("+ {} more", props.hidden) }</li>
                }
            }
        </ol>
    }
}

#[derive(Properties, PartialEq)]
pub struct TagProps {
    pub tag: Option<u64>,
}

/// The synthetic request something belongs to, as `#N` before its name (nothing when none).
#[function_component(Tag)]
pub fn tag(props: &TagProps) -> Html {
    match props.tag {
        Some(n) => html! {
            <>
                <span class="req-tag" title={format!("caused by request #{n}")}>{ format!("#{n}") }</span>
                { " " }
            </>
        },
        None => Html::default(),
    }
}
