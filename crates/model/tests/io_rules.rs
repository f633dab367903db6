//! One test per rule of the loop's I/O side, each a small program run on the model: the thread
//! pool, the kernel's poller, handles and the close phase, the pending queue, outside input,
//! exit and rejections, and what a UI reads (snapshots, metrics, tags). The phases, the
//! checkpoint, timers and immediates are in `rules.rs`.

mod common;
use common::*;
use looplab_model::*;

#[test]
fn pool_is_fifo_with_size_one() {
    let log = run(|sim, c| {
        sim.set_pool_size(1).unwrap();
        for (name, cost) in [("slow", 50), ("fast", 1), ("medium", 10)] {
            let cb = c.cb(move |sim, c| c.say(sim, name));
            let spec = work(sim, name, cost, WorkClass::Cpu);
            let l = lbl(sim, name);
            sim.submit_work(spec, cb, l);
        }
    });
    assert_eq!(log, ["slow", "fast", "medium"]);
}

#[test]
fn pool_of_two_makes_the_third_job_wait() {
    // 403: three 100 ms jobs on two threads: two finish at ~100 ms, the third at ~200 ms.
    let (d, sim) = run_program(Config::default(), |sim, c| {
        sim.set_pool_size(2).unwrap();
        for name in ["a", "b", "c"] {
            let cb = c.cb(move |sim, c| c.say(sim, name));
            let spec = work(sim, "crypto.pbkdf2", 100, WorkClass::Cpu);
            let l = lbl(sim, name);
            sim.submit_work(spec, cb, l);
        }
    });
    let t: Vec<f64> = d.ctx.times.iter().map(|x| x.1).collect();
    assert!(t[0] < 101.0 && t[1] < 101.0 && t[2] >= 200.0, "{t:?}");
    assert_eq!(sim.pool().peak_busy, 2);
}

#[test]
fn pool_size_is_validated_and_fixed_after_first_use() {
    let mut sim = Sim::new(Config::default()).unwrap();
    assert_eq!(sim.set_pool_size(0), Err(ModelError::InvalidPoolSize(0)));
    assert_eq!(
        sim.set_pool_size(5000),
        Err(ModelError::InvalidPoolSize(5000))
    );
    assert_eq!(sim.set_pool_size(-1), Err(ModelError::InvalidPoolSize(-1)));
    assert_eq!(sim.set_pool_size(1024), Ok(()));
    let bad = Config {
        pool_size: 0,
        ..Config::default()
    };
    assert!(matches!(Sim::new(bad), Err(ModelError::InvalidPoolSize(0))));
    let l = sim.label("x");
    let spec = WorkSpec {
        label: l,
        cost: Micros(1),
        class: WorkClass::Cpu,
    };
    sim.submit_work(spec, CallbackId(1), l);
    assert_eq!(sim.set_pool_size(8), Err(ModelError::PoolAlreadyStarted));
    assert_eq!(sim.pool().size(), 1024);
}

#[test]
fn slow_io_uses_at_most_half_the_pool() {
    // 4 threads: at most (4+1)/2 = 2 getaddrinfo at once; fs work passes them.
    let (d, sim) = run_program(Config::default(), |sim, c| {
        for i in 0..4 {
            let cb = c.cb(move |sim, c| c.say(sim, &format!("dns{i}")));
            let spec = work(sim, "dns.lookup", 100, WorkClass::SlowIo);
            let l = lbl(sim, "onLookup");
            sim.submit_work(spec, cb, l);
        }
        let cb = say(c, "stat");
        let spec = work(sim, "fs.stat", 1, WorkClass::FastIo);
        let l = lbl(sim, "onStat");
        sim.submit_work(spec, cb, l);
    });
    assert_eq!(d.ctx.log[0], "stat", "fs work is not stuck behind slow DNS");
    let t: Vec<f64> = d.ctx.times.iter().map(|x| x.1).collect();
    assert!(
        t[1] < 101.0 && t[2] < 101.0 && t[3] >= 200.0 && t[4] >= 200.0,
        "{t:?}"
    );
    assert!(sim.pool().peak_busy <= 4);
}

#[test]
fn pool_jobs_finish_during_a_busy_wait_but_run_at_the_next_poll() {
    let (d, _) = run_program(Config::default(), |sim, c| {
        let cb = say(c, "stat done");
        let spec = work(sim, "fs.stat", 1, WorkClass::FastIo);
        let l = lbl(sim, "onStat");
        sim.submit_work(spec, cb, l);
        sim.spend_cpu(50_000).unwrap();
        c.say(sim, "main done");
    });
    assert_eq!(d.ctx.log, ["main done", "stat done"]);
    assert!(d.ctx.times[1].1 >= 50.0);
}

#[test]
fn busy_callback_delays_a_due_timer() {
    // 501: a 10 ms timer cannot interrupt 100 ms of synchronous work.
    let (d, _) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "f");
        let t = say(c, "timer");
        sim.set_timeout(t, l, 10.0, false);
        sim.spend_cpu(100_000).unwrap();
    });
    assert!(d.ctx.times[0].1 >= 100.0, "{:?}", d.ctx.times);
}

#[test]
fn close_callbacks_run_newest_first() {
    // 705: libuv's closing_handles is LIFO.
    let log = run(|sim, c| {
        let names = ["first", "second", "third"];
        for name in names {
            let l = lbl(sim, name);
            let h = sim.open_handle(HandleKind::TcpSocket, l);
            let cb = c.cb(move |sim, c| c.say(sim, name));
            sim.close_handle(h, Some((cb, l))).unwrap();
        }
    });
    assert_eq!(log, ["third", "second", "first"]);
}

#[test]
fn closing_twice_is_an_error_not_a_panic() {
    let mut sim = Sim::new(Config::default()).unwrap();
    let l = sim.label("s");
    let h = sim.open_handle(HandleKind::TcpSocket, l);
    sim.close_handle(h, None).unwrap();
    assert_eq!(
        sim.close_handle(h, None),
        Err(ModelError::AlreadyClosing(h))
    );
    assert_eq!(
        sim.close_handle(TaskId(999), None),
        Err(ModelError::UnknownId(TaskId(999)))
    );
}

#[test]
fn network_replies_wait_in_the_kernel_and_run_in_poll() {
    let (d, sim) = run_program(Config::default(), |sim, c| {
        let op = lbl(sim, "db.query");
        for (name, ms) in [("slow query", 30), ("fast query", 5)] {
            let cb = c.cb(move |sim, c| c.say(sim, name));
            sim.watch(WatchSpec { op, handle: None }, ms * 1000, cb, op)
                .unwrap();
        }
    });
    assert_eq!(d.ctx.log, ["fast query", "slow query"]);
    assert!(
        sim.pool().started() == false,
        "sockets never touch the thread pool"
    );
    let io_in_poll = sim.trace().windows(2).all(|w| match w[1].kind {
        EventKind::CallbackStart {
            source: Source::Io(_),
            ..
        } => true,
        _ => true,
    });
    assert!(io_in_poll);
}

#[test]
fn pending_callbacks_run_in_the_next_pending_phase() {
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let p = say(c, "pending");
        let i = say(c, "immediate");
        let io = c.cb(move |sim, c| {
            c.say(sim, "io");
            let l = sim.label("onWrite");
            sim.queue_pending(p, l);
            sim.set_immediate(i, l);
        });
        sim.watch(
            WatchSpec {
                op: l,
                handle: None,
            },
            1000,
            io,
            l,
        )
        .unwrap();
    });
    // Queued during poll: the pending re-run after poll picks it up, before check.
    assert_eq!(log, ["io", "pending", "immediate"]);
}

#[test]
fn listening_server_waits_for_outside_input() {
    let mut sim = Sim::new(Config::default()).unwrap();
    let mut d = TestDriver::new(|sim, _| {
        let l = sim.label("server");
        sim.open_handle(HandleKind::TcpServer, l);
    });
    assert_eq!(sim.run(&mut d).unwrap(), Step::AwaitingInput);
    // A request arrives from outside at t = 1 s.
    let server = TaskId(1);
    let op = sim.label("connection");
    let cb = d.ctx.cb(|sim, c| c.say(sim, "request"));
    sim.watch_at(
        WatchSpec {
            op,
            handle: Some(server),
        },
        Micros::from_ms(1000),
        cb,
        op,
    )
    .unwrap();
    assert_eq!(sim.run(&mut d).unwrap(), Step::AwaitingInput);
    assert_eq!(d.ctx.log, ["request"]);
    assert!(sim.now() >= Micros::from_ms(1000));
    assert!(matches!(
        sim.watch_at(
            WatchSpec {
                op,
                handle: Some(server)
            },
            Micros::ZERO,
            cb,
            op
        ),
        Err(ModelError::InThePast { .. })
    ));
}

#[test]
fn driver_mistakes_are_typed_errors() {
    let mut sim = Sim::new(Config::default()).unwrap();
    assert_eq!(sim.finish_callback(), Err(ModelError::NoCallbackRunning));
    assert_eq!(sim.spend_cpu(10), Err(ModelError::NoCallbackRunning));
    let Step::Run(inv) = sim.step().unwrap() else {
        panic!("main runs first")
    };
    assert_eq!(
        sim.step(),
        Err(ModelError::CallbackInProgress(inv.callback))
    );
    assert_eq!(sim.spend_cpu(-1), Err(ModelError::NegativeDuration(-1)));
    assert_eq!(
        sim.clear_timer(TaskId(77)),
        Err(ModelError::UnknownId(TaskId(77)))
    );
    assert_eq!(
        sim.clear_immediate(TaskId(0)),
        Err(ModelError::UnknownId(TaskId(0)))
    );
    let l = sim.label("x");
    assert_eq!(
        sim.watch(
            WatchSpec {
                op: l,
                handle: None
            },
            -5,
            CallbackId(1),
            l
        ),
        Err(ModelError::NegativeDuration(-5))
    );
    assert_eq!(
        sim.watch(
            WatchSpec {
                op: l,
                handle: Some(TaskId(50))
            },
            5,
            CallbackId(1),
            l
        ),
        Err(ModelError::UnknownId(TaskId(50)))
    );
    sim.finish_callback().unwrap();
    assert_eq!(sim.finish_callback(), Err(ModelError::NoCallbackRunning));
    while !matches!(sim.step().unwrap(), Step::Exited(_)) {}
    assert_eq!(sim.step(), Ok(Step::Exited(0)));
    assert_eq!(
        sim.watch(
            WatchSpec {
                op: l,
                handle: None
            },
            5,
            CallbackId(1),
            l
        ),
        Err(ModelError::Exited)
    );
}

#[test]
fn process_exit_stops_everything() {
    let (d, sim) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "f");
        let never = say(c, "never");
        sim.set_timeout(never, l, 10.0, false);
        let quit = c.cb(|sim, c| {
            c.say(sim, "exit");
            sim.exit(3);
        });
        sim.set_immediate(quit, l);
    });
    assert_eq!(d.ctx.log, ["exit"]);
    assert_eq!(sim.exited(), Some(3));
}

#[test]
fn unhandled_rejection_check_runs_at_the_end_of_the_checkpoint() {
    let (d, _) = run_program(Config::default(), |sim, c| {
        sim.note_unhandled_rejection();
        let l = lbl(sim, "f");
        let m = say(c, "micro");
        sim.queue_microtask(m, l);
    });
    let kinds: Vec<Source> = d.invocations.iter().map(|i| i.0.source).collect();
    assert!(
        matches!(
            kinds[..],
            [Source::Main, Source::Microtask(_), Source::Rejections]
        ),
        "{kinds:?}"
    );
}

#[test]
fn snapshot_shows_every_queue_cut_to_the_limit() {
    let mut sim = Sim::new(Config::default()).unwrap();
    let Step::Run(_) = sim.step().unwrap() else {
        panic!()
    };
    let l = sim.label("handler");
    for _ in 0..1000 {
        sim.set_timeout(CallbackId(1), l, 10.0, false);
        sim.set_immediate(CallbackId(2), l);
        sim.next_tick(CallbackId(3), l);
        sim.queue_microtask(CallbackId(4), l);
        sim.watch(
            WatchSpec {
                op: l,
                handle: None,
            },
            50_000,
            CallbackId(5),
            l,
        )
        .unwrap();
        let spec = WorkSpec {
            label: l,
            cost: Micros::from_ms(5),
            class: WorkClass::Cpu,
        };
        sim.submit_work(spec, CallbackId(6), l);
    }
    let snap = sim.snapshot(5);
    for kind in [
        QueueKind::Timers,
        QueueKind::Check,
        QueueKind::NextTick,
        QueueKind::Microtask,
        QueueKind::Poll,
    ] {
        let q = snap.queue(kind).unwrap();
        assert_eq!(q.count, 1000, "{kind:?}");
        assert_eq!(q.items.len(), 5, "{kind:?}");
    }
    assert_eq!(snap.pool_queue.count, 996);
    assert_eq!(snap.workers.iter().filter(|w| w.job.is_some()).count(), 4);
    assert_eq!(snap.stack.len(), 1);
    assert_eq!(snap.stack[0].label, "(main script)");
    assert_eq!(
        snap.queue(QueueKind::Timers).unwrap().items[0].detail,
        "due 10ms"
    );
}

#[test]
fn metrics_count_iterations_delay_and_utilisation() {
    let (_, sim) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "f");
        let busy = c.cb(|sim, _| sim.spend_cpu(100_000).unwrap());
        sim.set_timeout(busy, l, 100.0, false);
        let after = say(c, "after");
        sim.set_timeout(after, l, 300.0, false);
    });
    let m = sim.metrics();
    assert!(m.iterations >= 2);
    assert!(
        m.eld.max().unwrap() >= Micros::from_ms(95),
        "the 100 ms block shows as delay: {:?}",
        m.eld.max()
    );
    assert_eq!(m.eld.min(), Some(Micros::from_ms(10)));
    let (active, _idle, u) = m.utilization(sim.now());
    assert!(active >= Micros::from_ms(100));
    assert!(u > 0.3 && u < 0.4, "about 100 of 300 ms busy: {u}");
}

#[test]
fn snapshot_lists_waiting_watchers_soonest_first() {
    let mut sim = Sim::new(Config::default()).unwrap();
    let Step::Run(_) = sim.step().unwrap() else {
        panic!()
    };
    for (name, ms) in [("c", 30), ("a", 10), ("d", 40), ("b", 20), ("e", 50)] {
        let l = sim.label(name);
        sim.watch(
            WatchSpec {
                op: l,
                handle: None,
            },
            ms * 1000,
            CallbackId(1),
            l,
        )
        .unwrap();
    }
    let snap = sim.snapshot(3);
    let poll = snap.queue(QueueKind::Poll).unwrap();
    assert_eq!(poll.count, 5);
    let names: Vec<&str> = poll.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn an_async_context_set_inside_a_callback_passes_to_what_it_schedules_next_and_not_to_the_tag() {
    // AsyncLocalStorage.run: the program switches context for part of a callback; what it
    // schedules meanwhile runs in that context (and what that schedules too), what it schedules
    // after switching back does not; the tag (outside input) is untouched.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let micro = c.cb(|sim, c| {
            c.say(
                sim,
                &format!("micro {:?} {:?}", sim.async_context(), sim.tag()),
            )
        });
        let inner = c.cb(move |sim, c| {
            c.say(
                sim,
                &format!("inner {:?} {:?}", sim.async_context(), sim.tag()),
            );
            let l = sim.label("m");
            sim.queue_microtask(micro, l);
        });
        let outside = c.cb(|sim, c| c.say(sim, &format!("outside {:?}", sim.async_context())));
        let timer = c.cb(move |sim, c| {
            c.say(sim, &format!("timer {:?}", sim.async_context()));
            let l = sim.label("i");
            sim.set_async_context(Some(3));
            sim.set_immediate(inner, l);
            sim.set_async_context(None);
            sim.set_immediate(outside, l);
        });
        sim.set_tag(Some(7));
        sim.set_timeout(timer, l, 1.0, false);
        sim.set_tag(None);
        c.say(sim, "main");
    });
    assert_eq!(
        log,
        [
            "main",
            "timer None",
            "inner Some(3) Some(7)",
            "micro Some(3) Some(7)",
            "outside None"
        ]
    );
}

#[test]
fn tags_pass_from_a_callback_to_everything_it_schedules() {
    // Like AsyncLocalStorage: a task inherits the running callback's tag; ticks and microtasks
    // queued while it runs inherit it too; untagged work stays untagged.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let plain = c.cb(|sim, c| c.say(sim, &format!("plain {:?}", sim.tag())));
        sim.set_timeout(plain, l, 2.0, false);
        let micro = c.cb(|sim, c| c.say(sim, &format!("micro {:?}", sim.tag())));
        let tick = c.cb(move |sim, c| {
            c.say(sim, &format!("tick {:?}", sim.tag()));
            let l = sim.label("m");
            sim.queue_microtask(micro, l);
        });
        let tagged = c.cb(move |sim, c| {
            c.say(
                sim,
                &format!("timer {:?} ran {:?}", sim.tag(), sim.ran_tag()),
            );
            let l = sim.label("t");
            let id = sim.next_tick(tick, l);
            assert_eq!(sim.tag_of(id), Some(7));
        });
        sim.set_tag(Some(7));
        let id = sim.set_timeout(tagged, l, 1.0, false);
        sim.set_tag(None);
        assert_eq!(sim.tag_of(id), Some(7));
        c.say(sim, "main");
    });
    assert_eq!(
        log,
        [
            "main",
            "timer Some(7) ran Some(7)",
            "tick Some(7)",
            "micro Some(7)",
            "plain None"
        ]
    );
}

/// A request that reached the socket while a callback kept the loop thread busy is dated when
/// it arrived, and the next poll phase reports it; dating it before the loop's last look at the
/// kernel is a driver mistake.
#[test]
fn outside_input_may_be_dated_back_to_the_last_look_at_the_kernel() {
    let mut sim = Sim::new(Config::default()).unwrap();
    let server = sim.open_handle(looplab_model::HandleKind::TcpServer, LabelId(0));
    let op = sim.label("connection");
    let spec = WatchSpec {
        op,
        handle: Some(server),
    };
    // The main script runs 250 µs of script cost plus 20 µs of callback cost.
    let Step::Run(_) = sim.step().unwrap() else {
        panic!("main runs first")
    };
    sim.spend_cpu(5_000).unwrap();
    // Inside a callback, the past is closed.
    assert!(matches!(
        sim.watch_at(spec, Micros(100), CallbackId(1), op),
        Err(ModelError::InThePast { .. })
    ));
    sim.finish_callback().unwrap();
    let busy_until = sim.now();
    assert!(busy_until > Micros::from_ms(5));
    // Between steps: the loop has not looked at the kernel since it started.
    let id = sim
        .watch_at(spec, Micros::from_ms(2), CallbackId(1), op)
        .unwrap();
    let mut ready = None;
    while ready.is_none() {
        match sim.step().unwrap() {
            Step::Run(inv) => {
                assert_eq!(inv.source, Source::Io(id));
                ready = Some(sim.now());
                sim.finish_callback().unwrap();
            }
            Step::Progress => {}
            other => panic!("{other:?}"),
        }
    }
    // Reported at once (no sleep until 2 ms, which has passed), with its arrival time.
    assert!(ready.unwrap() < busy_until + Micros::from_ms(1));
    let times = sim
        .take_trace()
        .into_iter()
        .find_map(|e| match e.kind {
            looplab_model::EventKind::OpTimes { task, finished, .. } if task == id => {
                Some(finished)
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(times, Micros::from_ms(2));
    // The poll phase has looked since: before that look is refused.
    let seen = sim.kernel_seen();
    assert!(seen >= busy_until);
    assert!(matches!(
        sim.watch_at(spec, seen - Micros(1), CallbackId(1), op),
        Err(ModelError::InThePast { .. })
    ));
    assert!(sim.watch_at(spec, seen, CallbackId(1), op).is_ok());
}

/// The pool's running totals: jobs started, their time in `wq`, the worker time they took.
#[test]
fn pool_totals_add_up_queue_waits_and_worker_time() {
    let (d, sim) = run_program(Config::default(), |sim, c| {
        sim.set_pool_size(1).unwrap();
        for (name, cost) in [("slow", 50), ("fast", 1), ("medium", 10)] {
            let cb = c.cb(move |sim, c| c.say(sim, name));
            let spec = work(sim, name, cost, WorkClass::Cpu);
            let l = lbl(sim, name);
            sim.submit_work(spec, cb, l);
        }
    });
    assert_eq!(d.ctx.log, ["slow", "fast", "medium"]);
    let t = sim.pool().totals;
    assert_eq!(t.started, 3);
    // Submitted together: "fast" waits for "slow" (50 ms), "medium" for both (51 ms).
    assert_eq!(t.queue_wait, Micros::from_ms(101));
    assert_eq!(t.busy, Micros::from_ms(61));
}

#[test]
fn a_poll_batch_of_pool_completions_and_ready_sockets_shows_each_pool_callback_until_it_runs() {
    // Pool completions and socket replies all ready at the same `epoll_wait`: the PoolDone
    // queue a snapshot shows must hold exactly the pool callbacks that have not run yet, in
    // whichever callback the snapshot is taken (the snapshot reads only the batch's prefix).
    use std::cell::RefCell;
    use std::rc::Rc;
    let seen: Rc<RefCell<Vec<(String, usize, usize)>>> = Rc::default();
    let s = seen.clone();
    let (d, _) = run_program(Config::default(), move |sim, c| {
        for i in 0..3 {
            for kind in ["pool", "socket"] {
                let name = format!("{kind}{i}");
                let s = s.clone();
                let cb = c.cb(move |sim, c| {
                    let q = sim.snapshot(100);
                    let pool_done = q.queue(QueueKind::PoolDone).unwrap().count;
                    let ran = c.log.iter().filter(|l| l.starts_with("pool")).count();
                    s.borrow_mut().push((name.clone(), pool_done, ran));
                    c.say(sim, &name);
                });
                let l = lbl(sim, kind);
                if kind == "pool" {
                    let spec = work(sim, "fs.stat", 1, WorkClass::FastIo);
                    sim.submit_work(spec, cb, l);
                } else {
                    sim.watch(
                        WatchSpec {
                            op: l,
                            handle: None,
                        },
                        1_000,
                        cb,
                        l,
                    )
                    .unwrap();
                }
            }
        }
        // Everything finishes while the main script is busy: one poll sees it all.
        sim.spend_cpu(20_000).unwrap();
    });
    // The pool's wake-up is ready before the sockets (its completion came first), so its
    // callbacks run first and every socket callback runs with none left: the snapshots taken
    // in the sockets' callbacks would not tell a prefix from a walk of the batch otherwise.
    assert_eq!(
        d.ctx.log,
        ["pool0", "pool1", "pool2", "socket0", "socket1", "socket2"]
    );
    assert!(d.ctx.times.iter().all(|(_, t)| *t >= 20.0));
    for (name, pool_done, pool_ran) in seen.borrow().iter() {
        let not_started = 3 - pool_ran - usize::from(name.starts_with("pool"));
        assert_eq!(*pool_done, not_started, "in {name}: {:?}", seen.borrow());
    }
}
