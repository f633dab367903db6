//! The console pane: what the program printed, newest at the bottom, and its errors apart.
//!
//! HOW: the view holds the last [`crate::view::CONSOLE_LIMIT`] lines; the pane keeps its scroll
//! at the bottom (a `column-reverse` box sticks to its end as lines arrive, unless the reader
//! scrolled up). While a run plays fast ([`ConsoleProps::live`]) only the last lines that fit in
//! the pane are drawn ([`super::parts::use_fitting`]), without a fade-in and without keys (the
//! elements stay and take the newest text): at max speed a server prints dozens of lines a
//! frame, and drawing (and animating) 200 fresh elements each frame was most of the page's
//! rendering time. Pausing draws them all again, to scroll back through. Otherwise only the
//! newest line fades in.
//!
//! A view whose lines are mostly new (a jump through the run's history, a pause after playing
//! fast) is drawn in two parts ([`super::parts`]): first its last lines that fit, then, once
//! that frame is on screen, the earlier ones above them, out of sight.

use yew::prelude::*;

use super::parts::{use_fitting, use_parts};
use super::{Empty, Pane};
use crate::view::{ConsoleView, CONSOLE_LIMIT};

/// Lines drawn while a run plays fast, and first after a jump, until the pane's height is known
/// (then: as many as fit in it).
pub const LIVE_LINES: usize = 30;

/// The height of a console line, CSS px (`.console-lines`: 12.5px/1.55); a line that wraps is
/// taller, so counting by it never draws too few.
const LINE_PX: f64 = 19.375;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub console: ConsoleView,
    /// What the program wrote to stderr (errors), shown apart.
    pub error: AttrValue,
    pub exited: Option<i32>,
    /// The run plays faster than anyone reads: draw only the latest lines, without animation.
    #[prop_or_default]
    pub live: bool,
}

/// What the program printed, then its errors in their own region.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let c = &props.console;
    let range = c
        .lines
        .first()
        .zip(c.lines.last())
        .map(|(a, b)| (a.0 as u64, b.0 as u64));
    let body = use_node_ref();
    let fits = use_fitting(body.clone(), LINE_PX, LIVE_LINES, CONSOLE_LIMIT);
    let parts = use_parts(range, c.lines.len(), fits, props.live.then_some(fits));
    let shown = &c.lines[c.lines.len() - parts.shown..];
    let skipped = c.total.saturating_sub(shown.len());
    let note = match props.exited {
        Some(code) => format!("exited with code {code}"),
        None if c.total == 1 => "1 line".to_owned(),
        None => format!("{} lines", c.total),
    };
    html! {
        <Pane title="Console" test_id="console" note={note} class="pane-console" body_ref={body}>
            <div class="console-flow">
                if shown.is_empty() {
                    <Empty text="no output yet" />
                } else {
                    <ol key={parts.generation.to_string()} class={classes!("console-lines", props.live.then_some("console-live"))} aria-label="Program output"
                        data-partial={parts.pending.then_some("true")}>
                        if skipped > 0 {
                            <li class="console-skipped">{ format!("… {skipped} earlier lines") }</li>
                        }
                        if props.live {
                            // Playing fast, most lines are new each frame: the elements stay
                            // and take the newest text.
                            { for shown.iter().map(|(_, line)| html! {
                                <li class="console-line" data-testid="console-line">{ line }</li>
                            }) }
                        } else {
                            { for shown.iter().map(|(n, line)| html! {
                                <li key={n.to_string()} class="console-line" data-testid="console-line">{ line }</li>
                            }) }
                        }
                    </ol>
                }
                <div class={classes!("error", props.error.is_empty().then_some("error-empty"))} data-testid="error" role="alert">
                    if !props.error.is_empty() {
                        <h3 class="error-title">{ "Error (stderr)" }</h3>
                        <pre class="error-text">{ props.error.clone() }</pre>
                    }
                </div>
            </div>
        </Pane>
    }
}
