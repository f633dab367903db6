//! `looplab`: run a Node.js program on the looplab model, natively.
//!
//! ```text
//! looplab run FILE.js                  # stdout and exit status as `node FILE.js` would give
//! looplab run --trace FILE.js          # the loop's trace as readable lines
//! looplab run --json FILE.js           # the trace as JSON lines
//! looplab run --timeline OUT.json FILE.js   # also the run as a Chrome trace (Perfetto UI)
//!   --seed N   --pool-size N   --cost NAME=MICROSECONDS (repeatable)
//!   --budget SECONDS   a callback's wall-time budget (default 5): past it the run ends, 124
//! looplab costs                        # every cost NAME --cost accepts, with its default
//! looplab load FILE.js [--connections N | --rate R] [--model loop|threads|both] ...
//!                                      # a load test: autocannon's table (load.rs)
//! ```

use std::io::Write;
use std::process::ExitCode;

mod load;
mod timeline;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use looplab_engine::looplab_model::{format, Step, Stream};
use looplab_engine::{Engine, Options};

const USAGE: &str =
    "usage: looplab run [--trace | --json] [--timeline OUT.json] [--seed N] [--pool-size N] [--cost NAME=US]... [--budget SECONDS] FILE.js
       (--budget: how long one callback may run, in wall-clock seconds, default 5; past it the
        run ends with status 124, as timeout(1) reports)
       (--timeline: also write the run in the Chrome trace event format, for ui.perfetto.dev
        and chrome://tracing: the main thread's phases and callbacks, each pool worker's jobs,
        the queues' lengths, the requests)
       looplab costs      (list the cost settings --cost accepts, with their defaults: microseconds;
                           epochMs, the clock's start, in milliseconds since 1970)
       looplab load FILE.js ...   (a load test; `looplab load --help` for its flags)";

#[derive(PartialEq)]
enum Mode {
    Plain,
    Trace,
    Json,
}

struct Args {
    mode: Mode,
    /// Where to write the Chrome trace (`--timeline`).
    timeline: Option<String>,
    file: String,
    options: Options,
    /// A callback's wall-time budget (ms).
    budget_ms: f64,
}

fn parse(mut args: Vec<String>) -> Result<Args, String> {
    if args.first().map(String::as_str) != Some("run") {
        return Err(USAGE.into());
    }
    args.remove(0);
    let mut mode = Mode::Plain;
    let mut options = Options::default();
    let mut file = None;
    let mut budget_ms = looplab_engine::watchdog::DEFAULT_BUDGET_MS;
    let mut timeline = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--trace" => mode = Mode::Trace,
            "--json" => mode = Mode::Json,
            "--timeline" => timeline = Some(value("--timeline")?),
            "--seed" => {
                options.config.seed = value("--seed")?
                    .parse()
                    .map_err(|_| "--seed takes an integer".to_string())?
            }
            "--pool-size" => {
                let n: i64 = value("--pool-size")?
                    .parse()
                    .map_err(|_| "--pool-size takes an integer".to_string())?;
                options.config.pool_size =
                    looplab_engine::looplab_model::config::check_pool_size(n)
                        .map_err(|e| e.to_string())?;
            }
            "--cost" => {
                let v = value("--cost")?;
                let (name, us) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--cost takes NAME=MICROSECONDS, got '{v}'"))?;
                let us: f64 = us
                    .parse()
                    .map_err(|_| format!("--cost {name}: '{us}' is not a number"))?;
                options.set_cost(name, us)?;
            }
            "--budget" => {
                let v = value("--budget")?;
                budget_ms = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(|s| s * 1000.0)
                    .ok_or_else(|| {
                        format!("--budget takes a number of seconds above 0, got '{v}'")
                    })?;
            }
            "-h" | "--help" => return Err(USAGE.into()),
            f if f.starts_with("--") => return Err(format!("unknown option {f}\n{USAGE}")),
            f => {
                if file.replace(f.to_owned()).is_some() {
                    return Err(format!("only one program file, please\n{USAGE}"));
                }
            }
        }
    }
    let file = file.ok_or_else(|| format!("no program file given\n{USAGE}"))?;
    // Plain runs print what the program prints: the loop's trace is not recorded.
    options.config.trace = mode != Mode::Plain || timeline.is_some();
    Ok(Args {
        mode,
        timeline,
        file,
        options,
        budget_ms,
    })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("costs") {
        for (name, v, what) in Options::default().cost_table() {
            println!("{name:22} {v:>20}  {what}");
        }
        return ExitCode::SUCCESS;
    }
    if argv.first().map(String::as_str) == Some("load") {
        return match load::main(argv[1..].to_vec()) {
            Ok(out) => {
                print!("{out}");
                ExitCode::SUCCESS
            }
            Err(load::Failure(code, msg)) => {
                eprintln!("looplab load: {msg}");
                ExitCode::from(code)
            }
        };
    }
    let args = match parse(argv) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    looplab_engine::watchdog::set_budget(args.budget_ms);
    let source = match std::fs::read_to_string(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("looplab: cannot read {}: {e}", args.file);
            return ExitCode::from(1);
        }
    };
    let path = std::fs::canonicalize(&args.file)
        .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(&args.file))
        .to_string_lossy()
        .into_owned();
    let pool_size = args.options.config.pool_size as u32;
    let mut engine = match Engine::new(&source, &path, args.options) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("looplab: {e}");
            return ExitCode::from(70);
        }
    };
    let labels_needed = args.mode != Mode::Plain || args.timeline.is_some();
    let mut timeline = args.timeline.as_ref().map(|_| timeline::Timeline::new());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = loop {
        let step = match engine.step() {
            Ok(s) => s,
            Err(e) => {
                let _ = out.flush();
                eprintln!("looplab: internal error: {e}");
                break 70;
            }
        };
        let events = engine.take_trace();
        if labels_needed {
            engine.with_labels(|labels| {
                for e in &events {
                    if let Some(t) = timeline.as_mut() {
                        t.push(labels, e);
                    }
                    let line = match args.mode {
                        Mode::Json => format::json(labels, e),
                        Mode::Trace => format::line(labels, e),
                        Mode::Plain => continue,
                    };
                    let _ = writeln!(out, "{line}");
                }
            });
        }
        if let Some(t) = timeline.as_mut() {
            t.read_requests(&engine);
        }
        for o in engine.take_output() {
            match (o.stream, &args.mode) {
                (Stream::Stdout, Mode::Plain) => {
                    // (With --timeline too: the trace goes to its file, stdout stays the program's.)
                    let _ = out.write_all(o.text.as_bytes());
                }
                (Stream::Stderr, _) => {
                    let _ = out.flush();
                    eprint!("{}", o.text);
                }
                _ => {} // in trace modes, stdout is part of the trace
            }
        }
        match step {
            Step::Exited(code) => break code,
            Step::AwaitingInput => {
                let _ = out.flush();
                eprintln!(
                    "looplab: the program is waiting for input that never comes (a server is listening or a socket is open, and nothing else is pending); \
                     real Node would wait forever. Stopping."
                );
                break 0;
            }
            _ => {}
        }
    };
    let _ = out.flush();
    if let (Some(t), Some(path)) = (timeline, &args.timeline) {
        if let Err(e) = std::fs::write(path, t.finish(pool_size)) {
            eprintln!("looplab: cannot write the timeline to {path}: {e}");
            return ExitCode::from(74);
        }
    }
    ExitCode::from(code.clamp(0, 255) as u8)
}
