//! The console pane: what the program printed, newest at the bottom, and its errors apart.
//!
//! HOW: the view holds the last [`crate::view::CONSOLE_LIMIT`] lines; the pane keeps its scroll
//! at the bottom (a `column-reverse` box sticks to its end as lines arrive, unless the reader
//! scrolled up). While a run plays fast ([`ConsoleProps::live`]) only the last [`LIVE_LINES`] are
//! drawn, without a fade-in: at max speed a server prints dozens of lines a frame, and drawing
//! (and animating) 200 fresh elements each frame was most of the page's rendering time. Pausing
//! draws them all again, to scroll back through. Otherwise only the newest line fades in.
//!
//! A view whose lines are mostly new (a jump through the run's history, a pause after playing
//! fast) is drawn in two parts: first its last [`LIVE_LINES`] (all the pane can show), then,
//! once that frame is on screen, the earlier ones above them, out of sight. Two hundred fresh
//! lines were a fifth of a jump's time from the click to the frame that shows it.

use yew::prelude::*;

use super::{Empty, Pane};
use crate::idle::{after_frame, AfterFrame};
use crate::view::ConsoleView;

/// Lines drawn while a run plays fast: more than the pane shows at its tallest.
pub const LIVE_LINES: usize = 30;

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
    // What the last render drew.
    let drawn = use_mut_ref(|| None::<Drawn>);
    // Set when the frame showing a partly drawn view is on screen: draw the rest now.
    let catch_up = use_mut_ref(|| false);
    let later = use_mut_ref(|| None::<AfterFrame>);
    let redraw = use_force_update();
    let range = c.lines.first().zip(c.lines.last()).map(|(a, b)| (a.0, b.0));
    let all = if props.live {
        false
    } else if std::mem::take(&mut *catch_up.borrow_mut()) {
        true
    } else {
        draw_all_at_once(*drawn.borrow(), range, c.lines.len())
    };
    let shown = if all {
        &c.lines[..]
    } else {
        &c.lines[c.lines.len().saturating_sub(LIVE_LINES)..]
    };
    let complete = shown.len() == c.lines.len();
    *drawn.borrow_mut() = Some(Drawn { range, complete });
    // (Marked while the earlier lines wait for the next frame: the browser tests read the
    // console once the page is idle and drawn.)
    let pending = !props.live && !complete;
    {
        use_effect(move || {
            if !pending {
                later.borrow_mut().take();
                return;
            }
            *later.borrow_mut() = Some(after_frame(move || {
                *catch_up.borrow_mut() = true;
                redraw.force_update();
            }));
        });
    }
    let skipped = c.total.saturating_sub(shown.len());
    let note = match props.exited {
        Some(code) => format!("exited with code {code}"),
        None if c.total == 1 => "1 line".to_owned(),
        None => format!("{} lines", c.total),
    };
    html! {
        <Pane title="Console" test_id="console" note={note} class="pane-console">
            <div class="console-flow">
                if shown.is_empty() {
                    <Empty text="no output yet" />
                } else {
                    <ol class={classes!("console-lines", props.live.then_some("console-live"))} aria-label="Program output"
                        data-partial={pending.then_some("true")}>
                        if skipped > 0 {
                            <li class="console-skipped">{ format!("… {skipped} earlier lines") }</li>
                        }
                        { for shown.iter().map(|(n, line)| html! {
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
            </div>
        </Pane>
    }
}

/// What the console drew last: the numbers of its first and last lines (none when it was
/// empty), and whether those were all of that view's lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drawn {
    pub range: Option<(usize, usize)>,
    pub complete: bool,
}

/// Whether a paused console draws `len` lines numbered `range` at once, after drawing
/// `before`: on its first render, when they are few, and when at least half of them were
/// drawn already (a step or a few). A view whose lines are mostly new (a jump, a pause after
/// playing fast) draws its last [`LIVE_LINES`] first and the rest after that frame.
pub fn draw_all_at_once(before: Option<Drawn>, range: Option<(usize, usize)>, len: usize) -> bool {
    let Some(before) = before else {
        return true;
    };
    if len <= LIVE_LINES {
        return true;
    }
    let kept = match (before.range, range) {
        (Some((from, to)), Some((first, last))) if before.complete => {
            let (lo, hi) = (from.max(first), to.min(last));
            if lo <= hi {
                hi - lo + 1
            } else {
                0
            }
        }
        _ => 0,
    };
    kept * 2 >= len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drew(first: usize, last: usize, complete: bool) -> Option<Drawn> {
        Some(Drawn {
            range: Some((first, last)),
            complete,
        })
    }

    #[test]
    fn a_step_draws_at_once_and_a_jump_in_two_parts() {
        // The first render, and few lines, at once.
        assert!(draw_all_at_once(None, Some((1, 200)), 200));
        assert!(draw_all_at_once(drew(1, 200, true), Some((5001, 5030)), 30));
        // A step that printed a line, or fifty: most of the lines were drawn.
        assert!(draw_all_at_once(drew(1, 200, true), Some((2, 201)), 200));
        assert!(draw_all_at_once(drew(1, 200, true), Some((51, 250)), 200));
        // Stepping back a few lines is the same.
        assert!(draw_all_at_once(drew(51, 250, true), Some((1, 200)), 200));
        // A jump: mostly new lines, or none in common.
        assert!(!draw_all_at_once(drew(1, 200, true), Some((151, 350)), 200));
        assert!(!draw_all_at_once(
            drew(1, 200, true),
            Some((5001, 5200)),
            200
        ));
        // After a partial or live render, or an empty console: in two parts.
        assert!(!draw_all_at_once(drew(1, 200, false), Some((2, 201)), 200));
        let empty = Some(Drawn {
            range: None,
            complete: true,
        });
        assert!(!draw_all_at_once(empty, Some((1, 200)), 200));
    }
}
