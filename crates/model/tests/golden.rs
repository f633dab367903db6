//! The golden workload's trace hash is the recorded one (the browser test checks the same
//! number on wasm32, which is how "identical natively and on wasm32" is tested).

use looplab_model::selftest::{fnv1a, golden_trace, GOLDEN_TRACE_HASH};

#[test]
fn golden_trace_is_stable() {
    let a = golden_trace();
    assert_eq!(a, golden_trace(), "two runs, one trace");
    assert!(a.lines().count() > 1000, "a substantial workload");
    assert_eq!(fnv1a(&a), GOLDEN_TRACE_HASH, "trace hash {:#x}", fnv1a(&a));
}
