//! What a run is made of, besides the program: one seed and a handful of costs.
//!
//! The defaults are chosen so that programs whose order real Node decides by a race (see the
//! oracle's `dropped/` list) come out in the order real Node prints most often: callbacks cost
//! tens of microseconds, far below the 1 ms granularity of the loop clock.

use crate::error::ModelError;
use crate::time::Micros;

/// libuv's `MAX_THREADPOOL_SIZE` (src/threadpool.c).
pub const MAX_POOL_SIZE: u16 = 1024;
/// libuv's default when `UV_THREADPOOL_SIZE` is unset.
pub const DEFAULT_POOL_SIZE: u16 = 4;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Seed for every random decision (`Rng`). Same program + same seed = same trace.
    pub seed: u64,
    /// Thread-pool size used when the pool starts, unless the driver sets it first.
    pub pool_size: u16,
    /// CPU time every callback costs before it does anything (V8 entry, Node's wrappers).
    pub callback_cost: Micros,
    /// CPU time the main script costs on top of `callback_cost`: compiling the module and
    /// Node's bootstrap around it, charged when the script's own code has run. It decides the
    /// races real Node leaves open at start-up: a single pool job (`fs.stat`, `dns.lookup`)
    /// started by the script finishes before the first poll phase (as in ~95% of real runs),
    /// while a `setTimeout(f, 0)` is not yet due when the loop starts (as in ~75%).
    pub script_cost: Micros,
    /// Resolution of the event-loop-delay sampler (`monitorEventLoopDelay({ resolution })`).
    pub eld_resolution: Micros,
    /// Record trace events (a driver that only wants results can turn this off).
    pub trace: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 0,
            pool_size: DEFAULT_POOL_SIZE,
            callback_cost: Micros(20),
            script_cost: Micros(250),
            eld_resolution: Micros::from_ms(10),
            trace: true,
        }
    }
}

impl Config {
    /// A `Config` whose values are in range, or the name of the first one that is not.
    pub fn validate(&self) -> Result<(), ModelError> {
        check_pool_size(self.pool_size as i64)?;
        if self.eld_resolution == Micros::ZERO {
            return Err(ModelError::InvalidConfig(
                "eld_resolution must be at least 1 µs",
            ));
        }
        Ok(())
    }
}

pub fn check_pool_size(n: i64) -> Result<u16, ModelError> {
    if (1..=MAX_POOL_SIZE as i64).contains(&n) {
        Ok(n as u16)
    } else {
        Err(ModelError::InvalidPoolSize(n))
    }
}

/// What libuv makes of a `UV_THREADPOOL_SIZE` it reads (`init_threads`): 0 becomes 1, more than
/// `MAX_POOL_SIZE` becomes `MAX_POOL_SIZE`.
pub fn clamp_pool_size(n: i64) -> u16 {
    n.clamp(1, MAX_POOL_SIZE as i64) as u16
}
