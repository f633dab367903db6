//! Flights: what travels on screen when the loop takes one step.
//!
//! HOW: every callback, watcher and pool job the page draws carries the model's task id
//! (`data-task`) and sits in a *place* (a queue lane, the call stack, a worker, the pool's
//! queue). After each render the page measures where every task is; [`plan`] compares that with
//! the measurement before the step and says what should fly:
//!
//! 1. **Moves.** A task that shows up in a place it was not in before, and was somewhere else
//!    before, travelled: a timer from the timers lane onto the call stack, a hash job from the
//!    pool's queue onto a worker, a finished job from its worker into the poll lane, a ready
//!    socket's watcher onto the stack as its callback.
//! 2. **Births.** A task the callback that just ran put in a queue (a `setTimeout`, an `await`,
//!    a `db.query`; the step's trace says which) flies out of that callback's stack frame into
//!    its queue, after the moves have landed. Anything else that comes into view (a request
//!    arriving from outside, the fifth item of a long lane once the head ran) just appears,
//!    with the lane's entrance effect.
//!
//! WHY plan in pure Rust: which item goes where is the part worth testing (natively, fast); the
//! DOM side (`crate::flight_layer`) only measures rectangles and plays the planned animations.
//! Nothing here knows the DOM, the speed or the motion preferences.

/// A rectangle in CSS pixels, in document coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The place that holds the call stack's frames (the `data-testid` of its pane).
pub const STACK: &str = "call-stack";

/// One task drawn somewhere on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Spot {
    pub task: u64,
    /// Where it is drawn: a queue's test id (`queue-timers`, ...), [`STACK`], `worker` or
    /// `pool-queue`.
    pub place: String,
    pub rect: Rect,
    /// The text the flying copy shows.
    pub label: String,
}

/// Which of the two waves a flight belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wave {
    /// A task moving from one place to another.
    Move,
    /// A task created by the callback that ran, leaving its stack frame (plays after the moves).
    Birth,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub task: u64,
    pub wave: Wave,
    pub from: Rect,
    pub to: Rect,
    /// The destination place (it gives the flying copy its colour).
    pub place: String,
    pub label: String,
}

/// At most this many flights per step: a burst of requests should not fill the screen with
/// copies (the rest simply appear where they belong).
pub const MAX_FLIGHTS: usize = 8;

/// What flies between the `before` and `after` measurements of one step. `origin` is the
/// stack frame of the callback that ran (the main script's too), if one did; `born` are the
/// tasks that callback queued (from the step's trace). A task that only came into view (the
/// fifth item of a long lane, once the head ran; a request arriving from outside) is neither
/// moved nor born: it just appears.
pub fn plan(before: &[Spot], after: &[Spot], origin: Option<Rect>, born: &[u64]) -> Vec<Flight> {
    let was_at = |task: u64, place: &str| before.iter().any(|s| s.task == task && s.place == place);
    let is_at = |task: u64, place: &str| after.iter().any(|s| s.task == task && s.place == place);
    let mut flights = Vec::new();
    for spot in after {
        if was_at(spot.task, &spot.place) {
            continue;
        }
        // Prefer the place it left over one it is still in (a socket watcher stays in poll
        // while its callback runs).
        let from = before
            .iter()
            .filter(|s| s.task == spot.task && s.place != spot.place)
            .min_by_key(|s| is_at(s.task, &s.place));
        let (wave, from) = match (from, origin) {
            (Some(s), _) => (Wave::Move, s.rect),
            // Born inside the frame: it starts at its own size, at the frame's left edge.
            (None, Some(frame)) if spot.place != STACK && born.contains(&spot.task) => (
                Wave::Birth,
                Rect {
                    x: frame.x + 6.0,
                    y: frame.y + (frame.h - spot.rect.h) / 2.0,
                    w: spot.rect.w,
                    h: spot.rect.h,
                },
            ),
            _ => continue,
        };
        flights.push(Flight {
            task: spot.task,
            wave,
            from,
            to: spot.rect,
            place: spot.place.clone(),
            label: spot.label.clone(),
        });
    }
    // Moves first (they tell what ran), then births in the order they were drawn.
    flights.sort_by_key(|f| f.wave);
    flights.truncate(MAX_FLIGHTS);
    flights
}

/// Timing of one flight within a step's animation of `total_ms`: (delay, duration). Moves take
/// the first part; births leave the frame as the moves land, one after another (`nth` birth,
/// counting from 0), so that three things scheduled by one callback read as three.
pub fn timing(wave: Wave, has_moves: bool, nth: usize, total_ms: f64) -> (f64, f64) {
    let stagger = total_ms * 0.07 * nth.min(4) as f64;
    match (wave, has_moves) {
        (Wave::Move, _) => (0.0, total_ms * 0.6),
        (Wave::Birth, true) => (total_ms * 0.4 + stagger, total_ms * 0.6 - stagger),
        (Wave::Birth, false) => (stagger, total_ms * 0.75 - stagger),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(task: u64, place: &str, x: f64) -> Spot {
        Spot {
            task,
            place: place.to_owned(),
            rect: Rect {
                x,
                y: 0.0,
                w: 10.0,
                h: 10.0,
            },
            label: format!("t{task}"),
        }
    }

    /// In these tests every task new everywhere was queued by the callback that ran.
    fn born(after: &[Spot]) -> Vec<u64> {
        after.iter().map(|s| s.task).collect()
    }

    /// The frame of the callback that ran: here, the stack spot.
    fn origin(after: &[Spot]) -> Option<Rect> {
        after.iter().find(|s| s.place == STACK).map(|s| s.rect)
    }

    #[test]
    fn the_main_script_has_no_task_but_what_it_schedules_still_leaves_its_frame() {
        let main = Rect {
            x: 5.0,
            y: 5.0,
            w: 100.0,
            h: 20.0,
        };
        let f = plan(
            &[],
            &[at(1, "queue-timers", 100.0), at(2, "pool-queue", 200.0)],
            Some(main),
            &[1, 2],
        );
        // It leaves from inside the frame, at its own size.
        let from = Rect {
            x: 11.0,
            y: 10.0,
            w: 10.0,
            h: 10.0,
        };
        assert_eq!(
            f.iter()
                .map(|f| (f.task, f.wave, f.from))
                .collect::<Vec<_>>(),
            [(1, Wave::Birth, from), (2, Wave::Birth, from)]
        );
    }

    #[test]
    fn a_timer_that_runs_flies_from_its_lane_to_the_stack() {
        let before = [at(1, "queue-timers", 100.0), at(2, "queue-timers", 120.0)];
        let after = [at(1, STACK, 10.0), at(2, "queue-timers", 100.0)];
        let f = plan(&before, &after, origin(&after), &born(&after));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].task, f[0].wave, f[0].from.x, f[0].to.x),
            (1, Wave::Move, 100.0, 10.0)
        );
        assert_eq!(f[0].place, STACK);
    }

    #[test]
    fn what_the_callback_schedules_leaves_its_frame_after_the_moves() {
        // A poll callback (task 5) runs and awaits: a new microtask (task 9) and a new watcher (7).
        let before = [at(5, "queue-poll", 300.0)];
        let after = [
            at(5, STACK, 10.0),
            at(9, "queue-microtask", 200.0),
            at(7, "queue-poll", 300.0),
        ];
        let f = plan(&before, &after, origin(&after), &born(&after));
        let got: Vec<(u64, Wave, f64)> = f.iter().map(|f| (f.task, f.wave, f.from.x)).collect();
        assert_eq!(
            got,
            [
                (5, Wave::Move, 300.0),
                (9, Wave::Birth, 16.0),
                (7, Wave::Birth, 16.0)
            ]
        );
    }

    #[test]
    fn pool_jobs_go_from_the_queue_to_a_worker_then_to_poll() {
        let queued = [at(3, "pool-queue", 50.0)];
        let running = [at(3, "worker", 60.0)];
        let done = [at(3, "queue-poll", 70.0)];
        assert_eq!(plan(&queued, &running, None, &[])[0].from.x, 50.0);
        assert_eq!(plan(&running, &done, None, &[])[0].from.x, 60.0);
        assert_eq!(plan(&running, &done, None, &[])[0].wave, Wave::Move);
    }

    #[test]
    fn a_watcher_that_stays_in_poll_still_sends_its_callback_to_the_stack() {
        let before = [at(4, "queue-poll", 300.0)];
        let after = [at(4, "queue-poll", 300.0), at(4, STACK, 10.0)];
        let f = plan(&before, &after, origin(&after), &born(&after));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].place.as_str(), f[0].from.x), (STACK, 300.0));
    }

    #[test]
    fn a_task_that_left_is_preferred_as_the_origin_over_one_that_stayed() {
        let before = [at(4, "queue-poll", 300.0), at(4, "worker", 500.0)];
        let after = [at(4, "queue-poll", 300.0), at(4, STACK, 10.0)];
        assert_eq!(
            plan(&before, &after, origin(&after), &born(&after))[0]
                .from
                .x,
            500.0
        );
    }

    #[test]
    fn an_item_that_only_came_into_view_does_not_fly() {
        // A long check lane draws four items; its head (1) runs and the fifth (5) comes into
        // view. The callback queued a timer (9): only the head and the timer fly.
        let before: Vec<Spot> = (1..=4).map(|t| at(t, "queue-check", t as f64)).collect();
        let mut after: Vec<Spot> = (2..=5).map(|t| at(t, "queue-check", t as f64)).collect();
        after.push(at(1, STACK, 0.0));
        after.push(at(9, "queue-timers", 50.0));
        let f = plan(&before, &after, origin(&after), &[9]);
        let got: Vec<(u64, Wave)> = f.iter().map(|f| (f.task, f.wave)).collect();
        assert_eq!(got, [(1, Wave::Move), (9, Wave::Birth)]);
    }

    #[test]
    fn nothing_flies_when_nothing_moved_or_nothing_ran() {
        let still = [at(1, "queue-timers", 100.0)];
        assert!(plan(&still, &still, None, &[]).is_empty());
        // A request arriving from outside: a new watcher, an empty stack.
        assert!(plan(&[], &[at(8, "queue-poll", 10.0)], None, &[8]).is_empty());
        // A frame that is new everywhere (nothing to fly from) does not fly either.
        assert!(plan(
            &[],
            &[at(8, STACK, 10.0)],
            Some(Rect {
                x: 1.0,
                y: 0.0,
                w: 1.0,
                h: 1.0
            }),
            &[8]
        )
        .is_empty());
    }

    #[test]
    fn a_burst_is_capped_and_moves_come_first() {
        let after: Vec<Spot> = std::iter::once(at(1, STACK, 0.0))
            .chain((10..40).map(|t| at(t, "queue-poll", t as f64)))
            .collect();
        let before = [at(1, "queue-check", 5.0)];
        let f = plan(&before, &after, origin(&after), &born(&after));
        assert_eq!(f.len(), MAX_FLIGHTS);
        assert_eq!(f[0].wave, Wave::Move);
        assert!(f[1..].iter().all(|f| f.wave == Wave::Birth));
    }

    #[test]
    fn births_wait_for_the_moves_to_land_and_leave_one_after_another() {
        let (md, mt) = timing(Wave::Move, true, 0, 500.0);
        let (bd, _) = timing(Wave::Birth, true, 0, 500.0);
        assert_eq!(md, 0.0);
        assert!(
            bd > 0.0 && bd < md + mt,
            "overlaps a little for a continuous motion"
        );
        assert_eq!(timing(Wave::Birth, false, 0, 500.0).0, 0.0);
        let mut last_start = -1.0;
        for nth in 0..8 {
            for has_moves in [true, false] {
                let (d, t) = timing(Wave::Birth, has_moves, nth, 500.0);
                assert!(d + t <= 500.0 + 1e-9 && t >= 100.0, "{nth}: {d} + {t}");
            }
            let (d, _) = timing(Wave::Birth, true, nth, 500.0);
            assert!(d >= last_start);
            last_start = d;
        }
        assert!(timing(Wave::Birth, true, 1, 500.0).0 > bd);
    }
}
