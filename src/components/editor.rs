use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::highlight;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub source: AttrValue,
    /// The line (1-based) of the running callback, highlighted.
    pub current_line: Option<u32>,
    /// Called with the whole new text on every edit.
    pub on_change: Callback<String>,
    /// Ctrl+Enter in the editor.
    pub on_run: Callback<()>,
    /// Scroll the highlighted line into view. Off while a run plays fast: the line changes
    /// every frame there, and reading the editor's scroll box each time made the browser lay
    /// out the whole page mid-render (a tenth of the page's time at max speed); it catches up
    /// when the run pauses.
    #[prop_or(true)]
    pub follow: bool,
    /// The reader can scroll and select but not edit (an embed's `editor=readonly`).
    #[prop_or_default]
    pub readonly: bool,
    #[prop_or_default]
    pub children: Html,
}

/// The program: a transparent `<textarea>` over a highlighted `<pre>`, with line numbers.
/// Both share one scrolling box, so they never drift apart.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let scroller = use_node_ref();
    let oninput = props
        .on_change
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let onkeydown = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_run.emit(());
            }
        })
    };
    // Keep the highlighted line in view (scrolling only the editor, never the page).
    {
        let scroller = scroller.clone();
        use_effect_with((props.current_line, props.follow), move |(line, follow)| {
            if !*follow {
                return;
            }
            if let (Some(line), Some(el)) = (line, scroller.cast::<HtmlElement>()) {
                let line_h = 19.2;
                let top = (*line as f64 - 1.0) * line_h;
                let view_top = el.scroll_top() as f64;
                let view_h = el.client_height() as f64;
                if top < view_top || top + line_h > view_top + view_h {
                    el.set_scroll_top((top - view_h / 3.0).max(0.0) as i32);
                }
            }
        });
    }
    let lines = highlight::lines(&props.source);
    let current = props.current_line.map(|l| l as usize);
    html! {
        <section class="pane pane-editor" data-testid="program-editor" aria-labelledby="program-editor-title">
            <header class="pane-head">
                <h2 id="program-editor-title">{ "Program" }</h2>
                { props.children.clone() }
            </header>
            <div class="code-scroll" ref={scroller}>
                <div class="code-grid">
                    <ol class="gutter" aria-hidden="true">
                        { for (1..=lines.len()).map(|n| html! {
                            <li class={classes!((current == Some(n)).then_some("current"))}>{ n }</li>
                        }) }
                    </ol>
                    <div class="code-layer">
                        <pre class="code-hl" aria-hidden="true">
                            { for lines.iter().enumerate().map(|(i, toks)| html! {
                                <span class={classes!("line", (current == Some(i + 1)).then_some("current"))} data-line={(i + 1).to_string()}>
                                    { for toks.iter().map(|(kind, text)| match kind.class() {
                                        Some(c) => html! { <span class={c}>{ *text }</span> },
                                        None => html! { { *text } },
                                    }) }
                                </span>
                            }) }
                        </pre>
                        <textarea
                            class="code-input"
                            aria-label="Program source (JavaScript)"
                            spellcheck="false"
                            autocapitalize="off"
                            autocomplete="off"
                            wrap="off"
                            readonly={props.readonly}
                            value={props.source.clone()}
                            {oninput}
                            {onkeydown}
                        />
                    </div>
                </div>
            </div>
        </section>
    }
}
