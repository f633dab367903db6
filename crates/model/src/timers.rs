//! Node's timers, on top of libuv's one timer handle.
//!
//! Mirrors Node 20 `lib/internal/timers.js` (`insert`, `processTimers`, `listOnTimeout`,
//! `unenroll`) and `src/env.cc` (`RunTimers`, `ScheduleTimer`, `GetNowUint64`).
//!
//! HOW: Node does not give every `setTimeout` its own libuv timer. It keeps one *list* per
//! duration (all 100 ms timers in one FIFO list, since a later-created 100 ms timer can never be
//! due before an earlier one) and a priority queue of lists ordered by `(expiry, id)`. One libuv
//! timer handle is armed for the earliest expiry. When it fires in libuv's timers phase, Node's
//! `processTimers(now)` walks the lists in queue order and runs every timer due at `now`:
//!
//! ```text
//!   timerListQueue (by expiry, then list id)
//!   ┌───────────────┐   ┌───────────────┐   ┌───────────────┐
//!   │ 10ms  exp 12  │ → │ 1ms   exp 13  │ → │ 500ms exp 501 │
//!   │ [t3, t7]      │   │ [t9]          │   │ [t1]          │
//!   └───────────────┘   └───────────────┘   └───────────────┘
//! ```
//!
//! WHY it matters for order:
//! - `now` is read once, when the timers phase calls `processTimers`: a timer created by a timer
//!   callback (its start is at least `now`, its delay at least 1 ms) is never due in the same
//!   phase, so an immediate queued next to it always runs first.
//! - a timer's start is the loop clock *refreshed at the `setTimeout` call* (`getLibuvNow()` calls
//!   `uv_update_time`), at 1 ms granularity; so two timers with equal delays created back to back
//!   may or may not land on the same millisecond, which is the race behind several "dropped"
//!   oracle cases.
//! - overdue lists run in `(expiry, id)` order, not creation order, and a list that is not yet
//!   fully due is re-queued with `expiry = max(start + msecs, now + 1)` and a *new* id.
//! - an interval is re-inserted after its callback with `start` = the clock when that callback
//!   began: no catch-up of missed periods, and drift only from the 1 ms granularity.
//!
//! The non-constant cost lives in the ordered set of lists: O(log L) for L distinct durations.
//! `clearTimeout` leaves a tombstone in its list (Node unlinks from a linked list); tombstones
//! are skipped when the list is walked, and a list whose live count reaches 0 is dropped at once,
//! as `unenroll` does.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::ids::{CallbackId, IdMap, LabelId, TaskId};

/// `TIMEOUT_MAX` in `lib/internal/timers.js`: 2^31 - 1 ms.
pub const TIMEOUT_MAX: f64 = 2_147_483_647.0;

/// Node's delay coercion (`Timeout` constructor + `insert`): `after *= 1`; anything that is not
/// in `[1, TIMEOUT_MAX]` (0, negative, NaN, too large) becomes 1; then truncate.
pub fn coerce_delay(after: f64) -> u64 {
    if after >= 1.0 && after <= TIMEOUT_MAX {
        after.trunc() as u64
    } else {
        1
    }
}

#[derive(Clone, Debug)]
pub struct Timer {
    pub callback: CallbackId,
    pub label: LabelId,
    /// The list this timer goes in (coerced, truncated delay).
    pub msecs: u64,
    pub repeat: bool,
    /// `_idleStart`: loop clock (ms) when it was inserted.
    pub start_ms: u64,
    pub refed: bool,
    state: TimerState,
    /// Bumped at every insert; a list entry with an older generation is a tombstone (the
    /// timer was refreshed or cleared since).
    gen: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimerState {
    /// In `lists[msecs]`, instance `list_instance`.
    Scheduled,
    /// Taken off its list by `processTimers`; its callback is running.
    Running { cleared: bool },
}

#[derive(Clone, Debug)]
struct TimerList {
    expiry: u64,
    id: u64,
    /// Identity of this list object (`list === timerListMap[msecs]` in Node).
    instance: u64,
    items: VecDeque<(TaskId, u32)>,
    /// Items not cleared. Invariant: `live == 0` means the list is not in `lists`.
    live: usize,
}

/// The libuv timer handle Node arms for the earliest list (`env->timer_handle()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimerHandle {
    /// `handle->timeout` on the loop clock; None when stopped.
    pub due_ms: Option<u64>,
    /// `uv_ref`/`uv_unref` state: ref'd while some ref'd timer exists.
    pub refed: bool,
}

/// Where `processTimers` is while the timers phase runs.
#[derive(Clone, Copy, Debug)]
struct Processing {
    now: u64,
    /// The list `listOnTimeout` is walking: (msecs, instance).
    current: Option<(u64, u64)>,
}

#[derive(Clone, Debug, Default)]
pub struct NodeTimers {
    timers: IdMap<Timer>,
    lists: BTreeMap<u64, TimerList>,
    /// `timerListQueue`: (expiry, id, msecs).
    queue: BTreeSet<(u64, u64, u64)>,
    next_list_id: u64,
    next_instance: u64,
    /// `nextExpiry`; `u64::MAX` stands for Infinity.
    next_expiry: u64,
    ref_count: u64,
    pub handle: TimerHandle,
    processing: Option<Processing>,
}

/// A due timer handed out by `next_due`.
#[derive(Clone, Copy, Debug)]
pub struct DueTimer {
    pub id: TaskId,
    pub callback: CallbackId,
    pub label: LabelId,
    pub repeat: bool,
}

impl NodeTimers {
    pub fn new() -> NodeTimers {
        NodeTimers {
            next_expiry: u64::MAX,
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.timers.len()
    }
    pub fn is_empty(&self) -> bool {
        self.timers.is_empty()
    }
    /// In a list, waiting (not running, not cleared).
    pub fn is_scheduled(&self, id: TaskId) -> bool {
        self.timers
            .get(&id)
            .is_some_and(|t| t.state == TimerState::Scheduled)
    }
    pub fn get(&self, id: TaskId) -> Option<&Timer> {
        self.timers.get(&id)
    }

    /// `setTimeout`/`setInterval`: `start_ms` is the freshly updated loop clock, `loop_ms` the
    /// loop clock `scheduleTimer` adds the duration to (the same value, after `uv_update_time`).
    pub fn add(
        &mut self,
        id: TaskId,
        callback: CallbackId,
        label: LabelId,
        msecs: u64,
        repeat: bool,
        start_ms: u64,
    ) {
        let timer = Timer {
            callback,
            label,
            msecs,
            repeat,
            start_ms,
            refed: true,
            state: TimerState::Scheduled,
            gen: 0,
        };
        self.timers.insert(id, timer);
        self.inc_ref();
        self.insert(id, msecs, start_ms, start_ms);
    }

    /// `insert(item, msecs, start)`.
    fn insert(&mut self, id: TaskId, msecs: u64, start_ms: u64, loop_ms: u64) {
        let mut gen = 0;
        if let Some(t) = self.timers.get_mut(&id) {
            t.start_ms = start_ms;
            t.state = TimerState::Scheduled;
            t.gen = t.gen.wrapping_add(1);
            gen = t.gen;
        }
        if !self.lists.contains_key(&msecs) {
            let expiry = start_ms + msecs;
            let list_id = self.next_list_id;
            self.next_list_id += 1;
            self.next_instance += 1;
            self.lists.insert(
                msecs,
                TimerList {
                    expiry,
                    id: list_id,
                    instance: self.next_instance,
                    items: VecDeque::new(),
                    live: 0,
                },
            );
            self.queue.insert((expiry, list_id, msecs));
            if self.next_expiry > expiry {
                self.schedule_timer(loop_ms, msecs);
                self.next_expiry = expiry;
            }
        }
        let list = self
            .lists
            .get_mut(&msecs)
            .expect("list exists: inserted above");
        list.items.push_back((id, gen));
        list.live += 1;
    }

    /// `scheduleTimer(msecs)` → `uv_timer_start(timer_handle, RunTimers, msecs, 0)`.
    fn schedule_timer(&mut self, loop_ms: u64, duration: u64) {
        self.handle.due_ms = Some(loop_ms + duration);
    }

    fn inc_ref(&mut self) {
        self.ref_count += 1;
        if self.ref_count == 1 {
            self.handle.refed = true;
        }
    }
    fn dec_ref(&mut self) {
        self.ref_count = self.ref_count.saturating_sub(1);
        if self.ref_count == 0 {
            self.handle.refed = false;
        }
    }

    /// `clearTimeout`/`clearInterval` (`unenroll`). Returns whether a live timer was cancelled;
    /// clearing a finished or already-cleared timer is a no-op, as in Node.
    pub fn clear(&mut self, id: TaskId) -> bool {
        let Some(timer) = self.timers.get_mut(&id) else {
            return false;
        };
        let msecs = timer.msecs;
        let refed = timer.refed;
        match timer.state {
            TimerState::Running { cleared: true } => return false,
            TimerState::Running { cleared: false } => {
                timer.state = TimerState::Running { cleared: true };
                timer.refed = false;
            }
            TimerState::Scheduled => {
                self.timers.remove(&id);
                if let Some(list) = self.lists.get_mut(&msecs) {
                    list.live = list.live.saturating_sub(1);
                }
            }
        }
        if let Some(list) = self.lists.get(&msecs) {
            if list.live == 0 {
                self.remove_list(msecs);
            }
        }
        if refed {
            self.dec_ref();
        }
        true
    }

    fn remove_list(&mut self, msecs: u64) {
        if let Some(list) = self.lists.remove(&msecs) {
            self.queue.remove(&(list.expiry, list.id, msecs));
        }
    }

    /// `timeout.refresh()`: take the timer off its list and append it again with a fresh start
    /// (Node's `insertGuarded` → `insert` → `L.append`, which unlinks first). A timer whose
    /// callback is running is re-armed the same way. Returns false for unknown or finished ids.
    pub fn refresh(&mut self, id: TaskId, start_ms: u64, loop_ms: u64) -> bool {
        let Some(t) = self.timers.get(&id) else {
            return false;
        };
        let msecs = t.msecs;
        match t.state {
            TimerState::Running { cleared: true } => return false,
            TimerState::Scheduled => {
                if let Some(list) = self.lists.get_mut(&msecs) {
                    list.live = list.live.saturating_sub(1);
                    if list.live == 0 {
                        self.remove_list(msecs);
                    }
                }
            }
            TimerState::Running { cleared: false } => {}
        }
        self.insert(id, msecs, start_ms, loop_ms);
        true
    }

    /// `timeout.ref()` / `timeout.unref()`.
    pub fn set_ref(&mut self, id: TaskId, refed: bool) -> bool {
        let Some(timer) = self.timers.get_mut(&id) else {
            return false;
        };
        if matches!(timer.state, TimerState::Running { cleared: true }) || timer.refed == refed {
            return true;
        }
        timer.refed = refed;
        if refed {
            self.inc_ref()
        } else {
            self.dec_ref()
        }
        true
    }

    /// Is libuv's timer handle due on the loop clock? (`handle->timeout <= loop->time`)
    pub fn handle_due(&self, loop_ms: u64) -> bool {
        matches!(self.handle.due_ms, Some(d) if d <= loop_ms)
    }

    /// `RunTimers` begins: libuv stopped the handle, Node reads `now` once.
    pub fn begin_processing(&mut self, now: u64) {
        self.handle.due_ms = None;
        self.next_expiry = u64::MAX;
        self.processing = Some(Processing { now, current: None });
    }

    /// The next timer `processTimers`/`listOnTimeout` would run at this phase's `now`, already
    /// taken off its list; None when the walk is over (then call `end_processing`).
    pub fn next_due(&mut self) -> Option<DueTimer> {
        let mut p = self.processing?;
        loop {
            if let Some((msecs, instance)) = p.current {
                // listOnTimeout(list, now)
                match self.peek_list(msecs, instance) {
                    Some(id) => {
                        let t = &self.timers[&id];
                        if p.now.saturating_sub(t.start_ms) < msecs {
                            // Too early for the rest of this list: re-queue it with a new id.
                            let expiry = (t.start_ms + msecs).max(p.now + 1);
                            self.requeue_list(msecs, expiry);
                            p.current = None;
                            continue;
                        }
                        let list = self.lists.get_mut(&msecs).expect("peeked list exists");
                        list.items.pop_front();
                        list.live -= 1;
                        let t = self.timers.get_mut(&id).expect("peeked timer exists");
                        t.state = TimerState::Running { cleared: false };
                        self.processing = Some(p);
                        return Some(DueTimer {
                            id,
                            callback: t.callback,
                            label: t.label,
                            repeat: t.repeat,
                        });
                    }
                    None => {
                        // The list ran dry: drop it, unless it was replaced meanwhile.
                        if self
                            .lists
                            .get(&msecs)
                            .is_some_and(|l| l.instance == instance)
                        {
                            self.remove_list(msecs);
                        }
                        p.current = None;
                        continue;
                    }
                }
            }
            // processTimers(now): the earliest list, if it is due.
            let Some(&(expiry, _, msecs)) = self.queue.first() else {
                self.processing = Some(p);
                return None;
            };
            if expiry > p.now {
                self.next_expiry = expiry;
                self.processing = Some(p);
                return None;
            }
            p.current = Some((msecs, self.lists[&msecs].instance));
        }
    }

    /// First live item of list `msecs` if it is still instance `instance`, dropping tombstones.
    fn peek_list(&mut self, msecs: u64, instance: u64) -> Option<TaskId> {
        let list = self
            .lists
            .get_mut(&msecs)
            .filter(|l| l.instance == instance)?;
        while let Some(&(id, gen)) = list.items.front() {
            if matches!(self.timers.get(&id), Some(t) if t.state == TimerState::Scheduled && t.msecs == msecs && t.gen == gen)
            {
                return Some(id);
            }
            list.items.pop_front();
        }
        None
    }

    fn requeue_list(&mut self, msecs: u64, expiry: u64) {
        let new_id = self.next_list_id;
        self.next_list_id += 1;
        if let Some(list) = self.lists.get_mut(&msecs) {
            self.queue.remove(&(list.expiry, list.id, msecs));
            list.expiry = expiry;
            list.id = new_id;
            self.queue.insert((expiry, new_id, msecs));
        }
    }

    /// After a timer's callback (the `finally` in `listOnTimeout`): re-insert an interval from
    /// `start_ms` (the clock when its callback began), or destroy the timer.
    pub fn finish(&mut self, id: TaskId, start_ms: u64, loop_ms: u64) {
        let Some(t) = self.timers.get(&id) else {
            return;
        };
        match t.state {
            TimerState::Running { cleared: false } if t.repeat => {
                let msecs = t.msecs;
                self.insert(id, msecs, start_ms, loop_ms);
            }
            TimerState::Running { cleared } => {
                let refed = t.refed;
                self.timers.remove(&id);
                if !cleared && refed {
                    self.dec_ref();
                }
            }
            TimerState::Scheduled => {}
        }
    }

    /// `RunTimers` ends: re-arm the handle for `nextExpiry` (at least 1 ms away). When no list
    /// is left, `processTimers` returns 0 and `RunTimers` only unrefs the handle: a timer added
    /// and cleared by a callback during the walk armed it (`scheduleTimer`), and it stays armed,
    /// so a later `setTimeout` for the same expiry (which `insert` sees as no earlier than
    /// `nextExpiry`, and does not re-arm) still fires. `loop_ms` is `uv_now()` after the
    /// callbacks.
    pub fn end_processing(&mut self, loop_ms: u64) {
        self.processing = None;
        if self.queue.is_empty() {
            self.handle.refed = false;
            return;
        }
        // processTimers returned nextExpiry (or a list added during the walk set it).
        let expiry = self
            .queue
            .first()
            .map(|&(e, _, _)| e)
            .unwrap_or(self.next_expiry);
        self.next_expiry = expiry;
        let duration = expiry.saturating_sub(loop_ms);
        self.schedule_timer(loop_ms, duration.max(1));
        self.handle.refed = self.ref_count > 0;
    }

    pub fn is_processing(&self) -> bool {
        self.processing.is_some()
    }

    /// Live timers in the order they would fire: by list `(expiry, id)`, then list order.
    /// Returns (id, due on the loop clock) pairs, at most `limit` of them.
    pub fn in_order(&self, limit: usize) -> Vec<(TaskId, &Timer, u64)> {
        let mut out = Vec::new();
        for &(_, _, msecs) in &self.queue {
            let list = &self.lists[&msecs];
            for (id, gen) in &list.items {
                if let Some(t) = self.timers.get(id) {
                    if t.state == TimerState::Scheduled && t.msecs == msecs && t.gen == *gen {
                        if out.len() == limit {
                            return out;
                        }
                        out.push((*id, t, t.start_ms + msecs));
                    }
                }
            }
        }
        out
    }

    /// Number of timers waiting in lists (not counting one whose callback is running).
    pub fn scheduled(&self) -> usize {
        self.lists.values().map(|l| l.live).sum()
    }
}
