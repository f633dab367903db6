//! Handles: long-lived things that keep the loop alive (servers, sockets), and how they close.
//!
//! Mirrors libuv 1.46 `src/uv-common.c` / `src/unix/core.c` (`uv_close`, `uv__finish_close`,
//! `uv__run_closing_handles`, `uv__has_active_handles`).
//!
//! HOW: a handle is *active* while it does something (a server listening, a socket reading) and
//! *ref'd* unless `unref()` was called; active ref'd handles keep `uv_run` going. `uv_close`
//! stops the handle at once and pushes it on the head of `loop->closing_handles`; the close phase
//! takes that list and finishes each handle, running its close callback. Pushing on the head
//! makes the order LIFO: the handle closed last in an iteration has its callback run first.
//!
//! Node's own internal handles (its timer handle, the immediate idle handle, the thread pool's
//! async handle) are modelled where they live: `timers`, `immediates`, `poller`.

use std::collections::BTreeMap;

use crate::ids::{CallbackId, LabelId, TaskId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HandleKind {
    /// `uv_tcp_t` listening (`net.Server`, the teaching `http` server).
    TcpServer,
    /// `uv_tcp_t` connection.
    TcpSocket,
    /// Anything else a driver wants to keep the loop alive with.
    Other,
}

#[derive(Clone, Debug)]
pub struct Handle {
    pub kind: HandleKind,
    pub label: LabelId,
    pub refed: bool,
    pub active: bool,
    pub closing: bool,
    pub close_cb: Option<(CallbackId, LabelId)>,
}

#[derive(Clone, Debug, Default)]
pub struct Handles {
    map: BTreeMap<TaskId, Handle>,
    /// `loop->closing_handles`, oldest first (the close phase walks it newest first).
    closing: Vec<TaskId>,
    active_refed: usize,
    /// Counts every open and close of a listening server: a driver that caches something about
    /// its servers knows when to look again.
    server_changes: u64,
}

impl Handles {
    pub fn open(&mut self, id: TaskId, kind: HandleKind, label: LabelId) {
        if kind == HandleKind::TcpServer {
            self.server_changes += 1;
        }
        self.map.insert(
            id,
            Handle {
                kind,
                label,
                refed: true,
                active: true,
                closing: false,
                close_cb: None,
            },
        );
        self.active_refed += 1;
    }
    pub fn get(&self, id: TaskId) -> Option<&Handle> {
        self.map.get(&id)
    }
    fn counts(h: &Handle) -> bool {
        h.active && h.refed && !h.closing
    }
    fn update(&mut self, id: TaskId, f: impl FnOnce(&mut Handle)) -> bool {
        let Some(h) = self.map.get_mut(&id) else {
            return false;
        };
        let before = Self::counts(h);
        f(h);
        let after = Self::counts(h);
        match (before, after) {
            (false, true) => self.active_refed += 1,
            (true, false) => self.active_refed -= 1,
            _ => {}
        }
        true
    }
    pub fn set_ref(&mut self, id: TaskId, refed: bool) -> bool {
        self.update(id, |h| h.refed = refed)
    }
    pub fn set_active(&mut self, id: TaskId, active: bool) -> bool {
        self.update(id, |h| h.active = active)
    }
    /// `uv_close`: Ok(()) or the handle was already closing.
    pub fn close(&mut self, id: TaskId, cb: Option<(CallbackId, LabelId)>) -> Result<(), bool> {
        match self.map.get(&id) {
            None => return Err(false),
            Some(h) if h.closing => return Err(true),
            _ => {}
        }
        self.update(id, |h| {
            h.closing = true;
            h.active = false;
            h.close_cb = cb;
        });
        if self
            .map
            .get(&id)
            .is_some_and(|h| h.kind == HandleKind::TcpServer)
        {
            self.server_changes += 1;
        }
        self.closing.push(id);
        Ok(())
    }
    /// The close phase takes the list: newest `uv_close` first.
    pub fn take_closing(&mut self) -> Vec<TaskId> {
        let mut list = std::mem::take(&mut self.closing);
        list.reverse();
        list
    }
    /// `uv__finish_close`: the handle is gone.
    pub fn finish_close(&mut self, id: TaskId) -> Option<Handle> {
        self.map.remove(&id)
    }
    pub fn closing(&self) -> &[TaskId] {
        &self.closing
    }
    pub fn active_refed(&self) -> usize {
        self.active_refed
    }
    /// How many times a listening server opened or started closing.
    pub fn server_changes(&self) -> u64 {
        self.server_changes
    }
    pub fn iter(&self) -> impl Iterator<Item = (TaskId, &Handle)> {
        self.map.iter().map(|(id, h)| (*id, h))
    }
}
