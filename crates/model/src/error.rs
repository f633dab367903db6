//! What a driver can get wrong, as a typed error. The model never panics on driver input.

use crate::ids::{CallbackId, TaskId};
use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// A cost, latency or delay below zero.
    NegativeDuration(i64),
    /// `UV_THREADPOOL_SIZE`-style sizes must be 1..=1024 (libuv's `MAX_THREADPOOL_SIZE`).
    InvalidPoolSize(i64),
    /// libuv reads the pool size once, when the pool is first used.
    PoolAlreadyStarted,
    /// An id the model never handed out (or one of the wrong kind).
    UnknownId(TaskId),
    /// `step()` while the driver still runs the callback it was given.
    CallbackInProgress(CallbackId),
    /// `finish_callback()` / `spend_cpu()` with no callback running.
    NoCallbackRunning,
    /// `uv_close` on a handle that is already closing or closed.
    AlreadyClosing(TaskId),
    /// External input dated before the earliest instant it may have (`now` inside a callback;
    /// between steps, the last time the loop looked at the kernel).
    InThePast { at: u64, now: u64 },
    /// The process has exited; nothing more can happen.
    Exited,
    /// A configuration value out of range, with the field's name.
    InvalidConfig(&'static str),
    /// `emit_before_exit()` while the loop still runs (only once `uv_run` has returned).
    LoopNotDone,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NegativeDuration(v) => {
                write!(f, "durations cannot be negative (got {v} µs)")
            }
            ModelError::InvalidPoolSize(n) => {
                write!(f, "thread pool size must be 1..=1024 (got {n})")
            }
            ModelError::PoolAlreadyStarted => {
                write!(f, "the thread pool has already started; its size is fixed")
            }
            ModelError::UnknownId(id) => write!(f, "unknown id #{}", id.0),
            ModelError::CallbackInProgress(cb) => write!(
                f,
                "callback {} is still running; call finish_callback() first",
                cb.0
            ),
            ModelError::NoCallbackRunning => write!(f, "no callback is running"),
            ModelError::AlreadyClosing(id) => write!(f, "handle #{} is already closing", id.0),
            ModelError::InThePast { at, now } => {
                write!(
                    f,
                    "cannot schedule input at {at} µs, before {now} µs (the loop has looked for input since)"
                )
            }
            ModelError::Exited => write!(f, "the process has exited"),
            ModelError::InvalidConfig(field) => write!(f, "invalid configuration: {field}"),
            ModelError::LoopNotDone => {
                write!(
                    f,
                    "'beforeExit' is emitted only when the loop has no more work"
                )
            }
        }
    }
}

impl std::error::Error for ModelError {}
