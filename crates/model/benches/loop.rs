//! Simulated events per second, and memory per pending request.
//!
//! `cargo bench -p looplab-model --bench loop` runs three workloads through the model with a
//! driver that does no work of its own, and prints trace events per second for each, then the
//! heap bytes held per waiting connection (a counting allocator measures it).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use looplab_model::*;

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;

#[derive(Clone, Copy)]
enum Load {
    Timers,
    PoolJobs,
    Connections,
}

const N: u64 = 100_000;
const CONNS: u64 = 10_000;

/// Main script schedules everything; callbacks do nothing. Returns trace events produced.
struct Nop(Load);
impl Driver for Nop {
    fn run(&mut self, sim: &mut Sim, inv: Invocation) -> Result<(), ModelError> {
        if inv.source != Source::Main {
            return Ok(());
        }
        let l = sim.label("cb");
        match self.0 {
            Load::Timers => {
                for i in 0..N {
                    sim.set_timeout(CallbackId(i), l, (i % 1000) as f64, false);
                }
            }
            Load::PoolJobs => {
                for i in 0..N {
                    let spec = WorkSpec {
                        label: l,
                        cost: Micros(50 + i % 100),
                        class: WorkClass::Cpu,
                    };
                    sim.submit_work(spec, CallbackId(i), l);
                }
            }
            Load::Connections => {
                for i in 0..CONNS {
                    sim.watch(
                        WatchSpec {
                            op: l,
                            handle: None,
                        },
                        50_000,
                        CallbackId(i),
                        l,
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn simulate(load: Load) -> u64 {
    // Tracing is on (events are recorded) but drained often, as the CLI and UI do.
    let mut sim = Sim::new(Config::default()).unwrap();
    let mut d = Nop(load);
    loop {
        match sim.step().unwrap() {
            Step::Run(inv) => {
                d.run(&mut sim, inv).unwrap();
                sim.finish_callback().unwrap();
            }
            Step::Exited(_) | Step::AwaitingInput => break,
            Step::Progress => {}
        }
        if sim.trace().len() > 4096 {
            sim.take_trace();
        }
    }
    sim.trace_count()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    for (name, load) in [
        ("100k_timers", Load::Timers),
        ("100k_pool_jobs_4_workers", Load::PoolJobs),
        ("10k_connections_50ms", Load::Connections),
    ] {
        let events = simulate(load);
        g.throughput(Throughput::Elements(events));
        g.bench_with_input(BenchmarkId::from_parameter(name), &load, |b, &load| {
            b.iter(|| simulate(load))
        });
        let t = std::time::Instant::now();
        let reps = 5;
        for _ in 0..reps {
            simulate(load);
        }
        let per_sec = events as f64 * reps as f64 / t.elapsed().as_secs_f64();
        println!(
            "FIGURE {name}: {events} trace events per run, {:.1} M events/s",
            per_sec / 1e6
        );
    }
    g.finish();
    println!(
        "FIGURE memory per waiting connection: {} bytes",
        bytes_per_pending()
    );
}

/// Heap held by the model per connection waiting in the kernel, with 10,000 waiting.
fn bytes_per_pending() -> isize {
    let mut sim = Sim::new(Config {
        trace: false,
        ..Config::default()
    })
    .unwrap();
    let Step::Run(_) = sim.step().unwrap() else {
        unreachable!()
    };
    let l = sim.label("cb");
    let before = LIVE.load(Ordering::Relaxed);
    for i in 0..CONNS {
        sim.watch(
            WatchSpec {
                op: l,
                handle: None,
            },
            50_000,
            CallbackId(i),
            l,
        )
        .unwrap();
    }
    let after = LIVE.load(Ordering::Relaxed);
    (after - before) / CONNS as isize
}

criterion_group!(benches, bench);
criterion_main!(benches);
