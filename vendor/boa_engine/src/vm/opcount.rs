//! Looplab patch: a profiler of which JavaScript functions the interpreter spends its
//! instructions in (`--features opcount`, off by default; nothing is compiled without it).
//!
//! `perf` sees only the interpreter's own frames, never which JavaScript function it runs.
//! With this feature every instruction counts against the function (code block) running it,
//! and every 20 million instructions the functions with the most are written, most first (then
//! the functions that start the iterator protocol most often), to
//! the file named by `BOA_OPCOUNT` (default `/tmp/boa-opcount.txt`), overwriting it. So a run
//! of fewer than 20 million instructions writes nothing, and the last window of any run is not
//! written. Functions are told apart by their code block's address: if the collector frees one
//! and its address is reused, the new function's instructions count under the old name (the
//! Node layer's functions live as long as the engine, so its figures are not affected).

use super::CodeBlock;
use std::{cell::RefCell, collections::HashMap, fmt::Write as _};

#[derive(Default)]
struct Counts {
    total: u64,
    by_block: HashMap<usize, (String, u64)>,
    // `GetIterator` alone (for-of, spread, array destructuring: the iterator protocol, which
    // costs far more than one instruction), by function.
    iterators: HashMap<usize, u64>,
}

thread_local! {
    static COUNTS: RefCell<Counts> = RefCell::new(Counts::default());
}

fn describe(code: &CodeBlock) -> String {
    let map = code.source_info().map();
    let line = map
        .entries()
        .iter()
        .find_map(|e| e.position)
        .map_or(0, |p| p.line_number());
    format!(
        "{} ({}:{line})",
        code.name().to_std_string_escaped(),
        map.path()
    )
}

pub(crate) fn tick(code: &CodeBlock, get_iterator: bool) {
    COUNTS.with(|c| {
        let mut c = c.borrow_mut();
        c.total += 1;
        let key = std::ptr::from_ref(code) as usize;
        c.by_block.entry(key).or_insert_with(|| (describe(code), 0)).1 += 1;
        if get_iterator {
            *c.iterators.entry(key).or_default() += 1;
        }
        if c.total % 20_000_000 == 0 {
            dump(&c);
        }
    });
}

fn dump(c: &Counts) {
    let mut merged: HashMap<&str, u64> = HashMap::new();
    for (name, n) in c.by_block.values() {
        *merged.entry(name.as_str()).or_default() += n;
    }
    let mut rows: Vec<_> = merged.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1));
    let mut out = format!("{} instructions\n", c.total);
    for (name, n) in rows.iter().take(80) {
        let _ = writeln!(out, "{:6.2}% {n:>12} {name}", *n as f64 * 100.0 / c.total as f64);
    }
    let mut iters: Vec<_> = c
        .iterators
        .iter()
        .map(|(k, n)| (c.by_block[k].0.as_str(), *n))
        .collect();
    iters.sort_by(|a, b| b.1.cmp(&a.1));
    let _ = writeln!(out, "\nGetIterator (for-of, spread, array destructuring), by function:");
    for (name, n) in iters.iter().take(30) {
        let _ = writeln!(out, "{n:>12} {name}");
    }
    let path = std::env::var("BOA_OPCOUNT").unwrap_or_else(|_| "/tmp/boa-opcount.txt".into());
    let _ = std::fs::write(path, out);
}
