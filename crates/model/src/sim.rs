//! The simulation: one Node.js 20 process, one `step()` at a time.
//!
//! The loop driver mirrors libuv 1.46 `src/unix/core.c` (`uv_run`, `uv__loop_alive`,
//! `uv__backend_timeout`) and Node 20 `src/api/embed_helpers.cc` (`SpinEventLoop`),
//! `src/api/callback.cc` (`InternalCallbackScope::Close`) and
//! `lib/internal/process/task_queues.js` (`processTicksAndRejections`).
//!
//! HOW: `uv_run` is a loop of phase calls. We cannot run it as straight-line code, because every
//! JavaScript callback is run by the *driver* (the engine, or a synthetic request generator) and
//! the UI wants to stop between any two events. So the loop's position is kept in a `Cursor` and
//! `step()` moves it by one observable event: entering or leaving a phase, handing a callback to
//! the driver (`Step::Run`), sleeping in poll. `uv_run` itself reads as the table in `advance`:
//!
//! ```text
//!   main script, checkpoint                        (Node: LoadEnvironment)
//!   uv__update_time; uv__run_timers                (once, before the loop, libuv >= 1.45)
//!   while (uv__loop_alive) {
//!     uv__run_pending; uv__run_idle; uv__run_prepare;
//!     uv__io_poll(uv__backend_timeout);
//!     up to 8 more uv__run_pending;
//!     uv__run_check; uv__run_closing_handles;
//!     uv__update_time; uv__run_timers;
//!   }
//! ```
//!
//! Each phase *takes* its queue before running a callback (`std::mem::take`), so whatever a
//! callback queues for the same phase waits for the next pass. After every macrotask callback
//! (main script, timer, immediate, I/O, close, pending) the checkpoint runs, exactly as
//! `processTicksAndRejections` does: all nextTicks, then all microtasks, again until both are
//! empty, then unhandled rejections.
//!
//! Time: the loop thread is either running a callback (time advances by the CPU the callback
//! costs) or sleeping in `epoll_wait` (time jumps to the next event). Meanwhile the thread pool
//! and the network progress on their own: `advance_to` processes those background events in
//! time order, so a pool job can finish *while* a callback busy-waits, and is noticed at the
//! next poll phase, as in Node.
//!
//! Going backwards: `Sim` is `Clone`, and a clone is a full snapshot (O(state) memory, no shared
//! structure); the engine cannot clone a JavaScript heap, so it steps back by deterministic replay
//! from the start to step N (O(N) time). Both rely on the same guarantee: same config, same seed,
//! same driver answers → the same trace.

use std::collections::{BTreeMap, VecDeque};

use crate::config::{check_pool_size, Config};
use crate::error::ModelError;
use crate::handles::{HandleKind, Handles};
use crate::ids::{CallbackId, IdMap, LabelId, Labels, TaskId, WorkerId};
use crate::immediates::Immediates;
use crate::metrics::Metrics;
use crate::poller::{Poller, Ready, Watcher};
use crate::rng::Rng;
use crate::threadpool::{Started, ThreadPool, WorkReq, WorkSpec};
use crate::time::Micros;
use crate::timers::{coerce_delay, NodeTimers};
use crate::trace::{EventKind, Phase, QueueKind, Source, Stream, TraceEvent};

/// A callback the driver must run now, then call `finish_callback`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub callback: CallbackId,
    pub source: Source,
    /// The frame name (function name, or "(anonymous)") the driver gave when scheduling.
    pub label: LabelId,
}

/// What one `step()` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The loop moved (new trace events); nothing for the driver to do.
    Progress,
    /// The driver runs this callback, then calls `finish_callback()`.
    Run(Invocation),
    /// Nothing can happen until the outside world sends input (`watch_at` on a handle).
    AwaitingInput,
    /// The process has exited with this code.
    Exited(i32),
}

/// Runs callbacks for `Sim::run`/`run_until`: the boundary between the model and its driver.
pub trait Driver {
    /// Run `inv`'s callback: schedule through `sim`, spend CPU with `sim.spend_cpu`.
    fn run(&mut self, sim: &mut Sim, inv: Invocation) -> Result<(), ModelError>;
}

/// Where `uv_run` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cursor {
    /// The main script has not run yet.
    BeforeMain,
    /// The main script ran; next: enter `uv_run`.
    AfterMain,
    Enter(Phase),
    In(Phase),
    Leave(Phase),
    /// Sleeping in `epoll_wait` until `until` (None: until I/O arrives).
    PollWait {
        until: Option<Micros>,
        timeout_ms: Option<u64>,
    },
    Exited,
}

/// The checkpoint after a callback (`processTicksAndRejections`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drain {
    /// `while (tock = queue.shift())`
    Ticks,
    /// `runMicrotasks()`
    Microtasks,
}

#[derive(Clone, Copy, Debug)]
struct Running {
    inv: Invocation,
    cpu: Micros,
    /// Loop clock when the callback began (an interval's next start).
    start_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Task {
    id: TaskId,
    callback: CallbackId,
    label: LabelId,
}

/// One entry of the poll phase's taken batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PollItem {
    Ready(Ready),
    /// A completion taken by `uv__work_done`.
    Work(TaskId),
}

/// What the background (thread pool, network) does at a point in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Background {
    WorkerDone(WorkerId),
    IoReady(TaskId),
}

/// A frame on the (modelled) JavaScript call stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub label: LabelId,
    /// None for a host call the driver pushed on top of a callback.
    pub source: Option<Source>,
}

/// How a driver asks for an I/O watcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchSpec {
    /// What is awaited ("db.query", "connection", ...).
    pub op: LabelId,
    /// The handle it belongs to, if any (a stand-alone watcher counts as an active request).
    pub handle: Option<TaskId>,
}

/// One simulated Node.js process.
#[derive(Clone, Debug)]
pub struct Sim {
    /// Costs, seed, pool size; fixed for the run.
    cfg: Config,
    /// Frame and operation names.
    labels: Labels,
    /// Every random decision draws from here, in program order.
    rng: Rng,
    /// Source of `TaskId`s; also the insertion sequence for ties.
    next_task: u64,
    /// Tie-breaker for background events at the same instant.
    next_seq: u64,
    /// Virtual time. Invariant: never decreases.
    now: Micros,
    /// libuv's cached `loop->time` in ms. Invariant: `loop_ms <= now.as_ms()`.
    loop_ms: u64,
    cursor: Cursor,
    /// The phase the UI should light (the last one entered).
    phase: Phase,
    /// True for the timers run before the first iteration.
    initial_timers: bool,
    /// How many extra `uv__run_pending` calls after poll have run this iteration.
    pending_reruns: u8,
    running: Option<Running>,
    drain: Option<Drain>,
    /// The engine reported a rejected promise with no handler (`hasRejectionToWarn`).
    rejection_pending: bool,
    exit_code: i32,
    stack: Vec<Frame>,
    timers: NodeTimers,
    immediates: Immediates,
    /// The `process.nextTick` queue.
    ticks: VecDeque<Task>,
    /// V8's microtask queue.
    microtasks: VecDeque<Task>,
    /// `loop->pending_queue`.
    pending: VecDeque<Task>,
    pool: ThreadPool,
    poller: Poller,
    handles: Handles,
    /// Background events by (time, sequence).
    timeline: BTreeMap<(Micros, u64), Background>,
    /// The current phase's taken queue (pending, check).
    batch: VecDeque<Task>,
    /// The poll phase's taken ready list.
    poll_batch: VecDeque<PollItem>,
    /// The close phase's taken `closing_handles`.
    close_batch: Vec<TaskId>,
    metrics: Metrics,
    trace: Vec<TraceEvent>,
    /// Trace events ever recorded (also those already taken).
    trace_count: u64,
    started_buf: Vec<Started>,
    /// The tag of the running callback (see [`Sim::set_tag`]): every task scheduled now
    /// inherits it.
    tag: Option<u64>,
    /// Tags of the tasks that have one.
    tags: IdMap<u64>,
    /// The tag of the last callback that started (it outlives the callback, for a UI that
    /// shows what the last step ran).
    ran_tag: Option<u64>,
}

impl Sim {
    pub fn new(cfg: Config) -> Result<Sim, ModelError> {
        cfg.validate()?;
        let metrics = Metrics::new(cfg.eld_resolution);
        Ok(Sim {
            rng: Rng::new(cfg.seed),
            pool: ThreadPool::new(cfg.pool_size),
            cfg,
            labels: Labels::default(),
            next_task: 1,
            next_seq: 0,
            tag: None,
            tags: IdMap::default(),
            ran_tag: None,
            now: Micros::ZERO,
            loop_ms: 0,
            cursor: Cursor::BeforeMain,
            phase: Phase::Main,
            initial_timers: false,
            pending_reruns: 0,
            running: None,
            drain: None,
            rejection_pending: false,
            exit_code: 0,
            stack: Vec::new(),
            timers: NodeTimers::new(),
            immediates: Immediates::default(),
            ticks: VecDeque::new(),
            microtasks: VecDeque::new(),
            pending: VecDeque::new(),
            poller: Poller::default(),
            handles: Handles::default(),
            timeline: BTreeMap::new(),
            batch: VecDeque::new(),
            poll_batch: VecDeque::new(),
            close_batch: Vec::new(),
            metrics,
            trace: Vec::new(),
            trace_count: 0,
            started_buf: Vec::new(),
        })
    }

    // ----------------------------------------------------------------------------------------
    // Progress: step, run, run_until.
    // ----------------------------------------------------------------------------------------

    /// Advance to the next observable event.
    pub fn step(&mut self) -> Result<Step, ModelError> {
        self.step_bounded(None)
    }

    /// Like `step`, but a poll sleep stops at `limit` (the UI's "play until t").
    pub fn step_until(&mut self, limit: Micros) -> Result<Step, ModelError> {
        self.step_bounded(Some(limit))
    }

    fn step_bounded(&mut self, limit: Option<Micros>) -> Result<Step, ModelError> {
        if let Some(r) = self.running {
            return Err(ModelError::CallbackInProgress(r.inv.callback));
        }
        if self.cursor == Cursor::Exited {
            return Ok(Step::Exited(self.exit_code));
        }
        if let Some(inv) = self.next_checkpoint_item() {
            return Ok(self.dispatch(inv));
        }
        Ok(self.advance(limit))
    }

    /// Run to exit (or until only outside input could continue), with `driver` running callbacks.
    pub fn run<D: Driver>(&mut self, driver: &mut D) -> Result<Step, ModelError> {
        self.run_until(Micros::MAX, driver)
    }

    /// Run until virtual time reaches `limit`, the process exits, or it awaits input.
    pub fn run_until<D: Driver>(
        &mut self,
        limit: Micros,
        driver: &mut D,
    ) -> Result<Step, ModelError> {
        loop {
            if self.now >= limit && limit != Micros::MAX {
                return Ok(Step::Progress);
            }
            match self.step_until(limit)? {
                Step::Run(inv) => {
                    driver.run(self, inv)?;
                    if self.running.is_some() {
                        self.finish_callback()?;
                    }
                }
                Step::Progress => {}
                done @ (Step::Exited(_) | Step::AwaitingInput) => return Ok(done),
            }
        }
    }

    /// `uv_run`, one move at a time. Reads top to bottom like libuv's `uv_run`.
    fn advance(&mut self, limit: Option<Micros>) -> Step {
        match self.cursor {
            Cursor::BeforeMain => {
                let label = self.labels.intern("(main script)");
                let inv = Invocation {
                    callback: CallbackId(0),
                    source: Source::Main,
                    label,
                };
                self.enter_phase(Phase::Main);
                self.cursor = Cursor::AfterMain;
                self.dispatch(inv)
            }
            Cursor::AfterMain => {
                self.emit(EventKind::PhaseLeave(Phase::Main));
                // uv_run: `r = uv__loop_alive(loop); if (!r) uv__update_time(loop);`
                self.update_time();
                self.metrics.loop_started(self.now);
                if self.is_alive() {
                    // "Maintain backwards compatibility by processing timers before entering
                    // the while loop": the timers run once before the first iteration.
                    self.initial_timers = true;
                    self.cursor = Cursor::Enter(Phase::Timers);
                } else {
                    self.exit_now(self.exit_code);
                }
                Step::Progress
            }
            Cursor::Enter(phase) => {
                self.enter(phase);
                Step::Progress
            }
            Cursor::In(phase) => self.run_phase(phase),
            Cursor::Leave(phase) => {
                self.emit(EventKind::PhaseLeave(phase));
                self.cursor = match phase {
                    Phase::Main => Cursor::AfterMain,
                    Phase::Pending if self.pending_reruns > 0 => self.after_poll(),
                    Phase::Pending => Cursor::Enter(Phase::Idle),
                    Phase::Idle => Cursor::Enter(Phase::Prepare),
                    Phase::Prepare => Cursor::Enter(Phase::Poll),
                    Phase::Poll => self.after_poll(),
                    Phase::Check => Cursor::Enter(Phase::Close),
                    Phase::Close => Cursor::Enter(Phase::Timers),
                    Phase::Timers => {
                        // The initial run is followed by the first iteration unconditionally;
                        // afterwards `r = uv__loop_alive(loop)` decides.
                        if std::mem::take(&mut self.initial_timers) || self.is_alive() {
                            self.start_iteration()
                        } else {
                            self.exit_now(self.exit_code);
                            Cursor::Exited
                        }
                    }
                };
                match self.cursor {
                    Cursor::Exited => Step::Exited(self.exit_code),
                    _ => Step::Progress,
                }
            }
            Cursor::PollWait { until, timeout_ms } => self.poll_wait(until, timeout_ms, limit),
            Cursor::Exited => Step::Exited(self.exit_code),
        }
    }

    fn start_iteration(&mut self) -> Cursor {
        self.metrics.iterations += 1;
        self.pending_reruns = 0;
        self.emit(EventKind::IterationStart {
            iteration: self.metrics.iterations,
        });
        Cursor::Enter(Phase::Pending)
    }

    /// "Process immediate callbacks (e.g. write_cb) a small fixed number of times to avoid loop
    /// starvation": up to 8 more pending runs, then check.
    fn after_poll(&mut self) -> Cursor {
        if self.pending_reruns < 8 && !self.pending.is_empty() {
            self.pending_reruns += 1;
            Cursor::Enter(Phase::Pending)
        } else {
            Cursor::Enter(Phase::Check)
        }
    }

    /// Entering a phase takes its queue, so work queued during the phase waits a full pass.
    fn enter(&mut self, phase: Phase) {
        self.enter_phase(phase);
        self.cursor = Cursor::In(phase);
        match phase {
            Phase::Main => {}
            Phase::Timers => self.run_timers_begin(),
            Phase::Pending => self.batch = std::mem::take(&mut self.pending),
            Phase::Idle => {
                if self.immediates.idle_active {
                    self.emit(EventKind::IdleHandle);
                }
                self.cursor = Cursor::Leave(phase);
            }
            Phase::Prepare => self.cursor = Cursor::Leave(phase),
            Phase::Poll => self.io_poll_begin(),
            Phase::Check => {
                // processImmediate: "Clear the linked list early in case new `setImmediate()`
                // calls occur while immediate callbacks are executed."
                self.batch = self
                    .immediates
                    .take_batch()
                    .into_iter()
                    .map(|id| Task {
                        id,
                        callback: CallbackId(0),
                        label: LabelId(0),
                    })
                    .collect();
            }
            Phase::Close => self.close_batch = self.handles.take_closing(),
        }
    }

    fn enter_phase(&mut self, phase: Phase) {
        self.phase = phase;
        self.emit(EventKind::PhaseEnter(phase));
    }

    /// One callback of the current phase, or leave it.
    fn run_phase(&mut self, phase: Phase) -> Step {
        let next = match phase {
            Phase::Timers => self.next_timer(),
            Phase::Pending => self.batch.pop_front().map(|t| {
                self.dequeue(QueueKind::Pending, t.id, true);
                Invocation {
                    callback: t.callback,
                    source: Source::Pending(t.id),
                    label: t.label,
                }
            }),
            Phase::Poll => self.next_poll_item(),
            Phase::Check => self.next_immediate(),
            Phase::Close => self.next_close(),
            Phase::Main | Phase::Idle | Phase::Prepare => None,
        };
        match next {
            Some(inv) => self.dispatch(inv),
            None => {
                if phase == Phase::Timers {
                    self.run_timers_end();
                }
                if phase == Phase::Check {
                    self.immediates.after_check();
                }
                self.cursor = Cursor::Leave(phase);
                Step::Progress
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Predicates: one rule per line, as in libuv.
    // ----------------------------------------------------------------------------------------

    /// `uv__loop_alive`: active handles, active requests, pending callbacks or closing handles.
    pub fn is_alive(&self) -> bool {
        self.has_active_handles()
            || self.has_active_reqs()
            || !self.pending.is_empty()
            || self.has_closing()
    }

    fn has_active_handles(&self) -> bool {
        self.handles.active_refed() > 0
            || (self.timers.handle.due_ms.is_some() && self.timers.handle.refed)
            || self.immediates.idle_active
    }

    fn has_active_reqs(&self) -> bool {
        self.pool.active_reqs() > 0 || self.poller.active_reqs() > 0
    }

    fn has_closing(&self) -> bool {
        !self.handles.closing().is_empty()
    }

    /// `uv__backend_timeout`: how long poll may block, in ms (None = until I/O arrives).
    pub fn poll_timeout(&self) -> Option<u64> {
        if !(self.has_active_handles() || self.has_active_reqs()) {
            return Some(0);
        }
        if !self.pending.is_empty() {
            return Some(0);
        }
        if self.immediates.idle_active {
            return Some(0);
        }
        if self.has_closing() {
            return Some(0);
        }
        self.next_timeout()
    }

    /// `uv__next_timeout`: until the timer handle is due (ref'd or not), or forever.
    fn next_timeout(&self) -> Option<u64> {
        self.timers
            .handle
            .due_ms
            .map(|due| due.saturating_sub(self.loop_ms))
    }

    // ----------------------------------------------------------------------------------------
    // Phases.
    // ----------------------------------------------------------------------------------------

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
        self.dequeue(QueueKind::Timers, due.id, true);
        Some(Invocation {
            callback: due.callback,
            source: Source::Timer(due.id),
            label: due.label,
        })
    }

    fn run_timers_end(&mut self) {
        if self.timers.is_processing() {
            self.timers.end_processing(self.loop_ms);
            self.emit(EventKind::TimerHandle {
                due_ms: self.timers.handle.due_ms,
            });
        }
    }

    /// `uv__io_poll(loop, timeout)` (libuv 1.46 `src/unix/linux.c`). Node configures the loop
    /// with `UV_METRICS_IDLE_TIME`, which makes the first `epoll_wait` non-blocking; libuv then
    /// refreshes the clock and sleeps only for what is left of the timeout, measured from the
    /// (possibly stale) clock the timeout was computed with. So a loop that was busy past a
    /// timer's due time does not sleep at all: that timer runs in this iteration's timers phase.
    fn io_poll_begin(&mut self) {
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
        let next_bg = self.timeline.keys().next().map(|(t, _)| *t);
        let until = match (next_bg, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
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
    fn poll_wait(
        &mut self,
        deadline: Option<Micros>,
        timeout_ms: Option<u64>,
        limit: Option<Micros>,
    ) -> Step {
        let next_bg = self.timeline.keys().next().map(|(t, _)| *t);
        let idle = next_bg.is_none() && deadline.is_none();
        let wake = match (next_bg, deadline) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            // Nothing can wake the loop but the outside world. A caller that gave a limit
            // (a UI that will send input then) sleeps until it; otherwise say so and stop.
            (None, None) => match limit {
                Some(l) if l > self.now && l != Micros::MAX => l,
                _ => {
                    self.emit(EventKind::AwaitingInput);
                    return Step::AwaitingInput;
                }
            },
        };
        let from = self.now;
        let target = match limit {
            Some(l) if l < wake => l.max(self.now),
            _ => wake,
        };
        self.advance_to(target);
        self.metrics.slept(from, target);
        if (target < wake || idle) && !self.poller.has_ready() {
            // Still asleep: the caller's limit came first.
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
                    self.dequeue(QueueKind::Poll, id, true);
                    self.emit(EventKind::OpTimes {
                        task: id,
                        submitted: w.submitted,
                        started: w.submitted,
                        finished: w.ready_at,
                    });
                    return Some(Invocation {
                        callback: w.callback,
                        source: Source::Io(id),
                        label: w.frame,
                    });
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
                    self.dequeue(QueueKind::PoolDone, id, true);
                    let started = req.started.unwrap_or(req.submitted);
                    let finished = req.finished.unwrap_or(started);
                    self.emit(EventKind::OpTimes {
                        task: id,
                        submitted: req.submitted,
                        started,
                        finished,
                    });
                    return Some(Invocation {
                        callback: req.callback,
                        source: Source::Work(id),
                        label: req.frame,
                    });
                }
            }
        }
    }

    fn next_immediate(&mut self) -> Option<Invocation> {
        while let Some(t) = self.batch.pop_front() {
            if let Some(imm) = self.immediates.start(t.id) {
                self.dequeue(QueueKind::Check, t.id, true);
                return Some(Invocation {
                    callback: imm.callback,
                    source: Source::Immediate(t.id),
                    label: imm.label,
                });
            }
        }
        None
    }

    /// `uv__finish_close` for the next handle (newest `uv_close` first).
    fn next_close(&mut self) -> Option<Invocation> {
        while !self.close_batch.is_empty() {
            let id = self.close_batch.remove(0);
            let Some(h) = self.handles.finish_close(id) else {
                continue;
            };
            self.dequeue(QueueKind::Close, id, true);
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

    // ----------------------------------------------------------------------------------------
    // Callbacks and the checkpoint after each.
    // ----------------------------------------------------------------------------------------

    fn dispatch(&mut self, inv: Invocation) -> Step {
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
        self.running = Some(Running {
            inv,
            cpu: Micros::ZERO,
            start_ms: self.now.as_ms(),
        });
        self.metrics.callbacks += 1;
        self.charge(self.cfg.callback_cost);
        Step::Run(inv)
    }

    fn charge(&mut self, amount: Micros) {
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
            if let Some(t) = self.timers.get(id) {
                let label = t.label;
                self.emit(EventKind::Enqueue {
                    queue: QueueKind::Timers,
                    task: id,
                    label,
                });
            }
        }
        if r.inv.source == Source::Rejections || r.inv.source.is_macrotask() {
            self.drain = Some(Drain::Ticks);
        }
        // A task that will not run again needs its tag no more (an interval and a socket's
        // watcher run again).
        self.tag = None;
        if let Some(task) = r.inv.source.task() {
            let again = match r.inv.source {
                Source::Timer(id) => self.timers.get(id).is_some(),
                Source::Io(id) => self.poller.get(id).is_some(),
                _ => false,
            };
            if !again {
                self.tags.remove(&task);
            }
        }
        Ok(())
    }

    /// `processTicksAndRejections`:
    /// ```text
    /// do {
    ///   while (tock = queue.shift()) { callback() }
    ///   runMicrotasks();
    /// } while (!queue.isEmpty() || processPromiseRejections());
    /// ```
    fn next_checkpoint_item(&mut self) -> Option<Invocation> {
        loop {
            match self.drain? {
                Drain::Ticks => match self.ticks.pop_front() {
                    Some(t) => {
                        self.dequeue(QueueKind::NextTick, t.id, true);
                        return Some(Invocation {
                            callback: t.callback,
                            source: Source::Tick(t.id),
                            label: t.label,
                        });
                    }
                    None => self.drain = Some(Drain::Microtasks),
                },
                Drain::Microtasks => {
                    if let Some(t) = self.microtasks.pop_front() {
                        self.dequeue(QueueKind::Microtask, t.id, true);
                        return Some(Invocation {
                            callback: t.callback,
                            source: Source::Microtask(t.id),
                            label: t.label,
                        });
                    }
                    if !self.ticks.is_empty() {
                        self.drain = Some(Drain::Ticks);
                        continue;
                    }
                    self.drain = None;
                    if std::mem::take(&mut self.rejection_pending) {
                        let label = self.labels.intern("processPromiseRejections");
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

    // ----------------------------------------------------------------------------------------
    // Time.
    // ----------------------------------------------------------------------------------------

    /// `uv__update_time`, recorded in the trace.
    fn update_time(&mut self) {
        if self.update_time_quiet() {
            self.emit(EventKind::UpdateTime {
                loop_ms: self.loop_ms,
            });
        }
    }

    fn update_time_quiet(&mut self) -> bool {
        let ms = self.now.as_ms();
        let changed = ms != self.loop_ms;
        self.loop_ms = ms;
        changed
    }

    /// Move virtual time to `to`, letting the thread pool and the network progress meanwhile.
    fn advance_to(&mut self, to: Micros) {
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
                        let label = self.pool.req(task).map(|r| r.frame).unwrap_or(LabelId(0));
                        self.emit(EventKind::Enqueue {
                            queue: QueueKind::PoolDone,
                            task,
                            label,
                        });
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

    fn pool_dispatch(&mut self) {
        let mut started = std::mem::take(&mut self.started_buf);
        started.clear();
        self.pool.dispatch(self.now, &mut started);
        for s in &started {
            let label = self
                .pool
                .req(s.task)
                .map(|r| r.spec.label)
                .unwrap_or(LabelId(0));
            self.emit(EventKind::Dequeue {
                queue: QueueKind::PoolQueue,
                task: s.task,
                ran: true,
            });
            self.emit(EventKind::JobStart {
                worker: s.worker,
                task: s.task,
                label,
            });
            let seq = self.seq();
            self.timeline
                .insert((s.until, seq), Background::WorkerDone(s.worker));
        }
        self.started_buf = started;
    }

    // ----------------------------------------------------------------------------------------
    // The driver's API, used while a callback runs.
    // ----------------------------------------------------------------------------------------

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

    fn task(&mut self) -> TaskId {
        let id = TaskId(self.next_task);
        self.next_task += 1;
        if let Some(tag) = self.tag {
            self.tags.insert(id, tag);
        }
        id
    }

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
    fn seq(&mut self) -> u64 {
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
        self.emit(EventKind::Enqueue {
            queue: QueueKind::Timers,
            task: id,
            label,
        });
        id
    }

    /// `clearTimeout`/`clearInterval`: Ok(false) for a timer that already ran or was cleared.
    pub fn clear_timer(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let scheduled = self.timers.get(id).is_some();
        let cleared = self.timers.clear(id);
        if cleared && scheduled {
            self.emit(EventKind::Dequeue {
                queue: QueueKind::Timers,
                task: id,
                ran: false,
            });
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
                self.emit(EventKind::Dequeue {
                    queue: QueueKind::Timers,
                    task: id,
                    ran: false,
                });
            }
            let label = self.timers.get(id).map(|t| t.label).unwrap_or(LabelId(0));
            self.emit(EventKind::Enqueue {
                queue: QueueKind::Timers,
                task: id,
                label,
            });
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
        self.emit(EventKind::Enqueue {
            queue: QueueKind::Check,
            task: id,
            label,
        });
        id
    }

    pub fn clear_immediate(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let cleared = self.immediates.clear(id);
        if cleared {
            self.emit(EventKind::Dequeue {
                queue: QueueKind::Check,
                task: id,
                ran: false,
            });
        }
        Ok(cleared)
    }

    pub fn set_immediate_ref(&mut self, id: TaskId, refed: bool) -> Result<bool, ModelError> {
        self.known(id)?;
        Ok(self.immediates.set_ref(id, refed))
    }

    /// `process.nextTick(cb)`.
    pub fn next_tick(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        let id = self.task();
        self.ticks.push_back(Task {
            id,
            callback,
            label,
        });
        self.emit(EventKind::Enqueue {
            queue: QueueKind::NextTick,
            task: id,
            label,
        });
        id
    }

    /// A promise job or `queueMicrotask(cb)`.
    pub fn queue_microtask(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        let id = self.task();
        self.microtasks.push_back(Task {
            id,
            callback,
            label,
        });
        self.emit(EventKind::Enqueue {
            queue: QueueKind::Microtask,
            task: id,
            label,
        });
        id
    }

    /// The engine saw a promise rejected with no handler (V8's `kPromiseRejectWithNoHandler`):
    /// the checkpoint will end with `processPromiseRejections`.
    pub fn note_unhandled_rejection(&mut self) {
        self.rejection_pending = true;
    }

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
        let label = spec.label;
        let req = WorkReq {
            callback,
            frame,
            spec,
            submitted: self.now,
            started: None,
            finished: None,
            worker: None,
        };
        self.pool.submit(id, req);
        self.emit(EventKind::Enqueue {
            queue: QueueKind::PoolQueue,
            task: id,
            label,
        });
        self.pool_dispatch();
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
    pub fn watch_at(
        &mut self,
        spec: WatchSpec,
        at: Micros,
        callback: CallbackId,
        frame: LabelId,
    ) -> Result<TaskId, ModelError> {
        if at < self.now {
            return Err(ModelError::InThePast {
                at: at.0,
                now: self.now.0,
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
        self.emit(EventKind::Enqueue {
            queue: QueueKind::Poll,
            task: id,
            label: spec.op,
        });
        let seq = self.seq();
        self.timeline.insert((at, seq), Background::IoReady(id));
        Ok(id)
    }

    /// Stop watching (a socket destroyed before its reply): Ok(false) if it already ran.
    pub fn cancel_watch(&mut self, id: TaskId) -> Result<bool, ModelError> {
        self.known(id)?;
        let removed = self.poller.remove(id).is_some();
        if removed {
            self.emit(EventKind::Dequeue {
                queue: QueueKind::Poll,
                task: id,
                ran: false,
            });
        }
        Ok(removed)
    }

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
        let label = self.handles.get(id).map(|h| h.label);
        match self.handles.close(id, callback) {
            Ok(()) => {
                let label = callback.map(|(_, l)| l).or(label).unwrap_or(LabelId(0));
                self.emit(EventKind::Enqueue {
                    queue: QueueKind::Close,
                    task: id,
                    label,
                });
                Ok(())
            }
            Err(true) => Err(ModelError::AlreadyClosing(id)),
            Err(false) => Err(ModelError::UnknownId(id)),
        }
    }

    /// Defer a callback to the next pending phase (`uv__io_feed`, e.g. a write's completion).
    pub fn queue_pending(&mut self, callback: CallbackId, label: LabelId) -> TaskId {
        let id = self.task();
        self.pending.push_back(Task {
            id,
            callback,
            label,
        });
        self.emit(EventKind::Enqueue {
            queue: QueueKind::Pending,
            task: id,
            label,
        });
        id
    }

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
        self.emit(EventKind::Console {
            stream,
            text: text.into(),
        });
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

    fn exit_now(&mut self, code: i32) {
        self.cursor = Cursor::Exited;
        self.emit(EventKind::Exit { code });
    }

    // ----------------------------------------------------------------------------------------
    // Observation.
    // ----------------------------------------------------------------------------------------

    fn emit(&mut self, kind: EventKind) {
        self.trace_count += 1;
        if self.cfg.trace {
            self.trace.push(TraceEvent { at: self.now, kind });
        }
    }

    fn dequeue(&mut self, queue: QueueKind, task: TaskId, ran: bool) {
        self.emit(EventKind::Dequeue { queue, task, ran });
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
    /// `histogram.reset()` / `enable()` of `monitorEventLoopDelay`: start a new measurement.
    pub fn reset_eld(&mut self, now: Micros) {
        self.metrics.reset_eld(now);
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

    // Accessors the snapshot module needs.
    pub(crate) fn ticks_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        self.ticks.iter().map(|t| (t.id, t.label))
    }
    pub(crate) fn microtasks_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        self.microtasks.iter().map(|t| (t.id, t.label))
    }
    pub(crate) fn pending_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        self.batch_if(Phase::Pending)
            .chain(self.pending.iter().map(|t| (t.id, t.label)))
    }
    fn batch_if(&self, phase: Phase) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        let active = self.cursor == Cursor::In(phase);
        self.batch
            .iter()
            .filter(move |_| active)
            .map(|t| (t.id, t.label))
    }
    /// Immediates: the rest of the batch being run, then those queued for the next check phase.
    pub(crate) fn check_iter(&self) -> impl Iterator<Item = (TaskId, LabelId)> + '_ {
        let active = self.cursor == Cursor::In(Phase::Check);
        let running = self
            .batch
            .iter()
            .filter(move |_| active)
            .filter_map(|t| self.immediates.is_live(t.id).then_some(t.id))
            .filter_map(|id| self.immediates.label_of(id).map(|l| (id, l)));
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
        let batch = self.poll_batch.iter().filter_map(|p| match p {
            PollItem::Work(id) => Some(*id),
            _ => None,
        });
        batch.chain(self.pool.done_queue().iter().copied())
    }
    pub(crate) fn is_poll_waiting(&self) -> bool {
        matches!(self.cursor, Cursor::PollWait { .. })
    }
}
