//! Work the page does right after a frame is drawn. A jump through the run's history must be
//! on screen first; what only a later moment needs (the flights' picture of the panes, the
//! console's lines above the visible ones) comes just after that frame, before the next input
//! is likely. (`requestIdleCallback` was measured too: it put the work off into the next click.)

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Timeout;

/// A callback waiting for the next frame to be drawn; dropping it cancels it.
pub struct AfterFrame {
    _frame: AnimationFrame,
    _timeout: Rc<RefCell<Option<Timeout>>>,
}

/// Runs `f` once the next frame is drawn: a timeout set in an animation frame callback runs
/// after that frame's rendering.
pub fn after_frame(f: impl FnOnce() + 'static) -> AfterFrame {
    let timeout = Rc::new(RefCell::new(None));
    let set = timeout.clone();
    let frame = request_animation_frame(move |_| {
        *set.borrow_mut() = Some(Timeout::new(0, f));
    });
    AfterFrame {
        _frame: frame,
        _timeout: timeout,
    }
}
