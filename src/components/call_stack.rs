use yew::prelude::*;

use super::{Empty, Pane};
use crate::view::Frame;

#[derive(Properties, PartialEq)]
pub struct CallStackProps {
    /// Frames, outermost first; drawn with the innermost on top.
    pub frames: Vec<Frame>,
}

/// The JavaScript call stack. The loop only moves on when it is empty.
#[function_component(CallStack)]
pub fn call_stack(props: &CallStackProps) -> Html {
    let depth = props.frames.len();
    html! {
        <Pane title="Call stack" test_id="call-stack" class="pane-stack">
            if props.frames.is_empty() {
                <Empty text="empty: the loop may move on" />
            } else {
                <ol class="stack" data-place="call-stack" aria-label={format!("{depth} frames")}>
                    { for props.frames.iter().enumerate().rev().map(|(i, f)| html! {
                        <li
                            key={format!("{i}-{}", f.label)}
                            class={classes!("frame", f.host.then_some("frame-host"))}
                            data-testid="stack-frame"
                            data-task={f.task.map(|t| t.to_string())}
                            // The callback itself (not a host call on it): what it schedules
                            // is drawn leaving this frame.
                            data-origin={(i == 0 && !f.host).then_some("true")}
                        >
                            <span class="frame-label"><super::Tag tag={f.tag} />{ &f.label }</span>
                            <span class="frame-kind">{ &f.kind }</span>
                        </li>
                    }) }
                </ol>
            }
        </Pane>
    }
}
