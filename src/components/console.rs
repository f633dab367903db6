use yew::prelude::*;

use super::{Empty, Pane};
use crate::view::ConsoleView;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub console: ConsoleView,
    /// What the program wrote to stderr (errors), shown apart.
    pub error: AttrValue,
    pub exited: Option<i32>,
}

/// What the program printed, then its errors in their own region.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let c = &props.console;
    let skipped = c.total.saturating_sub(c.lines.len());
    let note = match props.exited {
        Some(code) => format!("exited with code {code}"),
        None if c.total == 1 => "1 line".to_owned(),
        None => format!("{} lines", c.total),
    };
    html! {
        <Pane title="Console" test_id="console" note={note} class="pane-console">
            if c.lines.is_empty() {
                <Empty text="no output yet" />
            } else {
                <ol class="console-lines" aria-label="Program output">
                    if skipped > 0 {
                        <li class="console-skipped">{ format!("… {skipped} earlier lines") }</li>
                    }
                    { for c.lines.iter().map(|(n, line)| html! {
                        <li key={n.to_string()} class="console-line" data-testid="console-line">{ line }</li>
                    }) }
                </ol>
            }
            <div class={classes!("error", props.error.is_empty().then_some("error-empty"))} data-testid="error" role="alert">
                if !props.error.is_empty() {
                    <h3 class="error-title">{ "Error (stderr)" }</h3>
                    <pre class="error-text">{ props.error.clone() }</pre>
                }
            </div>
        </Pane>
    }
}
