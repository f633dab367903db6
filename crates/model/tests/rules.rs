//! One test per rule of the loop, each a small program run on the model: the phases in
//! order, the checkpoint after every callback, timers and immediates. The I/O side (pool,
//! poller, handles, errors, snapshots) is in `io_rules.rs`.

mod common;
use common::*;
use looplab_model::*;

fn phases(trace: &[TraceEvent]) -> Vec<&'static str> {
    trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::PhaseEnter(p) => Some(p.name()),
            _ => None,
        })
        .collect()
}

#[test]
fn phase_order_is_uv_run_with_timers_before_the_first_iteration() {
    let (_, sim) = run_program(Config::default(), |sim, c| {
        let cb = say(c, "t");
        let l = lbl(sim, "t");
        sim.set_timeout(cb, l, 5.0, false);
    });
    let p = phases(sim.trace());
    assert_eq!(
        &p[..9],
        &["main", "timers", "pending", "idle", "prepare", "poll", "check", "close", "timers"],
        "main, initial timers, then one full iteration"
    );
    assert_eq!(sim.exited(), Some(0));
    assert_eq!(sim.iteration(), 1);
}

#[test]
fn empty_program_runs_one_iteration_then_exits() {
    // uv_run with nothing alive: no timers run, no iteration.
    let (_, sim) = run_program(Config::default(), |_, _| {});
    assert_eq!(phases(sim.trace()), vec!["main"]);
    assert_eq!(sim.iteration(), 0);
}

#[test]
fn nextticks_then_microtasks_after_the_main_script() {
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let t = say(c, "timeout");
        sim.set_timeout(t, l, 0.0, false);
        let m1 = say(c, "micro1");
        sim.queue_microtask(m1, l);
        let t1 = say(c, "tick1");
        sim.next_tick(t1, l);
        let m2 = say(c, "micro2");
        sim.queue_microtask(m2, l);
        let t2 = say(c, "tick2");
        sim.next_tick(t2, l);
        c.say(sim, "sync");
    });
    assert_eq!(
        log,
        ["sync", "tick1", "tick2", "micro1", "micro2", "timeout"]
    );
}

#[test]
fn ticks_queued_by_microtasks_run_after_all_microtasks() {
    // 219-style alternation: ticks, all microtasks, then ticks queued by microtasks.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let inner_tick = say(c, "tick from micro");
        let m1 = c.cb(move |sim, c| {
            c.say(sim, "micro1");
            let l = sim.label("f");
            sim.next_tick(inner_tick, l);
        });
        let m2 = say(c, "micro2");
        let inner_micro = say(c, "micro from tick");
        let t1 = c.cb(move |sim, c| {
            c.say(sim, "tick1");
            let l = sim.label("f");
            sim.queue_microtask(inner_micro, l);
        });
        sim.queue_microtask(m1, l);
        sim.queue_microtask(m2, l);
        sim.next_tick(t1, l);
    });
    assert_eq!(
        log,
        [
            "tick1",
            "micro1",
            "micro2",
            "micro from tick",
            "tick from micro"
        ]
    );
}

#[test]
fn checkpoint_runs_after_every_timer_and_immediate() {
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        for name in ["A", "B"] {
            let tick = c.cb(move |sim, c| c.say(sim, &format!("{name} tick")));
            let micro = c.cb(move |sim, c| c.say(sim, &format!("{name} micro")));
            let imm = c.cb(move |sim, c| {
                c.say(sim, &format!("{name} immediate"));
                let l = sim.label("f");
                sim.queue_microtask(micro, l);
                sim.next_tick(tick, l);
            });
            sim.set_immediate(imm, l);
        }
    });
    assert_eq!(
        log,
        [
            "A immediate",
            "A tick",
            "A micro",
            "B immediate",
            "B tick",
            "B micro"
        ]
    );
}

#[test]
fn timers_fire_by_delay_and_equal_delays_in_creation_order() {
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        for (name, d) in [("a100", 100.0), ("b10", 10.0), ("c50", 50.0), ("d10", 10.0)] {
            let cb = c.cb(move |sim, c| c.say(sim, name));
            sim.set_timeout(cb, l, d, false);
        }
    });
    assert_eq!(log, ["b10", "d10", "c50", "a100"]);
}

#[test]
fn delay_coercion_matches_node() {
    use looplab_model::timers::coerce_delay;
    assert_eq!(coerce_delay(0.0), 1);
    assert_eq!(coerce_delay(-5.0), 1);
    assert_eq!(coerce_delay(f64::NAN), 1);
    assert_eq!(coerce_delay(0.5), 1);
    assert_eq!(coerce_delay(1.9), 1);
    assert_eq!(coerce_delay(2_147_483_647.0), 2_147_483_647);
    assert_eq!(coerce_delay(2_147_483_648.0), 1);
    assert_eq!(coerce_delay(f64::INFINITY), 1);
    // setTimeout(f, 0) and setTimeout(f, 1) share one list: FIFO between them.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let a = say(c, "one");
        let b = say(c, "zero");
        sim.set_timeout(a, l, 1.0, false);
        sim.set_timeout(b, l, 0.0, false);
    });
    assert_eq!(log, ["one", "zero"]);
}

#[test]
fn timer_created_in_timers_phase_waits_and_its_immediate_runs_first() {
    // 107: a timeout(0) created during the timers phase never runs in that phase.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let t2 = say(c, "timeout from timeout");
        let imm = say(c, "immediate from timeout");
        let t1 = c.cb(move |sim, c| {
            c.say(sim, "timeout");
            let l = sim.label("f");
            sim.set_timeout(t2, l, 0.0, false);
            sim.set_immediate(imm, l);
        });
        sim.set_timeout(t1, l, 0.0, false);
        sim.spend_cpu(5_000).unwrap(); // make the first timer due before the loop starts
    });
    assert_eq!(
        log,
        ["timeout", "immediate from timeout", "timeout from timeout"]
    );
}

#[test]
fn in_an_io_callback_immediate_beats_timeout_zero() {
    let log = run(|sim, c| {
        let imm = say(c, "immediate");
        let tmo = say(c, "timeout");
        let io = c.cb(move |sim, c| {
            c.say(sim, "io");
            let l = sim.label("f");
            sim.set_timeout(tmo, l, 0.0, false);
            sim.set_immediate(imm, l);
        });
        let spec = work(sim, "fs.stat", 1, WorkClass::FastIo);
        let l = lbl(sim, "onStat");
        sim.submit_work(spec, io, l);
    });
    assert_eq!(log, ["io", "immediate", "timeout"]);
}

#[test]
fn overdue_timers_run_by_due_time_not_creation() {
    // 110: a 20 ms timer created before a 10 ms timer; both overdue after a 50 ms block.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let a = say(c, "20ms");
        sim.set_timeout(a, l, 20.0, false);
        sim.spend_cpu(5_000).unwrap();
        let b = say(c, "10ms");
        sim.set_timeout(b, l, 10.0, false); // due at 15 ms, earlier than 20 ms
        sim.spend_cpu(45_000).unwrap();
    });
    assert_eq!(log, ["10ms", "20ms"]);
}

#[test]
fn intervals_reschedule_from_their_start_without_catch_up() {
    let (d, _) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "tick");
        let count = std::rc::Rc::new(std::cell::Cell::new(0u32));
        let id_cell = std::rc::Rc::new(std::cell::Cell::new(None));
        let idc = id_cell.clone();
        let cb = c.cb(move |sim, c| {
            count.set(count.get() + 1);
            c.say(sim, "tick");
            if count.get() == 2 {
                sim.spend_cpu(35_000).unwrap(); // miss three periods
            }
            if count.get() == 4 {
                sim.clear_timer(idc.get().unwrap()).unwrap();
            }
        });
        id_cell.set(Some(sim.set_timeout(cb, l, 10.0, true)));
    });
    let times: Vec<f64> = d.ctx.times.iter().map(|(_, t)| t).copied().collect();
    assert_eq!(times.len(), 4, "cleared after four runs");
    // 10, 20, then the blocked tick at 20 ends at 55: next start = 20 -> due 30, already late,
    // runs once at ~55, then 10 ms after that start: no burst of catch-up runs.
    assert!(times[0] >= 10.0 && times[0] < 11.5, "{times:?}");
    assert!(times[1] >= 20.0 && times[1] < 21.5, "{times:?}");
    assert!(times[2] >= 55.0 && times[2] < 56.5, "{times:?}");
    assert!(times[3] >= 65.0 && times[3] < 67.5, "{times:?}");
}

#[test]
fn clear_timeout_before_it_fires_and_unref_lets_the_process_exit() {
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let a = say(c, "cleared");
        let id = sim.set_timeout(a, l, 10.0, false);
        assert!(sim.clear_timer(id).unwrap());
        assert!(!sim.clear_timer(id).unwrap(), "second clear is a no-op");
        let b = say(c, "unrefed");
        let id2 = sim.set_timeout(b, l, 10.0, false);
        sim.set_timer_ref(id2, false).unwrap();
    });
    assert!(log.is_empty(), "{log:?}");
}

#[test]
fn unrefed_timer_still_runs_while_something_else_keeps_the_loop_alive() {
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let a = say(c, "unrefed 10");
        let id = sim.set_timeout(a, l, 10.0, false);
        sim.set_timer_ref(id, false).unwrap();
        let b = say(c, "refed 20");
        sim.set_timeout(b, l, 20.0, false);
    });
    assert_eq!(log, ["unrefed 10", "refed 20"]);
}

#[test]
fn check_phase_runs_only_immediates_queued_before_it_began() {
    let (d, sim) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "f");
        let inner = say(c, "inner");
        let outer = c.cb(move |sim, c| {
            c.say(sim, "outer");
            let l = sim.label("f");
            sim.set_immediate(inner, l);
        });
        sim.set_immediate(outer, l);
        let second = say(c, "second");
        sim.set_immediate(second, l);
    });
    assert_eq!(d.ctx.log, ["outer", "second", "inner"]);
    assert_eq!(
        sim.iteration(),
        2,
        "inner waited for the next iteration's check phase"
    );
}

#[test]
fn clear_immediate_works_inside_the_running_batch() {
    // 307: B clears C, which is in the same taken batch.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let cid = std::rc::Rc::new(std::cell::Cell::new(None));
        let cc = cid.clone();
        let a = say(c, "A");
        let b = c.cb(move |sim, c| {
            c.say(sim, "B");
            assert!(sim.clear_immediate(cc.get().unwrap()).unwrap());
        });
        let cb = say(c, "C");
        sim.set_immediate(a, l);
        sim.set_immediate(b, l);
        cid.set(Some(sim.set_immediate(cb, l)));
    });
    assert_eq!(log, ["A", "B"]);
}

#[test]
fn poll_does_not_block_while_immediates_wait() {
    let (_, sim) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "f");
        let t = say(c, "t");
        sim.set_timeout(t, l, 50.0, false);
        let i = say(c, "i");
        sim.set_immediate(i, l);
    });
    let first_wait = sim.trace().iter().find_map(|e| match e.kind {
        EventKind::PollWait { timeout_ms, .. } => Some(timeout_ms),
        _ => None,
    });
    // The first poll had timeout 0 (no PollWait recorded); the first sleep is the timer's.
    assert!(
        matches!(first_wait, Some(Some(t)) if t >= 49),
        "{first_wait:?}"
    );
    assert!(sim.trace().iter().any(|e| e.kind == EventKind::IdleHandle));
}

#[test]
fn refresh_restarts_the_delay_from_now() {
    let (d, _) = run_program(Config::default(), |sim, c| {
        let l = lbl(sim, "f");
        let t = say(c, "refreshed");
        let id = sim.set_timeout(t, l, 50.0, false);
        let r = c.cb(move |sim, _| assert!(sim.refresh_timer(id).unwrap()));
        sim.set_timeout(r, l, 30.0, false);
    });
    assert!(d.ctx.times[0].1 >= 80.0, "{:?}", d.ctx.times);
}

#[test]
fn a_timer_handle_armed_in_a_timers_phase_that_empties_its_lists_still_fires() {
    // A timer added and cleared by a timer callback armed the handle; the phase ends with no
    // list, and Node only unrefs the handle. A later timer due after that instant does not
    // re-arm it (`insert` sees it no earlier than `nextExpiry`), and fires all the same.
    let log = run(|sim, c| {
        let l = lbl(sim, "f");
        let outer = c.cb(move |sim, c| {
            let l = lbl(sim, "f");
            let never = say(c, "never");
            let id = sim.set_timeout(never, l, 2.0, false);
            assert!(sim.clear_timer(id).unwrap());
            let later = c.cb(move |sim, c| {
                let l = lbl(sim, "f");
                let fires = say(c, "fires");
                sim.set_timeout(fires, l, 5.0, false);
            });
            sim.set_immediate(later, l);
        });
        sim.set_timeout(outer, l, 1.0, false);
    });
    assert_eq!(log, ["fires"]);
}

/// How many times 'beforeExit' has run so far, from the log.
fn before_exit_rounds(c: &Ctx) -> usize {
    c.log.iter().filter(|l| l.starts_with("beforeExit")).count()
}

#[test]
fn a_driver_that_does_not_ask_for_before_exit_sees_the_process_exit() {
    // `uv_run` returned: the model stops there for one step, and exits on the next unless the
    // driver asks for 'beforeExit'.
    let mut sim = Sim::new(Config::default()).unwrap();
    let mut saw_done = false;
    let mut sources = Vec::new();
    loop {
        saw_done |= sim.loop_done();
        match sim.step().unwrap() {
            Step::Run(inv) => {
                sources.push(inv.source);
                sim.finish_callback().unwrap();
            }
            Step::Exited(code) => break assert_eq!(code, 0),
            _ => {}
        }
    }
    assert!(saw_done);
    assert_eq!(sources, [Source::Main], "no beforeExit callback");
    assert_eq!(
        sim.emit_before_exit(),
        Err(ModelError::LoopNotDone),
        "only when the loop is done"
    );
}

#[test]
fn before_exit_is_emitted_when_the_loop_runs_out_of_work() {
    // Node's SpinEventLoop: uv_run returns, 'beforeExit' is emitted, nothing is alive, exit.
    let (d, sim) = run_with_before_exit(
        |sim, c| {
            let l = lbl(sim, "t");
            let t = say(c, "timer");
            sim.set_timeout(t, l, 5.0, false);
        },
        |sim, c| c.say(sim, "beforeExit"),
    );
    assert_eq!(d.ctx.log, ["timer", "beforeExit"]);
    assert_eq!(sim.exited(), Some(0));
    let sources: Vec<Source> = d.invocations.iter().map(|i| i.0.source).collect();
    assert_eq!(sources.last(), Some(&Source::BeforeExit));
}

#[test]
fn work_scheduled_by_before_exit_runs_the_loop_again_then_before_exit_comes_again() {
    // `more = uv_loop_alive(loop)` after the emit: a timer keeps the process alive, uv_run
    // runs again (timers before its first iteration), and ends with another 'beforeExit'.
    let (d, sim) = run_with_before_exit(
        |_, _| {},
        |sim, c| {
            let round = before_exit_rounds(c) + 1;
            c.say(
                sim,
                if round == 1 {
                    "beforeExit 1"
                } else {
                    "beforeExit 2"
                },
            );
            if round == 1 {
                let l = lbl(sim, "t");
                let t = say(c, "timer from beforeExit");
                sim.set_timeout(t, l, 3.0, false);
            }
        },
    );
    assert_eq!(
        d.ctx.log,
        ["beforeExit 1", "timer from beforeExit", "beforeExit 2"]
    );
    assert!(d.ctx.times[1].1 >= 3.0, "{:?}", d.ctx.times);
    assert_eq!(sim.exited(), Some(0));
}

#[test]
fn ticks_and_microtasks_from_before_exit_run_in_its_checkpoint_and_do_not_keep_it_alive() {
    // The emit is a callback like any other: its ticks and microtasks run after it, and they
    // are not loop work: no second 'beforeExit'.
    let (d, _) = run_with_before_exit(
        |_, _| {},
        |sim, c| {
            c.say(sim, "beforeExit");
            let l = lbl(sim, "x");
            let m = say(c, "microtask");
            sim.queue_microtask(m, l);
            let t = say(c, "tick");
            sim.next_tick(t, l);
        },
    );
    assert_eq!(d.ctx.log, ["beforeExit", "tick", "microtask"]);
}

#[test]
fn an_immediate_from_before_exit_runs_in_a_new_uv_run() {
    let (d, sim) = run_with_before_exit(
        |_, _| {},
        |sim, c| {
            let round = before_exit_rounds(c) + 1;
            c.say(
                sim,
                if round == 1 {
                    "beforeExit 1"
                } else {
                    "beforeExit 2"
                },
            );
            if round == 1 {
                let l = lbl(sim, "i");
                let i = say(c, "immediate");
                sim.set_immediate(i, l);
            }
        },
    );
    assert_eq!(d.ctx.log, ["beforeExit 1", "immediate", "beforeExit 2"]);
    assert_eq!(sim.iteration(), 1, "the immediate ran in one iteration");
}
