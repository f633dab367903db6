//! `setImmediate`: Node's immediate queue, run by libuv's check phase.
//!
//! Mirrors Node 20 `lib/internal/timers.js` (`processImmediate`, `Immediate`), `lib/timers.js`
//! (`clearImmediate`) and `src/env.cc` (`CheckImmediate`, `ToggleImmediateRef`).
//!
//! HOW: immediates form one FIFO queue. The check phase *takes the whole queue* before running
//! any of them ("Clear the linked list early in case new `setImmediate()` calls occur while
//! immediate callbacks are executed"), so an immediate queued by an immediate waits for the next
//! iteration. A cleared immediate stays in the taken batch as a tombstone and is skipped.
//!
//! WHY an idle handle: while ref'd immediates exist, Node starts an idle handle whose callback
//! does nothing. An active idle handle makes libuv's poll timeout 0 (`uv__backend_timeout`), so
//! the loop does not sleep in poll while immediates wait; and, being a ref'd active handle, it
//! keeps the loop alive. Unref'd immediates do neither.

use std::collections::VecDeque;

use crate::ids::{CallbackId, IdMap, LabelId, TaskId};

#[derive(Clone, Debug)]
pub struct Immediate {
    pub callback: CallbackId,
    pub label: LabelId,
    pub refed: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Immediates {
    items: IdMap<Immediate>,
    /// `immediateQueue`, in insertion order.
    queue: VecDeque<TaskId>,
    /// `immediateInfo[kRefCount]`.
    ref_count: u64,
    /// Node's `immediate_idle_handle` is started.
    pub idle_active: bool,
}

impl Immediates {
    pub fn add(&mut self, id: TaskId, callback: CallbackId, label: LabelId) {
        self.items.insert(
            id,
            Immediate {
                callback,
                label,
                refed: true,
            },
        );
        self.queue.push_back(id);
        self.ref_count += 1;
        if self.ref_count == 1 {
            self.idle_active = true; // toggleImmediateRef(true)
        }
    }

    /// `clearImmediate`: false when already run or cleared (a no-op in Node).
    pub fn clear(&mut self, id: TaskId) -> bool {
        let Some(imm) = self.items.remove(&id) else {
            return false;
        };
        if imm.refed {
            self.unref_one();
        }
        self.queue.retain(|x| *x != id);
        true
    }

    fn unref_one(&mut self) {
        self.ref_count = self.ref_count.saturating_sub(1);
        if self.ref_count == 0 {
            self.idle_active = false; // toggleImmediateRef(false)
        }
    }

    pub fn set_ref(&mut self, id: TaskId, refed: bool) -> bool {
        let Some(imm) = self.items.get_mut(&id) else {
            return false;
        };
        if imm.refed != refed {
            imm.refed = refed;
            if refed {
                self.ref_count += 1;
                self.idle_active = true;
            } else {
                self.unref_one();
            }
        }
        true
    }

    /// `processImmediate` starts: take the queue. Empty means `CheckImmediate` returns early.
    pub fn take_batch(&mut self) -> VecDeque<TaskId> {
        std::mem::take(&mut self.queue)
    }

    /// The next immediate of a taken batch to run (skipping cleared ones), marked destroyed.
    pub fn start(&mut self, id: TaskId) -> Option<Immediate> {
        let imm = self.items.remove(&id)?;
        if imm.refed {
            // processImmediate decrements without toggling; CheckImmediate toggles afterwards.
            self.ref_count = self.ref_count.saturating_sub(1);
        }
        Some(imm)
    }

    /// `CheckImmediate` after `processImmediate`: stop the idle handle when no ref'd ones remain.
    pub fn after_check(&mut self) {
        if self.ref_count == 0 {
            self.idle_active = false;
        }
    }

    pub fn pending(&self) -> usize {
        self.items.len()
    }
    pub fn label_of(&self, id: TaskId) -> Option<LabelId> {
        self.items.get(&id).map(|i| i.label)
    }
    pub fn is_live(&self, id: TaskId) -> bool {
        self.items.contains_key(&id)
    }
    /// Queued immediates in run order (not those of a batch being run).
    pub fn queued(&self) -> impl Iterator<Item = (TaskId, &Immediate)> {
        self.queue
            .iter()
            .filter_map(|id| self.items.get(id).map(|i| (*id, i)))
    }
    pub fn queued_len(&self) -> usize {
        self.queue.len()
    }
}
