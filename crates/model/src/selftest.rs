//! A fixed workload whose trace must be byte-identical on every platform.
//!
//! The determinism promise ("same inputs + seed → identical trace, natively and on wasm32") is
//! checked by running this workload in both places and comparing a hash of its JSON trace with
//! one recorded value (`GOLDEN_TRACE_HASH`): the native test (`tests/golden.rs`) and the
//! browser test of the web crate assert the same number.

use crate::format;
use crate::sim::{Driver, Invocation, Sim, WatchSpec};
use crate::threadpool::{WorkClass, WorkSpec};
use crate::time::Micros;
use crate::trace::Source;
use crate::{CallbackId, Config, ModelError};

/// FNV-1a 64 of `golden_trace()`, recorded from a native run and checked on wasm32 too.
pub const GOLDEN_TRACE_HASH: u64 = 0xc80a_636c_abc0_d111;

struct Load;

impl Driver for Load {
    fn run(&mut self, sim: &mut Sim, inv: Invocation) -> Result<(), ModelError> {
        let l = sim.label("handler");
        match inv.source {
            Source::Main => {
                for i in 0..50u64 {
                    let jitter = sim.rng().below(5_000) as i64;
                    sim.watch(
                        WatchSpec {
                            op: l,
                            handle: None,
                        },
                        2_000 + jitter,
                        CallbackId(1000 + i),
                        l,
                    )?;
                    sim.set_timeout(CallbackId(2000 + i), l, (i % 7) as f64, i % 10 == 0);
                }
            }
            Source::Io(_) => {
                let spec = WorkSpec {
                    label: sim.label("crypto.pbkdf2"),
                    cost: Micros(1_000 + sim.rng().below(3_000)),
                    class: WorkClass::Cpu,
                };
                sim.submit_work(spec, CallbackId(3000), l);
                sim.next_tick(CallbackId(4000), l);
            }
            Source::Timer(id) => {
                sim.spend_cpu(300)?;
                sim.queue_microtask(CallbackId(5000), l);
                if sim.now() > Micros::from_ms(30) {
                    sim.clear_timer(id)?;
                }
            }
            Source::Work(_) => {
                sim.set_immediate(CallbackId(6000), l);
            }
            _ => {}
        }
        Ok(())
    }
}

/// The JSON trace of the fixed workload (seed 2026, pool of 3).
pub fn golden_trace() -> String {
    let mut sim = Sim::new(Config {
        seed: 2026,
        pool_size: 3,
        ..Config::default()
    })
    .expect("valid config");
    sim.run(&mut Load)
        .expect("the workload drives the model correctly");
    let labels = sim.labels().clone();
    sim.take_trace()
        .iter()
        .map(|e| format::json(&labels, e) + "\n")
        .collect()
}

/// FNV-1a, 64 bits: tiny, and the same everywhere.
pub fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
