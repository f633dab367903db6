//! A tiny driver for tests: callbacks are Rust closures that log and schedule more callbacks.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::rc::Rc;

use looplab_model::*;

pub type Body = Rc<dyn Fn(&mut Sim, &mut Ctx)>;

#[derive(Default)]
pub struct Ctx {
    pub log: Vec<String>,
    bodies: BTreeMap<u64, Body>,
    next: u64,
    /// (log entry, virtual time in ms) for timing assertions.
    pub times: Vec<(String, f64)>,
}

impl Ctx {
    pub fn cb(&mut self, f: impl Fn(&mut Sim, &mut Ctx) + 'static) -> CallbackId {
        self.next += 1;
        self.bodies.insert(self.next, Rc::new(f));
        CallbackId(self.next)
    }
    pub fn say(&mut self, sim: &Sim, what: &str) {
        self.log.push(what.to_owned());
        self.times.push((what.to_owned(), sim.now().as_ms_f64()));
    }
}

pub struct TestDriver {
    pub ctx: Ctx,
    main: Body,
    /// The program's 'beforeExit' listener, if it has one.
    pub before_exit: Option<Body>,
    /// Every invocation, in order (for property checks).
    pub invocations: Vec<(Invocation, Micros, usize, usize)>,
}

impl TestDriver {
    pub fn new(main: impl Fn(&mut Sim, &mut Ctx) + 'static) -> TestDriver {
        TestDriver {
            ctx: Ctx::default(),
            main: Rc::new(main),
            before_exit: None,
            invocations: Vec::new(),
        }
    }
}

impl Driver for TestDriver {
    fn run(&mut self, sim: &mut Sim, inv: Invocation) -> Result<(), ModelError> {
        self.invocations
            .push((inv, sim.now(), sim.ticks_len(), sim.microtasks_len()));
        let body = match inv.source {
            Source::Main => self.main.clone(),
            Source::Rejections => return Ok(()),
            Source::BeforeExit => self.before_exit.clone().expect("a 'beforeExit' listener"),
            _ => self
                .ctx
                .bodies
                .get(&inv.callback.0)
                .cloned()
                .expect("callback registered"),
        };
        body(sim, &mut self.ctx);
        Ok(())
    }
}

/// Run a program to completion; returns the driver (log) and the sim.
pub fn run_program(cfg: Config, main: impl Fn(&mut Sim, &mut Ctx) + 'static) -> (TestDriver, Sim) {
    let mut sim = Sim::new(cfg).expect("valid config");
    let mut d = TestDriver::new(main);
    let end = sim.run(&mut d).expect("runs");
    assert!(matches!(end, Step::Exited(_)), "program ended with {end:?}");
    (d, sim)
}

pub fn run(main: impl Fn(&mut Sim, &mut Ctx) + 'static) -> Vec<String> {
    run_program(Config::default(), main).0.ctx.log
}

/// Shorthand: a callback that logs `what`.
pub fn say(ctx: &mut Ctx, what: &'static str) -> CallbackId {
    ctx.cb(move |sim, c| c.say(sim, what))
}

pub fn lbl(sim: &mut Sim, s: &str) -> LabelId {
    sim.label(s)
}

pub fn work(sim: &mut Sim, name: &str, cost_ms: u64, class: WorkClass) -> WorkSpec {
    WorkSpec {
        label: sim.label(name),
        cost: Micros::from_ms(cost_ms),
        class,
    }
}

/// Run a program with a 'beforeExit' listener: the driver asks for 'beforeExit' whenever the
/// loop is done, as the engine does for a program that listens for it.
pub fn run_with_before_exit(
    main: impl Fn(&mut Sim, &mut Ctx) + 'static,
    before_exit: impl Fn(&mut Sim, &mut Ctx) + 'static,
) -> (TestDriver, Sim) {
    let mut sim = Sim::new(Config::default()).expect("valid config");
    let mut d = TestDriver::new(main);
    d.before_exit = Some(Rc::new(before_exit));
    loop {
        if sim.loop_done() {
            sim.emit_before_exit().expect("the loop is done");
        }
        match sim.step().expect("steps") {
            Step::Run(inv) => {
                d.run(&mut sim, inv).expect("runs");
                sim.finish_callback().expect("finishes");
            }
            Step::Exited(_) => return (d, sim),
            Step::AwaitingInput => panic!("awaits input"),
            Step::Progress => {}
        }
    }
}
