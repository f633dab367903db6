//! # looplab-model: one Node.js 20 process, in virtual time
//!
//! This crate simulates the part of a Node.js process that decides *when* JavaScript runs:
//! libuv 1.46's event loop (`uv_run` and its phases), Node 20's queues on top of it (timer lists,
//! immediates, `process.nextTick`, the microtask queue), libuv's thread pool and the kernel's
//! poller (epoll). It does not run JavaScript. Whoever drives it, the `looplab-engine` crate
//! (real JavaScript on boa) or a synthetic request generator, runs each callback when
//! `Sim::step` hands it over as `Step::Run`, tells the model what the callback scheduled through
//! `Sim`'s methods (`set_timeout`, `submit_work`, `watch`, ...) and how much CPU it spent
//! (`spend_cpu`), then calls `finish_callback`.
//!
//! ## How the pieces map onto Node and libuv
//!
//! | module         | mirrors                                                             |
//! |----------------|---------------------------------------------------------------------|
//! | `sim`          | libuv `src/unix/core.c` `uv_run`; Node `task_queues.js` checkpoint  |
//! | `timers`       | Node `lib/internal/timers.js` lists + `src/env.cc` `RunTimers`      |
//! | `immediates`   | Node `processImmediate`, `CheckImmediate`, the immediate idle handle |
//! | `threadpool`   | libuv `src/threadpool.c` (`post`, `worker`, `uv__work_done`)        |
//! | `poller`       | libuv `uv__io_poll` (epoll) and the async handle                    |
//! | `handles`      | libuv `uv_close`, `uv__run_closing_handles`, active/ref'd handles   |
//! | `metrics`      | `monitorEventLoopDelay`, `eventLoopUtilization`                     |
//! | `trace`        | one typed event per observable change                               |
//! | `snapshot`     | the whole visible state for a UI                                    |
//! | `rng`          | the one seeded random stream (Xoshiro256**)                         |
//!
//! ## Why a model and not a recording
//!
//! Order in Node is decided by a handful of rules (phase order, FIFO queues, "take the queue
//! before running it", a checkpoint after every callback) plus time. The rules are modelled
//! exactly; time is modelled honestly: callbacks cost CPU, the loop clock has millisecond
//! granularity, a busy loop blocks everything but the pool and the network. Where real Node's
//! order depends on a race (a 1 ms timer against an immediate in the main module), the model
//! picks one legal order deterministically from its costs, and the choice is documented in
//! `Config`.
//!
//! ## Architecture invariants
//!
//! - This crate knows no DOM, no terminal, no wall clock, no OS randomness and no JavaScript. It
//!   has no dependencies.
//! - Same `Config` (seed included) and same driver answers give the same trace, natively and on
//!   wasm32: ordered maps only, a named PRNG, integer time.
//! - Driver mistakes are `ModelError`s, never panics.
//! - Virtual time never goes backwards; microtask and nextTick queues are empty whenever a
//!   macrotask callback starts.

pub mod config;
pub mod error;
pub mod format;
pub mod handles;
pub mod ids;
pub mod immediates;
pub mod metrics;
pub mod poller;
pub mod rng;
pub mod selftest;
pub mod sim;
pub mod snapshot;
pub mod spans;
pub mod threadpool;
pub mod time;
pub mod timers;
pub mod trace;

pub use config::{clamp_pool_size, Config, DEFAULT_POOL_SIZE, MAX_POOL_SIZE};
pub use error::ModelError;
pub use handles::HandleKind;
pub use ids::{CallbackId, LabelId, Labels, TaskId, WorkerId};
pub use sim::{Driver, Frame, Invocation, Sim, Step, WatchSpec, BEFORE_EXIT, MAIN_SCRIPT};
pub use snapshot::Snapshot;
pub use threadpool::{PoolTotals, WorkClass, WorkSpec};
pub use time::Micros;
pub use trace::{
    EventKind, Phase, QueueKind, Source, Stream, TraceEvent, PROCESS_PROMISE_REJECTIONS,
};
