//! The time budget of a callback, and what a long callback says while it runs.
//!
//! WHY: real Node runs a callback for as long as it takes; a `fib(35)` or a loop over ten
//! million items is slow, not wrong. Looplab used to stop any loop after five million
//! iterations, which stopped finite programs Node finishes and missed a deep recursion that
//! never loops. The rule now is wall time: a callback may run for [`DEFAULT_BUDGET_MS`] (the
//! page can give it longer: "keep running"); past it the run ends with a clear message naming
//! the callback and its line, exit status [`crate::RUNAWAY_EXIT`], as `timeout(1)` would.
//!
//! HOW: boa asks an interrupt check on every loop iteration and every call (the `interrupt`
//! Looplab patch, vendor/boa_engine/LOOPLAB.md). The check is [`check`]: one thread-local
//! counter, and every [`TICKS_PER_LOOK`] ticks a look at the clock. The engine calls [`enter`]
//! before each callback and [`leave`] after it. Time comes from the host: natively a monotonic
//! clock; in a browser the page installs `Date.now` ([`install`]), with a reporter that posts a
//! "still running" note every so often once a callback has run for a while (the page's
//! progress note, and what Stop names). Everything is per thread: one engine per worker.
//!
//! The budget is wall time, so whether a callback that runs close to it ends is not
//! deterministic: the one place where Looplab's runs depend on the machine, and only for a
//! program that Node itself would leave stuck or slow.

use std::cell::RefCell;

use boa_engine::vm::SourcePath;
use boa_engine::Context;

/// A callback's wall-time budget unless the host sets another (ms).
pub const DEFAULT_BUDGET_MS: f64 = 5_000.0;
/// Loop iterations and calls between two looks at the clock (about 0.1 ms of JavaScript).
pub const TICKS_PER_LOOK: u32 = 1024;

/// What a long callback reports: its label, the line it is at (in the user's file) and how
/// long it has run (ms).
pub type Reporter = Box<dyn Fn(&str, Option<u32>, f64)>;

struct Watch {
    clock: Option<fn() -> f64>,
    budget_ms: f64,
    report_after_ms: f64,
    report_every_ms: f64,
    reporter: Option<Reporter>,
    ticks: u32,
    /// The callback running now.
    running: Option<Running>,
    /// The user's file name, as stack frames give it.
    filename: String,
    /// The last callback the budget ended: (label, line, ms).
    over: Option<(String, Option<u32>, f64)>,
}

struct Running {
    label: String,
    started: f64,
    next_report: f64,
}

#[cfg(not(target_arch = "wasm32"))]
fn monotonic_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

thread_local! {
    static WATCH: RefCell<Watch> = RefCell::new(Watch {
        #[cfg(not(target_arch = "wasm32"))]
        clock: Some(monotonic_ms),
        // No clock in a browser until the page installs one.
        #[cfg(target_arch = "wasm32")]
        clock: None,
        budget_ms: DEFAULT_BUDGET_MS,
        report_after_ms: f64::INFINITY,
        report_every_ms: f64::INFINITY,
        reporter: None,
        ticks: 0,
        running: None,
        filename: String::new(),
        over: None,
    });
}

/// Gives this thread's engines a clock (ms) and, optionally, a reporter called from inside a
/// callback that has run `after_ms`, then every `every_ms`.
pub fn install(clock: fn() -> f64, after_ms: f64, every_ms: f64, reporter: Reporter) {
    WATCH.with(|w| {
        let mut w = w.borrow_mut();
        w.clock = Some(clock);
        w.report_after_ms = after_ms;
        w.report_every_ms = every_ms;
        w.reporter = Some(reporter);
    });
}

/// Gives this thread's engines a clock (ms), without a reporter.
pub fn set_clock(clock: fn() -> f64) {
    WATCH.with(|w| w.borrow_mut().clock = Some(clock));
}

/// The wall-time budget of each callback from now on (ms; infinite: none).
pub fn set_budget(ms: f64) {
    WATCH.with(|w| w.borrow_mut().budget_ms = ms.max(1.0));
}

/// The budget in force (ms).
pub fn budget() -> f64 {
    WATCH.with(|w| w.borrow().budget_ms)
}

/// The interrupt check boa calls (see the module's essay).
pub(crate) fn check(ctx: &Context) -> bool {
    WATCH.with(|w| {
        let Ok(mut w) = w.try_borrow_mut() else {
            return false; // a reporter re-entered the engine: never stop from there
        };
        w.ticks = w.ticks.wrapping_add(1);
        if w.ticks % TICKS_PER_LOOK != 0 {
            return false;
        }
        let Some(clock) = w.clock else { return false };
        let now = clock();
        let Some(run) = w.running.as_ref() else {
            return false;
        };
        let ran = now - run.started;
        if ran >= w.budget_ms {
            let line = user_line(ctx, &w.filename);
            let label = run.label.clone();
            w.over = Some((label, line, ran));
            return true;
        }
        if ran >= w.report_after_ms && now >= run.next_report {
            let line = user_line(ctx, &w.filename);
            let every = w.report_every_ms;
            if let Some(run) = w.running.as_mut() {
                run.next_report = now + every;
            }
            if let (Some(report), Some(run)) = (w.reporter.as_ref(), w.running.as_ref()) {
                report(&run.label, line, ran);
            }
        }
        false
    })
}

/// The innermost line of the user's file on the stack.
fn user_line(ctx: &Context, filename: &str) -> Option<u32> {
    let file = std::path::Path::new(filename);
    ctx.stack_trace().find_map(|f| match &f.position().path {
        SourcePath::Path(p) if p.as_ref() == file => {
            f.instruction_position().map(|p| p.line_number())
        }
        _ => None,
    })
}

/// A callback called `label` starts (in a program whose file is `filename`).
pub(crate) fn enter(label: &str, filename: &str) {
    let (lead, label) = if label == looplab_model::MAIN_SCRIPT {
        ("", "the main script")
    } else {
        ("the callback ", label)
    };
    WATCH.with(|w| {
        let mut w = w.borrow_mut();
        let Some(clock) = w.clock else { return };
        let started = clock();
        if w.filename != filename {
            w.filename = filename.to_owned();
        }
        let next_report = started + w.report_after_ms;
        match w.running.as_mut() {
            Some(run) => {
                run.label.clear();
                run.label.push_str(lead);
                run.label.push_str(label);
                run.started = started;
                run.next_report = next_report;
            }
            None => {
                w.running = Some(Running {
                    label: format!("{lead}{label}"),
                    started,
                    next_report,
                })
            }
        }
        w.over = None;
    });
}

/// The callback is over.
pub(crate) fn leave() {
    WATCH.with(|w| {
        if let Some(run) = w.borrow_mut().running.as_mut() {
            run.started = f64::INFINITY;
        }
    });
}

/// The callback running now (what an out-of-memory report names), if it can be told without
/// waiting (never from inside the watchdog itself).
pub fn running_label() -> Option<String> {
    WATCH.with(|w| {
        let w = w.try_borrow().ok()?;
        let run = w.running.as_ref()?;
        run.started.is_finite().then(|| run.label.clone())
    })
}

/// The callback the budget ended last, if the last callback was ended by it: (label, line, ms).
pub(crate) fn over_budget() -> Option<(String, Option<u32>, f64)> {
    WATCH.with(|w| w.borrow().over.clone())
}
