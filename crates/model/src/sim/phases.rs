//! Each phase's glue, in libuv's order and with libuv's names: what a phase takes when it
//! begins, which callback it hands over next, what it does when its queue is empty. Also the
//! poll phase's sleep and what happens in the background meanwhile (the thread pool finishing
//! jobs, the network delivering replies).
//!
//! Every phase begins by *taking* its queue (`std::mem::take`), as libuv does
//! (`loop->closing_handles = NULL` first; timers collected into a ready queue first): whatever
//! a callback queues for the phase it runs in waits for the next pass.

use crate::ids::{CallbackId, TaskId};
use crate::poller::Ready;
use crate::threadpool::WorkReq;
use crate::time::Micros;
use crate::trace::{EventKind, Phase, QueueKind, Source};

use super::{Background, Cursor, Invocation, PollItem, Sim, Step};

impl Sim {
    /// Node's `LoadEnvironment`: the entry module runs before `uv_run`.
    pub(super) fn run_main_script(&mut self) -> Step {
        let label = self.labels.intern(super::MAIN_SCRIPT);
        self.enter_phase(Phase::Main);
        self.cursor = Cursor::AfterMain;
        self.dispatch(Invocation {
            callback: CallbackId(0),
            source: Source::Main,
            label,
        })
    }

    pub(super) fn enter_phase(&mut self, phase: Phase) {
        self.phase = phase;
        self.emit(EventKind::PhaseEnter(phase));
    }

    /// A phase begins: it takes its queue, so work queued during the phase waits a full pass.
    pub(super) fn begin_phase(&mut self, phase: Phase) {
        match phase {
            Phase::Main => {}
            Phase::Timers => self.run_timers_begin(),
            Phase::Pending => self.run_pending_begin(),
            Phase::Idle => self.run_idle(),
            Phase::Prepare => self.run_prepare(),
            Phase::Poll => self.io_poll_begin(),
            Phase::Check => self.run_check_begin(),
            Phase::Close => self.run_closing_handles_begin(),
        }
    }

    /// The phase's next callback, or None when its taken queue is empty.
    pub(super) fn next_in_phase(&mut self, phase: Phase) -> Option<Invocation> {
        match phase {
            Phase::Timers => self.next_timer(),
            Phase::Pending => self.next_pending(),
            Phase::Poll => self.next_poll_item(),
            Phase::Check => self.next_immediate(),
            Phase::Close => self.next_close(),
            Phase::Main | Phase::Idle | Phase::Prepare => None,
        }
    }

    /// The phase's queue is done.
    pub(super) fn end_phase(&mut self, phase: Phase) {
        match phase {
            Phase::Timers => self.run_timers_end(),
            // CheckImmediate after processImmediate: stop the idle handle if no ref'd
            // immediates remain.
            Phase::Check => self.immediates.after_check(),
            _ => {}
        }
    }

    // ---- uv__update_time; uv__run_timers --------------------------------------------------

    /// `uv__update_time` then `uv__run_timers`: Node's timer handle fires `RunTimers`, which
    /// reads `now` once (`GetNow()`) and calls `processTimers(now)`.
    fn run_timers_begin(&mut self) {
        self.update_time();
        self.metrics.timers_phase(self.now);
        if self.timers.handle_due(self.loop_ms) {
            self.timers.begin_processing(self.loop_ms);
        }
    }

    fn next_timer(&mut self) -> Option<Invocation> {
        if !self.timers.is_processing() {
            return None;
        }
        let due = self.timers.next_due()?;
        if due.repeat {
            // `if (timer._repeat) start = getLibuvNow();` refreshes the loop clock.
            self.update_time_quiet();
        }
        Some(self.ran_from(
            QueueKind::Timers,
            Source::Timer(due.id),
            due.callback,
            due.label,
        ))
    }

    fn run_timers_end(&mut self) {
        if self.timers.is_processing() {
            self.timers.end_processing(self.loop_ms);
            self.emit(EventKind::TimerHandle {
                due_ms: self.timers.handle.due_ms,
            });
        }
    }

    // ---- uv__run_pending ------------------------------------------------------------------

    fn run_pending_begin(&mut self) {
        self.pending_batch = std::mem::take(&mut self.pending);
    }

    fn next_pending(&mut self) -> Option<Invocation> {
        let t = self.pending_batch.pop_front()?;
        Some(self.ran_from(
            QueueKind::Pending,
            Source::Pending(t.id),
            t.callback,
            t.label,
        ))
    }

    // ---- uv__run_idle; uv__run_prepare ----------------------------------------------------

    /// Node's immediate idle handle runs here: an empty callback whose only job is to keep
    /// poll from blocking while immediates wait.
    fn run_idle(&mut self) {
        if self.immediates.idle_active {
            self.emit(EventKind::IdleHandle);
        }
        self.cursor = Cursor::Leave(Phase::Idle);
    }

    /// Nothing of Node's runs in prepare that a program can see.
    fn run_prepare(&mut self) {
        self.cursor = Cursor::Leave(Phase::Prepare);
    }

    // ---- uv__io_poll ----------------------------------------------------------------------

    /// `uv__io_poll(loop, timeout)` (libuv 1.46 `src/unix/linux.c`). Node configures the loop
    /// with `UV_METRICS_IDLE_TIME`, which makes the first `epoll_wait` non-blocking; libuv then
    /// refreshes the clock and sleeps only for what is left of the timeout, measured from the
    /// (possibly stale) clock the timeout was computed with. So a loop that was busy past a
    /// timer's due time does not sleep at all: that timer runs in this iteration's timers phase.
    fn io_poll_begin(&mut self) {
        // What became ready by now (a watcher due at this very instant, such as the EOF of a
        // peer that closed its socket in this iteration) is in epoll's ready list.
        self.advance_to(self.now);
        let timeout = self.poll_timeout();
        let base = self.loop_ms;
        self.update_time();
        if self.poller.has_ready() || timeout == Some(0) {
            self.take_ready();
            return;
        }
        // `real_timeout -= (loop->time - base); if (real_timeout <= 0) return;`
        let remaining = timeout.map(|t| t as i64 - (self.loop_ms - base) as i64);
        if matches!(remaining, Some(r) if r <= 0) {
            self.take_ready();
            return;
        }
        let deadline = remaining.map(|r| self.now + Micros::from_ms(r as u64));
        let until = earliest(self.next_background(), deadline);
        self.emit(EventKind::PollWait {
            timeout_ms: remaining.map(|r| r as u64),
            until: until.unwrap_or(Micros::MAX),
        });
        self.cursor = Cursor::PollWait {
            until: deadline,
            timeout_ms: timeout,
        };
    }

    /// Sleeping in `epoll_wait`: wake at the first background event or the deadline.
    pub(super) fn poll_wait(
        &mut self,
        deadline: Option<Micros>,
        timeout_ms: Option<u64>,
        limit: Option<Micros>,
    ) -> Step {
        let next_bg = self.next_background();
        let idle = next_bg.is_none() && deadline.is_none();
        let wake = match earliest(next_bg, deadline) {
            Some(t) => t,
            // Nothing can wake the loop but the outside world. A caller that gave a limit
            // (a UI that will send input then) sleeps until it; otherwise say so and stop.
            None => match limit {
                Some(l) if l > self.now && l != Micros::MAX => {
                    self.limit_cut = true;
                    l
                }
                _ => {
                    self.kernel_seen = self.now;
                    self.emit(EventKind::AwaitingInput);
                    return Step::AwaitingInput;
                }
            },
        };
        let from = self.now;
        let target = match limit {
            Some(l) if l < wake => {
                self.limit_cut = true;
                l.max(self.now)
            }
            _ => wake,
        };
        self.advance_to(target);
        self.metrics.slept(from, target);
        if (target < wake || idle) && !self.poller.has_ready() {
            // Still asleep: the caller's limit came first.
            self.kernel_seen = self.now;
            self.cursor = Cursor::PollWait {
                until: deadline,
                timeout_ms,
            };
            return Step::Progress;
        }
        self.take_ready();
        Step::Progress
    }

    /// `epoll_wait` returned: refresh the clock, take the ready list.
    fn take_ready(&mut self) {
        self.kernel_seen = self.now;
        self.update_time();
        self.poll_batch = self
            .poller
            .take_ready()
            .into_iter()
            .map(PollItem::Ready)
            .collect();
        self.cursor = Cursor::In(Phase::Poll);
    }

    fn next_poll_item(&mut self) -> Option<Invocation> {
        loop {
            match self.poll_batch.pop_front()? {
                PollItem::Ready(Ready::Io(id)) => {
                    let Some(w) = self.poller.remove(id) else {
                        continue;
                    };
                    self.last_op = Some((id, w.op));
                    let inv = self.ran_from(QueueKind::Poll, Source::Io(id), w.callback, w.frame);
                    self.emit(EventKind::OpTimes {
                        task: id,
                        submitted: w.submitted,
                        started: w.submitted,
                        finished: w.ready_at,
                    });
                    return Some(inv);
                }
                PollItem::Ready(Ready::WorkDone) => {
                    // uv__async_io → uv__work_done: take everything finished so far, in order.
                    self.poller.clear_async();
                    let done = self.pool.take_done();
                    for (i, id) in done.into_iter().enumerate() {
                        self.poll_batch.insert(i, PollItem::Work(id));
                    }
                }
                PollItem::Work(id) => {
                    let Some(req) = self.pool.retire(id) else {
                        continue;
                    };
                    self.last_op = Some((id, req.spec.label));
                    let inv = self.ran_from(
                        QueueKind::PoolDone,
                        Source::Work(id),
                        req.callback,
                        req.frame,
                    );
                    let started = req.started.unwrap_or(req.submitted);
                    self.emit(EventKind::OpTimes {
                        task: id,
                        submitted: req.submitted,
                        started,
                        finished: req.finished.unwrap_or(started),
                    });
                    return Some(inv);
                }
            }
        }
    }

    // ---- uv__run_check --------------------------------------------------------------------

    /// processImmediate: "Clear the linked list early in case new `setImmediate()` calls occur
    /// while immediate callbacks are executed."
    fn run_check_begin(&mut self) {
        self.check_batch = self.immediates.take_batch();
    }

    fn next_immediate(&mut self) -> Option<Invocation> {
        while let Some(id) = self.check_batch.pop_front() {
            // A cleared immediate is a tombstone in the taken batch: skipped.
            if let Some(imm) = self.immediates.start(id) {
                return Some(self.ran_from(
                    QueueKind::Check,
                    Source::Immediate(id),
                    imm.callback,
                    imm.label,
                ));
            }
        }
        None
    }

    // ---- uv__run_closing_handles ----------------------------------------------------------

    fn run_closing_handles_begin(&mut self) {
        self.close_batch = self.handles.take_closing();
    }

    /// `uv__finish_close` for the next handle (newest `uv_close` first).
    fn next_close(&mut self) -> Option<Invocation> {
        while !self.close_batch.is_empty() {
            let id = self.close_batch.remove(0);
            let Some(h) = self.handles.finish_close(id) else {
                continue;
            };
            // A handle closed without a callback leaves the queue all the same.
            self.dequeued(QueueKind::Close, id);
            if let Some((callback, label)) = h.close_cb {
                return Some(Invocation {
                    callback,
                    source: Source::Close(id),
                    label,
                });
            }
        }
        None
    }

    // ---- Time, and the background meanwhile ----------------------------------------------

    /// `uv__update_time`, recorded in the trace.
    pub(super) fn update_time(&mut self) {
        if self.update_time_quiet() {
            self.emit(EventKind::UpdateTime {
                loop_ms: self.loop_ms,
            });
        }
    }

    pub(super) fn update_time_quiet(&mut self) -> bool {
        let ms = self.now.as_ms();
        let changed = ms != self.loop_ms;
        self.loop_ms = ms;
        changed
    }

    fn next_background(&self) -> Option<Micros> {
        self.timeline.keys().next().map(|(t, _)| *t)
    }

    /// Move virtual time to `to`, letting the thread pool and the network progress meanwhile.
    pub(super) fn advance_to(&mut self, to: Micros) {
        while let Some((&(at, seq), &bg)) = self.timeline.first_key_value() {
            if at > to {
                break;
            }
            self.timeline.remove(&(at, seq));
            self.now = self.now.max(at);
            match bg {
                Background::WorkerDone(w) => {
                    if let Some(task) = self.pool.complete(w, at) {
                        self.emit(EventKind::JobFinish { worker: w, task });
                        if let Some(frame) = self.pool.req(task).map(|r| r.frame) {
                            self.enqueued(QueueKind::PoolDone, task, frame);
                        }
                        self.poller.signal_async();
                        self.pool_dispatch();
                    }
                }
                Background::IoReady(id) => {
                    if self.poller.mark_ready(id) {
                        self.emit(EventKind::IoReady { task: id });
                    }
                }
            }
        }
        self.now = self.now.max(to);
    }

    /// Idle workers take the next jobs of the pool's queue (libuv's `worker` loop).
    pub(super) fn pool_dispatch(&mut self) {
        let mut started = std::mem::take(&mut self.started_buf);
        started.clear();
        self.pool.dispatch(self.now, &mut started);
        for s in &started {
            self.dequeued(QueueKind::PoolQueue, s.task);
            if let Some(label) = self.pool.req(s.task).map(|r| r.spec.label) {
                self.emit(EventKind::JobStart {
                    worker: s.worker,
                    task: s.task,
                    label,
                });
            }
            let seq = self.seq();
            self.timeline
                .insert((s.until, seq), Background::WorkerDone(s.worker));
        }
        self.started_buf = started;
    }

    /// A job enters the pool's queue and starts at once if a worker is idle.
    pub(super) fn queue_work(&mut self, id: TaskId, req: WorkReq) {
        let label = req.spec.label;
        self.pool.submit(id, req);
        self.enqueued(QueueKind::PoolQueue, id, label);
        self.pool_dispatch();
    }
}

/// The earlier of two optional instants.
fn earliest(a: Option<Micros>, b: Option<Micros>) -> Option<Micros> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
