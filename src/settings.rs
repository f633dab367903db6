//! The page's numeric settings: each one's range and default, defined once. The reducer clamps
//! with these, the inputs show them as `min`/`max`, the controller sends what they allow.

use looplab_engine::looplab_model::DEFAULT_POOL_SIZE;

/// A whole-number setting the user types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    pub min: u32,
    pub max: u32,
    pub default: u32,
}

impl Setting {
    /// `v`, brought into range.
    pub const fn clamp(self, v: u32) -> u32 {
        if v < self.min {
            self.min
        } else if v > self.max {
            self.max
        } else {
            v
        }
    }
}

/// Thread-pool workers the page offers (programs may set more with `UV_THREADPOOL_SIZE`);
/// the default is libuv's.
pub const POOL_SIZE: Setting = Setting {
    min: 1,
    max: 16,
    default: DEFAULT_POOL_SIZE as u32,
};

/// Requests sent by one click of Burst.
pub const BURST: Setting = Setting {
    min: 1,
    max: 1000,
    default: 10,
};

/// Requests per virtual second of the steady rate.
pub const RATE: Setting = Setting {
    min: 1,
    max: 1000,
    default: 20,
};

/// `n` workers, in the range the page offers.
pub fn pool_size(n: u16) -> u16 {
    POOL_SIZE.clamp(n as u32) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_in_range_and_clamping_keeps_values_in_range() {
        for s in [POOL_SIZE, BURST, RATE] {
            assert_eq!(s.clamp(s.default), s.default);
            assert_eq!(s.clamp(0), s.min);
            assert_eq!(s.clamp(u32::MAX), s.max);
        }
        assert_eq!(pool_size(0), 1);
        assert_eq!(pool_size(99), 16);
        assert_eq!(POOL_SIZE.default, 4, "libuv's default");
    }
}

/// A callback's wall-time budget when the page starts (ms): the engine's default. "Keep
/// running" multiplies it by [`KEEP_RUNNING_FACTOR`].
pub const BUDGET_MS: f64 = looplab_engine::watchdog::DEFAULT_BUDGET_MS;
pub const KEEP_RUNNING_FACTOR: f64 = 4.0;
