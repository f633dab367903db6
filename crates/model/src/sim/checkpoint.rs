//! Running a callback, and the checkpoint after it.
//!
//! Node 20 `src/api/callback.cc` (`InternalCallbackScope::Close`) ends every macrotask callback
//! by calling `processTicksAndRejections` (`lib/internal/process/task_queues.js`):
//!
//! ```text
//! do {
//!   while (tock = queue.shift()) { callback() }
//!   runMicrotasks();
//! } while (!queue.isEmpty() || processPromiseRejections());
//! ```
//!
//! Here that loop is `next_checkpoint_item`: while a drain is in progress, `step()` hands over
//! the next tick or microtask before the loop itself may move. So the nextTick and microtask
//! queues are empty whenever a macrotask callback starts (a property test checks it).

use crate::error::ModelError;
use crate::ids::CallbackId;
use crate::time::Micros;
use crate::trace::{EventKind, QueueKind, Source, PROCESS_PROMISE_REJECTIONS};

use super::{Drain, Frame, Invocation, Running, Sim, Step, Task};

impl Sim {
    /// The loop hands `inv` to the driver: its frame goes on the stack, its tag becomes the
    /// running one, and the base cost of a callback is charged.
    pub(super) fn dispatch(&mut self, inv: Invocation) -> Step {
        self.emit(EventKind::CallbackStart {
            callback: inv.callback,
            source: inv.source,
            label: inv.label,
        });
        self.stack.push(Frame {
            label: inv.label,
            source: Some(inv.source),
        });
        self.tag = inv.source.task().and_then(|t| self.tag_of(t));
        self.ran_tag = self.tag;
        self.async_context = inv
            .source
            .task()
            .and_then(|t| self.async_contexts.get(&t).copied());
        self.running = Some(Running {
            inv,
            cpu: Micros::ZERO,
            start_ms: self.now.as_ms(),
        });
        self.metrics.callbacks += 1;
        self.charge(self.cfg.callback_cost);
        Step::Run(inv)
    }

    /// The running callback spends `amount` of CPU; the background goes on meanwhile.
    pub(super) fn charge(&mut self, amount: Micros) {
        if let Some(r) = self.running.as_mut() {
            r.cpu += amount;
        }
        let to = self.now + amount;
        self.advance_to(to);
    }

    /// The driver's callback returned. Runs the callback's own epilogue (an interval is
    /// re-inserted) and starts the checkpoint after macrotasks.
    pub fn finish_callback(&mut self) -> Result<(), ModelError> {
        if matches!(self.running, Some(r) if r.inv.source == Source::Main) {
            // What Node does around the entry module (compiling it, finishing the bootstrap,
            // starting the loop) is charged as it ends: background work started by the script
            // makes progress meanwhile, as it does in a real process.
            self.charge(self.cfg.script_cost);
        }
        let r = self.running.take().ok_or(ModelError::NoCallbackRunning)?;
        self.last_cpu = r.cpu;
        // Host-call frames the driver forgot to pop go with the callback.
        while let Some(f) = self.stack.pop() {
            if f.source.is_some() {
                break;
            }
            self.emit(EventKind::HostCallEnd { label: f.label });
        }
        self.emit(EventKind::CallbackEnd {
            callback: r.inv.callback,
            cpu: r.cpu,
        });
        if let Source::Timer(id) = r.inv.source {
            // An interval goes back in with `start` read before its callback ran.
            self.timers.finish(id, r.start_ms, self.loop_ms);
            if let Some(label) = self.timers.get(id).map(|t| t.label) {
                self.enqueued(QueueKind::Timers, id, label);
            }
        }
        if r.inv.source == Source::Rejections || r.inv.source.is_macrotask() {
            self.drain = Some(Drain::Ticks);
        }
        // A task that will not run again needs its tag no more (an interval and a socket's
        // watcher run again).
        self.tag = None;
        self.async_context = None;
        if let Some(task) = r.inv.source.task() {
            let again = match r.inv.source {
                Source::Timer(id) => self.timers.get(id).is_some(),
                Source::Io(id) => self.poller.get(id).is_some(),
                _ => false,
            };
            if !again {
                self.tags.remove(&task);
                self.async_contexts.remove(&task);
            }
        }
        Ok(())
    }

    /// `processTicksAndRejections`, one callback at a time (see the module doc).
    pub(super) fn next_checkpoint_item(&mut self) -> Option<Invocation> {
        loop {
            match self.drain? {
                Drain::Ticks => match self.ticks.pop_front() {
                    Some(t) => return Some(self.run_task(QueueKind::NextTick, t)),
                    None => self.drain = Some(Drain::Microtasks),
                },
                Drain::Microtasks => {
                    if let Some(t) = self.microtasks.pop_front() {
                        return Some(self.run_task(QueueKind::Microtask, t));
                    }
                    if !self.ticks.is_empty() {
                        self.drain = Some(Drain::Ticks);
                        continue;
                    }
                    self.drain = None;
                    if std::mem::take(&mut self.rejection_pending) {
                        let label = self.labels.intern(PROCESS_PROMISE_REJECTIONS);
                        return Some(Invocation {
                            callback: CallbackId(u64::MAX),
                            source: Source::Rejections,
                            label,
                        });
                    }
                    return None;
                }
            }
        }
    }

    /// A tick or microtask leaves its queue to run.
    fn run_task(&mut self, queue: QueueKind, t: Task) -> Invocation {
        let source = match queue {
            QueueKind::NextTick => Source::Tick(t.id),
            _ => Source::Microtask(t.id),
        };
        self.ran_from(queue, source, t.callback, t.label)
    }
}
