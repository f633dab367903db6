//! `looplab load`: the table, the JSON (same flags twice → the same bytes), and bad input
//! (a clear message naming the flag, exit status 2, no panic).

use std::process::{Command, Output};

const SERVER: &str = "const express = require('express');\nconst db = require('db');\n\
const crypto = require('crypto');\nconst app = express();\n\
app.get('/users/:id', async (req, res) => {\n\
  const [user] = await db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);\n\
  res.json(user);\n});\n\
app.get('/report/cpu', (req, res) => {\n\
  crypto.pbkdf2Sync('p', 's', 13333, 16, 'sha512');\n  res.send('report done');\n});\n\
app.listen(3000);\n";

fn load(args: &[&str]) -> Output {
    let dir = std::env::temp_dir().join(format!("looplab-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One file per call: the tests run in parallel, and a file being rewritten reads empty.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = dir.join(format!("server{n}.js"));
    std::fs::write(&file, SERVER).unwrap();
    Command::new(env!("CARGO_BIN_EXE_looplab"))
        .arg("load")
        .arg(&file)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `looplab load ARGS` that must succeed, its `--json` parsed.
fn load_json(args: &[&str]) -> serde_json::Value {
    let o = load(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn the_same_flags_twice_print_the_same_json_with_the_documented_keys() {
    let args = [
        "--rate",
        "40",
        "--arrivals",
        "poisson",
        "--duration",
        "3",
        "--route",
        "GET /users/:id=9",
        "--route",
        "GET /report/cpu=1",
        "--model",
        "both",
        "--seed",
        "11",
        "--json",
    ];
    let a = load(&args);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let b = load(&args);
    assert_eq!(stdout(&a), stdout(&b));
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let models = v.as_array().expect("an array for both");
    assert_eq!(models.len(), 2);
    assert_eq!(models[0]["model"], "loop");
    assert_eq!(models[1]["model"], "threads");
    for m in models {
        for key in [
            "requests",
            "errors",
            "throughput_rps",
            "latency_ms",
            "in_flight",
            "memory_bytes",
        ] {
            assert!(m.get(key).is_some(), "{key} in {m}");
        }
        for key in ["p50", "p90", "p99", "max", "mean"] {
            assert!(m["latency_ms"][key].is_number(), "latency_ms.{key}");
        }
        assert!(m["in_flight"]["max"].is_number() && m["in_flight"]["mean"].is_number());
        assert!(
            m["memory_bytes"]["peak"].as_u64().unwrap()
                >= m["memory_bytes"]["peak_resident"].as_u64().unwrap()
        );
        assert_eq!(m["memory_bytes"]["ram_budget"], 1u64 << 30);
        // Same seed, same open-loop arrivals to both servers.
        assert_eq!(m["sent"], models[0]["sent"]);
    }
    assert!(models[0]["loop"]["elu"].is_number());
    assert!(models[0]["loop"]["delay_p99_ms"].is_number());
    assert!(models[1]["threads"]["peak"].is_number());
    assert!(models[1]["threads"]["refused"].is_number());
    assert!(models[1]["threads"]["run_delay_p99_ms"].is_number());
    // About 40 a second for 3 s.
    let sent = models[0]["sent"].as_u64().unwrap();
    assert!((90..=150).contains(&sent), "{sent}");
    // Another seed, other arrivals.
    let mut other = args.to_vec();
    other[13] = "12";
    assert_ne!(stdout(&load(&other)), stdout(&a));
}

/// The thread server's settings reach the model: the figures below follow from
/// `crates/engine/src/load/memory.rs` (Node at rest 45,858,816 B; a thread's stack plus 24 KiB
/// in the kernel; 4,702 B of heap per request being served).
#[test]
fn the_thread_servers_flags_set_its_threads_stacks_backlog_and_ram() {
    const BASE: u64 = 45_858_816;
    const KERNEL: u64 = 24 << 10;
    const HEAP: u64 = 4_702;
    // One thread per connection, the article's 2 MB stacks, 64 GiB: all 300 users arrive
    // together and each holds a thread (each thread is free again before its user's next
    // request, a second later).
    let v = load_json(&[
        "--connections",
        "300",
        "--think-ms",
        "1000",
        "--duration",
        "2",
        "--route",
        "GET /users/:id",
        "--model",
        "threads",
        "--threads",
        "per-connection",
        "--stack-kib",
        "2048",
        "--ram-mib",
        "65536",
        "--context-switch-us",
        "3",
        "--json",
    ]);
    assert_eq!(v["threads"]["peak"], 300);
    assert_eq!(
        v["threads"]["cap"],
        ((64u64 << 30) - BASE) / ((2 << 20) + KERNEL)
    );
    assert_eq!(v["errors"], 0);
    assert_eq!(
        v["memory_bytes"]["peak"],
        BASE + 300 * ((2 << 20) + KERNEL) + 300 * HEAP
    );
    assert_eq!(v["memory_bytes"]["ram_budget"], 64u64 << 30);
    // A 64 MiB machine with 8 MiB stacks fits two threads next to the base process: a
    // backlog of 5 fills and the rest are refused.
    let v = load_json(&[
        "--connections",
        "100",
        "--duration",
        "2",
        "--route",
        "GET /users/:id",
        "--model",
        "threads",
        "--threads",
        "200",
        "--stack-kib",
        "8192",
        "--ram-mib",
        "64",
        "--backlog",
        "5",
        "--json",
    ]);
    assert_eq!(v["threads"]["cap"], 2);
    assert_eq!(v["threads"]["peak"], 2);
    assert_eq!(v["threads"]["backlog_max"], 5);
    assert!(
        v["threads"]["creation_refused"].as_u64().unwrap() > 0,
        "{v}"
    );
    assert!(v["errors_by_kind"]["refused"].as_u64().unwrap() > 0, "{v}");
    // The text shows each server's memory against the budget.
    let o = load(&[
        "--connections",
        "100",
        "--duration",
        "2",
        "--route",
        "GET /users/:id",
        "--model",
        "both",
        "--ram-mib",
        "64",
        "--stack-kib",
        "8192",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = stdout(&o)
        .lines()
        .find(|l| l.starts_with("Memory of RAM"))
        .map(str::to_owned)
        .unwrap_or_default();
    // The loop reserves its 5 threads' 8 MiB stacks over Node's resident memory: over 64 MiB.
    assert_eq!(row.matches("% of 64 MiB").count(), 2, "{row}");
    assert!(row.contains("OVER: "), "{row}");
}

#[test]
fn a_ramp_sends_the_area_under_its_rate() {
    // From 0 to 40 req/s over 3 s, evenly: 60 requests (the 61st would be at the end).
    let v = load_json(&[
        "--rate",
        "40",
        "--ramp-from",
        "0",
        "--duration",
        "3",
        "--json",
    ]);
    assert_eq!(v["model"], "loop");
    assert_eq!(v["sent"], 60);
}

#[test]
fn the_text_has_autocannons_tables_and_a_diagnosis() {
    let o = load(&[
        "--connections",
        "20",
        "--duration",
        "2",
        "--route",
        "GET /report/cpu",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "Latency 50%",
        "Latency 99%",
        "Req/Sec 50%",
        "In flight max",
        "Memory resident",
        "Loop / run-queue delay p50/p99",
        "loop: ",
        " requests in 2.0 s (virtual)",
        "diagnosis: the loop is blocked",
        "caused by GET /report/cpu",
        "per pending request, measured",
    ] {
        assert!(out.contains(needle), "{needle} in\n{out}");
    }
}

#[test]
fn bad_input_names_the_flag_and_its_range_and_exits_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--connections", "0"],
            "--connections: must be a whole number from 1 to 100000, got 0",
        ),
        (
            &["--connections", "1000000000"],
            "--connections: must be a whole number from 1 to 100000, got 1000000000",
        ),
        (
            &["--rate", "-1"],
            "--rate: must be a number above 0 and at most 100000, got -1",
        ),
        (
            &["--rate", "5", "--duration", "0"],
            "--duration: must be a number above 0 and at most 3600, got 0",
        ),
        (
            &["--route", "GET /nope"],
            "--route: 'GET /nope' is not a route the program declares (it declares: GET /users/:id, GET /report/cpu)",
        ),
        (
            &["--route", "GET /users/:id=heavy"],
            "--route: 'GET /users/:id=heavy': the weight after '='",
        ),
        (
            &["--threads", "0"],
            "--threads: must be a whole number from 1 to 1000000, got 0",
        ),
        (&["--rate", "abc"], "--rate: 'abc' is not a number"),
        (&["--arrivals", "bursty"], "--arrivals: must be uniform or poisson"),
        (&["--model", "fibers"], "--model: must be loop, threads or both"),
        (&["--cores", "0"], "--cores: must be a whole number from 1 to 1024, got 0"),
    ];
    for (args, want) in cases {
        let o = load(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
}
