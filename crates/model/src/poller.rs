//! The kernel's poller: sockets wait here, not in threads.
//!
//! Mirrors what libuv 1.46 `src/unix/linux.c` (`uv__io_poll` over epoll) and `src/unix/async.c`
//! (the thread pool's wake-up) do for the loop.
//!
//! HOW: a watcher is a file descriptor registered with epoll: a listening socket, a connection, a
//! database client waiting for its reply. It costs the process a few hundred bytes and no thread.
//! When the other side answers (after a latency in virtual time) the kernel puts the watcher on
//! its *ready list*. The loop only looks at the ready list in its poll phase: `epoll_wait`
//! returns everything ready at that moment, in readiness order, and libuv runs one callback per
//! event. Whatever becomes ready while those callbacks run waits for the next poll phase.
//!
//! The thread pool talks to the loop the same way: a finished request is posted to `loop->wq`
//! and an eventfd (libuv's async handle) becomes readable. Many completions before the loop
//! looks coalesce into one wake-up, whose handler (`uv__work_done`) runs all of them in order.
//!
//! WHY this matters: this is why 10,000 requests waiting on a database are 10,000 small entries
//! here and not 10,000 threads of ~2 MB of stack each.

use std::collections::VecDeque;

use crate::ids::{CallbackId, IdMap, LabelId, TaskId};
use crate::time::Micros;

#[derive(Clone, Debug)]
pub struct Watcher {
    pub callback: CallbackId,
    /// Frame name for its callback.
    pub frame: LabelId,
    /// What is being waited for, e.g. "db.query", "connection", "socket data".
    pub op: LabelId,
    /// The handle it belongs to (a socket or server); None for a stand-alone request.
    pub handle: Option<TaskId>,
    pub submitted: Micros,
    pub ready_at: Micros,
    pub ready: bool,
}

/// An entry of the kernel's ready list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ready {
    Io(TaskId),
    /// The thread pool's async handle: completions are waiting in `loop->wq`.
    WorkDone,
}

#[derive(Clone, Debug, Default)]
pub struct Poller {
    watchers: IdMap<Watcher>,
    ready: VecDeque<Ready>,
    /// The async handle has been signalled and not yet handled (wake-ups coalesce).
    async_pending: bool,
    /// Stand-alone watchers (no handle): libuv counts them as active requests.
    standalone: usize,
    /// Every watcher by (not ready, expected readiness, id): the order a snapshot shows them
    /// in, kept as they change so that a snapshot reads the first few, not all of them (the
    /// page snapshots every step while thousands of connections wait).
    order: std::collections::BTreeSet<(bool, Micros, TaskId)>,
}

impl Poller {
    pub fn add(&mut self, id: TaskId, w: Watcher) {
        if w.handle.is_none() {
            self.standalone += 1;
        }
        if let Some(old) = self.watchers.get(&id) {
            self.order.remove(&(!old.ready, old.ready_at, id));
        }
        self.order.insert((!w.ready, w.ready_at, id));
        self.watchers.insert(id, w);
    }
    pub fn get(&self, id: TaskId) -> Option<&Watcher> {
        self.watchers.get(&id)
    }
    /// The kernel reports `id` ready. False if it was cancelled meanwhile.
    pub fn mark_ready(&mut self, id: TaskId) -> bool {
        match self.watchers.get_mut(&id) {
            Some(w) if !w.ready => {
                self.order.remove(&(true, w.ready_at, id));
                self.order.insert((false, w.ready_at, id));
                w.ready = true;
                self.ready.push_back(Ready::Io(id));
                true
            }
            _ => false,
        }
    }
    /// `uv_async_send` from a worker: one wake-up until the loop handles it.
    pub fn signal_async(&mut self) -> bool {
        if self.async_pending {
            return false;
        }
        self.async_pending = true;
        self.ready.push_back(Ready::WorkDone);
        true
    }
    /// `uv__async_io` clears the pending flag before running `uv__work_done`.
    pub fn clear_async(&mut self) {
        self.async_pending = false;
    }
    /// `epoll_wait` returns: take the ready list.
    pub fn take_ready(&mut self) -> VecDeque<Ready> {
        std::mem::take(&mut self.ready)
    }
    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }
    /// The watcher's callback is about to run (or it was cancelled): it leaves the poller.
    pub fn remove(&mut self, id: TaskId) -> Option<Watcher> {
        let w = self.watchers.remove(&id)?;
        self.order.remove(&(!w.ready, w.ready_at, id));
        if w.handle.is_none() {
            self.standalone -= 1;
        }
        Some(w)
    }
    pub fn active_reqs(&self) -> usize {
        self.standalone
    }
    pub fn len(&self) -> usize {
        self.watchers.len()
    }
    pub fn is_empty(&self) -> bool {
        self.watchers.is_empty()
    }
    /// Watchers: ready ones first (in ready-list order), then waiting ones by expected readiness.
    pub fn in_order(&self, limit: usize) -> Vec<(TaskId, &Watcher)> {
        let mut out: Vec<(TaskId, &Watcher)> = self
            .ready
            .iter()
            .filter_map(|r| match r {
                Ready::Io(id) => self.watchers.get(id).map(|w| (*id, w)),
                Ready::WorkDone => None,
            })
            .take(limit)
            .collect();
        if out.len() < limit {
            // Ready watchers already taken by `epoll_wait` (the batch the poll phase is running)
            // come first, then the ones still waiting in the kernel.
            // (A set, not a scan of the ready list per watcher: snapshots run on every UI frame.)
            let listed: std::collections::BTreeSet<TaskId> = self
                .ready
                .iter()
                .filter_map(|r| {
                    if let Ready::Io(id) = r {
                        Some(*id)
                    } else {
                        None
                    }
                })
                .collect();
            let want = limit - out.len();
            let rest = self
                .order
                .iter()
                .filter(|(waiting, _, id)| *waiting || !listed.contains(id))
                .filter_map(|(_, _, id)| self.watchers.get(id).map(|w| (*id, w)))
                .take(want);
            out.extend(rest);
        }
        out
    }
}
