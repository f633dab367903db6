//! The model and the engine on wasm32, in headless Chromium: the same trace as natively (the
//! golden hash), and real programs printing what real Node printed (conformance cases, whose
//! expected output was written by running `node`).
#![cfg(target_arch = "wasm32")]

use looplab_engine::looplab_model::selftest::{fnv1a, golden_trace, GOLDEN_TRACE_HASH};
use looplab_engine::{Engine, Options};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_trace_is_identical_to_the_native_one() {
    let trace = golden_trace();
    assert_eq!(
        fnv1a(&trace),
        GOLDEN_TRACE_HASH,
        "wasm32 trace differs from the native one"
    );
}

fn stdout_of(source: &str) -> (String, Option<i32>) {
    // (As the page does before it makes an engine: the browser's normalize and regular
    // expressions.)
    looplab_web::browser_text::install();
    let mut e = Engine::new(source, "/app/case.js", Options::default())
        .expect("engine starts in the browser");
    let code = e.run_to_end().expect("the program runs");
    let out = e
        .take_output()
        .into_iter()
        .filter(|o| o.stream == looplab_engine::looplab_model::Stream::Stdout)
        .map(|o| o.text)
        .collect();
    (out, code)
}

macro_rules! case {
    ($name:ident, $file:literal) => {
        #[wasm_bindgen_test]
        fn $name() {
            let src = include_str!(concat!("conformance/cases/", $file, ".js"));
            let expected = include_str!(concat!("conformance/cases/", $file, ".out"));
            let (out, code) = stdout_of(src);
            assert_eq!(out, expected, "{}", $file);
            assert_eq!(code, Some(0));
        }
    };
}

case!(ticks_then_microtasks, "201-tick-micro-order");
case!(await_hops, "203-await-hops");
case!(phase_walk, "304-phase-walk");
case!(pool_of_one, "401-pool-size-one-fifo");
case!(blocking_work, "501-busy-wait-blocks-everything");
case!(console_formatting, "801-console-formatting");
case!(net_echo, "701-net-echo");
case!(string_normalize, "859-string-normalize");
case!(regexp, "860-regexp");

/// Where boa's own regular expressions differ from Node's, the page's (the browser's) agree
/// with Node: messages, folding, and long splits in time.
#[wasm_bindgen_test]
fn regexp_as_v8() {
    let src = include_str!("conformance/browser-only/861-regexp-as-v8.js");
    let expected = include_str!("conformance/browser-only/861-regexp-as-v8.out");
    let (out, code) = stdout_of(src);
    assert_eq!(out, expected);
    assert_eq!(code, Some(0));
}

/// An invalid regular expression literal stops the program before it runs, with V8's message
/// at the literal (its flags as written), as Node reports it.
#[wasm_bindgen_test]
fn an_invalid_regexp_literal_is_a_syntax_error_with_v8s_message() {
    looplab_web::browser_text::install();
    let source = "console.log(1);\nconst r = /(/ig;\n";
    let mut e = Engine::new(source, "/app/case.js", Options::default())
        .expect("engine starts in the browser");
    let code = e.run_to_end().expect("the program runs");
    let out: Vec<_> = e
        .take_output()
        .into_iter()
        .map(|o| (o.stream, o.text))
        .collect();
    let stderr: String = out
        .iter()
        .filter(|(s, _)| *s == looplab_engine::looplab_model::Stream::Stderr)
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(
        out.iter().all(|(_, t)| t != "1\n"),
        "the program ran: {out:?}"
    );
    assert!(
        stderr.contains("SyntaxError: Invalid regular expression: /(/ig: Unterminated group"),
        "{stderr}"
    );
    assert_eq!(code, Some(1));
}
