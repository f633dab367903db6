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
//! the driver (`Step::Run`), sleeping in poll. `uv_run` itself reads as the table in `advance`,
//! and one iteration's phases are listed once, in [`Phase::LOOP`]:
//!
//! ```text
//!   main script, checkpoint                        (Node: LoadEnvironment)
//!   do {                                           (Node: SpinEventLoop)
//!     uv__update_time; uv__run_timers              (once, before the loop, libuv >= 1.45)
//!     while (uv__loop_alive) {
//!       uv__run_pending; uv__run_idle; uv__run_prepare;
//!       uv__io_poll(uv__backend_timeout);
//!       up to 8 more uv__run_pending;
//!       uv__run_check; uv__run_closing_handles;
//!       uv__update_time; uv__run_timers;
//!     }
//!     process.emit('beforeExit'), checkpoint       (only if the driver asks: it has listeners)
//!   } while (uv__loop_alive)
//! ```
//!
//! When `uv_run` returns, the model stops at [`Sim::loop_done`] for one step: a driver whose
//! program listens for 'beforeExit' calls [`Sim::emit_before_exit`], and the next step hands it
//! a `Source::BeforeExit` callback; if that leaves the loop alive, `uv_run` starts again (and
//! ends with another 'beforeExit'). A driver that does not ask sees the process exit.
//!
//! The module is split the way libuv splits its loop:
//!
//! | file            | holds                                                                |
//! |-----------------|----------------------------------------------------------------------|
//! | `mod.rs`        | the state, `step`, `uv_run` as a cursor (`advance`), the predicates  |
//! | `phases.rs`     | each phase's glue: take its queue, hand over its next callback; poll's sleep; the background (pool, network) |
//! | `checkpoint.rs` | running a callback, and `processTicksAndRejections` after it         |
//! | `api.rs`        | what a driver calls while a callback runs (`set_timeout`, `watch`, ...) |
//! | `observe.rs`    | the trace and read-only access for snapshots and UIs                 |
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

use crate::config::Config;
use crate::error::ModelError;
use crate::handles::Handles;
use crate::ids::{CallbackId, IdMap, LabelId, Labels, TaskId, WorkerId};
use crate::immediates::Immediates;
use crate::metrics::Metrics;
use crate::poller::{Poller, Ready};
use crate::rng::Rng;
use crate::threadpool::{Started, ThreadPool};
use crate::time::Micros;
use crate::timers::NodeTimers;
use crate::trace::{EventKind, Phase, Source, TraceEvent};

mod api;
mod checkpoint;
mod observe;
mod phases;

/// The frame label of the entry module.
pub const MAIN_SCRIPT: &str = "(main script)";
/// The frame label of Node's 'beforeExit' emit.
pub const BEFORE_EXIT: &str = "process.emit('beforeExit')";

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
    /// `uv_run` returned: the loop has no more work. Next: 'beforeExit' if the driver asked
    /// for it ([`Sim::emit_before_exit`]), else the process exits.
    LoopDone,
    /// 'beforeExit' ran; next: `uv_run` again if it left work, else exit.
    AfterBeforeExit,
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

/// A callback waiting in one of the model's own FIFO queues (nextTick, microtasks, pending).
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
    /// The driver asked for 'beforeExit' now that the loop is done.
    before_exit: bool,
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
    /// The operation of the watcher or pool request whose callback ran last (gone from the
    /// poller and the pool by then): what [`Sim::op_of`] tells of it after its step.
    last_op: Option<(TaskId, LabelId)>,
    handles: Handles,
    /// Background events by (time, sequence).
    timeline: BTreeMap<(Micros, u64), Background>,
    /// The pending phase's taken `pending_queue`.
    pending_batch: VecDeque<Task>,
    /// The check phase's taken `immediateQueue` (cleared ones are skipped as they come).
    check_batch: VecDeque<TaskId>,
    /// The poll phase's taken ready list.
    poll_batch: VecDeque<PollItem>,
    /// The close phase's taken `closing_handles`.
    close_batch: Vec<TaskId>,
    metrics: Metrics,
    /// The last instant the loop thread looked at the kernel (`epoll_wait` returned, or it was
    /// still asleep in it): outside input may be dated back to here (see [`Sim::watch_at`]).
    kernel_seen: Micros,
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
    /// The last step's poll sleep ended at the caller's limit, not at an event: only such a
    /// step needs its limit again to be replayed (see [`Sim::limit_cut`]).
    limit_cut: bool,
    /// The async context of the running callback (see [`Sim::set_async_context`]): passed on
    /// exactly as the tag is, but set by the program (AsyncLocalStorage), not by outside input.
    async_context: Option<u64>,
    /// Async contexts of the tasks that have one.
    async_contexts: IdMap<u64>,
    /// The CPU the last finished callback took (its base cost included): with `ran_tag`, what
    /// a load test charges to the request the callback worked for.
    last_cpu: Micros,
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
            async_context: None,
            async_contexts: IdMap::default(),
            last_cpu: Micros::ZERO,
            now: Micros::ZERO,
            loop_ms: 0,
            cursor: Cursor::BeforeMain,
            phase: Phase::Main,
            initial_timers: false,
            pending_reruns: 0,
            running: None,
            drain: None,
            rejection_pending: false,
            before_exit: false,
            exit_code: 0,
            stack: Vec::new(),
            timers: NodeTimers::new(),
            immediates: Immediates::default(),
            ticks: VecDeque::new(),
            microtasks: VecDeque::new(),
            pending: VecDeque::new(),
            poller: Poller::default(),
            last_op: None,
            handles: Handles::default(),
            timeline: BTreeMap::new(),
            pending_batch: VecDeque::new(),
            check_batch: VecDeque::new(),
            poll_batch: VecDeque::new(),
            close_batch: Vec::new(),
            metrics,
            kernel_seen: Micros::ZERO,
            trace: Vec::new(),
            trace_count: 0,
            started_buf: Vec::new(),
            limit_cut: false,
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
        self.limit_cut = false;
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

    // ----------------------------------------------------------------------------------------
    // uv_run.
    // ----------------------------------------------------------------------------------------

    /// `uv_run`, one move at a time. Reads top to bottom like libuv's `uv_run`; what each phase
    /// does is in `phases.rs`, which phase follows which is [`Phase::LOOP`].
    fn advance(&mut self, limit: Option<Micros>) -> Step {
        match self.cursor {
            Cursor::BeforeMain => self.run_main_script(),
            Cursor::AfterMain => {
                self.emit(EventKind::PhaseLeave(Phase::Main));
                self.update_time();
                self.metrics.loop_started(self.now);
                self.enter_uv_run();
                Step::Progress
            }
            Cursor::LoopDone => {
                if std::mem::take(&mut self.before_exit) {
                    // Node's SpinEventLoop: EmitProcessBeforeExit, a callback like any other
                    // (the checkpoint follows it).
                    self.cursor = Cursor::AfterBeforeExit;
                    let label = self.labels.intern(BEFORE_EXIT);
                    self.dispatch(Invocation {
                        callback: CallbackId(0),
                        source: Source::BeforeExit,
                        label,
                    })
                } else {
                    self.exit_now(self.exit_code);
                    Step::Exited(self.exit_code)
                }
            }
            Cursor::AfterBeforeExit => {
                // `more = uv_loop_alive(loop)`: work scheduled by 'beforeExit' runs the loop again.
                if self.is_alive() {
                    self.update_time();
                    self.enter_uv_run();
                    Step::Progress
                } else {
                    self.exit_now(self.exit_code);
                    Step::Exited(self.exit_code)
                }
            }
            Cursor::Enter(phase) => {
                self.enter_phase(phase);
                self.cursor = Cursor::In(phase);
                self.begin_phase(phase);
                Step::Progress
            }
            Cursor::In(phase) => match self.next_in_phase(phase) {
                Some(inv) => self.dispatch(inv),
                None => {
                    self.end_phase(phase);
                    self.cursor = Cursor::Leave(phase);
                    Step::Progress
                }
            },
            Cursor::Leave(phase) => {
                self.emit(EventKind::PhaseLeave(phase));
                self.cursor = self.after(phase);
                match self.cursor {
                    Cursor::Exited => Step::Exited(self.exit_code),
                    _ => Step::Progress,
                }
            }
            Cursor::PollWait { until, timeout_ms } => self.poll_wait(until, timeout_ms, limit),
            Cursor::Exited => Step::Exited(self.exit_code),
        }
    }

    /// Where the loop goes after leaving `phase`: the next phase of [`Phase::LOOP`], but for
    /// the pending re-runs after poll and the end of an iteration.
    fn after(&mut self, phase: Phase) -> Cursor {
        match phase {
            Phase::Main => Cursor::AfterMain,
            Phase::Pending if self.pending_reruns > 0 => self.after_poll(),
            Phase::Poll => self.after_poll(),
            // The end of an iteration. The initial run of the timers is followed by the first
            // iteration unconditionally; afterwards `r = uv__loop_alive(loop)` decides.
            Phase::Timers => {
                if std::mem::take(&mut self.initial_timers) || self.is_alive() {
                    self.start_iteration()
                } else {
                    Cursor::LoopDone
                }
            }
            other => Cursor::Enter(phase_after(other)),
        }
    }

    /// `uv_run` begins: `r = uv__loop_alive(loop); if (!r) uv__update_time(loop);` (the clock
    /// was just updated), then, if alive, "Maintain backwards compatibility by processing
    /// timers before entering the while loop": the timers run once before the first iteration.
    /// With nothing alive, `uv_run` returns at once.
    fn enter_uv_run(&mut self) {
        if self.is_alive() {
            self.initial_timers = true;
            self.cursor = Cursor::Enter(Phase::Timers);
        } else {
            self.cursor = Cursor::LoopDone;
        }
    }

    fn start_iteration(&mut self) -> Cursor {
        self.metrics.iterations += 1;
        self.pending_reruns = 0;
        self.emit(EventKind::IterationStart {
            iteration: self.metrics.iterations,
        });
        Cursor::Enter(Phase::LOOP[0])
    }

    /// "Process immediate callbacks (e.g. write_cb) a small fixed number of times to avoid loop
    /// starvation": up to 8 more pending runs, then check.
    fn after_poll(&mut self) -> Cursor {
        if self.pending_reruns < 8 && !self.pending.is_empty() {
            self.pending_reruns += 1;
            Cursor::Enter(Phase::Pending)
        } else {
            Cursor::Enter(phase_after(Phase::Poll))
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
}

/// The phase that follows `phase` in one iteration of [`Phase::LOOP`].
fn phase_after(phase: Phase) -> Phase {
    let i = Phase::LOOP.iter().position(|p| *p == phase).unwrap_or(0);
    Phase::LOOP[(i + 1) % Phase::LOOP.len()]
}
