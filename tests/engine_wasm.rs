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
    // (As the page does before it makes an engine: the browser's String.prototype.normalize.)
    looplab_web::runner::use_the_browsers_normalize();
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
