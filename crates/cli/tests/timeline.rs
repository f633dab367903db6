//! `looplab run --timeline OUT.json`: a Chrome trace that Perfetto and chrome://tracing open.
//! Parsed here as JSON and checked against the `--trace` output of the same run.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// Runs `program` with `--trace --timeline`; returns (the trace lines, the timeline's events).
fn run(name: &str, program: &str) -> (Vec<String>, Vec<Value>) {
    let dir = std::env::temp_dir().join(format!("looplab-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.js"));
    let out: PathBuf = dir.join(format!("{name}.json"));
    std::fs::write(&file, program).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["run", "--trace", "--timeline"])
        .arg(&out)
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let trace = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap())
        .expect("the timeline is JSON");
    assert_eq!(json["displayTimeUnit"], "ms");
    let events = json["traceEvents"].as_array().expect("traceEvents").clone();
    (trace, events)
}

fn of<'a>(events: &'a [Value], ph: &str, cat: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|e| e["ph"] == ph && (cat.is_empty() || e["cat"] == cat))
        .collect()
}

const PROGRAM: &str = "
const crypto = require('crypto');
const fs = require('fs');
setTimeout(() => console.log('timeout'), 5);
setImmediate(() => console.log('immediate'));
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('tick'));
for (let i = 0; i < 6; i++) crypto.pbkdf2('s', 'salt', 1000, 32, 'sha512', () => {});
fs.readFile(__filename, () => console.log('read'));
console.log('main');
";

#[test]
fn every_callback_of_the_trace_appears_once_on_the_main_thread_inside_its_phase() {
    let (trace, events) = run("callbacks", PROGRAM);
    // Every callback the trace starts, in order, is one complete event named by its label.
    let started: Vec<String> = trace
        .iter()
        .filter_map(|l| {
            l.split_once("callback start ")
                .map(|(_, rest)| rest.to_owned())
        })
        .map(|rest| rest.split(" [").next().unwrap().to_owned())
        .collect();
    let callbacks = of(&events, "X", "callback");
    let names: Vec<&str> = callbacks
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(started.len() > 10, "{started:?}");
    assert_eq!(names, started);
    // On the main thread, with a width, inside the phase that ran it (the main script aside).
    let phases = of(&events, "X", "phase");
    assert!(phases.iter().any(|p| p["name"] == "check"));
    assert!(phases.iter().any(|p| p["name"] == "timers"));
    for c in &callbacks {
        assert_eq!(c["tid"], 1);
        let (ts, dur) = (c["ts"].as_u64().unwrap(), c["dur"].as_u64().unwrap());
        assert!(dur >= 1);
        if c["args"]["kind"] == "main" {
            continue;
        }
        assert!(
            phases.iter().any(|p| {
                let (pts, pdur) = (p["ts"].as_u64().unwrap(), p["dur"].as_u64().unwrap());
                pts <= ts && ts + dur <= pts + pdur
            }),
            "{c} is in no phase"
        );
    }
}

#[test]
fn the_pool_s_workers_are_threads_with_their_jobs_and_the_queues_are_counters() {
    let (trace, events) = run("pool", PROGRAM);
    // Thread names: the process, the main thread, four workers.
    let names: Vec<&str> = of(&events, "M", "")
        .iter()
        .filter(|e| e["name"] == "thread_name")
        .map(|e| e["args"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "main thread (JavaScript)",
            "libuv worker 1",
            "libuv worker 2",
            "libuv worker 3",
            "libuv worker 4"
        ]
    );
    // As many jobs as the trace starts, each on a worker's thread, none overlapping on one.
    let jobs = of(&events, "X", "pool");
    let starts = trace
        .iter()
        .filter(|l| l.contains(" worker ") && l.contains(" starts #"))
        .count();
    assert_eq!(jobs.len(), starts);
    assert!(
        jobs.len() >= 6,
        "six hashes and the file's trips: {}",
        jobs.len()
    );
    for w in 100..104 {
        let mut spans: Vec<(u64, u64)> = jobs
            .iter()
            .filter(|j| j["tid"] == w)
            .map(|j| (j["ts"].as_u64().unwrap(), j["dur"].as_u64().unwrap()))
            .collect();
        assert!(!spans.is_empty(), "worker {w} ran jobs");
        spans.sort();
        for pair in spans.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0, "worker {w}: {pair:?}");
        }
    }
    // Six hashes and the file's open on four workers: three waited at most, none at the end.
    let pool: Vec<i64> = of(&events, "C", "")
        .iter()
        .filter(|e| e["name"] == "queue: pool queue")
        .map(|e| e["args"]["length"].as_i64().unwrap())
        .collect();
    assert_eq!(pool.iter().max(), Some(&3), "{pool:?}");
    assert_eq!(pool.last(), Some(&0));
    assert!(of(&events, "C", "")
        .iter()
        .all(|e| e["args"]["length"].as_i64().unwrap() >= 0));
    // Iterations are instant events.
    assert!(of(&events, "i", "loop").len() >= 2);
}
