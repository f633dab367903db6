use std::rc::Rc;

use yew::prelude::*;

use crate::app::App;
use crate::link::Link;

#[derive(Properties, PartialEq)]
pub struct RootProps {
    /// What the page's address asked for.
    pub link: Rc<Link>,
}

/// The page: the app, or first, for an embed with `preview`, a poster of the program with a
/// Start button. Nothing runs behind the poster: no simulation worker, no JavaScript engine,
/// until the reader clicks.
#[function_component(Root)]
pub fn root(props: &RootProps) -> Html {
    let preview = props.link.embed.as_ref().is_some_and(|e| e.preview);
    let started = use_state(|| !preview);
    if *started {
        return html! { <App link={props.link.clone()} /> };
    }
    let source = props
        .link
        .scenario
        .as_ref()
        .map(|s| s.source().to_owned())
        .unwrap_or_else(|| crate::presets::default_preset().source.to_owned());
    let shown: Vec<&str> = source.lines().take(14).collect();
    let more = source.lines().count() > shown.len();
    let start = {
        let started = started.clone();
        Callback::from(move |_: MouseEvent| started.set(true))
    };
    html! {
        <div class="app embed preview" data-testid="preview">
            <button type="button" class="preview-start" data-testid="preview-start" onclick={start}
                aria-label="Start Looplab: run this program on a simulated Node.js event loop">
                <span class="preview-title">{ "Looplab: the Node.js event loop, live" }</span>
                <pre class="preview-code" aria-hidden="true">{ shown.join("\n") }{ if more { "\n…" } else { "" } }</pre>
                <span class="btn btn-primary preview-play">{ "▶ Start" }</span>
            </button>
        </div>
    }
}
