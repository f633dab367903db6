//! Load tests on real programs, checked against queueing theory (the oracle, never numbers the
//! code printed before): Little's law, M/D/1 on the loop, exact latencies without contention,
//! determinism, and the article's trade-off both ways.

use looplab_engine::load::report::{diagnose, ModelReport};
use looplab_engine::load::run::{profile_routes, run_loop, LoopReport};
use looplab_engine::load::spec::{Arrivals, LoadSpec, Mode, Weighted};
use looplab_engine::load::threads::{run_threads, ThreadConfig, ThreadReport};
use looplab_engine::load::{memory, routes};
use looplab_engine::looplab_model::Micros;
use looplab_engine::Options;

const DB_SERVER: &str = "const express = require('express');\nconst db = require('db');\n\
const crypto = require('crypto');\nconst app = express();\n\
app.get('/users/:id', async (req, res) => {\n\
  const [user] = await db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);\n\
  res.json(user);\n});\n\
app.get('/report/cpu', (req, res) => {\n\
  crypto.pbkdf2Sync('p', 's', 13333, 16, 'sha512');\n  res.send('report done');\n});\n\
app.listen(3000);\n";

const FILE: &str = "/app/server.js";

fn mix(weights: &[(&str, u32)]) -> Vec<Weighted> {
    let declared = routes(DB_SERVER);
    weights
        .iter()
        .map(|(r, w)| Weighted::parse(&format!("{r}={w}"), &declared).unwrap())
        .collect()
}

fn open(rate: f64, arrivals: Arrivals) -> Mode {
    Mode::Open {
        rate,
        arrivals,
        ramp_from: None,
    }
}

fn spec(mode: Mode, mix: Vec<Weighted>, duration_s: f64, seed: u64) -> LoadSpec {
    LoadSpec::new(mode, mix, duration_s, 10.0, seed).unwrap()
}

fn run(spec: &LoadSpec, options: Options) -> LoopReport {
    run_loop(DB_SERVER, FILE, options, spec).unwrap()
}

fn threads(spec: &LoadSpec, options: Options, cfg: &ThreadConfig) -> ThreadReport {
    let profiles = profile_routes(DB_SERVER, FILE, options, spec).unwrap();
    run_threads(spec, cfg, &profiles).unwrap()
}

fn assert_littles_law(what: &str, s: &looplab_engine::load::stats::Summary) {
    let l = s.throughput_rps * s.latency_ms.mean / 1_000.0;
    assert!(
        (s.in_flight.mean - l).abs() / l < 0.02,
        "{what}: time-averaged in flight {} vs throughput × mean latency {l}",
        s.in_flight.mean
    );
}

#[test]
fn the_same_seed_gives_the_same_run_bit_for_bit() {
    let users = Mode::Closed {
        users: 40,
        think: Micros::from_ms(10),
    };
    let m = mix(&[("GET /users/:id", 9), ("GET /report/cpu", 1)]);
    let a = spec(users.clone(), m.clone(), 2.0, 7);
    let first = run(&a, Options::default());
    let second = run(&a, Options::default());
    assert_eq!(first, second);
    assert_eq!(
        ModelReport::Loop(first.clone()).to_json(1 << 30),
        ModelReport::Loop(second).to_json(1 << 30)
    );
    assert!(first.summary.requests > 100, "{:?}", first.summary);
    // Another seed: other database jitter, other route choices.
    let mut other = Options::default();
    other.config.seed = 8;
    let b = spec(users, m, 2.0, 8);
    assert_ne!(run(&b, other).summary, first.summary);
}

#[test]
fn littles_law_holds_on_the_loop_and_on_the_thread_server() {
    let s = spec(
        open(150.0, Arrivals::Poisson),
        mix(&[("GET /users/:id", 1)]),
        20.0,
        3,
    );
    let lp = run(&s, Options::default());
    assert_littles_law("loop", &lp.summary);
    let diagnosis = diagnose(&lp);
    assert!(diagnosis.starts_with("the loop is healthy"), "{diagnosis}");
    // About 25 ms each at 150/s: a few requests waiting on the database at any time.
    assert!(
        lp.summary.in_flight.mean > 3.0,
        "{:?}",
        lp.summary.in_flight
    );
    let th = threads(&s, Options::default(), &ThreadConfig::default());
    assert_littles_law("threads", &th.summary);
    // The same seed sends the same open-loop arrivals to both servers.
    assert_eq!(lp.summary.sent, th.summary.sent);
}

/// One CPU-bound route of S ms at Poisson rate λ is an M/D/1 queue on the loop: mean latency
/// S + ρS / 2(1 − ρ), ρ = λS. S is what the route took on the main thread per request.
#[test]
fn one_cpu_route_is_an_m_d_1_queue_on_the_loop() {
    for (rate, duration, seed) in [(50.0, 60.0, 1), (80.0, 150.0, 2)] {
        let s = spec(
            open(rate, Arrivals::Poisson),
            mix(&[("GET /report/cpu", 1)]),
            duration,
            seed,
        );
        let r = run(&s, Options::default());
        let cpu = &r.cpu_by_route[0];
        let service = cpu.cpu_ms / cpu.requests as f64;
        assert!((service - 10.0).abs() < 0.5, "S = {service} ms");
        let rho = rate * service / 1_000.0;
        let want = service + rho * service / (2.0 * (1.0 - rho));
        let got = r.summary.latency_ms.mean;
        assert!(
            (got - want).abs() / want < 0.10,
            "ρ = {rho:.2}: mean latency {got} ms, M/D/1 says {want} ms"
        );
        assert!((r.elu - rho).abs() < 0.03, "ELU {} vs ρ {rho}", r.elu);
        // All of the main thread's work is charged to the route, also what runs after a reply.
        let busy = r.elu * duration * 1_000.0;
        assert!(
            (cpu.cpu_ms - busy).abs() / busy < 0.01,
            "{} ms charged, {busy} ms busy",
            cpu.cpu_ms
        );
    }
}

#[test]
fn without_contention_a_database_route_takes_its_profile_exactly() {
    let mut options = Options::default();
    options.set_cost("dbJitter", 0.0).unwrap();
    let s = spec(
        open(5.0, Arrivals::Uniform),
        mix(&[("GET /users/:id", 1)]),
        10.0,
        0,
    );
    let profiles = profile_routes(DB_SERVER, FILE, options.clone(), &s).unwrap();
    let p = &profiles[0][0];
    assert!(
        profiles[0].iter().all(|q| q == p),
        "no jitter, same profile"
    );
    let total = p.total().as_ms_f64();
    // The database's 20 ms plus the handler's measured costs (its callbacks' CPU): the wait
    // is the 20 ms less what the first callback ran after sending the query (it overlaps).
    let waits = p.total() - p.cpu();
    assert!(
        p.cpu() > Micros::ZERO && waits <= Micros::from_ms(20) && p.total() > Micros::from_ms(20),
        "{p:?}"
    );
    let lp = run(&s, options.clone());
    let th = run_threads(&s, &ThreadConfig::default(), &profiles).unwrap();
    for (what, sum) in [("loop", &lp.summary), ("threads", &th.summary)] {
        assert_eq!(sum.requests, 50, "{what}");
        let l = &sum.latency_ms;
        // Every request the same latency: the profile's (within the histogram's 0.1%).
        assert!(l.stdev < 0.001 * total, "{what}: {l:?}");
        assert!(
            (l.mean - total).abs() < 0.001 * total,
            "{what}: {l:?} vs {total}"
        );
    }
}

/// The article's case: users waiting on the database cost the loop a few kilobytes each; the
/// thread server needs a thread each and, on the $5 machine, refuses most of them.
#[test]
fn waiting_users_favour_the_loop() {
    let mut options = Options::default();
    options.set_cost("dbLatency", 1_000_000.0).unwrap();
    let s = spec(
        Mode::Closed {
            users: 2_000,
            think: Micros::from_ms(5_000),
        },
        mix(&[("GET /users/:id", 1)]),
        2.0,
        1,
    );
    let lp = run(&s, options.clone());
    assert_eq!(lp.summary.in_flight.max, 2_000);
    assert_eq!(lp.summary.errors.total(), 0);
    assert_eq!(lp.summary.requests, 2_000);
    assert!(lp.peak_resident < 80 << 20, "{}", lp.peak_resident);
    let th = threads(&s, options, &ThreadConfig::default());
    // 1 GiB fits 122 stacks of 8 MiB: 122 served, 100 in the backlog, the rest refused.
    assert_eq!((th.peak_threads, th.thread_cap), (122, 122));
    assert!(
        th.summary.errors.refused >= 1_700,
        "{:?}",
        th.summary.errors
    );
    assert!(th.creation_refused > 0);
    assert!(
        th.peak_memory > lp.peak_memory,
        "{} vs {}",
        th.peak_memory,
        lp.peak_memory
    );
    assert!(th.summary.requests < lp.summary.requests);
    let (reserved, _) = memory::thread_memory(2_000, 2_000, memory::LINUX_STACK);
    assert!(
        reserved > 2_000 * memory::LINUX_STACK,
        "2,000 threads would reserve {reserved} bytes"
    );
}

/// The other way: CPU on the main thread makes every request wait on the loop; four cores
/// share it on the thread server.
#[test]
fn a_cpu_route_favours_threads_on_several_cores() {
    // 50 CPU requests of 10 ms a second and 450 database ones: the loop is half busy.
    let s = spec(
        open(500.0, Arrivals::Poisson),
        mix(&[("GET /users/:id", 9), ("GET /report/cpu", 1)]),
        10.0,
        5,
    );
    let lp = run(&s, Options::default());
    let th = threads(&s, Options::default(), &ThreadConfig::default());
    assert!(
        lp.summary.latency_ms.p99 > 1.5 * th.summary.latency_ms.p99,
        "loop p99 {} vs threads p99 {}",
        lp.summary.latency_ms.p99,
        th.summary.latency_ms.p99
    );
    assert!(lp.delay_p99_ms >= 10.0, "{}", lp.delay_p99_ms);
    let diagnosis = diagnose(&lp);
    assert!(
        diagnosis.starts_with("the loop is blocked") && diagnosis.contains("GET /report/cpu"),
        "{diagnosis}"
    );
}

/// Many short callbacks and nothing else: the thread is never idle, and no route is to blame.
#[test]
fn a_loop_busy_with_short_callbacks_is_diagnosed_as_saturated() {
    let mut options = Options::default();
    options.set_cost("dbLatency", 1_000.0).unwrap();
    options.set_cost("dbJitter", 0.0).unwrap();
    let s = spec(
        Mode::Closed {
            users: 300,
            think: Micros::ZERO,
        },
        mix(&[("GET /users/:id", 1)]),
        1.0,
        2,
    );
    let lp = run(&s, options);
    assert!(lp.elu > 0.9, "{}", lp.elu);
    let diagnosis = diagnose(&lp);
    assert!(
        diagnosis.starts_with("the loop is saturated"),
        "{diagnosis}"
    );
    assert!(!diagnosis.contains("caused by"), "{diagnosis}");
}

/// A client gives up after the timeout (counted once, as an error), and a 5xx reply is an error
/// too; neither is lost from the totals.
#[test]
fn timeouts_and_server_errors_are_counted_as_errors() {
    let mut options = Options::default();
    options.set_cost("dbLatency", 1_000_000.0).unwrap();
    options.set_cost("dbJitter", 0.0).unwrap();
    let m = mix(&[("GET /users/:id", 1)]);
    // 10 a second for 3 s, each waiting 1 s for the database, the client 0.5 s for a reply:
    // the 25 sent before 2.5 s time out; the last 5 are still waiting when the load ends.
    let s = LoadSpec::new(open(10.0, Arrivals::Uniform), m, 3.0, 0.5, 0).unwrap();
    let lp = run(&s, options.clone());
    let th = threads(&s, options, &ThreadConfig::default());
    for (what, sum) in [("loop", &lp.summary), ("threads", &th.summary)] {
        assert_eq!(sum.sent, 30, "{what}");
        assert_eq!(sum.errors.timed_out, 25, "{what}: {:?}", sum.errors);
        assert_eq!((sum.requests, sum.in_flight.now), (0, 5), "{what}");
        assert_eq!(sum.errors.total(), 25, "{what}");
    }

    const FAILING: &str = "const app = require('express')();\n\
        app.get('/ok', (req, res) => res.send('ok'));\n\
        app.get('/fail', (req, res) => res.status(503).send('down'));\n\
        app.listen(3000);\n";
    let declared = routes(FAILING);
    let m = vec![
        Weighted::parse("GET /ok=1", &declared).unwrap(),
        Weighted::parse("GET /fail=1", &declared).unwrap(),
    ];
    let s = LoadSpec::new(open(100.0, Arrivals::Uniform), m, 2.0, 10.0, 4).unwrap();
    let r = run_loop(FAILING, "/app/failing.js", Options::default(), &s).unwrap();
    assert_eq!(r.summary.requests, 200);
    let failed = r.cpu_by_route[1].requests;
    assert!(
        (70..=130).contains(&failed),
        "{failed} of 200 went to /fail"
    );
    assert_eq!(r.summary.errors.server, failed);
    assert_eq!(r.summary.errors.total(), failed);
}
