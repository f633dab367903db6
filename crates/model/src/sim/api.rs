//! What a driver calls while a callback runs (and, for outside input, between steps): Node's
//! scheduling primitives as the model sees them. Each one creates a task, puts it in its queue
//! and records an `Enqueue` in the trace; the loop decides when it runs.

use crate::config::check_pool_size;
use crate::config::Config;
use crate::error::ModelError;
use crate::handles::HandleKind;
use crate::ids::{CallbackId, LabelId, Labels, TaskId};
use crate::poller::Watcher;
use crate::rng::Rng;
use crate::threadpool::{WorkReq, WorkSpec};
use crate::time::Micros;
use crate::timers::coerce_delay;
use crate::trace::{EventKind, QueueKind, Stream};

use super::{Background, Cursor, Frame, Sim, Task, WatchSpec};

impl Sim {
    pub fn label(&mut self, name: &str) -> LabelId {
        self.labels.intern(name)
    }
    pub fn labels(&self) -> &Labels {
        &self.labels
    }
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Virtual time now (inside a callback: its start plus the CPU it has spent).
    pub fn now(&self) -> Micros {
        self.now
    }
    /// libuv's cached loop clock, ms.
    pub fn loop_ms(&self) -> u64 {
        self.loop_ms
    }
    /// Node's `getLibuvNow()`: refresh the loop clock and read it.
    pub fn libuv_now(&mut self) -> u64 {
        self.update_time_quiet();
        self.loop_ms
    }

    /// The running callback spends `us` of CPU (a busy-wait, a synchronous API). The loop is
    /// blocked meanwhile; the pool and the network are not.
    pub fn spend_cpu(&mut self, us: i64) -> Result<(), ModelError> {
        let amount = Micros::from_signed(us)?;
        if self.running.is_none() {
            return Err(ModelError::NoCallbackRunning);
        }
        if amount > Micros::ZERO {
            self.charge(amount);
            self.emit(EventKind::CpuSpent { amount });
        }
        Ok(())
    }

    // ---- Tags ------------------------------------------------------------------------------

    /// Tags what is scheduled from now on (outside a callback: outside input, such as a request
    /// arriving). The model gives tags no meaning; it only passes them on, the way Node's
    /// `AsyncLocalStorage` does: a task inherits the tag of the callback that scheduled it, a
    /// callback runs with its task's tag, and a tick or promise job queued while it runs
    /// inherits that. The page tags everything a synthetic request causes with its number.
    pub fn set_tag(&mut self, tag: Option<u64>) {
        self.tag = tag;
    }

    /// The tag of a task, if it has one.
    pub fn tag_of(&self, task: TaskId) -> Option<u64> {
        self.tags.get(&task).copied()
    }

    /// The tag the running callback (or outside input) passes on.
    pub fn tag(&self) -> Option<u64> {
        self.tag
    }

    /// The tag of the last callback that started, running or not.
    pub fn ran_tag(&self) -> Option<u64> {
        self.ran_tag
    }

    /// Sets the async context the running callback passes on from now on (Node's
    /// AsyncLocalStorage: `run` switches to a new context for the length of a call and back).
    /// Passed on like a tag (a task inherits the context current when it is scheduled, and its
    /// callback runs in it), but a separate value: the tag belongs to outside input (the page's
    /// request numbers), the context to the program. The model gives it no meaning.
    pub fn set_async_context(&mut self, context: Option<u64>) {
        self.async_context = context;
    }

    /// The async context the running callback passes on.
    pub fn async_context(&self) -> Option<u64> {
        self.async_context
    }

    /// A new task id, tagged with the running tag and async context.
    fn task(&mut self) -> TaskId {
        let id = TaskId(self.next_task);
        self.next_task += 1;
        if let Some(tag) = self.tag {
            self.tags.insert(id, tag);
        }
        if let Some(context) = self.async_context {
            self.async_contexts.insert(id, context);
        }
        id
    }

    pub(super) fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    fn known(&self, id: TaskId) -> Result<(), ModelError> {
        if id.0 == 0 || id.0 >= self.next_task {
            Err(ModelError::UnknownId(id))
        } else {
            Ok(())
        }
    }

    // ---- Timers and immediates -------------------------------------------------------------

    /// `setTimeout(cb, delay)` / `setInterval(cb, delay)`; the delay is coerced as Node does.
    pub fn set_timeout(
        &mut self,
        callback: CallbackId,
        label: LabelId,
        delay_ms: f64,
        repeat: bool,
    ) -> TaskId {
        let id = self.task();
        let msecs = coerce_delay(delay_ms);
        let start = self.libuv_now();
        self.timers.add(id, callback, label, msecs, repeat, start);
        self.enqueued(QueueKind::Timers, id, label);
        id
    }

    /// `clearTimeout`/`clearInterval`: Ok(false) for a timer that already ran or was cleared.
    pub fn clear_timer(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let scheduled = self.timers.get(id).is_some();
        let cleared = self.timers.clear(id);
        if cleared && scheduled {
            self.cancelled(QueueKind::Timers, id);
        }
        Ok(cleared)
    }

    /// `timeout.refresh()`: restart the timer's delay from now. Ok(false) if it already ran.
    pub fn refresh_timer(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let start = self.libuv_now();
        let loop_ms = self.loop_ms;
        let in_list = self.timers.is_scheduled(id);
        let ok = self.timers.refresh(id, start, loop_ms);
        if ok {
            if in_list {
                // It moves to the back of its list: out, then in again.
                self.cancelled(QueueKind::Timers, id);
            }
            if let Some(label) = self.timers.get(id).map(|t| t.label) {
                self.enqueued(QueueKind::Timers, id, label);
            }
        }
        Ok(ok)
    }

    /// `timeout.ref()` / `timeout.unref()`.
    pub fn set_timer_ref(&mut self, id: TaskId, refed: bool) -> Result<bool, ModelError> {
        self.known(id)?;
        Ok(self.timers.set_ref(id, refed))
    }

    pub fn set_immediate(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        let id = self.task();
        self.immediates.add(id, callback, label);
        self.enqueued(QueueKind::Check, id, label);
        id
    }

    pub fn clear_immediate(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let cleared = self.immediates.clear(id);
        if cleared {
            self.cancelled(QueueKind::Check, id);
        }
        Ok(cleared)
    }

    pub fn set_immediate_ref(&mut self, id: TaskId, refed: bool) -> Result<bool, ModelError> {
        self.known(id)?;
        Ok(self.immediates.set_ref(id, refed))
    }

    // ---- The checkpoint's queues, and the pending queue -------------------------------------

    /// `process.nextTick(cb)`.
    pub fn next_tick(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        self.push_task(QueueKind::NextTick, callback, label)
    }

    /// A promise job or `queueMicrotask(cb)`.
    pub fn queue_microtask(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        self.push_task(QueueKind::Microtask, callback, label)
    }

    /// Defer a callback to the next pending phase (`uv__io_feed`, e.g. a write's completion).
    pub fn queue_pending(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        self.push_task(QueueKind::Pending, callback, label)
    }

    fn push_task(&mut self, queue: QueueKind, callback: CallbackId, label: LabelId) -> TaskId {
        let id = self.task();
        let task = Task {
            id,
            callback,
            label,
        };
        match queue {
            QueueKind::NextTick => self.ticks.push_back(task),
            QueueKind::Microtask => self.microtasks.push_back(task),
            _ => self.pending.push_back(task),
        }
        self.enqueued(queue, id, label);
        id
    }

    /// The engine saw a promise rejected with no handler (V8's `kPromiseRejectWithNoHandler`):
    /// the checkpoint will end with `processPromiseRejections`.
    pub fn note_unhandled_rejection(&mut self) {
        self.rejection_pending = true;
    }

    // ---- The thread pool and the kernel ----------------------------------------------------

    /// Size of the pool, before its first use (`UV_THREADPOOL_SIZE`).
    pub fn set_pool_size(&mut self, n: i64) -> Result<(), ModelError> {
        let n = check_pool_size(n)?;
        if self.pool.started() {
            return Err(ModelError::PoolAlreadyStarted);
        }
        self.pool.configured = n;
        Ok(())
    }

    /// `uv_queue_work` (fs, dns.lookup, crypto, zlib): `callback` runs in a later poll phase.
    pub fn submit_work(&mut self, spec: WorkSpec, callback: CallbackId, frame: LabelId) -> TaskId {
        let id = self.task();
        let req = WorkReq {
            callback,
            frame,
            spec,
            submitted: self.now,
            started: None,
            finished: None,
            worker: None,
        };
        self.queue_work(id, req);
        id
    }

    /// Register a watcher that the kernel reports ready after `latency_us` (a reply arriving).
    pub fn watch(
        &mut self,
        spec: WatchSpec,
        latency_us: i64,
        callback: CallbackId,
        frame: LabelId,
    ) -> Result<TaskId, ModelError> {
        let latency = Micros::from_signed(latency_us)?;
        let at = self.now + latency;
        self.watch_at(spec, at, callback, frame)
    }

    /// Input from outside the process at absolute time `at` (a client connecting, a request
    /// arriving): the generator's way in, usable between steps.
    ///
    /// Between steps `at` may lie in the past, back to the instant the loop thread last looked
    /// at the kernel ([`Sim::kernel_seen`]): a request that reached the socket while a callback
    /// kept the thread busy is in epoll's ready list when the thread comes back, with the time
    /// it really arrived (a load generator measures its latency from there). Earlier than that
    /// is a driver mistake: that `epoll_wait` would have reported it.
    pub fn watch_at(
        &mut self,
        spec: WatchSpec,
        at: Micros,
        callback: CallbackId,
        frame: LabelId,
    ) -> Result<TaskId, ModelError> {
        let earliest = if self.running.is_some() {
            self.now
        } else {
            self.kernel_seen
        };
        if at < earliest {
            return Err(ModelError::InThePast {
                at: at.0,
                now: earliest.0,
            });
        }
        if self.cursor == Cursor::Exited {
            return Err(ModelError::Exited);
        }
        if let Some(h) = spec.handle {
            self.known(h)?;
            if self.handles.get(h).is_none() {
                return Err(ModelError::UnknownId(h));
            }
        }
        let id = self.task();
        let w = Watcher {
            callback,
            frame,
            op: spec.op,
            handle: spec.handle,
            submitted: self.now,
            ready_at: at,
            ready: false,
        };
        self.poller.add(id, w);
        self.enqueued(QueueKind::Poll, id, spec.op);
        let seq = self.seq();
        // A past arrival is reported at the next look (its ready time stays `at`).
        self.timeline
            .insert((at.max(self.now), seq), Background::IoReady(id));
        Ok(id)
    }

    /// Stop watching (a socket destroyed before its reply): Ok(false) if it already ran.
    pub fn cancel_watch(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let removed = self.poller.remove(id).is_some();
        if removed {
            self.cancelled(QueueKind::Poll, id);
        }
        Ok(removed)
    }

    // ---- Handles ---------------------------------------------------------------------------

    /// Open a handle (a listening server, a socket): active and ref'd.
    pub fn open_handle(&mut self, kind: HandleKind, label: LabelId) -> TaskId {
        let id = self.task();
        self.handles.open(id, kind, label);
        id
    }

    pub fn set_handle_ref(&mut self, id: TaskId, refed: bool) -> Result<(), ModelError> {
        self.known(id)?;
        self.handles
            .set_ref(id, refed)
            .then_some(())
            .ok_or(ModelError::UnknownId(id))
    }

    pub fn set_handle_active(&mut self, id: TaskId, active: bool) -> Result<(), ModelError> {
        self.known(id)?;
        self.handles
            .set_active(id, active)
            .then_some(())
            .ok_or(ModelError::UnknownId(id))
    }

    /// `uv_close(handle, cb)`: the callback runs in the close phase (LIFO within one pass).
    pub fn close_handle(
        &mut self,
        id: TaskId,
        callback: Option<(CallbackId, LabelId)>,
    ) -> Result<(), ModelError> {
        self.known(id)?;
        let handle_label = self.handles.get(id).map(|h| h.label);
        match self.handles.close(id, callback) {
            Ok(()) => {
                // Shown by its close callback's name, or the handle's own.
                if let Some(label) = callback.map(|(_, l)| l).or(handle_label) {
                    self.enqueued(QueueKind::Close, id, label);
                }
                Ok(())
            }
            Err(true) => Err(ModelError::AlreadyClosing(id)),
            Err(false) => Err(ModelError::UnknownId(id)),
        }
    }

    // ---- The call stack, the console, the process ------------------------------------------

    /// Push a host-call frame (`fs.readFile`, `db.query`) on top of the running callback.
    pub fn push_host_call(&mut self, label: LabelId) {
        self.stack.push(Frame {
            label,
            source: None,
        });
        self.emit(EventKind::HostCallStart { label });
    }

    /// Pop the innermost host-call frame (never a callback's own frame).
    pub fn pop_host_call(&mut self) {
        if let Some(f) = self.stack.last().copied() {
            if f.source.is_none() {
                self.stack.pop();
                self.emit(EventKind::HostCallEnd { label: f.label });
            }
        }
    }

    pub fn console(&mut self, stream: Stream, text: &str) {
        if !self.cfg.trace {
            // Counted, not copied: nobody records the trace.
            self.trace_count += 1;
            return;
        }
        self.emit(EventKind::Console {
            stream,
            text: text.into(),
        });
    }

    /// `uv_run` has returned: the loop has no work left. The next step exits, unless the
    /// driver calls [`Sim::emit_before_exit`] first.
    pub fn loop_done(&self) -> bool {
        self.cursor == Cursor::LoopDone
    }

    /// The program listens for 'beforeExit': the next step hands over a `Source::BeforeExit`
    /// callback instead of exiting (Node emits it whenever `uv_run` returns). Only when
    /// [`Sim::loop_done`].
    pub fn emit_before_exit(&mut self) -> Result<(), ModelError> {
        if self.cursor != Cursor::LoopDone {
            return Err(ModelError::LoopNotDone);
        }
        self.before_exit = true;
        Ok(())
    }

    /// `process.exitCode = code`.
    pub fn set_exit_code(&mut self, code: i32) {
        self.exit_code = code;
    }

    /// `process.exit(code)`, an uncaught exception, a fatal error: stop now.
    pub fn exit(&mut self, code: i32) {
        if self.cursor == Cursor::Exited {
            return;
        }
        if let Some(r) = self.running.take() {
            self.emit(EventKind::CallbackEnd {
                callback: r.inv.callback,
                cpu: r.cpu,
            });
        }
        self.stack.clear();
        self.drain = None;
        self.exit_code = code;
        self.exit_now(code);
    }

    pub(super) fn exit_now(&mut self, code: i32) {
        self.cursor = Cursor::Exited;
        self.emit(EventKind::Exit { code });
    }

    /// `histogram.reset()` / `enable()` of `monitorEventLoopDelay`: start a new measurement.
    pub fn reset_eld(&mut self, now: Micros) {
        self.metrics.reset_eld(now);
    }

    /// The event-loop delay samples since the last call (a load generator's per-interval
    /// view; the program's own `monitorEventLoopDelay` histogram is not touched).
    pub fn take_eld_window(&mut self) -> crate::metrics::Histogram {
        self.metrics.take_eld_window()
    }
}
