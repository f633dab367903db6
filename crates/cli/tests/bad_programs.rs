//! Bad programs get a clear message and a Node-like exit status; none panics or hangs.

use std::process::{Command, Output};

fn run(name: &str, source: &str, extra: &[&str]) -> Output {
    let dir = std::env::temp_dir().join(format!("looplab-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, source).unwrap();
    Command::new(env!("CARGO_BIN_EXE_looplab"))
        .arg("run")
        .args(extra)
        .arg(&file)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn syntax_error_reports_line_and_column() {
    let o = run(
        "syntax.js",
        "const a = 1;\nconst b = ;\nconsole.log(a);\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("syntax.js:2"), "{e}");
    assert!(e.contains("SyntaxError"), "{e}");
    assert!(e.contains("line 2, column 11"), "{e}");
    assert!(
        e.contains("const b = ;"),
        "the offending line is shown: {e}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn syntax_error_on_the_first_line_has_the_users_column() {
    let o = run("first.js", "let x = (;\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 1, column 10"), "{}", stderr(&o));
}

#[test]
fn uncaught_exception_prints_the_error_and_exits_1() {
    let o = run(
        "throw.js",
        "console.log('before');\nsetTimeout(() => {\n  throw new TypeError('boom');\n}, 1);\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "before\n");
    let e = stderr(&o);
    assert!(e.contains("TypeError: boom"), "{e}");
    assert!(e.contains("throw.js:3"), "{e}");
    assert!(e.contains("Node.js v20"), "{e}");
}

#[test]
fn throwing_a_non_error_value() {
    let o = run("str.js", "throw 'just a string';\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("just a string"), "{}", stderr(&o));
}

#[test]
fn unhandled_rejection_exits_1_with_nodes_message() {
    let o = run(
        "rej.js",
        "Promise.reject(42);\nsetTimeout(() => console.log('never'), 5);\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("ERR_UNHANDLED_REJECTION"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("reason \"42\""), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn runaway_loop_stops_with_a_clear_message() {
    let started = std::time::Instant::now();
    let o = run(
        "spin.js",
        "setTimeout(() => console.log('never'), 1);\nlet n = 0;\nwhile (true) {\n  n++;\n}\n",
        &["--budget", "0.3"],
    );
    assert_eq!(o.status.code(), Some(124));
    let e = stderr(&o);
    assert!(e.contains("Looplab stopped the program"), "{e}");
    // It names the callback and the line it was at, and the budget it ran past.
    assert!(e.contains("the main script at line 3 ran for 0."), "{e}");
    assert!(e.contains("time budget is 0.3 s"), "{e}");
    assert!(!stdout(&o).contains("never"));
    // The budget is wall time: the run ends soon after it (generously: a loaded machine).
    assert!(started.elapsed().as_secs_f64() < 30.0);
}

#[test]
fn a_long_but_finite_loop_runs_to_its_end_as_in_node() {
    // Six million iterations: more than the old iteration cap of five million; Node finishes.
    let o = run(
        "long.js",
        "let s = 0;\nfor (let i = 0; i < 6e6; i++) s += i % 7;\nconsole.log(s);\n",
        &["--budget", "120"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "17999997\n");
}

#[test]
fn a_deep_but_loopless_recursion_is_held_to_the_budget_too() {
    // fib(40) never loops and never gets deep: only a clock can stop it.
    let o = run(
        "fib.js",
        "function fib(n) {\n  return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}\nconsole.log(fib(40));\n",
        &["--budget", "0.3"],
    );
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    assert!(stderr(&o).contains("at line 2 ran for"), "{}", stderr(&o));
}

#[test]
fn a_bad_budget_is_refused_with_a_clear_message() {
    for bad in ["0", "-1", "soon", "NaN"] {
        let o = run("ok.js", "console.log(1)\n", &["--budget", bad]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("--budget takes a number of seconds above 0"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn runaway_recursion_is_stopped_too() {
    let o = run(
        "rec.js",
        "function f(n) { return f(n + 1) + 1; }\nf(0);\n",
        &[],
    );
    assert!(
        matches!(o.status.code(), Some(124) | Some(1)),
        "{:?}",
        o.status
    );
    assert!(!stderr(&o).is_empty());
}

#[test]
fn unknown_and_unsupported_modules() {
    let o = run("mod.js", "require('left-pad');\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Cannot find module 'left-pad'"),
        "{}",
        stderr(&o)
    );
    let o = run("cp.js", "const { exec } = require('child_process');\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("does not model the 'child_process' module"),
        "{e}"
    );
}

#[test]
fn invalid_callbacks_throw_like_node() {
    let o = run("cb.js", "setTimeout('not a function', 10);\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("ERR_INVALID_ARG_TYPE")
            || stderr(&o).contains("must be of type function"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cli_flags_are_checked() {
    let o = run("ok.js", "console.log(1)\n", &["--pool-size", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("1..=1024"), "{}", stderr(&o));
    let o = run("ok.js", "console.log(1)\n", &["--cost", "nonsense=3"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run("ok.js", "console.log(1)\n", &["--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["run", "/no/such/file.js"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn trace_and_json_modes_describe_the_loop() {
    let src = "setTimeout(() => console.log('t'), 1);\nrequire('fs').stat(__filename, () => console.log('s'));\n";
    let o = run("tr.js", src, &["--trace"]);
    assert_eq!(o.status.code(), Some(0));
    let t = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "enter timers (uv__run_timers)",
        "enter poll (uv__io_poll)",
        "worker 0 starts",
        "stdout: t",
        "exit 0",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
    let o = run("tr.js", src, &["--json", "--seed", "9"]);
    let j = String::from_utf8_lossy(&o.stdout);
    assert!(
        j.lines()
            .all(|l| l.starts_with("{\"at_us\":") && l.ends_with('}')),
        "{j}"
    );
    assert!(j.contains("\"event\":\"job_start\""));
    let again = run("tr.js", src, &["--json", "--seed", "9"]);
    assert_eq!(o.stdout, again.stdout, "same program and seed, same trace");
}

#[test]
fn pool_size_flag_changes_behaviour() {
    let src = "const c = require('crypto');\nfor (const n of ['a','b','c']) c.pbkdf2('p','s',40000,8,'sha512',() => console.log(n, Date.now() - t0 > 50 ? 'late' : 'early'));\nconst t0 = Date.now();\n";
    let one = run("p.js", src, &["--pool-size", "1"]);
    let four = run("p.js", src, &["--pool-size", "4"]);
    assert_eq!(
        String::from_utf8_lossy(&four.stdout),
        "a early\nb early\nc early\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&one.stdout),
        "a early\nb late\nc late\n"
    );
}
