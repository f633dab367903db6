use yew::prelude::*;

use super::{Empty, Pane};

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// Lines the program printed, oldest first.
    pub lines: Vec<String>,
}

/// What the program printed with `console.log`.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    html! {
        <Pane title="Console" test_id="console" class="pane-console">
            if props.lines.is_empty() {
                <Empty text="no output yet" />
            } else {
                <ol class="console-lines" aria-live="polite">
                    { for props.lines.iter().map(|line| html! { <li>{ line }</li> }) }
                </ol>
            }
        </Pane>
    }
}
