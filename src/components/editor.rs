use gloo_render::{request_animation_frame, AnimationFrame};
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::resize::use_resize;
use crate::highlight;

/// The height of a line of code, in CSS pixels (`.code-grid`'s line-height).
const LINE_PX: f64 = 19.2;

/// The editor's scroll box as its last scroll and resize events left it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Seen {
    /// `scrollTop`, px.
    pub top: f64,
    /// `clientHeight`, px (0 before the first layout).
    pub height: f64,
}

impl Seen {
    /// Where to scroll so that `line` (1-based) shows a third of the way down, or `None` when it
    /// is in view already (or the box has not been laid out yet).
    pub fn scroll_to(&self, line: u32) -> Option<f64> {
        if self.height <= 0.0 {
            return None;
        }
        let top = f64::from(line.max(1) - 1) * LINE_PX;
        if top >= self.top && top + LINE_PX <= self.top + self.height {
            return None;
        }
        Some((top - self.height / 3.0).max(0.0).round())
    }
}

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
    // Keep the highlighted line in view (scrolling only the editor, never the page). The
    // editor's scroll offset and height are cached from its scroll and resize events: reading
    // them after a render would make the browser lay the page out inside the click that jumped
    // (two or three milliseconds of a jump's frame). A scroll needed is made in the next
    // animation frame, where the page is laid out anyway.
    let seen = use_mut_ref(Seen::default);
    // The line to keep in view (none while the run plays fast).
    let follow = use_mut_ref(|| None::<u32>);
    {
        let (seen, follow) = (seen.clone(), follow.clone());
        use_resize(scroller.clone(), move |el, _| {
            let mut seen = seen.borrow_mut();
            let first = seen.height <= 0.0;
            seen.height = f64::from(el.client_height());
            seen.top = f64::from(el.scroll_top());
            // The first layout (a link opened at a step far down): later resizes leave the
            // reader's scroll alone.
            if let Some(top) = follow
                .borrow()
                .filter(|_| first)
                .and_then(|line| seen.scroll_to(line))
            {
                el.set_scroll_top(top as i32);
                seen.top = top;
            }
        });
    }
    let onscroll = {
        let seen = seen.clone();
        Callback::from(move |e: Event| {
            seen.borrow_mut().top =
                f64::from(e.target_unchecked_into::<HtmlElement>().scroll_top());
        })
    };
    let pending = use_mut_ref(|| None::<AnimationFrame>);
    {
        let scroller = scroller.clone();
        use_effect_with((props.current_line, props.follow), move |(line, on)| {
            pending.borrow_mut().take();
            *follow.borrow_mut() = line.filter(|_| *on);
            let Some(top) = line
                .filter(|_| *on)
                .and_then(|l| seen.borrow().scroll_to(l))
            else {
                return;
            };
            let seen = seen.clone();
            *pending.borrow_mut() = Some(request_animation_frame(move |_| {
                if let Some(el) = scroller.cast::<HtmlElement>() {
                    el.set_scroll_top(top as i32);
                    seen.borrow_mut().top = top;
                }
            }));
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
            <div class="code-scroll" ref={scroller} {onscroll}>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_only_for_a_line_out_of_view() {
        let seen = Seen {
            top: 0.0,
            height: 192.0,
        };
        // Lines 1 to 10 show in a box ten lines tall.
        assert_eq!(seen.scroll_to(1), None);
        assert_eq!(seen.scroll_to(10), None);
        // Line 11 is below: it comes a third of the way down.
        assert_eq!(seen.scroll_to(11), Some((192.0 - 64.0_f64).round()));
        // Scrolled down, a line above is brought back.
        let down = Seen {
            top: 1920.0,
            height: 192.0,
        };
        assert_eq!(down.scroll_to(2), Some(0.0));
        assert_eq!(down.scroll_to(101), None);
        // Not laid out yet: nothing to do.
        assert_eq!(Seen::default().scroll_to(50), None);
    }
}
