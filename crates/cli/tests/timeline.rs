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

const SERVER: &str = "const express = require('express');\nconst db = require('db');\n\
const app = express();\n\
app.get('/users/:id', async (req, res) => {\n\
  const [user] = await db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);\n\
  res.json(user);\n});\n\
app.listen(3000);\n";

/// `looplab load --timeline OUT.json` with `args`: (exit status, stdout, stderr, the file).
fn load(name: &str, args: &[&str]) -> (Option<i32>, String, String, Option<String>) {
    let dir = std::env::temp_dir().join(format!("looplab-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.js"));
    let out: PathBuf = dir.join(format!("{name}.json"));
    let _ = std::fs::remove_file(&out);
    std::fs::write(&file, SERVER).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .arg("load")
        .arg(&file)
        .args(args)
        .arg("--timeline")
        .arg(&out)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        std::fs::read_to_string(&out).ok(),
    )
}

#[test]
fn a_load_s_requests_are_async_spans_that_agree_with_its_report() {
    let args = ["--rate", "40", "--duration", "2", "--json"];
    let (code, stdout, stderr, file) = load("load", &args);
    assert_eq!(code, Some(0), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let file = file.expect("the timeline was written");
    let events: Vec<Value> = serde_json::from_str::<Value>(&file).unwrap()["traceEvents"]
        .as_array()
        .unwrap()
        .clone();
    // One span per request sent: a beginning and, once answered, an end with the same id,
    // named by its URL.
    let begins = of(&events, "b", "request");
    let ends = of(&events, "e", "request");
    let sent = report["sent"].as_u64().unwrap() as usize;
    let answered = report["requests"].as_u64().unwrap() as usize;
    assert!((79..=80).contains(&sent), "{sent}");
    assert_eq!((begins.len(), ends.len()), (sent, answered));
    // (A request still in flight when the load ends is open until the run's last event.)
    let run_end = events
        .iter()
        .filter_map(|e| e["ts"].as_u64())
        .max()
        .unwrap();
    let mut latencies = Vec::new();
    let mut in_flight_us = 0;
    for b in &begins {
        let id = b["id"].as_u64().unwrap();
        assert_eq!(b["name"], format!("#{id} GET /users/{id}"));
        let from = b["ts"].as_u64().unwrap();
        match ends.iter().find(|e| e["id"] == b["id"]) {
            Some(e) => {
                assert_eq!(e["name"], b["name"]);
                let to = e["ts"].as_u64().unwrap();
                assert!(from < to, "{b} {e}");
                latencies.push((to - from) as f64);
                in_flight_us += to - from;
            }
            None => in_flight_us += run_end - from,
        }
    }
    // The spans are the report's requests: their mean is its mean latency, and by Little's
    // law their total time over the run's length is its mean number in flight.
    let mean_ms = latencies.iter().sum::<f64>() / answered as f64 / 1000.0;
    let reported = report["latency_ms"]["mean"].as_f64().unwrap();
    assert!(
        (mean_ms - reported).abs() <= 0.01 * reported,
        "{mean_ms} vs {reported}"
    );
    let in_flight = in_flight_us as f64 / 2e6;
    let reported = report["in_flight"]["mean"].as_f64().unwrap();
    assert!(
        (in_flight - reported).abs() <= 0.02 * reported,
        "{in_flight} vs {reported}"
    );
    // The run itself is there too: the handlers on the main thread, the database replies in
    // the poll phase (epoll, not the pool: no worker ran a job).
    let callbacks = of(&events, "X", "callback");
    assert!(callbacks.len() > 2 * sent, "{}", callbacks.len());
    assert!(of(&events, "X", "pool").is_empty());
    assert!(of(&events, "X", "phase")
        .iter()
        .any(|p| p["name"] == "poll"));
    // The same flags write the same file.
    let (_, _, _, again) = load("load-again", &args);
    assert_eq!(again.as_deref(), Some(file.as_str()));
}

#[test]
fn a_timeline_of_the_thread_model_alone_is_refused_with_a_reason() {
    let (code, _, stderr, file) = load("threads", &["--model", "threads", "--duration", "1"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("--timeline") && stderr.contains("--model loop or both"),
        "{stderr}"
    );
    assert!(file.is_none(), "nothing written");
}
