use yew::prelude::*;

use super::{Empty, Pane};

#[derive(Properties, PartialEq)]
pub struct CallStackProps {
    /// Frames, outermost first; drawn with the innermost on top.
    pub frames: Vec<String>,
}

/// The JavaScript call stack. The loop only moves on when it is empty.
#[function_component(CallStack)]
pub fn call_stack(props: &CallStackProps) -> Html {
    html! {
        <Pane title="Call stack" test_id="call-stack" class="pane-stack">
            if props.frames.is_empty() {
                <Empty />
            } else {
                <ol class="stack">
                    { for props.frames.iter().rev().map(|f| html! { <li class="frame">{ f }</li> }) }
                </ol>
            }
        </Pane>
    }
}
