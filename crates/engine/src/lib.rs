//! # looplab-engine: real JavaScript on the looplab model
//!
//! HOW: a boa `Context` runs the program; the model (`looplab_model::Sim`) decides when each
//! callback runs. Three seams connect them:
//!
//! 1. **The host object.** `host.rs` installs native functions (`host.setTimeout`,
//!    `host.work`, `host.watch`, ...) that schedule on the model. Node's JavaScript layer
//!    (`js/`, one file per Node module, joined by `prelude.rs`) is written over them, the way
//!    Node's `lib/` is written over its C++ bindings.
//! 2. **The job executor.** boa hands every promise job to `Executor::enqueue_job`, which parks
//!    it and queues an opaque id on the model's microtask queue. The job runs only when the model
//!    says so: after the nextTick queue, in the checkpoint after each callback, exactly as V8's
//!    microtask queue is drained by `processTicksAndRejections`. boa never runs jobs on its own.
//! 3. **The clock.** `Date.now()`, `performance.now()` and `new Date()` read the model's virtual
//!    time, and each read costs a little CPU, so the classic busy-wait
//!    (`while (Date.now() - t < 50) {}`) blocks the loop for 50 virtual ms.
//!
//! `Engine::step` is one model step; when the step is a callback, the engine runs it to
//! completion before returning. Errors follow Node: an uncaught exception or an unhandled
//! rejection prints Node's message on stderr and exits with 1; a syntax error is reported with
//! line and column; a runaway loop hits boa's loop budget and stops with a clear message.
//!
//! Architecture invariant: the engine knows no DOM, no terminal, no wall clock and no OS
//! randomness (`Math.random` draws from the model's seeded generator).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use boa_engine::builtins::promise::OperationType;
use boa_engine::context::time::JsInstant;
use boa_engine::context::{Clock, ContextBuilder, HostHooks};
use boa_engine::job::{Job, JobCallback, JobExecutor, PromiseJob};
use boa_engine::object::builtins::JsFunction;
use boa_engine::{Context, JsError, JsObject, JsResult, JsString, JsValue, Source as JsSource};
pub use looplab_model;
use looplab_model::{
    CallbackId, Config, Invocation, LabelId, Micros, ModelError, Sim, Source, Step, Stream,
};

mod costs;
mod encoding;
mod host;
pub mod input_log;
pub mod load;
pub mod names;
mod prelude;
mod registry;
mod report;
pub mod requests;
pub mod session;
#[cfg(test)]
mod strip_js;
pub mod watchdog;
mod zlib;

pub use costs::Costs;

/// Message of the error `process.exit()` throws to unwind the running JavaScript.
pub(crate) const EXIT_SENTINEL: &str = "__looplab_process_exit__";
/// Callback ids at or above this are boa promise jobs; below, the prelude's registry.
const JOB_BIT: u64 = 1 << 62;
/// Collects boa's garbage now (for measurements of what a run really holds).
pub fn collect_garbage() {
    boa_gc::force_collect();
}

/// The collector's policy (vendor/boa_gc/LOOPLAB.md): collect when the heap has doubled since
/// the last collection, and not before 16 MiB. A collection marks the whole live heap, Node's
/// layer included; boa's default (from 1 MiB, grown only when 70% survives) collected so often
/// that a third of a promise-heavy program's time went to it.
pub const GC_MIN_THRESHOLD: usize = 16 << 20;
pub const GC_GROWTH_PERCENT: usize = 200;

/// Exit status for a program stopped by the runaway-loop budget (as `timeout(1)` reports).
pub const RUNAWAY_EXIT: i32 = 124;
pub(crate) const NODE_VERSION_FOOTER: &str = "\nNode.js v20.20.2\n";
/// The source path of the Node layer (`prelude.rs`), as frames name it.
pub(crate) const LAYER_PATH: &str = "node:internal/looplab";
pub(crate) const WRAPPER_HEAD: &str =
    "(function (exports, require, module, __filename, __dirname) { ";

/// How a run is set up.
#[derive(Clone, Debug)]
pub struct Options {
    pub config: Config,
    pub costs: Costs,
    /// boa's count of loop iterations per call frame (none by default: a callback's limit is
    /// its time budget, see `watchdog.rs`; a test that wants a deterministic stop sets this).
    pub loop_iteration_limit: u64,
    /// JavaScript call depth before a `RangeError`-like stop.
    pub recursion_limit: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            config: Config::default(),
            costs: Costs::default(),
            loop_iteration_limit: u64::MAX,
            recursion_limit: 1_000,
        }
    }
}

impl Options {
    /// Every cost setting a run has, with its value and what it is: the model's own two
    /// (`callbackCost`, `scriptCost`) and the engine's table (see [`Costs`]).
    pub fn cost_table(&self) -> Vec<(&'static str, f64, &'static str)> {
        let mut table = vec![
            (
                "callbackCost",
                self.config.callback_cost.0 as f64,
                "CPU every callback costs before it does anything (V8 entry, Node's wrappers).",
            ),
            (
                "scriptCost",
                self.config.script_cost.0 as f64,
                "CPU the main script costs on top (compiling it, Node's bootstrap around it).",
            ),
        ];
        table.extend(self.costs.fields());
        table
    }

    /// Set one cost by its name as `cost_table` lists it (or in snake case), in microseconds.
    pub fn set_cost(&mut self, name: &str, value: f64) -> Result<(), String> {
        costs::check_value(name, value)?;
        let slot = match costs::fold(name).as_str() {
            "callbackcost" => &mut self.config.callback_cost,
            "scriptcost" => &mut self.config.script_cost,
            _ => return self.costs.set(name, value),
        };
        *slot = Micros(value.round() as u64);
        Ok(())
    }
}

/// One write to stdout or stderr, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub stream: Stream,
    pub text: String,
}

pub use requests::{RequestChanges, RequestCursor, RequestLog, RequestRecord, RequestSummary};

/// A reply, as a load test hears of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    pub id: u64,
    pub arrived: Micros,
    pub finished: Micros,
    pub status: u16,
}

/// Replies not yet taken by a load test.
struct CompletionLog {
    done: Vec<Completion>,
}

pub(crate) struct Shared {
    /// The lazy part of Node's layer was compiled (`prelude::LAZY`).
    pub(crate) lazy_layer: bool,
    pub(crate) sim: Sim,
    pub(crate) costs: Costs,
    /// Promise jobs parked until the model runs their microtask.
    jobs: BTreeMap<u64, PromiseJob>,
    next_job: u64,
    pub(crate) output: Vec<Output>,
    /// Virtual time for boa's `Clock` (µs).
    pub(crate) clock: Rc<Cell<u64>>,
    pub(crate) exit_requested: bool,
    /// Whether stdout / stderr have been written yet (the first write sets the stream up).
    pub(crate) stdout_used: bool,
    pub(crate) stderr_used: bool,
    /// Line of the user's file the running callback was last seen at (its latest host call).
    pub(crate) current_line: Option<u32>,
    /// What kind of callback is running (`host.callbackKind()`, for Node-like error stacks).
    pub(crate) callback_kind: &'static str,
    pub(crate) filename: String,
    /// Rejected promises with no handler yet (V8's pending unhandled rejections).
    unhandled: Vec<JsObject>,
    requests: RequestLog,
    /// Replies reported to a load test, when one tracks them (see `Engine::track_completions`).
    completions: Option<CompletionLog>,
    /// Labels of anonymous functions by their compiled code (see `host::label`).
    pub(crate) function_labels: std::collections::HashMap<usize, (JsObject, LabelId)>,
    /// `Function.prototype.toString` as the engine started with it.
    pub(crate) to_source: Option<JsObject>,
    /// The label every promise job is queued with.
    promise_label: LabelId,
    /// Callbacks waiting for the loop (see `registry.rs`).
    pub(crate) callbacks: registry::Registry,
}

impl Shared {
    pub(crate) fn request_done(&mut self, id: u64, status: u16, body: String) {
        let now = self.sim.now();
        if let Some(arrived) = self.requests.done(id, now, status, body) {
            if let Some(log) = &mut self.completions {
                log.done.push(Completion {
                    id,
                    arrived,
                    finished: now,
                    status,
                });
            }
        }
    }
    pub(crate) fn request_started(&mut self, id: u64) {
        let now = self.sim.now();
        self.requests.started(id, now);
    }
}

struct Executor(Rc<RefCell<Shared>>);

impl JobExecutor for Executor {
    fn enqueue_job(self: Rc<Self>, job: Job, _context: &mut Context) {
        // Only promise jobs exist in the programs we run; other kinds (Atomics, finalization
        // registries) have no place in Node's loop model and are dropped.
        if let Job::PromiseJob(job) = job {
            let mut s = self.0.borrow_mut();
            let id = s.next_job;
            s.next_job += 1;
            s.jobs.insert(id, job);
            let label = s.promise_label;
            s.sim.queue_microtask(CallbackId(JOB_BIT | id), label);
        }
    }
    fn run_jobs(self: Rc<Self>, _context: &mut Context) -> JsResult<()> {
        Ok(()) // the model runs jobs, one at a time, when their turn comes
    }
}

/// How strings are normalized in WebAssembly (`String.prototype.normalize`): there boa carries
/// no Unicode normalization tables (vendor/boa_engine/LOOPLAB.md, change 10: about 104 KB the
/// page need not load), and the page gives the browser's own with [`set_normalizer`].
#[cfg(target_arch = "wasm32")]
static NORMALIZER: std::sync::OnceLock<fn(&str, &[u16]) -> Vec<u16>> = std::sync::OnceLock::new();

/// Sets how a WebAssembly build normalizes strings: `f(form, utf16)` with form "NFC", "NFD",
/// "NFKC" or "NFKD". The first call wins; natively it does nothing (boa normalizes itself).
/// Without it, `normalize` throws a `TypeError` in WebAssembly.
pub fn set_normalizer(f: fn(&str, &[u16]) -> Vec<u16>) {
    #[cfg(target_arch = "wasm32")]
    let _ = NORMALIZER.set(f);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = f;
}

/// How a WebAssembly build runs regular expressions: there boa carries no regular expression
/// engine (vendor/boa_engine/LOOPLAB.md, change 11: regress and its Unicode tables are about
/// 125 KB of the page, gzipped), and the page gives the browser's own with
/// [`set_regexp_host`]. They are V8's, the ones Node runs.
#[derive(Clone, Copy)]
pub struct RegExpHost {
    /// Compiles a pattern (UTF-16) with its flags as written (`g`, `y` and `d` are boa's to
    /// apply; they only appear in a message): its id and the names of its named groups in the
    /// pattern's order, or the `SyntaxError`'s message.
    pub compile: fn(&[u16], &str) -> Result<(u32, Vec<String>), String>,
    /// The first match of regexp `id` at or after UTF-16 index `from` of the input (`None`:
    /// the same input as the previous call), written into `out` as start and end pairs: the
    /// match, each capture group, then each named group; -1 for a group that took no part.
    /// `Ok(false)`: no match; `Err((is a SyntaxError, message))`: the browser's matcher threw
    /// (V8's backtracking stack overflows on some patterns and long texts, as in Node).
    pub exec: fn(u32, Option<&[u16]>, usize, &mut Vec<i32>) -> Result<bool, (bool, String)>,
    /// Regexp `id` is no longer used.
    pub free: fn(u32),
}

#[cfg(target_arch = "wasm32")]
static REGEXP_HOST: std::sync::OnceLock<RegExpHost> = std::sync::OnceLock::new();

/// Sets how a WebAssembly build compiles and runs regular expressions, literals' validation
/// included (the first call wins). Natively it does nothing (boa's regress runs them). Without
/// it, a WebAssembly engine cannot start: Node's layer uses regular expressions.
pub fn set_regexp_host(host: RegExpHost) {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = REGEXP_HOST.set(host);
        boa_engine::parser::set_regexp_validator(|pattern, flags| {
            let host = REGEXP_HOST.get().expect("set just before");
            let (id, _) = (host.compile)(pattern, flags).map_err(|message| {
                // V8 names a literal's flags as written, a constructor's in its own order.
                let source = String::from_utf16_lossy(pattern);
                let ordered: String = "dgimsuvy".chars().filter(|c| flags.contains(*c)).collect();
                let made = format!("/{source}/{ordered}: ");
                match message.find(&made) {
                    Some(at) => {
                        let rest = &message[at + made.len()..];
                        format!("{}/{source}/{flags}: {rest}", &message[..at])
                    }
                    None => message,
                }
            })?;
            (host.free)(id);
            Ok(())
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = host;
}

/// A regular expression the page compiled ([`RegExpHost`]); freed with the last `RegExp` that
/// uses it.
#[cfg(target_arch = "wasm32")]
#[derive(Debug)]
struct HostRegExp {
    id: u32,
    names: Vec<Rc<str>>,
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The input of the last match, and where its text is: the page keeps it as a browser
    /// string, so a global `replace` over a long text does not copy the text for each match.
    /// Held here, the string cannot be freed and its address reused by another.
    static LAST_INPUT: RefCell<Option<(boa_engine::JsString, usize, usize)>> =
        const { RefCell::new(None) };
}

#[cfg(target_arch = "wasm32")]
impl boa_engine::context::HostRegExp for HostRegExp {
    fn exec(
        &self,
        input: &boa_engine::JsString,
        from: usize,
    ) -> Result<Option<boa_engine::context::HostMatch>, boa_engine::context::HostRegExpError> {
        use boa_engine::string::JsStrVariant;
        let Some(host) = REGEXP_HOST.get() else {
            return Ok(None);
        };
        let at = match input.variant() {
            JsStrVariant::Latin1(b) => (b.as_ptr() as usize, b.len()),
            JsStrVariant::Utf16(u) => (u.as_ptr() as usize, u.len() * 2),
        };
        let same = LAST_INPUT.with_borrow_mut(|last| {
            let same = last.as_ref().is_some_and(|(_, p, n)| (*p, *n) == at);
            if !same {
                *last = Some((input.clone(), at.0, at.1));
            }
            same
        });
        let units = (!same).then(|| input.to_vec());
        let mut out = Vec::new();
        match (host.exec)(self.id, units.as_deref(), from, &mut out) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err((syntax, message)) => {
                return Err(boa_engine::context::HostRegExpError { syntax, message })
            }
        }
        let range = |k: usize| -> Option<std::ops::Range<usize>> {
            let (s, e) = (*out.get(2 * k)?, *out.get(2 * k + 1)?);
            (s >= 0 && e >= s).then_some(s as usize..e as usize)
        };
        let groups = (out.len() / 2).saturating_sub(self.names.len());
        let Some(whole) = range(0) else {
            return Ok(None);
        };
        Ok(Some(boa_engine::context::HostMatch {
            range: whole,
            captures: (1..groups).map(range).collect(),
            named: (0..self.names.len())
                .map(|i| (self.names[i].clone(), range(groups + i)))
                .collect(),
        }))
    }
}

#[cfg(target_arch = "wasm32")]
impl Drop for HostRegExp {
    fn drop(&mut self) {
        if let Some(host) = REGEXP_HOST.get() {
            (host.free)(self.id);
        }
    }
}

struct Hooks(Rc<RefCell<Shared>>);

impl HostHooks for Hooks {
    #[cfg(target_arch = "wasm32")]
    fn normalize(&self, form: &str, s: &[u16]) -> Option<Vec<u16>> {
        NORMALIZER.get().map(|f| f(form, s))
    }

    #[cfg(target_arch = "wasm32")]
    fn compile_regexp(
        &self,
        pattern: &[u16],
        flags: &str,
    ) -> Result<Rc<dyn boa_engine::context::HostRegExp>, String> {
        let host = REGEXP_HOST
            .get()
            .ok_or("regular expressions need the page in this build")?;
        let (id, names) = (host.compile)(pattern, flags)?;
        let names = names.into_iter().map(Rc::from).collect();
        Ok(Rc::new(HostRegExp { id, names }))
    }

    // AsyncLocalStorage (js/async_hooks.js): a promise reaction runs in the async context that
    // was current when `then` was called or `await` was reached, as Node's PromiseHook gives it,
    // not in the context of whatever settled the promise. HostMakeJobCallback records it (0 =
    // none) and HostCallJobCallback makes it current while the reaction runs.
    fn make_job_callback(&self, callback: JsFunction, _context: &mut Context) -> JobCallback {
        let async_context = self.0.borrow().sim.async_context().unwrap_or(0);
        JobCallback::new(callback, async_context)
    }

    fn call_job_callback(
        &self,
        job: &JobCallback,
        this: &JsValue,
        args: &[JsValue],
        context: &mut Context,
    ) -> JsResult<JsValue> {
        let Some(&recorded) = job.host_defined().as_any().downcast_ref::<u64>() else {
            return job.callback().call(this, args, context);
        };
        let previous = {
            let mut s = self.0.borrow_mut();
            let previous = s.sim.async_context();
            s.sim.set_async_context((recorded != 0).then_some(recorded));
            previous
        };
        let result = job.callback().call(this, args, context);
        self.0.borrow_mut().sim.set_async_context(previous);
        result
    }

    fn promise_rejection_tracker(
        &self,
        promise: &JsObject<boa_engine::builtins::promise::Promise>,
        op: OperationType,
        context: &mut Context,
    ) {
        let p: JsObject = promise.clone().upcast();
        {
            let mut s = self.0.borrow_mut();
            match op {
                OperationType::Reject => {
                    s.unhandled.push(p.clone());
                    s.sim.note_unhandled_rejection();
                }
                OperationType::Handle => {
                    s.unhandled.retain(|x| !JsObject::equals(x, &p));
                    return;
                }
            }
        }
        // An error's stack names the callback it was made in: read it now, while that callback
        // runs, rather than when the rejection is reported (the Node layer keeps the string).
        if let Ok(jp) = boa_engine::object::builtins::JsPromise::from_object(p) {
            if let boa_engine::builtins::promise::PromiseState::Rejected(reason) = jp.state() {
                if let Some(o) = reason.as_object() {
                    if o.is::<boa_engine::builtins::error::Error>() {
                        let _ = o.get(boa_engine::js_string!("stack"), context);
                    }
                }
            }
        }
    }
}

struct VirtualClock {
    us: Rc<Cell<u64>>,
    epoch_ms: f64,
}

impl Clock for VirtualClock {
    fn now(&self) -> JsInstant {
        let us = self.us.get();
        JsInstant::new(us / 1_000_000, ((us % 1_000_000) * 1000) as u32)
    }
    fn system_time_millis(&self) -> i64 {
        self.epoch_ms as i64 + (self.us.get() / 1000) as i64
    }
}

/// The kind of callback `inv` runs, as the Node layer names it when it writes error stacks.
fn callback_kind(inv: Invocation) -> &'static str {
    match inv.source {
        Source::Main => "main",
        Source::Timer(_) => "timer",
        Source::Immediate(_) => "immediate",
        Source::Tick(_) => "tick",
        Source::Microtask(_) if inv.callback.0 & JOB_BIT != 0 => "promise",
        Source::Microtask(_) => "microtask",
        Source::Work(_) => "work",
        Source::Io(_) => "io",
        Source::Pending(_) => "pending",
        Source::Close(_) => "close",
        Source::Rejections => "rejections",
        Source::BeforeExit => "beforeExit",
    }
}

/// What went wrong before a program could start (only an internal failure; a program's own
/// errors, syntax errors included, are reported through its stderr and exit status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError(pub String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for EngineError {}

/// One Node.js process: a program, its JavaScript heap and its event loop.
pub struct Engine {
    ctx: Context,
    shared: Rc<RefCell<Shared>>,
    main: JsFunction,
    inject: JsFunction,
    format_error: JsFunction,
    node_throw_site: JsFunction,
    emit_exit: JsFunction,
    has_before_exit: JsFunction,
    emit_before_exit: JsFunction,
    unhandled_rejection: JsFunction,
    emit_uncaught: JsFunction,
    has_server: JsFunction,
    /// (the model's `server_changes` when asked, the answer): see `has_http_server`.
    http_server_cache: Option<(u64, bool)>,
    /// The compiled module wrapper, or the syntax error to report when main would run.
    program: Result<JsFunction, String>,
    filename: String,
    source: String,
    exit_emitted: bool,
}

impl Engine {
    /// Load `source` as the CommonJS module `filename` (an absolute path).
    pub fn new(source: &str, filename: &str, options: Options) -> Result<Engine, EngineError> {
        boa_gc::configure(GC_MIN_THRESHOLD, GC_GROWTH_PERCENT);
        let mut sim = Sim::new(options.config.clone()).map_err(|e| EngineError(e.to_string()))?;
        let promise_label = sim.label("(promise reaction)");
        let clock = Rc::new(Cell::new(0));
        let shared = Rc::new(RefCell::new(Shared {
            sim,
            costs: options.costs.clone(),
            jobs: BTreeMap::new(),
            next_job: 0,
            output: Vec::new(),
            clock: clock.clone(),
            exit_requested: false,
            stdout_used: false,
            stderr_used: false,
            current_line: None,
            callback_kind: "none",
            filename: filename.to_owned(),
            unhandled: Vec::new(),
            requests: RequestLog::default(),
            completions: None,
            function_labels: std::collections::HashMap::new(),
            to_source: None,
            promise_label,
            callbacks: registry::Registry::default(),
            lazy_layer: false,
        }));
        let mut ctx = ContextBuilder::new()
            .job_executor(Rc::new(Executor(shared.clone())))
            .host_hooks(Rc::new(Hooks(shared.clone())))
            .clock(Rc::new(VirtualClock {
                us: clock,
                epoch_ms: options.costs.epoch_ms,
            }))
            .build()
            .map_err(|e| EngineError(format!("cannot start the JavaScript engine: {e}")))?;
        ctx.runtime_limits_mut()
            .set_loop_iteration_limit(options.loop_iteration_limit);
        ctx.runtime_limits_mut()
            .set_recursion_limit(options.recursion_limit);
        ctx.runtime_limits_mut()
            .set_interrupt(Some(watchdog::check));

        let internal =
            |e: JsError| EngineError(format!("internal error in Looplab's Node layer: {e}"));
        let host = host::install(&mut ctx, &host::HostRef(shared.clone())).map_err(internal)?;
        let prelude = prelude::source();
        // Parsed from UTF-16, as boa's `eval`, `Function` and (patched) `JSON.parse` parse: one
        // copy of boa's parser in the page's wasm, not one per input type.
        let prelude: Vec<u16> = prelude.encode_utf16().collect();
        let make = ctx
            .eval(JsSource::from_utf16(&prelude).with_path(std::path::Path::new(LAYER_PATH)))
            .map_err(internal)?;
        let make = make
            .as_function()
            .ok_or_else(|| EngineError("the Node layer did not compile to a function".into()))?;
        let api = make
            .call(
                &JsValue::undefined(),
                &[
                    host.into(),
                    JsString::from(filename).into(),
                    JsString::from(source).into(),
                ],
                &mut ctx,
            )
            .map_err(internal)?;
        let api = api
            .as_object()
            .ok_or_else(|| EngineError("the Node layer returned no API".into()))?;
        let get = |name: &str, ctx: &mut Context| -> Result<JsFunction, EngineError> {
            api.get(JsString::from(name), ctx)
                .map_err(internal)?
                .as_function()
                .ok_or_else(|| EngineError(format!("the Node layer has no {name}()")))
        };
        let main = get("main", &mut ctx)?;
        let inject = get("injectRequest", &mut ctx)?;
        let format_error = get("formatError", &mut ctx)?;
        let node_throw_site = get("nodeThrowSite", &mut ctx)?;
        let emit_exit = get("emitExit", &mut ctx)?;
        let has_before_exit = get("hasBeforeExit", &mut ctx)?;
        let emit_before_exit = get("emitBeforeExit", &mut ctx)?;
        let unhandled_rejection = get("unhandledRejection", &mut ctx)?;
        let emit_uncaught = get("emitUncaught", &mut ctx)?;
        let has_server = get("hasHttpServer", &mut ctx)?;

        // Node's module wrapper, on the first line so that line numbers stay the user's own.
        let wrapped: Vec<u16> = format!("{WRAPPER_HEAD}{source}\n}})")
            .encode_utf16()
            .collect();
        let program = match ctx
            .eval(JsSource::from_utf16(&wrapped).with_path(std::path::Path::new(filename)))
        {
            Ok(v) => v
                .as_function()
                .ok_or_else(|| "the module wrapper did not compile".to_string()),
            Err(e) => Err(report::syntax_error_report(
                &e.to_string(),
                filename,
                source,
            )),
        };
        Ok(Engine {
            ctx,
            shared,
            main,
            inject,
            format_error,
            node_throw_site,
            emit_exit,
            has_before_exit,
            emit_before_exit,
            unhandled_rejection,
            emit_uncaught,
            has_server,
            http_server_cache: None,
            program,
            filename: filename.to_owned(),
            source: source.to_owned(),
            exit_emitted: false,
        })
    }

    /// One step of the model; a callback step runs the callback to completion.
    pub fn step(&mut self) -> Result<Step, ModelError> {
        self.step_bounded(None)
    }

    /// Like `step`, but a sleep in poll stops at `limit`.
    pub fn step_until(&mut self, limit: Micros) -> Result<Step, ModelError> {
        self.step_bounded(Some(limit))
    }

    fn step_bounded(&mut self, limit: Option<Micros>) -> Result<Step, ModelError> {
        // uv_run has returned: Node emits 'beforeExit'; the model hands the emit over as a
        // callback when the program listens for it.
        let loop_done = self.shared.borrow().sim.loop_done();
        if loop_done && self.listens_for_before_exit() {
            self.shared.borrow_mut().sim.emit_before_exit()?;
        }
        let step = {
            let mut s = self.shared.borrow_mut();
            let step = match limit {
                Some(l) => s.sim.step_until(l),
                None => s.sim.step(),
            };
            s.clock.set(s.sim.now().0);
            step?
        };
        if let Step::Run(inv) = step {
            self.run(inv);
            let mut s = self.shared.borrow_mut();
            if s.sim.is_running_callback() {
                s.sim.finish_callback()?;
            }
        }
        if let Step::Exited(code) = step {
            self.on_exit(code);
        } else if let Some(code) = self.exited() {
            self.on_exit(code);
        }
        Ok(step)
    }

    /// Run to the end (or until only outside input could continue). Returns the exit code, or
    /// None when the program waits for requests (a listening server).
    pub fn run_to_end(&mut self) -> Result<Option<i32>, ModelError> {
        loop {
            match self.step()? {
                Step::Exited(code) => return Ok(Some(code)),
                Step::AwaitingInput => return Ok(None),
                _ => {}
            }
        }
    }

    /// Calls the registered callback `id` (see `registry.rs`), then frees it unless it runs again.
    fn call_registered(&mut self, id: u64) -> JsResult<()> {
        let Some((f, this, args)) = self.shared.borrow_mut().callbacks.begin(id) else {
            return Ok(());
        };
        let result = f.call(&this, &args, &mut self.ctx).map(|_| ());
        self.shared.borrow_mut().callbacks.end(id);
        result
    }

    fn run(&mut self, inv: Invocation) {
        {
            let mut s = self.shared.borrow_mut();
            s.current_line = None;
            s.callback_kind = callback_kind(inv);
            watchdog::enter(s.sim.labels().name(inv.label), &s.filename);
        }
        let result = match inv.source {
            Source::Main => match &self.program {
                Ok(f) => self
                    .main
                    .call(&JsValue::undefined(), &[f.clone().into()], &mut self.ctx)
                    .map(|_| ()),
                Err(report) => {
                    let report = report.clone();
                    self.fail(&report, 1);
                    return;
                }
            },
            Source::Rejections => {
                self.process_rejections();
                return;
            }
            Source::BeforeExit => self
                .emit_before_exit
                .call(&JsValue::undefined(), &[], &mut self.ctx)
                .map(|_| ()),
            _ if inv.callback.0 & JOB_BIT != 0 => {
                let job = self
                    .shared
                    .borrow_mut()
                    .jobs
                    .remove(&(inv.callback.0 & !JOB_BIT));
                match job {
                    Some(job) => job.call(&mut self.ctx).map(|_| ()),
                    None => Ok(()),
                }
            }
            _ => self.call_registered(inv.callback.0),
        };
        watchdog::leave();
        if let Err(e) = result {
            // The callback is over: what Node's code does after it returns (an immediate's
            // `_onImmediate` cleared) shows in how the error's stack names its frame.
            if let Source::Immediate(_) = inv.source {
                self.shared.borrow_mut().callback_kind = "immediateDone";
            }
            self.uncaught(e);
        }
    }

    fn listens_for_before_exit(&mut self) -> bool {
        self.has_before_exit
            .call(&JsValue::undefined(), &[], &mut self.ctx)
            .is_ok_and(|v| v.to_boolean())
    }

    fn on_exit(&mut self, code: i32) {
        if std::mem::replace(&mut self.exit_emitted, true) {
            return;
        }
        // process.on('exit') listeners run synchronously as the process ends.
        let _ = self
            .emit_exit
            .call(&JsValue::undefined(), &[JsValue::from(code)], &mut self.ctx);
    }

    // ---- observation and input -------------------------------------------------------------

    pub fn exited(&self) -> Option<i32> {
        self.shared.borrow().sim.exited()
    }
    /// Output written since the last call.
    pub fn take_output(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.shared.borrow_mut().output)
    }
    /// Read-only access to the model (snapshot, trace, metrics).
    pub fn with_sim<R>(&self, f: impl FnOnce(&Sim) -> R) -> R {
        f(&self.shared.borrow().sim)
    }
    /// Mutable access to the model for what a driver may change between steps (taking the
    /// load test's delay window); never to run or schedule anything.
    pub(crate) fn with_sim_mut<R>(&mut self, f: impl FnOnce(&mut Sim) -> R) -> R {
        f(&mut self.shared.borrow_mut().sim)
    }
    /// Trace events since the last call.
    pub fn take_trace(&mut self) -> Vec<looplab_model::TraceEvent> {
        self.shared.borrow_mut().sim.take_trace()
    }
    /// The model's interned labels, borrowed for the duration of `f` (do not call back into
    /// the engine from `f`).
    pub fn with_labels<R>(&self, f: impl FnOnce(&looplab_model::Labels) -> R) -> R {
        f(self.shared.borrow().sim.labels())
    }
    pub fn filename(&self) -> &str {
        &self.filename
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The line (1-based) of the program the running callback last called the host from:
    /// what a UI highlights while that callback is on the stack.
    pub fn current_line(&self) -> Option<u32> {
        self.shared.borrow().current_line
    }
    /// The whole visible state, queues cut to `limit` items.
    pub fn snapshot(&self, limit: usize) -> looplab_model::Snapshot {
        self.shared.borrow().sim.snapshot(limit)
    }

    /// True when the program has an HTTP server listening for synthetic requests.
    pub fn has_http_server(&mut self) -> bool {
        // Only a server's handle opening or closing can change the answer: ask the Node layer
        // again only then (a UI asks after every callback).
        let changes = self.with_sim(|m| m.handles().server_changes());
        if let Some((at, answer)) = self.http_server_cache {
            if at == changes {
                return answer;
            }
        }
        let answer = self
            .has_server
            .call(&JsValue::undefined(), &[], &mut self.ctx)
            .map(|v| v.to_boolean())
            .unwrap_or(false);
        self.http_server_cache = Some((changes, answer));
        answer
    }

    /// A client sends `method url` to the program's HTTP server, arriving now. Returns the
    /// request id, or None when no server listens (or a callback is running).
    pub fn send_request(&mut self, method: &str, url: &str) -> Option<u64> {
        let now = self.with_sim(|m| m.now());
        self.send_request_at(method, url, now).ok().flatten()
    }

    /// Like `send_request`, but the request reached the socket at `at`, which may lie before
    /// now back to the loop's last look at the kernel (`Sim::kernel_seen`): a load test's
    /// arrival while the last callback kept the thread busy. Ok(None) when no server listens.
    pub fn send_request_at(
        &mut self,
        method: &str,
        url: &str,
        at: Micros,
    ) -> Result<Option<u64>, ModelError> {
        {
            let s = self.shared.borrow();
            if s.sim.exited().is_some() {
                return Err(ModelError::Exited);
            }
            if s.sim.is_running_callback() {
                return Ok(None);
            }
            if at < s.sim.kernel_seen() {
                return Err(ModelError::InThePast {
                    at: at.0,
                    now: s.sim.kernel_seen().0,
                });
            }
        }
        let id = self
            .inject
            .call(
                &JsValue::undefined(),
                &[
                    JsString::from(method).into(),
                    JsString::from(url).into(),
                    JsValue::from(at.0 as f64),
                ],
                &mut self.ctx,
            )
            .ok()
            .and_then(|v| v.to_number(&mut self.ctx).ok())
            .unwrap_or(0.0) as u64;
        if id == 0 {
            return Ok(None);
        }
        let mut s = self.shared.borrow_mut();
        s.requests.arrived(RequestRecord {
            id,
            method: method.into(),
            url: url.into(),
            arrived: at,
            started: None,
            finished: None,
            status: None,
            body: String::new(),
        });
        Ok(Some(id))
    }

    /// From now on, every reply is also kept for [`Engine::take_completions`], and only the
    /// latest `keep_finished` finished requests stay in [`Engine::requests`] (a load test's
    /// memory then follows what is in flight, not how long it ran).
    pub fn track_completions(&mut self, keep_finished: usize) {
        let mut s = self.shared.borrow_mut();
        s.requests.keep_finished(keep_finished);
        s.completions = Some(CompletionLog { done: Vec::new() });
    }

    /// Replies since the last call, in the order they were sent (empty unless tracked).
    pub fn take_completions(&mut self) -> Vec<Completion> {
        match &mut self.shared.borrow_mut().completions {
            Some(log) => std::mem::take(&mut log.done),
            None => Vec::new(),
        }
    }

    /// The request records kept (in flight, and the last finished: `requests.rs`), oldest
    /// first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.borrow().requests.records()
    }

    /// Requests whose handler started, and those answered, in the virtual time `(from, to]`
    /// (see `RequestLog::news`).
    pub fn request_news(&self, from: Micros, to: Micros) -> (Vec<u64>, Vec<(u64, u16, Micros)>) {
        self.shared.borrow().requests.news(from, to)
    }

    /// What changed since `cursor` (which moves past it): the requests that arrived (id,
    /// arrived; by id) and the responses (id, sent, latency; in the order they went out).
    pub fn request_changes(&self, cursor: &mut RequestCursor) -> RequestChanges {
        let shared = self.shared.borrow();
        let log = &shared.requests;
        let last = cursor.last;
        let answered = log.answered_after(cursor.done);
        let mut arrived = log.arrived_after(last);
        arrived.extend(
            answered
                .iter()
                .filter(|(id, ..)| *id > last)
                .map(|&(id, at, latency)| (id, at - latency)),
        );
        arrived.sort_unstable_by_key(|a| a.0);
        *cursor = RequestCursor {
            last: arrived.last().map_or(last, |a| a.0.max(last)),
            done: log.answered(),
        };
        RequestChanges { arrived, answered }
    }

    /// "METHOD url" of request `id`, while its record is kept (see [`RequestLog::what`]).
    pub fn request_what(&self, id: u64) -> Option<String> {
        self.shared.borrow().requests.what(id)
    }

    /// The newest `n` request records kept, newest first.
    pub fn newest_requests(&self, n: usize) -> Vec<RequestRecord> {
        self.shared.borrow().requests.newest(n)
    }

    /// `f` of each of the newest `n` request records, newest first, read in place (no copy
    /// of a record: what a view that asks after every step wants). `f` runs while the engine's
    /// shared state is borrowed, so it must not call back into the engine.
    pub fn map_newest_requests<T>(&self, n: usize, f: impl FnMut(&RequestRecord) -> T) -> Vec<T> {
        let shared = self.shared.borrow();
        shared.requests.newest_refs(n).into_iter().map(f).collect()
    }

    /// Counts and latencies over every request of the run.
    pub fn request_summary(&self) -> RequestSummary {
        self.shared.borrow().requests.summary()
    }
}
