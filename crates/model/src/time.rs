//! Virtual time.
//!
//! HOW: one `Micros` counter is the whole notion of time. It starts at 0 when the main script
//! starts and only moves forward: when a callback spends CPU (the loop thread is busy), or when
//! the poll phase sleeps (the loop thread waits in `epoll_wait`). Nothing reads a wall clock.
//!
//! WHY microseconds: libuv's loop clock (`uv_now`) has 1 ms granularity and Node's timers are
//! specified in whole milliseconds, but callbacks cost far less than a millisecond each. Counting
//! microseconds lets a thousand cheap callbacks add up to the one millisecond that makes a timer
//! due, which is exactly the kind of race real Node has (see the oracle's `dropped/` notes).

use core::fmt;
use core::ops::{Add, AddAssign, Sub};

/// A point in (or a span of) virtual time, in microseconds since the main script started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Micros(pub u64);

impl Micros {
    pub const ZERO: Micros = Micros(0);
    pub const MAX: Micros = Micros(u64::MAX);

    pub const fn from_ms(ms: u64) -> Micros {
        Micros(ms.saturating_mul(1000))
    }
    /// The millisecond this instant falls in: what `uv_now()` reports after `uv__update_time`.
    pub const fn as_ms(self) -> u64 {
        self.0 / 1000
    }
    pub fn as_ms_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
    pub fn saturating_sub(self, other: Micros) -> Micros {
        Micros(self.0.saturating_sub(other.0))
    }
    /// A cost or latency given by a driver: negative values are rejected, not clamped.
    pub fn from_signed(us: i64) -> Result<Micros, crate::ModelError> {
        u64::try_from(us)
            .map(Micros)
            .map_err(|_| crate::ModelError::NegativeDuration(us))
    }
}

impl Add for Micros {
    type Output = Micros;
    fn add(self, rhs: Micros) -> Micros {
        Micros(self.0.saturating_add(rhs.0))
    }
}
impl AddAssign for Micros {
    fn add_assign(&mut self, rhs: Micros) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}
impl Sub for Micros {
    type Output = Micros;
    fn sub(self, rhs: Micros) -> Micros {
        Micros(self.0.saturating_sub(rhs.0))
    }
}
impl fmt::Display for Micros {
    /// `12.345ms`: the form the trace and the UI print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}ms", self.0 / 1000, self.0 % 1000)
    }
}
