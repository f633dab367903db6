//! `looplab load`: a load test of a program's HTTP server, on the loop and/or on the
//! thread-per-request model, printed like autocannon (or as JSON).
//!
//! HOW: the flags become a checked `LoadSpec` and `ThreadConfig` (every range lives in the
//! engine's `load::spec` and `load::threads`, which name the flag in their errors); the loop
//! runs the program (`load::run::run_loop`); the thread model first measures each route alone
//! (`profile_routes`) and then plays the same arrivals (`run_threads`). Bad input exits with
//! status 2 and one line saying which flag and what is allowed.

use looplab_engine::load::report::{text, ModelReport};
use looplab_engine::load::run::{profile_routes, run_loop_each};
use looplab_engine::load::spec::{Arrivals, LoadSpec, Mode, Weighted, THINK_MS};
use looplab_engine::load::threads::{run_threads, ThreadConfig};
use looplab_engine::load::{memory, routes};
use looplab_engine::looplab_model::Micros;
use looplab_engine::Options;

pub const USAGE: &str =
    "usage: looplab load PROGRAM.js [--connections N | --rate R] [--arrivals uniform|poisson]
         [--ramp-from R0] [--think-ms MS] [--duration S] [--timeout S]
         [--route 'GET /users/:id[=WEIGHT]']... [--model loop|threads|both]
         [--threads T | --threads per-connection] [--backlog B] [--stack-kib K]
         [--cores C] [--context-switch-us US] [--ram-mib M] [--seed N] [--cost NAME=US]... [--json]
         [--timeline OUT.json]";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Loop,
    Threads,
    Both,
}

/// A failure and its exit status (2: bad input; 1: the program could not be load-tested).
pub struct Failure(pub u8, pub String);

fn bad(msg: impl Into<String>) -> Failure {
    Failure(2, msg.into())
}

fn number(flag: &str, v: &str) -> Result<f64, Failure> {
    v.parse::<f64>()
        .map_err(|_| bad(format!("{flag}: '{v}' is not a number")))
}

/// Runs the command; Ok is what to print on stdout.
pub fn main(args: Vec<String>) -> Result<String, Failure> {
    let mut file = None;
    let mut connections = None;
    let mut rate = None;
    let mut arrivals = Arrivals::Uniform;
    let mut ramp_from = None;
    let mut think_ms = 0.0;
    let mut duration = 10.0;
    let mut timeout = 10.0;
    let mut route_texts: Vec<String> = Vec::new();
    let mut which = Which::Loop;
    let mut threads = Some(200.0);
    let mut backlog = 100.0;
    let mut stack_kib = (memory::LINUX_STACK / 1024) as f64;
    let mut cores = 4.0;
    let mut context_switch = 2.0;
    let mut ram_mib = 1024.0;
    let mut json = false;
    let mut timeline_path: Option<String> = None;
    let mut options = Options::default();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .ok_or_else(|| bad(format!("{flag} needs a value\n{USAGE}")))
        };
        match a.as_str() {
            "--connections" | "-c" => {
                connections = Some(number("--connections", &value("--connections")?)?)
            }
            "--rate" => rate = Some(number("--rate", &value("--rate")?)?),
            "--arrivals" => {
                arrivals = Arrivals::parse(&value("--arrivals")?).map_err(|e| bad(e.to_string()))?
            }
            "--ramp-from" => ramp_from = Some(number("--ramp-from", &value("--ramp-from")?)?),
            "--think-ms" => think_ms = number("--think-ms", &value("--think-ms")?)?,
            "--duration" | "-d" => duration = number("--duration", &value("--duration")?)?,
            "--timeout" => timeout = number("--timeout", &value("--timeout")?)?,
            "--route" => route_texts.push(value("--route")?),
            "--model" => {
                which = match value("--model")?.as_str() {
                    "loop" => Which::Loop,
                    "threads" => Which::Threads,
                    "both" => Which::Both,
                    other => {
                        return Err(bad(format!(
                            "--model: must be loop, threads or both, got '{other}'"
                        )))
                    }
                }
            }
            "--threads" => {
                let v = value("--threads")?;
                threads = if v == "per-connection" {
                    None
                } else {
                    Some(number("--threads", &v)?)
                };
            }
            "--backlog" => backlog = number("--backlog", &value("--backlog")?)?,
            "--stack-kib" => stack_kib = number("--stack-kib", &value("--stack-kib")?)?,
            "--cores" => cores = number("--cores", &value("--cores")?)?,
            "--context-switch-us" => {
                context_switch = number("--context-switch-us", &value("--context-switch-us")?)?
            }
            "--ram-mib" => ram_mib = number("--ram-mib", &value("--ram-mib")?)?,
            "--seed" => {
                let v = value("--seed")?;
                options.config.seed = v.parse().map_err(|_| {
                    bad(format!(
                        "--seed: '{v}' is not a whole number from 0 to {}",
                        u64::MAX
                    ))
                })?;
            }
            "--cost" => {
                let v = value("--cost")?;
                let (name, us) = v
                    .split_once('=')
                    .ok_or_else(|| bad(format!("--cost takes NAME=MICROSECONDS, got '{v}'")))?;
                let us = number("--cost", us)?;
                options
                    .set_cost(name, us)
                    .map_err(|e| bad(format!("--cost: {e}")))?;
            }
            "--json" => json = true,
            "--timeline" => timeline_path = Some(value("--timeline")?),
            "-h" | "--help" => return Err(bad(USAGE)),
            f if f.starts_with('-') => return Err(bad(format!("unknown option {f}\n{USAGE}"))),
            f => {
                if file.replace(f.to_owned()).is_some() {
                    return Err(bad(format!("only one program file, please\n{USAGE}")));
                }
            }
        }
    }
    let file = file.ok_or_else(|| bad(format!("no program file given\n{USAGE}")))?;
    let mode =
        match (connections, rate) {
            (Some(_), Some(_)) => return Err(bad(
                "--connections and --rate: give one (a closed loop of users, or an open-loop rate)",
            )),
            (None, Some(rate)) => Mode::Open {
                rate,
                arrivals,
                ramp_from,
            },
            (c, None) => {
                let users = c.unwrap_or(10.0);
                // Checked here too so that 10^9 users does not wrap as it becomes a u32.
                looplab_engine::load::spec::USERS
                    .check(users)
                    .map_err(|e| bad(e.to_string()))?;
                let think = THINK_MS.check(think_ms).map_err(|e| bad(e.to_string()))?;
                Mode::Closed {
                    users: users as u32,
                    think: Micros((think * 1_000.0).round() as u64),
                }
            }
        };
    let threads_cfg =
        ThreadConfig::new(threads, backlog, stack_kib, cores, context_switch, ram_mib)
            .map_err(|e| bad(e.to_string()))?;
    let source = std::fs::read_to_string(&file)
        .map_err(|e| Failure(1, format!("cannot read {file}: {e}")))?;
    let path = std::fs::canonicalize(&file)
        .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(&file))
        .to_string_lossy()
        .into_owned();
    let declared = routes(&source);
    let mix = if route_texts.is_empty() {
        // No --route: the first GET route the program declares.
        let r = declared.iter().find(|r| r.method == "GET").ok_or_else(|| {
            bad("--route: the program declares no GET route; give one with --route")
        })?;
        vec![Weighted {
            route: r.clone(),
            weight: 1,
        }]
    } else {
        route_texts
            .iter()
            .map(|t| Weighted::parse(t, &declared))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(e.to_string()))?
    };
    let spec = LoadSpec::new(mode, mix, duration, timeout, options.config.seed)
        .map_err(|e| bad(e.to_string()))?;
    if timeline_path.is_some() && which == Which::Threads {
        return Err(bad(
            "--timeline: the file is the loop's run (its callbacks, workers and requests); \
             use it with --model loop or both",
        ));
    }
    let mut reports = Vec::new();
    if which != Which::Threads {
        // With --timeline the loop's run is read after every step, as `looplab run` does.
        let mut timeline = timeline_path
            .as_ref()
            .map(|_| crate::timeline::Timeline::new());
        let mut loop_options = options.clone();
        loop_options.config.trace |= timeline.is_some();
        let pool_size = loop_options.config.pool_size as u32;
        let r = run_loop_each(&source, &path, loop_options, &spec, |s| {
            if let Some(t) = timeline.as_mut() {
                s.engine().with_labels(|labels| {
                    for e in s.last_events() {
                        t.push(labels, e);
                    }
                });
                t.read_requests(s.engine());
            }
        })
        .map_err(|e| Failure(1, e))?;
        if let (Some(t), Some(out)) = (timeline, &timeline_path) {
            std::fs::write(out, t.finish(pool_size))
                .map_err(|e| Failure(1, format!("cannot write the timeline to {out}: {e}")))?;
        }
        reports.push(ModelReport::Loop(r));
    }
    if which != Which::Loop {
        let profiles = profile_routes(&source, &path, options, &spec).map_err(|e| Failure(1, e))?;
        let r = run_threads(&spec, &threads_cfg, &profiles).map_err(|e| Failure(1, e))?;
        reports.push(ModelReport::Threads(r));
    }
    Ok(if json {
        let objs: Vec<String> = reports.iter().map(|r| r.to_json(threads_cfg.ram)).collect();
        if objs.len() == 1 {
            format!("{}\n", objs[0])
        } else {
            format!("[{}]\n", objs.join(","))
        }
    } else {
        text(&reports, threads_cfg.ram)
    })
}
