//! Observation: the trace the loop writes as it goes, and read-only access for snapshots, UIs
//! and tests. Nothing here changes what runs or when.

use crate::handles::Handles;
use crate::ids::{CallbackId, LabelId, TaskId};
use crate::immediates::Immediates;
use crate::metrics::Metrics;
use crate::poller::Poller;
use crate::threadpool::ThreadPool;
use crate::time::Micros;
use crate::timers::NodeTimers;
use crate::trace::{EventKind, Phase, QueueKind, Source, TraceEvent};

use super::{Cursor, Frame, Invocation, PollItem, Sim};

impl Sim {
    // ---- Writing the trace -----------------------------------------------------------------

    pub(super) fn emit(&mut self, kind: EventKind) {
        self.trace_count += 1;
        if self.cfg.trace {
            self.trace.push(TraceEvent { at: self.now, kind });
        }
    }

    /// `task` joined `queue`.
    pub(super) fn enqueued(&mut self, queue: QueueKind, task: TaskId, label: LabelId) {
        self.emit(EventKind::Enqueue { queue, task, label });
    }

    /// `task` left `queue` to run (or, for a closed handle without a callback, to be done).
    pub(super) fn dequeued(&mut self, queue: QueueKind, task: TaskId) {
        self.emit(EventKind::Dequeue {
            queue,
            task,
            ran: true,
        });
    }

    /// `task` left `queue` without running (cleared, cancelled, or moved by a refresh).
    pub(super) fn cancelled(&mut self, queue: QueueKind, task: TaskId) {
        self.emit(EventKind::Dequeue {
            queue,
            task,
            ran: false,
        });
    }

    /// The callback `source` names leaves `queue` to be handed to the driver.
    pub(super) fn ran_from(
        &mut self,
        queue: QueueKind,
        source: Source,
        callback: CallbackId,
        label: LabelId,
    ) -> Invocation {
        if let Some(task) = source.task() {
            self.dequeued(queue, task);
        }
        Invocation {
            callback,
            source,
            label,
        }
    }

    /// Whether the last step's poll sleep was cut by the limit the caller gave
    /// ([`Sim::step_until`]) rather than ended by an event. A step the limit did not cut runs
    /// the same without it, so a recording of a run keeps only the limits that cut.
    pub fn limit_cut(&self) -> bool {
        self.limit_cut
    }

    /// Trace events recorded since the last call.
    pub fn take_trace(&mut self) -> Vec<TraceEvent> {
        std::mem::take(&mut self.trace)
    }
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }
    /// Every trace event ever recorded (also with tracing off).
    pub fn trace_count(&self) -> u64 {
        self.trace_count
    }

    // ---- Reading the state -----------------------------------------------------------------

    pub fn phase(&self) -> Phase {
        self.phase
    }
    pub fn iteration(&self) -> u64 {
        self.metrics.iterations
    }
    pub fn is_running_callback(&self) -> bool {
        self.running.is_some()
    }
    pub fn running(&self) -> Option<Invocation> {
        self.running.map(|r| r.inv)
    }
    pub fn exited(&self) -> Option<i32> {
        (self.cursor == Cursor::Exited).then_some(self.exit_code)
    }
    /// In the checkpoint after a callback (ticks and microtasks).
    pub fn in_checkpoint(&self) -> bool {
        self.drain.is_some()
    }
    pub fn stack(&self) -> &[Frame] {
        &self.stack
    }
    /// The last instant the loop thread looked at the kernel: the earliest time outside input
    /// can be dated between steps ([`Sim::watch_at`]).
    pub fn kernel_seen(&self) -> Micros {
        self.kernel_seen
    }
    /// The CPU the last finished callback took, its base cost included (it ran from
    /// `now - last_callback_cpu()` when nothing ran since).
    pub fn last_callback_cpu(&self) -> Micros {
        self.last_cpu
    }
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    pub fn pool(&self) -> &ThreadPool {
        &self.pool
    }
    pub fn timers(&self) -> &NodeTimers {
        &self.timers
    }
    pub fn immediates(&self) -> &Immediates {
        &self.immediates
    }
    pub fn poller(&self) -> &Poller {
        &self.poller
    }
    /// The operation `task` stands for ("db.query", "fs.stat", "connection"): a watcher's or a
    /// pool request's, while it waits, and the last one whose callback ran after that. (A
    /// snapshot taken before a step names it too; this asks nothing of the queues' order.)
    pub fn op_of(&self, task: TaskId) -> Option<LabelId> {
        self.poller
            .get(task)
            .map(|w| w.op)
            .or_else(|| self.pool.req(task).map(|r| r.spec.label))
            .or_else(|| self.last_op.filter(|(t, _)| *t == task).map(|(_, op)| op))
    }
    pub fn handles(&self) -> &Handles {
        &self.handles
    }
    pub fn ticks_len(&self) -> usize {
        self.ticks.len()
    }
    pub fn microtasks_len(&self) -> usize {
        self.microtasks.len()
    }

    /// The whole visible state, every queue cut to its first `limit` items (with full counts).
    pub fn snapshot(&self, limit: usize) -> crate::snapshot::Snapshot {
        crate::snapshot::take(self, limit)
    }

    // ---- What the snapshot module reads ----------------------------------------------------

    pub(crate) fn ticks_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        self.ticks.iter().map(|t| (t.id, t.label))
    }
    pub(crate) fn microtasks_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        self.microtasks.iter().map(|t| (t.id, t.label))
    }
    /// Pending callbacks: the rest of the batch being run, then those queued for next time.
    pub(crate) fn pending_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        let active = self.cursor == Cursor::In(Phase::Pending);
        let batch = self.pending_batch.iter().filter(move |_| active);
        batch.chain(self.pending.iter()).map(|t| (t.id, t.label))
    }
    /// Immediates: the rest of the batch being run, then those queued for the next check phase.
    pub(crate) fn check_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        let active = self.cursor == Cursor::In(Phase::Check);
        let running = self
            .check_batch
            .iter()
            .filter(move |_| active)
            .filter_map(|id| self.immediates.label_of(*id).map(|l| (*id, l)));
        running.chain(self.immediates.queued().map(|(id, i)| (id, i.label)))
    }
    pub(crate) fn closing_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        let batch = self.close_batch.iter().copied();
        let queued = self.handles.closing().iter().rev().copied();
        batch.chain(queued).filter_map(|id| {
            self.handles
                .get(id)
                .map(|h| (id, h.close_cb.map(|(_, l)| l).unwrap_or(h.label)))
        })
    }
    pub(crate) fn pool_done_iter(&self) -> impl Iterator<Item = TaskId> + '_ {
        // `uv__work_done` puts its completions at the front of the poll batch and the batch is
        // run from the front, so they are always its prefix: the rest (thousands of ready
        // sockets under load) is not walked.
        let batch = self.poll_batch.iter().map_while(|p| match p {
            PollItem::Work(id) => Some(*id),
            _ => None,
        });
        batch.chain(self.pool.done_queue().iter().copied())
    }
    pub(crate) fn is_poll_waiting(&self) -> bool {
        matches!(self.cursor, Cursor::PollWait { .. })
    }
}
