//! Long lists drawn in two parts when a view brings mostly new items: the console's lines and
//! the Requests pane's rows.
//!
//! HOW: a list remembers which items it drew last (the numbers of its first and last, and
//! whether those were all of that view's items). A view whose items were mostly drawn already
//! (a step forward, a step back) is drawn at once; Yew's keyed diff then touches only the few
//! items that came or went. A view whose items are mostly new (a jump through the run's
//! history, a pause after playing fast) draws only the part the pane shows first, then the rest
//! once that frame is on screen ([`crate::idle::after_frame`]), out of sight; meanwhile the list
//! carries `data-partial` (the browser tests wait for it to go).
//!
//! WHY: a jump must be on screen within a frame of the click. Two hundred fresh console lines
//! were a fifth of a jump's time from the click to the frame that showed it. And a list whose
//! items are all new is not diffed item by item: its element takes a new key
//! ([`Parts::generation`]), so Yew drops the old element with one DOM call instead of removing
//! each of its items.
//!
//! While a run plays faster than anyone reads (`live`) a list draws only the items that fit in
//! its pane ([`use_fitting`]) and nothing after: at max speed a new view comes every frame, and
//! each item drawn is text to update and lay out in that frame.

use yew::prelude::*;

use super::resize::use_resize;
use crate::idle::{after_frame, AfterFrame};

/// How many items of `item_px` (CSS px, the smallest an item draws) to draw for a box
/// `height_px` tall: the most that can show in it (`ceil(h / item) + 1`, with an item cut at
/// each edge) and one to spare, between `at_least` and `at_most`.
pub fn fitting(height_px: f64, item_px: f64, at_least: usize, at_most: usize) -> usize {
    if !(height_px > 0.0 && item_px > 0.0) {
        return at_least.min(at_most);
    }
    let n = (height_px / item_px).ceil() as usize + 2;
    n.clamp(at_least.min(at_most), at_most)
}

/// The number of items of `item_px` that fit in `body`'s box (and in the window), followed as
/// the box resizes (a `ResizeObserver`: nothing is read per render); `before` until the box is
/// first reported, and at least 4 (a box reported 0 px tall, hidden or folded, draws 4).
#[hook]
pub fn use_fitting(body: NodeRef, item_px: f64, before: usize, at_most: usize) -> usize {
    let n = use_state_eq(|| before.min(at_most));
    {
        let n = n.clone();
        use_resize(body, move |_, rect| {
            // No more than the window can show: a pane whose height follows its content
            // (no stylesheet, an embed's own layout) would otherwise grow with every item drawn.
            let window = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|h| h.as_f64())
                .unwrap_or(f64::INFINITY);
            n.set(fitting(rect.height().min(window), item_px, 4, at_most));
        });
    }
    *n
}

/// What a list drew last: the numbers of its first and last items (none when it was empty),
/// and whether those were all of that view's items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drawn {
    pub range: Option<(u64, u64)>,
    pub complete: bool,
}

/// Whether a list that is not playing fast draws its `len` items, numbered `range` (lowest,
/// highest), at once after drawing `before`: on its first render, when they are no more than
/// `first` (the part drawn first anyway), and when at least half of them were drawn already (a
/// step or a few).
pub fn draw_all_at_once(
    before: Option<Drawn>,
    range: Option<(u64, u64)>,
    len: usize,
    first: usize,
) -> bool {
    let Some(before) = before else {
        return true;
    };
    if len <= first {
        return true;
    }
    let kept = match (before.range, range) {
        (Some((from, to)), Some((lo, hi))) if before.complete => {
            let (lo, hi) = (from.max(lo), to.min(hi));
            if lo <= hi {
                hi - lo + 1
            } else {
                0
            }
        }
        _ => 0,
    };
    kept.saturating_mul(2) >= len as u64
}

/// How much of a list to draw in this render.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parts {
    /// How many items to draw now (the visible end of the list).
    pub shown: usize,
    /// The rest follows after this frame: mark the list `data-partial`.
    pub pending: bool,
    /// The key of the list's element: a new one for each view drawn in parts, so the old
    /// element (and all its items) goes in one DOM call.
    pub generation: u32,
    /// Drawn at once as a step from the last view (not live, not a part, not the rest after
    /// one): its new items are the ones that came with this step, worth an entrance.
    pub stepped: bool,
}

/// Decides how much of a list of `len` items numbered `range` to draw now (at most `first`
/// for a view of mostly new items, `live` items while a run plays fast), and redraws the
/// component with all of them after the frame when it drew only part.
#[hook]
pub fn use_parts(
    range: Option<(u64, u64)>,
    len: usize,
    first: usize,
    live: Option<usize>,
) -> Parts {
    let drawn = use_mut_ref(|| None::<Drawn>);
    // Set when the frame showing a partly drawn view is on screen: draw the rest now.
    let catch_up = use_mut_ref(|| false);
    let later = use_mut_ref(|| None::<AfterFrame>);
    let generation = use_mut_ref(|| 0u32);
    let redraw = use_force_update();
    let caught_up = std::mem::take(&mut *catch_up.borrow_mut());
    let mut stepped = false;
    let (shown, pending) = if let Some(live) = live {
        (len.min(live), false)
    } else if caught_up {
        (len, false)
    } else if draw_all_at_once(*drawn.borrow(), range, len, first) {
        stepped = true;
        (len, false)
    } else {
        let mut g = generation.borrow_mut();
        *g = g.wrapping_add(1);
        (first, true)
    };
    *drawn.borrow_mut() = Some(Drawn {
        range,
        complete: shown == len,
    });
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
    let generation = *generation.borrow();
    Parts {
        shown,
        pending,
        generation,
        stepped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drew(first: u64, last: u64, complete: bool) -> Option<Drawn> {
        Some(Drawn {
            range: Some((first, last)),
            complete,
        })
    }

    /// The console's case: 30 lines drawn first.
    fn at_once(before: Option<Drawn>, (lo, hi): (u64, u64), len: usize) -> bool {
        draw_all_at_once(before, Some((lo, hi)), len, 30)
    }

    #[test]
    fn a_step_draws_at_once_and_a_jump_in_two_parts() {
        // The first render, and few items, at once.
        assert!(at_once(None, (1, 200), 200));
        assert!(at_once(drew(1, 200, true), (5001, 5030), 30));
        // A step that printed a line, or fifty: most of the items were drawn.
        assert!(at_once(drew(1, 200, true), (2, 201), 200));
        assert!(at_once(drew(1, 200, true), (51, 250), 200));
        // Stepping back a few items is the same.
        assert!(at_once(drew(51, 250, true), (1, 200), 200));
        // A jump: mostly new items, or none in common.
        assert!(!at_once(drew(1, 200, true), (151, 350), 200));
        assert!(!at_once(drew(1, 200, true), (5001, 5200), 200));
        // After a partial or live render, or an empty list: in two parts.
        assert!(!at_once(drew(1, 200, false), (2, 201), 200));
        let empty = Some(Drawn {
            range: None,
            complete: true,
        });
        assert!(!at_once(empty, (1, 200), 200));
    }

    #[test]
    fn what_fits_in_a_pane() {
        // A console 213 px tall with lines at least 19.375 px: at most 12 show (10 whole, one
        // cut at each edge), and one to spare.
        assert_eq!(fitting(213.0, 19.375, 4, 200), 13);
        // Not laid out yet, or folded away: the least.
        assert_eq!(fitting(0.0, 19.375, 4, 200), 4);
        assert_eq!(fitting(f64::NAN, 19.375, 4, 200), 4);
        // A tall pane is still bounded by what the view holds.
        assert_eq!(fitting(10_000.0, 20.0, 4, 30), 30);
    }

    #[test]
    fn the_requests_rows_newest_first() {
        // Thirty rows, ten drawn first: a request more keeps 29 of them.
        assert!(draw_all_at_once(
            drew(71, 100, true),
            Some((72, 101)),
            30,
            10
        ));
        // A jump to a thousand requests later draws ten first.
        assert!(!draw_all_at_once(
            drew(71, 100, true),
            Some((1071, 1100)),
            30,
            10
        ));
    }
}
