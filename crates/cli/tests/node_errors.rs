//! Uncaught errors are reported where real Node reports them: for each program below, the
//! first line of stderr (`file:LINE`) and the caret line under the source line are the same
//! as `node`'s. The programs throw on several lines, in the main script and in callbacks
//! (timers, immediates, ticks, promise reactions), by `throw` and by runtime errors
//! (ReferenceError, TypeError), and from Node's own code (a failed assert, an unhandled
//! 'error' event, a bad argument, a missing module: Node's line, `node:assert:90`). For the
//! programs in `WHOLE_REPORT`, the whole of stderr is Node's, stack frames included. Needs
//! `node` on the PATH; without it the tests say so and check nothing else.

use std::path::{Path, PathBuf};
use std::process::Command;

const PROGRAMS: &[(&str, &str)] = &[
    (
        "reference-error-main.js",
        "const a = 1;\nconst b = 2;\nundefinedFn();\n",
    ),
    (
        "reference-error-in-timer.js",
        "setTimeout(() => {\n  const x = 1;\n  nope();\n}, 1);\n",
    ),
    (
        "throw-in-function.js",
        "function f() {\n  throw new Error('boom');\n}\nconst o = {};\nf();\n",
    ),
    (
        "throw-in-immediate.js",
        "let n = 0;\nsetImmediate(function tick() {\n  n++;\n  if (n > 0) throw new RangeError('too far: ' + n);\n});\n",
    ),
    (
        "read-property-of-undefined.js",
        "const o = {};\nfunction go() {\n  return o.x.y;\n}\ngo();\n",
    ),
    (
        "null-property-in-tick.js",
        "process.nextTick(() => {\n  const list = null;\n  console.log(list.length);\n});\n",
    ),
    (
        "reference-error-nested.js",
        "function a() { b(); }\nfunction b() { c(); }\nfunction c() { undefinedThing.call(); }\nprocess.nextTick(a);\n",
    ),
    (
        "throw-a-value-returned.js",
        "function f() {\n  const e = new TypeError('t');\n  return e;\n}\nlet q = 1;\n    throw f();\n",
    ),
    (
        "rejection-in-async.js",
        "async function main() {\n  await null;\n  throw new Error('async boom');\n}\nmain();\n",
    ),
    (
        "throw-a-string.js",
        "const x = 1;\nthrow 'just a string';\n",
    ),
    (
        "throw-an-object-in-timer.js",
        "setTimeout(() => {\n  throw { code: 42 };\n}, 1);\n",
    ),
    (
        "error-on-line-one.js",
        "const value = null; value.field;\n",
    ),
    (
        "throw-on-line-one-in-callback.js",
        "setTimeout(() => { throw new Error('first line'); }, 1);\n",
    ),
    (
        "reference-error-in-promise.js",
        "Promise.resolve(1).then((v) => {\n  return v + missing;\n});\n",
    ),
    (
        "assert-fails.js",
        "const assert = require('assert');\nassert.strictEqual(1, 2);\n",
    ),
    (
        "assert-ok-in-timer.js",
        "const assert = require('assert');\nsetTimeout(() => {\n  assert.ok(false);\n}, 1);\n",
    ),
    (
        "deep-equal-fails.js",
        "const assert = require('assert');\nassert.deepStrictEqual({ a: 1 }, { a: 2 });\n",
    ),
    (
        "unhandled-error-event.js",
        "const E = require('events');\nconst e = new E();\ne.emit('error', new Error('no listener'));\n",
    ),
    (
        "unhandled-error-event-in-timer.js",
        "const E = require('events');\nclass Chan extends E {}\nconst c = new Chan();\nsetTimeout(() => {\n  c.emit('error', new Error('late'));\n}, 1);\n",
    ),
    (
        "bad-argument.js",
        "setTimeout('not a function', 1);\n",
    ),
    (
        "missing-module.js",
        "require('./missing');\n",
    ),
    (
        "property-of-null-read-later.js",
        "const v = null;\nsetImmediate(function later() {\n  return v.field;\n});\n",
    ),
];

/// Programs whose whole stderr (the place, the error, every stack frame, Node's internal
/// frames included) is the same as Node's.
const WHOLE_REPORT: &[&str] = &[
    "reference-error-main.js",
    "reference-error-in-timer.js",
    "reference-error-nested.js",
    "reference-error-in-promise.js",
    "throw-in-function.js",
    "throw-in-immediate.js",
    "read-property-of-undefined.js",
    "null-property-in-tick.js",
    "throw-a-value-returned.js",
    "rejection-in-async.js",
    "throw-a-string.js",
    "throw-an-object-in-timer.js",
    "error-on-line-one.js",
    "throw-on-line-one-in-callback.js",
    "assert-fails.js",
    "assert-ok-in-timer.js",
    "deep-equal-fails.js",
    "unhandled-error-event.js",
    "unhandled-error-event-in-timer.js",
    "property-of-null-read-later.js",
];

/// The `file:LINE` line and the caret line of an uncaught-error report.
fn location_lines(stderr: &str) -> (String, String) {
    let lines: Vec<&str> = stderr.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let place = lines.get(first).unwrap_or(&"").to_string();
    let caret = lines
        .iter()
        .skip(first)
        .find(|l| l.trim() == "^")
        .unwrap_or(&"(no caret line)")
        .to_string();
    (place, caret)
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the command runs");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write_programs() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("looplab-node-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, source) in PROGRAMS {
        std::fs::write(dir.join(name), source).unwrap();
    }
    dir
}

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Node's stderr and ours, with the folder of the programs cut out (Node's is the same path).
fn both_reports(file: &Path) -> (String, String) {
    let node = run(Command::new("node").arg(file));
    let ours = run(Command::new(env!("CARGO_BIN_EXE_looplab"))
        .arg("run")
        .arg(file));
    (node, ours)
}

#[test]
fn uncaught_errors_point_where_node_points() {
    if !node_available() {
        eprintln!("SKIPPED: `node` is not on the PATH; this test compares with real Node");
        return;
    }
    let dir = write_programs();
    let mut failures = Vec::new();
    for (name, _) in PROGRAMS {
        let (node, ours) = both_reports(&dir.join(name));
        let (node, ours) = (location_lines(&node), location_lines(&ours));
        if node != ours {
            failures.push(format!(
                "{name}:\n  node:    {:?} / {:?}\n  looplab: {:?} / {:?}",
                node.0, node.1, ours.0, ours.1
            ));
        }
    }
    println!(
        "error positions: {} of {} programs as node reports them",
        PROGRAMS.len() - failures.len(),
        PROGRAMS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn whole_reports_are_nodes() {
    if !node_available() {
        eprintln!("SKIPPED: `node` is not on the PATH; this test compares with real Node");
        return;
    }
    let dir = write_programs();
    let mut failures = Vec::new();
    for name in WHOLE_REPORT {
        let (node, ours) = both_reports(&dir.join(name));
        if node != ours {
            let line = node
                .lines()
                .zip(ours.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(node.lines().count().min(ours.lines().count()));
            failures.push(format!(
                "{name}: first difference at line {}:\n  node:    {:?}\n  looplab: {:?}",
                line + 1,
                node.lines().nth(line),
                ours.lines().nth(line)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
