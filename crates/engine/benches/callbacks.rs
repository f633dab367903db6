//! What one JavaScript callback costs, and whether that depends on how many wait.
//!
//! `cargo bench -p looplab-engine --bench callbacks` prints, for 1,000, 10,000 and 100,000
//! callbacks pending (timers an hour away, as a server's idle timeouts would be), the cost of
//! each callback of a chain of `setImmediate`s that runs meanwhile: at least 20,000 of them, over
//! whole cycles of boa's collector (see `per_callback`), the median of 5 runs, in µs per callback,
//! then the spread between the three (flat means the registry, the model, the engine and the
//! collector do no per-callback work that grows with what waits). A second table does the same
//! for a callback that does what a request handler does (a promise, an await, a `db.query`).

use std::time::Instant;

use looplab_engine::load::Route;
use looplab_engine::looplab_model::{Phase, Step};
use looplab_engine::session::Session;
use looplab_engine::{Engine, Options};

/// Callbacks a measurement runs at least (it then runs on to the end of the next collection).
const WINDOW: u64 = 20_000;

fn program(pending: u64, body: &str) -> String {
    // The chain is longer than any window: the measurement stops stepping, not the program.
    format!(
        "for (let i = 0; i < {pending}; i++) setTimeout(() => {{}}, 3_600_000);\n\
         let left = 1e9;\n\
         async function work() {{ {body} }}\n\
         function next() {{ work(); if (--left > 0) setImmediate(next); else process.exit(0); }}\n\
         setImmediate(next);\n"
    )
}

/// One measurement of the chain, in steady state.
struct Measure {
    /// µs per callback.
    us: f64,
    /// Collections within the window (at least one).
    collections: usize,
    /// Bytes the heap held after the collection that opened the window (what lives).
    live: usize,
}

/// µs per callback of the chain once the setup has run, over whole collection cycles: from the
/// end of a collection to the end of the first collection after `window` callbacks. boa's
/// collector marks the whole live heap each time and runs when the heap has doubled
/// (`GC_GROWTH_PERCENT`), so its work per callback is the same whatever lives; but a window of
/// a fixed count of callbacks could hold no collection with 100,000 timers alive and several with
/// 1,000, and then the figures compared where collections fell rather than what a callback costs.
fn per_callback(pending: u64, body: &str, window: u64) -> Measure {
    // The previous measurement's engine is garbage in this thread's heap until collected.
    boa_gc::force_collect();
    let mut options = Options::default();
    options.config.trace = false;
    let mut e = Engine::new(&program(pending, body), "/app/bench.js", options).expect("loads");
    let step = |e: &mut Engine| match e.step().expect("steps") {
        Step::Exited(_) | Step::AwaitingInput => panic!("the chain ended before the window"),
        _ => {}
    };
    while e.with_sim(|m| m.phase()) == Phase::Main || e.with_sim(|m| m.is_running_callback()) {
        step(&mut e);
    }
    // Open the window at the end of a collection.
    let (before, _) = boa_gc::stats();
    while boa_gc::stats().0 == before {
        step(&mut e);
    }
    let (opened, live) = boa_gc::stats();
    let callbacks_before = e.with_sim(|m| m.metrics().callbacks);
    let t = Instant::now();
    let mut last = None;
    loop {
        step(&mut e);
        let callbacks = e.with_sim(|m| m.metrics().callbacks) - callbacks_before;
        let (collections, _) = boa_gc::stats();
        match last {
            None if callbacks >= window => last = Some(collections),
            Some(c) if collections > c => break,
            _ => {}
        }
    }
    let elapsed = t.elapsed().as_secs_f64() * 1e6;
    let callbacks = e.with_sim(|m| m.metrics().callbacks) - callbacks_before;
    Measure {
        us: elapsed / callbacks as f64,
        collections: boa_gc::stats().0 - opened,
        live,
    }
}

/// The page's burst: the default server, 1,000 requests to `GET /users/:id` at once, then every
/// step until they are all answered, as the page plays at max speed (trace on, as the page
/// records it). Returns (steps, steps per second).
fn burst() -> (u64, f64) {
    let source = include_str!("../../../src/presets/server.js");
    let mut s = Session::new(source, "/app/server.js", Options::default()).expect("loads");
    while s.step().expect("steps") != Step::AwaitingInput {}
    let route = Route {
        method: "GET".into(),
        pattern: "/users/:id".into(),
    };
    for _ in 0..1000 {
        s.send_route(&route);
    }
    let start = s.steps();
    let t = Instant::now();
    while s.play_step(None).expect("steps") != Step::AwaitingInput {}
    let steps = s.steps() - start;
    (steps, steps as f64 / t.elapsed().as_secs_f64())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn table(title: &str, body: &str) {
    println!("{title}");
    let mut figures = Vec::new();
    for pending in [1_000, 10_000, 100_000] {
        let mut runs: Vec<Measure> = (0..5)
            .map(|_| per_callback(pending, body, WINDOW))
            .collect();
        runs.sort_by(|a, b| a.us.total_cmp(&b.us));
        let m = &runs[runs.len() / 2];
        let us = m.us;
        println!(
            "  {pending:>7} pending: {us:6.2} µs per callback (median of 5; {} collection(s) per \
             window, live heap {:.0} MiB)",
            m.collections,
            m.live as f64 / (1 << 20) as f64
        );
        figures.push(us);
    }
    let (lo, hi) = figures
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    println!("  spread: {:.2}× (the largest over the smallest)", hi / lo);
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this once, quickly.
    if std::env::args().any(|a| a == "--test") || !std::env::args().any(|a| a == "--bench") {
        // (Runs the measurement once, quickly; it says nothing about speed.)
        let m = per_callback(100, "", 100);
        assert!(m.us > 0.0);
        return;
    }
    if std::env::var("LOOPLAB_BENCH_BURST").is_ok() {
        for _ in 0..3 {
            let (steps, rate) = burst();
            println!("burst: {steps} steps, {rate:.0} steps/s");
        }
        return;
    }
    // For a profiler: LOOPLAB_BENCH_PENDING=100000 runs that case's chain only (5 times).
    if let Some(n) = std::env::var("LOOPLAB_BENCH_PENDING")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        for _ in 0..5 {
            let m = per_callback(n, "", WINDOW);
            println!(
                "{n} pending: {:.2} µs per callback ({} collection(s))",
                m.us, m.collections
            );
        }
        return;
    }
    let runs: Vec<(u64, f64)> = (0..5).map(|_| burst()).collect();
    println!(
        "the page's burst (default server, 1,000 requests, every step until answered): {} steps, \
         {:.0} steps/s natively (median of 5)",
        runs[0].0,
        median(runs.iter().map(|r| r.1).collect())
    );
    table("an empty callback (setImmediate chain):", "");
    table(
        "a request-like callback (await a promise, then db.query):",
        "await null; await require('db').query('SELECT 1');",
    );
}
