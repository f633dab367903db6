//! Properties over random programs: exactly-once delivery, pool bounds, monotonic time, empty
//! microtask queue at every macrotask, and determinism (same input, same trace).

mod common;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use common::*;
use looplab_model::*;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Timeout {
        delay: u8,
        script: usize,
    },
    Immediate {
        script: usize,
    },
    Tick {
        script: usize,
    },
    Micro {
        script: usize,
    },
    Work {
        cost_ms: u8,
        slow: bool,
        script: usize,
    },
    Watch {
        latency_ms: u8,
        script: usize,
    },
    Cpu {
        us: u16,
    },
    /// Clear the most recent timer or immediate this callback scheduled.
    ClearLast,
    Close {
        script: usize,
    },
}

#[derive(Clone, Debug)]
struct Program {
    pool: u8,
    /// scripts[0] is the main script; an op of script i only schedules scripts j > i.
    scripts: Vec<Vec<Op>>,
}

fn op(next: usize, n: usize) -> impl Strategy<Value = Op> {
    let s = next..n.max(next + 1);
    prop_oneof![
        (any::<u8>(), s.clone()).prop_map(|(d, script)| Op::Timeout {
            delay: d % 40,
            script
        }),
        s.clone().prop_map(|script| Op::Immediate { script }),
        s.clone().prop_map(|script| Op::Tick { script }),
        s.clone().prop_map(|script| Op::Micro { script }),
        (any::<u8>(), any::<bool>(), s.clone()).prop_map(|(c, slow, script)| Op::Work {
            cost_ms: c % 30,
            slow,
            script
        }),
        (any::<u8>(), s.clone()).prop_map(|(l, script)| Op::Watch {
            latency_ms: l % 50,
            script
        }),
        any::<u16>().prop_map(|us| Op::Cpu { us: us % 20_000 }),
        Just(Op::ClearLast),
        s.prop_map(|script| Op::Close { script }),
    ]
}

fn program() -> impl Strategy<Value = Program> {
    (1u8..6, 2usize..9).prop_flat_map(|(pool, n)| {
        let scripts: Vec<_> = (0..n)
            .map(|i| prop::collection::vec(op(i + 1, n), 0..5))
            .collect();
        (Just(pool), scripts).prop_map(|(pool, scripts)| Program { pool, scripts })
    })
}

#[derive(Default)]
struct Book {
    scheduled: BTreeMap<TaskId, &'static str>,
    cleared: Vec<TaskId>,
    ran: Vec<TaskId>,
}

fn run_script(p: &Rc<Program>, i: usize, sim: &mut Sim, ctx: &mut Ctx, book: &Rc<RefCell<Book>>) {
    let n = p.scripts.len();
    let mut last: Option<(TaskId, bool)> = None;
    for op in &p.scripts[i] {
        let target = |s: usize| s.min(n - 1);
        let mk = |ctx: &mut Ctx, s: usize| {
            let (p2, b2) = (p.clone(), book.clone());
            ctx.cb(move |sim, c| run_script(&p2, s, sim, c, &b2))
        };
        let l = sim.label("f");
        match *op {
            Op::Timeout { delay, script } if script < n => {
                let cb = mk(ctx, target(script));
                let id = sim.set_timeout(cb, l, delay as f64, false);
                book.borrow_mut().scheduled.insert(id, "timeout");
                last = Some((id, true));
            }
            Op::Immediate { script } if script < n => {
                let cb = mk(ctx, script);
                let id = sim.set_immediate(cb, l);
                book.borrow_mut().scheduled.insert(id, "immediate");
                last = Some((id, false));
            }
            Op::Tick { script } if script < n => {
                let cb = mk(ctx, script);
                let id = sim.next_tick(cb, l);
                book.borrow_mut().scheduled.insert(id, "tick");
            }
            Op::Micro { script } if script < n => {
                let cb = mk(ctx, script);
                let id = sim.queue_microtask(cb, l);
                book.borrow_mut().scheduled.insert(id, "micro");
            }
            Op::Work {
                cost_ms,
                slow,
                script,
            } if script < n => {
                let cb = mk(ctx, script);
                let class = if slow {
                    WorkClass::SlowIo
                } else {
                    WorkClass::Cpu
                };
                let spec = WorkSpec {
                    label: l,
                    cost: Micros::from_ms(cost_ms as u64),
                    class,
                };
                let id = sim.submit_work(spec, cb, l);
                book.borrow_mut().scheduled.insert(id, "work");
            }
            Op::Watch { latency_ms, script } if script < n => {
                let cb = mk(ctx, script);
                let id = sim
                    .watch(
                        WatchSpec {
                            op: l,
                            handle: None,
                        },
                        latency_ms as i64 * 1000,
                        cb,
                        l,
                    )
                    .unwrap();
                book.borrow_mut().scheduled.insert(id, "io");
            }
            Op::Close { script } if script < n => {
                let cb = mk(ctx, script);
                let h = sim.open_handle(HandleKind::TcpSocket, l);
                sim.close_handle(h, Some((cb, l))).unwrap();
                book.borrow_mut().scheduled.insert(h, "close");
            }
            Op::Cpu { us } => sim.spend_cpu(us as i64).unwrap(),
            Op::ClearLast => {
                if let Some((id, is_timer)) = last.take() {
                    let ok = if is_timer {
                        sim.clear_timer(id).unwrap()
                    } else {
                        sim.clear_immediate(id).unwrap()
                    };
                    if ok {
                        book.borrow_mut().cleared.push(id);
                    }
                }
            }
            _ => {}
        }
    }
}

struct Run {
    trace: Vec<TraceEvent>,
    book: Book,
    max_busy: u16,
    pool_size: u16,
    macrotask_saw_queued: Vec<(Source, usize, usize)>,
}

fn execute(p: &Program, seed: u64) -> Run {
    let p = Rc::new(p.clone());
    let book = Rc::new(RefCell::new(Book::default()));
    let cfg = Config {
        seed,
        pool_size: p.pool as u16,
        ..Config::default()
    };
    let mut sim = Sim::new(cfg).unwrap();
    let (p2, b2) = (p.clone(), book.clone());
    let mut d = TestDriver::new(move |sim, c| run_script(&p2, 0, sim, c, &b2));
    let mut max_busy = 0;
    let mut trace = Vec::new();
    let mut steps = 0;
    loop {
        steps += 1;
        assert!(steps < 200_000, "runaway");
        max_busy = max_busy.max(sim.pool().busy());
        match sim.step().unwrap() {
            Step::Run(inv) => {
                if let Some(t) = inv.source.task() {
                    book.borrow_mut().ran.push(t);
                }
                d.run(&mut sim, inv).unwrap();
                max_busy = max_busy.max(sim.pool().busy());
                sim.finish_callback().unwrap();
            }
            Step::Progress => {}
            Step::Exited(_) => break,
            Step::AwaitingInput => panic!("nothing here waits for outside input"),
        }
        trace.extend(sim.take_trace());
    }
    trace.extend(sim.take_trace());
    let macrotask_saw_queued = d
        .invocations
        .iter()
        .filter(|(inv, ..)| inv.source.is_macrotask())
        .map(|(inv, _, ticks, micros)| (inv.source, *ticks, *micros))
        .collect();
    let book = std::mem::take(&mut *book.borrow_mut());
    Run {
        trace,
        book,
        max_busy,
        pool_size: sim.pool().size(),
        macrotask_saw_queued,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_callback_runs_exactly_once_unless_cleared(p in program()) {
        let r = execute(&p, 1);
        let mut ran = r.book.ran.clone();
        ran.sort();
        let before = ran.len();
        ran.dedup();
        prop_assert_eq!(before, ran.len(), "something ran twice");
        let expected: Vec<TaskId> =
            r.book.scheduled.keys().copied().filter(|id| !r.book.cleared.contains(id)).collect();
        prop_assert_eq!(ran, expected);
    }

    #[test]
    fn never_more_busy_workers_than_the_pool_size(p in program()) {
        let r = execute(&p, 2);
        prop_assert!(r.max_busy <= r.pool_size, "{} busy of {}", r.max_busy, r.pool_size);
    }

    #[test]
    fn virtual_time_never_goes_back(p in program()) {
        let r = execute(&p, 3);
        for w in r.trace.windows(2) {
            prop_assert!(w[0].at <= w[1].at, "{:?} then {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn queues_are_empty_whenever_a_macrotask_starts(p in program()) {
        let r = execute(&p, 4);
        for (source, ticks, micros) in r.macrotask_saw_queued {
            prop_assert_eq!((ticks, micros), (0, 0), "{:?} started with queued ticks/microtasks", source);
        }
    }

    #[test]
    fn same_program_same_seed_same_trace(p in program(), seed in any::<u64>()) {
        let a = execute(&p, seed);
        let b = execute(&p, seed);
        prop_assert_eq!(a.trace, b.trace);
    }
}

/// A fixed, busy program run twice must give byte-identical trace text (the CLI's `--json`).
#[test]
fn determinism_of_a_loaded_program() {
    fn text(seed: u64) -> String {
        let mut sim = Sim::new(Config {
            seed,
            pool_size: 3,
            ..Config::default()
        })
        .unwrap();
        let mut d = TestDriver::new(|sim, c| {
            let l = sim.label("handler");
            for i in 0..200u64 {
                let jitter = sim.rng().below(20_000) as i64;
                let reply = c.cb(move |sim, c| {
                    c.say(sim, "reply");
                    let spec = WorkSpec {
                        label: sim.label("crypto.pbkdf2"),
                        cost: Micros::from_ms(3 + i % 7),
                        class: WorkClass::Cpu,
                    };
                    let done = c.cb(|sim, c| c.say(sim, "hashed"));
                    let l = sim.label("onHash");
                    sim.submit_work(spec, done, l);
                });
                sim.watch(
                    WatchSpec {
                        op: l,
                        handle: None,
                    },
                    1_000 + jitter,
                    reply,
                    l,
                )
                .unwrap();
                let t = c.cb(|sim, _| sim.spend_cpu(700).unwrap());
                sim.set_timeout(t, l, (i % 13) as f64, false);
            }
        });
        sim.run(&mut d).unwrap();
        let labels = sim.labels().clone();
        sim.take_trace()
            .iter()
            .map(|e| format::json(&labels, e) + "\n")
            .collect()
    }
    let a = text(7);
    assert_eq!(a, text(7));
    assert_ne!(a, text(8), "the seed matters (latency jitter)");
    assert!(a.lines().count() > 5_000);
}
