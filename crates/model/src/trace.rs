//! The trace: one typed event per observable change, in the order it happened.
//!
//! HOW: the loop appends `TraceEvent`s to a buffer as it goes; a driver drains them with
//! `Sim::take_trace()`. The CLI prints them, the UI animates them, the tests compare them.
//! Every event carries the virtual time it happened at; events are appended in causal order, so
//! the timestamps never decrease.
//!
//! WHY one enum: the UI and the CLI must tell the same story, and the determinism test compares
//! traces for equality. Every event names things the way libuv and Node do (`uv__io_poll`,
//! `processImmediate`, ...), so a learner can look them up. Events are small (labels are
//! interned ids) so a trace of millions of events costs little.

use crate::ids::{CallbackId, LabelId, TaskId, WorkerId};
use crate::time::Micros;

/// The phases of `uv_run` (libuv 1.46, src/unix/core.c), plus Node's main script before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Node runs the entry module before entering `uv_run`.
    Main,
    /// `uv__run_timers`: Node's single timer handle fires `processTimers`.
    Timers,
    /// `uv__run_pending`: I/O callbacks deferred to the next iteration (e.g. write completions).
    Pending,
    /// `uv__run_idle`: Node's immediate idle handle lives here (it keeps poll from blocking).
    Idle,
    /// `uv__run_prepare`.
    Prepare,
    /// `uv__io_poll`: wait in epoll for sockets and thread-pool completions, then run their callbacks.
    Poll,
    /// `uv__run_check`: Node's check handle runs `processImmediate` (setImmediate callbacks).
    Check,
    /// `uv__run_closing_handles`: close callbacks, newest `uv_close` first.
    Close,
}

impl Phase {
    /// One iteration of `uv_run`: libuv's seven phase calls in the order they run (timers
    /// last, since libuv 1.45; Node's guide draws idle and prepare as one, hence "six phases").
    /// The loop driver follows this list; it is written nowhere else.
    pub const LOOP: [Phase; 7] = [
        Phase::Pending,
        Phase::Idle,
        Phase::Prepare,
        Phase::Poll,
        Phase::Check,
        Phase::Close,
        Phase::Timers,
    ];

    /// The name a learner would look up.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Main => "main",
            Phase::Timers => "timers",
            Phase::Pending => "pending",
            Phase::Idle => "idle",
            Phase::Prepare => "prepare",
            Phase::Poll => "poll",
            Phase::Check => "check",
            Phase::Close => "close",
        }
    }
    /// The phase called `name` (as [`Phase::name`] writes it).
    pub fn from_name(name: &str) -> Option<Phase> {
        [Phase::Main]
            .into_iter()
            .chain(Phase::LOOP)
            .find(|p| p.name() == name)
    }

    /// The libuv (or Node) function that runs this phase.
    pub fn libuv_name(self) -> &'static str {
        match self {
            Phase::Main => "node::LoadEnvironment (main module)",
            Phase::Timers => "uv__run_timers",
            Phase::Pending => "uv__run_pending",
            Phase::Idle => "uv__run_idle",
            Phase::Prepare => "uv__run_prepare",
            Phase::Poll => "uv__io_poll",
            Phase::Check => "uv__run_check",
            Phase::Close => "uv__run_closing_handles",
        }
    }
}

/// Every queue the model keeps, named as in libuv/Node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueueKind {
    /// Node's timer lists (`lib/internal/timers.js`: `timerListQueue` of `TimersList`s).
    Timers,
    /// libuv's `loop->pending_queue`.
    Pending,
    /// Watchers registered with the kernel's poller (epoll interest list), waiting or ready.
    Poll,
    /// Node's `immediateQueue`, run by the check phase.
    Check,
    /// libuv's `loop->closing_handles` (a LIFO list).
    Close,
    /// Node's `process.nextTick` queue (`lib/internal/process/task_queues.js`).
    NextTick,
    /// V8's microtask queue: promise reactions and `queueMicrotask`.
    Microtask,
    /// libuv's thread-pool work queue `wq` (src/threadpool.c), waiting for a free worker.
    PoolQueue,
    /// Finished pool work posted back to the loop (`loop->wq`), run by `uv__work_done` in poll.
    PoolDone,
}

impl QueueKind {
    /// The loop phase that runs this queue's callbacks; None for Node's two queues (drained
    /// after every callback) and for the pool's queue (drained by the worker threads).
    pub const fn phase(self) -> Option<Phase> {
        match self {
            QueueKind::Timers => Some(Phase::Timers),
            QueueKind::Pending => Some(Phase::Pending),
            QueueKind::Poll | QueueKind::PoolDone => Some(Phase::Poll),
            QueueKind::Check => Some(Phase::Check),
            QueueKind::Close => Some(Phase::Close),
            QueueKind::NextTick | QueueKind::Microtask | QueueKind::PoolQueue => None,
        }
    }

    /// Every queue kind.
    pub const ALL: [QueueKind; 9] = [
        QueueKind::Timers,
        QueueKind::Pending,
        QueueKind::Poll,
        QueueKind::Check,
        QueueKind::Close,
        QueueKind::NextTick,
        QueueKind::Microtask,
        QueueKind::PoolQueue,
        QueueKind::PoolDone,
    ];

    /// The queue kind called `name` (as [`QueueKind::name`] writes it).
    pub fn from_name(name: &str) -> Option<QueueKind> {
        QueueKind::ALL.into_iter().find(|q| q.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            QueueKind::Timers => "timers",
            QueueKind::Pending => "pending",
            QueueKind::Poll => "poll",
            QueueKind::Check => "check",
            QueueKind::Close => "close",
            QueueKind::NextTick => "nextTick",
            QueueKind::Microtask => "microtask",
            QueueKind::PoolQueue => "pool queue",
            QueueKind::PoolDone => "pool done",
        }
    }
}

/// Node's function that reports unhandled rejections at the end of a checkpoint: the frame
/// label and the kind name of `Source::Rejections`.
pub const PROCESS_PROMISE_REJECTIONS: &str = "processPromiseRejections";

/// Why a callback runs: which queue or event delivered it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The entry module.
    Main,
    /// A `setTimeout`/`setInterval` timer from Node's timer lists.
    Timer(TaskId),
    /// A `setImmediate` callback.
    Immediate(TaskId),
    /// A `process.nextTick` callback.
    Tick(TaskId),
    /// A promise reaction or `queueMicrotask` callback.
    Microtask(TaskId),
    /// The completion (`after_work_cb`) of a thread-pool request.
    Work(TaskId),
    /// A watcher the kernel reported ready (socket readable, connection accepted, reply arrived).
    Io(TaskId),
    /// A callback deferred to the pending phase.
    Pending(TaskId),
    /// A close callback of a handle.
    Close(TaskId),
    /// Node's `processPromiseRejections()` at the end of a tick drain, when a rejection is unhandled.
    Rejections,
    /// `process.emit('beforeExit')`: `uv_run` returned with no work left and the program
    /// listens for 'beforeExit' (Node's `SpinEventLoop`).
    BeforeExit,
}

impl Source {
    /// The kind of callback, as a frame suffix: "(anonymous) timeout" etc.
    pub fn kind_name(self) -> &'static str {
        match self {
            Source::Main => "main",
            Source::Timer(_) => "timeout",
            Source::Immediate(_) => "immediate",
            Source::Tick(_) => "tick",
            Source::Microtask(_) => "microtask",
            Source::Work(_) => "I/O (thread pool)",
            Source::Io(_) => "I/O (epoll)",
            Source::Pending(_) => "pending",
            Source::Close(_) => "close",
            Source::Rejections => PROCESS_PROMISE_REJECTIONS,
            Source::BeforeExit => "beforeExit",
        }
    }
    pub fn task(self) -> Option<TaskId> {
        match self {
            Source::Timer(t)
            | Source::Immediate(t)
            | Source::Tick(t)
            | Source::Microtask(t)
            | Source::Work(t)
            | Source::Io(t)
            | Source::Pending(t)
            | Source::Close(t) => Some(t),
            Source::Main | Source::Rejections | Source::BeforeExit => None,
        }
    }
    /// Macrotask callbacks are followed by a tick/microtask checkpoint; ticks and microtasks are
    /// the checkpoint.
    pub fn is_macrotask(self) -> bool {
        !matches!(
            self,
            Source::Tick(_) | Source::Microtask(_) | Source::Rejections
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One observable change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    pub at: Micros,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A new pass of the `while (r != 0)` loop in `uv_run`.
    IterationStart {
        iteration: u64,
    },
    PhaseEnter(Phase),
    PhaseLeave(Phase),
    /// `uv__update_time`: the cached loop clock (ms) was refreshed.
    UpdateTime {
        loop_ms: u64,
    },
    /// The loop thread slept in `epoll_wait`; `timeout_ms` is None for "until I/O arrives".
    PollWait {
        timeout_ms: Option<u64>,
        until: Micros,
    },
    /// Node's idle handle ran (an empty callback whose only job is to make poll not block).
    IdleHandle,
    /// The loop is waiting for input that only the outside world can send (e.g. a request to a
    /// listening server with nothing else pending).
    AwaitingInput,
    CallbackStart {
        callback: CallbackId,
        source: Source,
        label: LabelId,
    },
    CallbackEnd {
        callback: CallbackId,
        cpu: Micros,
    },
    /// The driver pushed a host-call frame (e.g. `fs.readFile`) on top of the running callback.
    HostCallStart {
        label: LabelId,
    },
    HostCallEnd {
        label: LabelId,
    },
    /// The driver spent CPU inside the running callback (a busy-wait, a sync API).
    CpuSpent {
        amount: Micros,
    },
    Enqueue {
        queue: QueueKind,
        task: TaskId,
        label: LabelId,
    },
    /// Left a queue: `ran` is false when it was cancelled (clearTimeout, clearImmediate, ...).
    Dequeue {
        queue: QueueKind,
        task: TaskId,
        ran: bool,
    },
    JobStart {
        worker: WorkerId,
        task: TaskId,
        label: LabelId,
    },
    JobFinish {
        worker: WorkerId,
        task: TaskId,
    },
    /// The kernel reports a watcher ready (a reply arrived, a connection came in).
    IoReady {
        task: TaskId,
    },
    /// Node's timer handle was (re)armed for `due_ms` on the loop clock, or stopped.
    TimerHandle {
        due_ms: Option<u64>,
    },
    /// A finished operation's timeline (pool request or I/O watcher), when its callback starts.
    OpTimes {
        task: TaskId,
        submitted: Micros,
        started: Micros,
        finished: Micros,
    },
    Console {
        stream: Stream,
        text: Box<str>,
    },
    Exit {
        code: i32,
    },
}
