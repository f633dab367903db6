//! Generated programs, good and bad: the engine never panics, never hangs, and ends with a
//! Node-like status (0, 1, or 124 for the runaway-loop budget). Runs briefly in every test run;
//! set PROPTEST_CASES for a longer session.

use looplab_engine::looplab_model::Step;
use looplab_engine::{Engine, Options};
use proptest::prelude::*;

fn fragment() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..50).prop_map(|d| format!("setTimeout(() => console.log('t{d}'), {d});")),
        Just("setImmediate(() => console.log('imm'));".to_string()),
        Just("process.nextTick(() => console.log('tick'));".to_string()),
        Just("Promise.resolve().then(() => console.log('micro'));".to_string()),
        Just("queueMicrotask(() => console.log('qm'));".to_string()),
        Just("require('fs').stat(__filename, (e, s) => console.log('stat', s.size > 0));".to_string()),
        Just("require('fs').readFile('/missing', (e) => console.log(e.code));".to_string()),
        Just("require('crypto').pbkdf2('a','b',1000,8,'sha256',() => console.log('hash'));".to_string()),
        Just("require('db').query('SELECT * FROM users WHERE id = ?', [1]).then(r => console.log(r[0].name));".to_string()),
        (1u32..30).prop_map(|ms| format!("{{ const t = Date.now(); while (Date.now() - t < {ms}) {{}} }}")),
        Just("(async () => { await null; console.log('async'); })();".to_string()),
        Just("console.log({ a: [1, { b: 2 }], s: 'x' });".to_string()),
        // Bad input of every kind:
        Just("throw new Error('boom');".to_string()),
        Just("Promise.reject(new Error('unhandled'));".to_string()),
        Just("require('child_process');".to_string()),
        Just("require('nope');".to_string()),
        Just("setTimeout(42);".to_string()),
        Just("undefinedVariable.property;".to_string()),
        Just("while (true) {}".to_string()),
        Just("const x = ;".to_string()),
        Just("}{".to_string()),
        Just("process.exit(2);".to_string()),
        Just("clearTimeout({}); clearImmediate(7); clearInterval('x');".to_string()),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (inner.clone(), 0u32..20)
                .prop_map(|(body, d)| format!("setTimeout(() => {{ {body} }}, {d});")),
            inner
                .clone()
                .prop_map(|body| format!("setImmediate(() => {{ {body} }});")),
            inner
                .clone()
                .prop_map(|body| format!("process.nextTick(() => {{ {body} }});")),
            inner
                .clone()
                .prop_map(|body| format!("Promise.resolve().then(() => {{ {body} }});")),
            inner.clone().prop_map(|body| format!(
                "require('fs').readFile(__filename, () => {{ {body} }});"
            )),
            inner.prop_map(|body| format!(
                "try {{ {body} }} catch (e) {{ console.log('caught', e.message); }}"
            )),
        ]
    })
}

fn program() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 1..6).prop_map(|v| v.join("\n"))
}

fn run(src: &str) -> (Option<i32>, String) {
    let opts = Options {
        loop_iteration_limit: 200_000,
        ..Options::default()
    };
    let mut e = Engine::new(src, "/fuzz/program.js", opts).expect("engine starts");
    let mut steps = 0u64;
    loop {
        steps += 1;
        assert!(steps < 2_000_000, "program did not finish:\n{src}");
        match e.step().expect("the engine drives the model correctly") {
            Step::Exited(_) => break,
            Step::AwaitingInput => return (None, String::new()),
            _ => {}
        }
    }
    let out: String = e.take_output().into_iter().map(|o| o.text).collect();
    (e.exited(), out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_end_cleanly(src in program()) {
        let (code, _) = run(&src);
        prop_assert!(matches!(code, Some(0) | Some(1) | Some(2) | Some(124)), "exit {code:?} for\n{src}");
    }

    #[test]
    fn generated_programs_are_deterministic(src in program()) {
        prop_assert_eq!(run(&src), run(&src));
    }
}
