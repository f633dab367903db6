//! Where the simulation runs, seen from the page: a Web Worker, or the page itself.
//!
//! HOW: the page talks to the simulation only through [`Backend::send`] ([`ToWorker`]
//! commands) and the `on_message` callback ([`FromWorker`] messages). [`Backend::worker`] runs
//! it in a dedicated Web Worker (`src/worker_main.rs`, built by trunk as the `looplab-worker`
//! binary): a long callback, a big `JSON.parse` or 10,000 users then never freeze the page, and
//! Stop can end any of them at once by terminating the worker. [`Backend::in_page`] runs the same
//! [`CommandLoop`] on the page's thread, a slice per animation frame: the browser tests mount the
//! app that way (they have no trunk build to load a worker from).
//!
//! WHY a supervisor: a terminated worker takes the run with it. The page keeps what rebuilds it
//! (the loaded program, the pool size, the requests the run received and the sleeps it cut: a
//! [`Recording`], kept up to date from every view's delta) in a [`Supervisor`], plain Rust with
//! native tests; Stop replaces the worker and replays the run, deterministically, up to the last
//! step the page drew.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use yew::Callback;

use crate::playback::{frames_before_drawn, Pacing};
use crate::protocol::{FromWorker, Process, Recording, RecordingDelta, ToWorker};
use crate::sim_worker::CommandLoop;

/// The worker's first message: its module loaded and it listens.
pub const READY: &str = "ready";

/// The URLs of the page's own wasm-bindgen glue and wasm module, from the links trunk puts in
/// the page (`modulepreload` and `preload as=fetch`): the worker loads the same files, from the
/// browser's cache.
fn module_urls() -> Option<(String, String)> {
    let doc = web_sys::window()?.document()?;
    let href = |selector: &str| {
        doc.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|el| el.get_attribute("href"))
            .and_then(|h| {
                let base = doc.base_uri().ok().flatten()?;
                web_sys::Url::new_with_base(&h, &base)
                    .ok()
                    .map(|u| u.href())
            })
    };
    Some((
        href("link[rel=modulepreload][href*='looplab-web']")?,
        href("link[rel=preload][type='application/wasm']")?,
    ))
}

/// The worker's script: imports the glue and starts the wasm module, whose `main` then runs
/// the worker's loop (it sees no window).
fn worker_script(glue: &str, wasm: &str) -> String {
    // The URLs come from the page's own links: quoting `\` and `"` makes them JS strings.
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    format!(
        "import init from {};\nawait init({{ module_or_path: {} }});\n",
        quote(glue),
        quote(wasm)
    )
}

/// What the page keeps to rebuild the run in a fresh simulation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Supervisor {
    /// The process of the last `Load`.
    loaded: Option<Process>,
    /// What the run recorded, as the views reported it, up to `unapplied`.
    recording: Recording,
    /// What the last views recorded, not yet packed into `recording` ([`Supervisor::settle`]):
    /// with a worker, a burst of 10,000 requests is packed after the frame that draws its view,
    /// not before it (about 9 ms on the 2-vCPU VM); on the page's thread, when more than 64
    /// wait. Everything that reads the recording settles it first.
    unapplied: Vec<RecordingDelta>,
    /// The step of the last view.
    step: u64,
    /// The callback running for a while, as the last `Busy` message said.
    busy: Option<(String, Option<u32>, f64)>,
    /// The simulation said it ran out of memory: (callback, live bytes).
    out_of_memory: Option<(Option<String>, usize)>,
    /// Commands sent to the simulation since it started (all but `Drawn`), and how many of
    /// them its last view reflects.
    sent: u64,
    handled: u64,
    /// The simulation's live heap, as its last view said.
    heap_bytes: usize,
    wasm_bytes: usize,
    /// The pace of the last `Play` sent (a paused run posts views only in answer to commands,
    /// which go out at once: the pace of its next Play is what matters).
    pacing: Option<Pacing>,
}

impl Supervisor {
    /// Notes a command on its way to the simulation.
    pub fn sent(&mut self, cmd: &ToWorker) {
        if *cmd != ToWorker::Drawn {
            self.sent += 1;
        }
        self.loaded(cmd);
    }

    /// Keeps the process a `Load` starts (also one inside a sequence: a lesson's load test),
    /// and the pace of a `Play`.
    fn loaded(&mut self, cmd: &ToWorker) {
        if let ToWorker::Sequence(cmds) = cmd {
            cmds.iter().for_each(|c| self.loaded(c));
            return;
        }
        if let ToWorker::Play(pacing) = cmd {
            self.pacing = Some(*pacing);
        }
        if let ToWorker::Branch { process, .. } = cmd {
            // The same run up to the step shown, in a new process.
            self.settle();
            self.loaded = Some(process.clone());
            self.recording = self.recording.up_to(self.step);
            self.busy = None;
            self.out_of_memory = None;
            return;
        }
        if let ToWorker::Load {
            process, replay, ..
        } = cmd
        {
            self.loaded = Some(process.clone());
            self.unapplied.clear();
            match replay {
                Some((rec, step)) => {
                    self.recording = rec.clone();
                    self.step = *step;
                }
                None => {
                    self.recording = Recording::default();
                    self.step = 0;
                }
            }
            self.busy = None;
            self.out_of_memory = None;
        }
    }

    /// Notes a message from the simulation; a view's recorded inputs are taken (nothing after
    /// it reads them: a load's first view brings 10,000), to be packed into the recording by
    /// [`Supervisor::settle`].
    pub fn received(&mut self, msg: &mut FromWorker) {
        match msg {
            FromWorker::View {
                view,
                recorded,
                handled,
                heap_bytes,
                wasm_bytes,
                ..
            } => {
                self.handled = *handled;
                self.heap_bytes = *heap_bytes;
                self.wasm_bytes = *wasm_bytes;
                self.unapplied.push(std::mem::take(recorded));
                if self.unapplied.len() > 64 {
                    // (Nothing settled them for a while: no frames, say.)
                    self.settle();
                }
                self.step = view.steps;
                self.busy = None;
            }
            FromWorker::Busy { callback, line, ms } => {
                self.busy = Some((callback.clone(), *line, *ms))
            }
            FromWorker::OutOfMemory { callback, bytes } => {
                self.out_of_memory = Some((callback.clone(), *bytes))
            }
        }
    }

    /// What the caption says when the simulation died by itself (`what`: the browser's
    /// message), and the run was rebuilt.
    pub fn crash_note(&self, what: &str) -> String {
        match &self.out_of_memory {
            Some((callback, bytes)) => {
                let who = callback
                    .as_deref()
                    .map(|c| format!(" while {c} ran"))
                    .unwrap_or_default();
                format!(
                    "Out of memory{who}: the program held {} MB, the heap limit of a program here \
                     ({} MB; Node stops too: \"JavaScript heap out of memory\"). The simulation \
                     was replaced and the run rebuilt up to step {} (the last step drawn).",
                    bytes >> 20,
                    crate::heap::HEAP_LIMIT >> 20,
                    self.step
                )
            }
            None => {
                format!(
                "The simulation failed ({}) and was replaced; the run is rebuilt up to step {} \
                 (the last step drawn).",
                if what.is_empty() { "no reason given" } else { what },
                self.step
            )
            }
        }
    }

    /// The command that rebuilds the run in a fresh simulation, up to the last step the page
    /// drew, with `note` as its caption once rebuilt (what was stopped, or why the worker died);
    /// None before anything was loaded.
    pub fn rebuild(&mut self, note: String) -> Option<ToWorker> {
        self.settle();
        Some(ToWorker::Load {
            process: self.loaded.clone()?,
            replay: Some((self.recording.up_to(self.step), self.step)),
            note: Some(note),
        })
    }

    /// What Stop says it stopped.
    pub fn stop_note(&self) -> String {
        match &self.busy {
            Some((callback, line, ms)) => {
                let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
                format!(
                    "Stopped {callback}{at} after {:.1} s: the simulation was replaced and the run \
                     rebuilt up to step {} (the last step drawn). The program and the requests \
                     are kept: Back and Reset work.",
                    ms / 1000.0,
                    self.step
                )
            }
            None => format!(
                "Stopped: the simulation was replaced and the run rebuilt up to step {} (the last \
                 step drawn). The program and the requests are kept: Back and Reset work.",
                self.step
            ),
        }
    }

    /// Packs what the views recorded into the recording.
    pub fn settle(&mut self) {
        for delta in self.unapplied.drain(..) {
            self.recording.apply(delta);
        }
    }

    pub fn recording(&mut self) -> &Recording {
        self.settle();
        &self.recording
    }

    /// How many frames to let pass after drawing a view before saying so
    /// ([`frames_before_drawn`]).
    pub fn frames_before_drawn(&self) -> u32 {
        frames_before_drawn(self.pacing)
    }

    /// A command sent is not reflected in a view yet.
    pub fn pending(&self) -> bool {
        self.handled < self.sent
    }

    /// A fresh simulation starts counting commands again.
    fn restarted(&mut self) {
        self.sent = 0;
        self.handled = 0;
    }
}

type Slot = Rc<RefCell<Option<AnimationFrame>>>;

/// Calls `f` in the `n`th animation frame from now (the first at once when `n` is 0); `slot`
/// keeps the frame request alive meanwhile.
fn after_frames(n: u32, slot: Slot, f: Box<dyn FnOnce()>) {
    if n == 0 {
        f();
        return;
    }
    let keep = slot.clone();
    *slot.borrow_mut() = Some(request_animation_frame(move |_| {
        let frame = keep.borrow_mut().take();
        after_frames(n - 1, keep, f);
        drop(frame);
    }));
}

enum Host {
    /// The simulation on the page's thread, a slice per animation frame.
    InPage { sim: CommandLoop, frame: Slot },
    /// The simulation in a Web Worker; commands wait in `queue` until it says it is ready.
    Worker {
        worker: web_sys::Worker,
        ready: bool,
        queue: Vec<Vec<u8>>,
        /// The script's object URL, revoked once the worker runs.
        script: String,
        _listeners: [EventListener; 2],
    },
}

struct Inner {
    host: Option<Host>,
    supervisor: Supervisor,
    on_message: Callback<FromWorker>,
}

/// The page's handle on the simulation. Cheap to clone (the clones share it).
#[derive(Clone)]
pub struct Backend {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

fn wall_ms() -> f64 {
    js_sys::Date::now()
}

impl Backend {
    fn new(on_message: Callback<FromWorker>) -> Backend {
        Backend {
            inner: Rc::new(RefCell::new(Inner {
                host: None,
                supervisor: Supervisor::default(),
                on_message,
            })),
        }
    }

    /// The simulation on the page's own thread.
    pub fn in_page(on_message: Callback<FromWorker>) -> Backend {
        let b = Backend::new(on_message);
        b.inner.borrow_mut().host = Some(Host::InPage {
            sim: CommandLoop::new(),
            frame: Rc::new(RefCell::new(None)),
        });
        b
    }

    /// The simulation in a Web Worker; on the page's thread if no worker can be started.
    pub fn worker(on_message: Callback<FromWorker>) -> Backend {
        let b = Backend::new(on_message.clone());
        match b.spawn() {
            Some(host) => b.inner.borrow_mut().host = Some(host),
            None => return Backend::in_page(on_message),
        }
        b
    }

    fn spawn(&self) -> Option<Host> {
        let (glue, wasm) = module_urls()?;
        let parts = js_sys::Array::of1(&worker_script(&glue, &wasm).into());
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type("text/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        options.set_name("looplab-simulation");
        let worker = web_sys::Worker::new_with_options(&url, &options).ok()?;
        let weak = Rc::downgrade(&self.inner);
        let on_message = EventListener::new(&worker, "message", move |e| {
            let Some(inner) = weak.upgrade() else { return };
            let Some(data) = e.dyn_ref::<web_sys::MessageEvent>().map(|m| m.data()) else {
                return;
            };
            let backend = Backend { inner };
            if data.as_string().as_deref() == Some(READY) {
                backend.ready();
            } else if data.is_instance_of::<js_sys::Uint8Array>() {
                backend.from_worker(&js_sys::Uint8Array::new(&data).to_vec());
            }
        });
        let weak = Rc::downgrade(&self.inner);
        let on_error = EventListener::new(&worker, "error", move |e| {
            let Some(inner) = weak.upgrade() else { return };
            let what = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_default();
            Backend { inner }.crashed(&what);
        });
        Some(Host::Worker {
            worker,
            ready: false,
            queue: Vec::new(),
            script: url,
            _listeners: [on_message, on_error],
        })
    }

    /// A command sent is not reflected in a view yet.
    pub fn pending(&self) -> bool {
        self.inner.borrow().supervisor.pending()
    }

    /// What rebuilds the run the page shows: the last `Load`'s process, the requests it
    /// received and the sleeps it cut, and the step drawn (what a link carries).
    pub fn run_record(&self) -> Option<(Process, Recording, u64)> {
        let mut inner = self.inner.borrow_mut();
        let sup = &mut inner.supervisor;
        sup.settle();
        Some((sup.loaded.clone()?, sup.recording.clone(), sup.step))
    }

    /// Sends a command to the simulation.
    pub fn send(&self, cmd: ToWorker) {
        self.send_inner(cmd);
        self.mark();
    }

    /// Shows on the document whether a command sent is not in a view yet:
    /// `<html data-sim="pending">` or `"idle"` (tests wait for "idle" after a control).
    /// Also `data-heap-bytes` and `data-wasm-bytes`: the simulation's live heap and its
    /// worker's WebAssembly memory (what the benchmark reads).
    fn mark(&self) {
        let (pending, heap, wasm) = {
            let inner = self.inner.borrow();
            let s = &inner.supervisor;
            (s.pending(), s.heap_bytes, s.wasm_bytes)
        };
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-sim", if pending { "pending" } else { "idle" });
            let _ = root.set_attribute("data-heap-bytes", &heap.to_string());
            let _ = root.set_attribute("data-wasm-bytes", &wasm.to_string());
        }
    }

    fn send_inner(&self, cmd: ToWorker) {
        let mut inner = self.inner.borrow_mut();
        inner.supervisor.sent(&cmd);
        match inner.host.as_mut() {
            Some(Host::InPage { sim, .. }) => {
                sim.handle(cmd);
                drop(inner);
                self.pump_in_page();
            }
            Some(Host::Worker {
                worker,
                ready,
                queue,
                ..
            }) => {
                let text = cmd.encode();
                if *ready {
                    let _ = worker.post_message(&js_sys::Uint8Array::from(&text[..]));
                } else {
                    queue.push(text);
                }
            }
            None => {}
        }
    }

    /// Ends whatever the simulation is doing, at once: the worker is terminated and a fresh
    /// one rebuilds the run up to the last step drawn. Returns what the caption says meanwhile.
    /// (On the page's thread nothing can be running while the page reads a click, so there it
    /// only pauses.)
    pub fn stop(&self) -> String {
        let (rebuild, note) = {
            let mut inner = self.inner.borrow_mut();
            if let Some(Host::Worker { worker, .. }) = inner.host.as_ref() {
                worker.terminate();
            } else {
                drop(inner);
                self.send(ToWorker::Pause);
                return "Paused.".to_owned();
            }
            inner.host = None;
            let note = inner.supervisor.stop_note();
            (inner.supervisor.rebuild(note.clone()), note)
        };
        self.replace_worker(rebuild);
        note
    }

    /// A fresh worker in place of the one terminated, given `rebuild` (the run up to the last
    /// step drawn) as its first command.
    fn replace_worker(&self, rebuild: Option<ToWorker>) {
        let host = self.spawn();
        {
            let mut inner = self.inner.borrow_mut();
            inner.host = host;
            inner.supervisor.restarted();
        }
        if let Some(cmd) = rebuild {
            self.send(cmd);
        }
    }

    /// The worker runs: what waited for it is posted.
    fn ready(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(Host::Worker {
            worker,
            ready,
            queue,
            script,
            ..
        }) = inner.host.as_mut()
        {
            *ready = true;
            let _ = web_sys::Url::revoke_object_url(script);
            for bytes in queue.drain(..) {
                let _ = worker.post_message(&js_sys::Uint8Array::from(&bytes[..]));
            }
        }
    }

    fn from_worker(&self, bytes: &[u8]) {
        let Ok(msg) = FromWorker::decode(bytes) else {
            // (Answered as drawn all the same: the worker counts its views not drawn, and
            // one never answered would hold a playing run for good.)
            self.post_drawn(false);
            return;
        };
        let drawn = match msg {
            FromWorker::View { hold, .. } => Some(hold),
            _ => None,
        };
        self.deliver(msg);
        if let Some(hold) = drawn {
            self.post_drawn(hold);
        }
    }

    /// Tells the worker, a few frames from now ([`Supervisor::frames_before_drawn`]), that its
    /// view was drawn. A held view (`hold`: the worker waits for it) is answered as soon as it
    /// was drawn: in the second frame from now, the first having laid it out and painted it.
    fn post_drawn(&self, hold: bool) {
        // The page draws on its next frame; the worker may post the next view a frame or three
        // after that. The frames in between are the page's rendering time the worker gets back
        // on a two-core machine (README, Benchmarks).
        // The worker that posted the view gets the Drawn: one replaced meanwhile (Stop)
        // is terminated and ignores it, and its replacement never gets a stray one.
        let (worker, frames) = {
            let mut inner = self.inner.borrow_mut();
            match inner.host.as_ref() {
                Some(Host::Worker { worker, .. }) => (
                    worker.clone(),
                    if hold {
                        2
                    } else {
                        inner.supervisor.frames_before_drawn()
                    },
                ),
                _ => {
                    inner.supervisor.settle();
                    return;
                }
            }
        };
        // The view's recorded inputs are packed once it was drawn, in a task of their own
        // after the Drawn (not in a frame, and not delaying the worker).
        let inner = Rc::downgrade(&self.inner);
        after_frames(
            frames,
            Rc::new(RefCell::new(None)),
            Box::new(move || {
                let bytes = ToWorker::Drawn.encode();
                let _ = worker.post_message(&js_sys::Uint8Array::from(&bytes[..]));
                gloo_timers::callback::Timeout::new(0, move || {
                    if let Some(inner) = inner.upgrade() {
                        if let Ok(mut inner) = inner.try_borrow_mut() {
                            inner.supervisor.settle();
                        }
                    }
                })
                .forget();
            }),
        );
    }

    /// The worker died on its own (a trap: out of memory, say): replace it and rebuild the run.
    fn crashed(&self, what: &str) {
        let rebuild = {
            let mut inner = self.inner.borrow_mut();
            if let Some(Host::Worker { worker, .. }) = inner.host.take() {
                worker.terminate();
            }
            let note = inner.supervisor.crash_note(what);
            inner.supervisor.rebuild(note)
        };
        self.replace_worker(rebuild);
    }

    /// On the page's thread: posts what the simulation has, then works a slice per animation
    /// frame while it is busy.
    fn pump_in_page(&self) {
        let (msg, busy, slot) = {
            let mut inner = self.inner.borrow_mut();
            let Some(Host::InPage { sim, frame }) = inner.host.as_mut() else {
                return;
            };
            let msg = sim.outbox();
            if msg.is_some() {
                sim.handle(ToWorker::Drawn);
            }
            (msg, sim.busy(), frame.clone())
        };
        if let Some(msg) = msg {
            self.deliver(msg);
        }
        if busy && slot.borrow().is_none() {
            let me = self.clone();
            let keep = slot.clone();
            *slot.borrow_mut() = Some(request_animation_frame(move |_| {
                drop(keep.borrow_mut().take());
                {
                    let mut inner = me.inner.borrow_mut();
                    if let Some(Host::InPage { sim, .. }) = inner.host.as_mut() {
                        sim.slice(&mut wall_ms);
                    }
                }
                me.pump_in_page();
            }));
        }
    }

    fn deliver(&self, mut msg: FromWorker) {
        let on_message = {
            let mut inner = self.inner.borrow_mut();
            inner.supervisor.received(&mut msg);
            inner.on_message.clone()
        };
        on_message.emit(msg);
        self.mark();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playback::Pacing;
    use crate::presets::default_preset;
    use crate::protocol::StepBy;

    fn load(source: &str) -> ToWorker {
        ToWorker::Load {
            process: crate::protocol::Process {
                source: source.into(),
                pool_size: 4,
                costs: Vec::new(),
                seed: 0,
            },
            replay: None,
            note: None,
        }
    }

    /// The page's side and a command loop standing in for the worker; `stop` throws the loop
    /// away and starts a fresh one from the supervisor's rebuild command.
    struct Harness {
        sup: Supervisor,
        sim: CommandLoop,
    }

    impl Harness {
        fn send(&mut self, cmd: ToWorker) {
            self.sup.sent(&cmd);
            self.sim.handle(cmd);
        }
        fn run(&mut self, slices: usize) -> Option<crate::view::View> {
            let mut t = 0.0;
            let mut clock = move || {
                t += 0.5;
                t
            };
            let mut last = None;
            for _ in 0..slices {
                if let Some(mut msg) = self.sim.outbox() {
                    self.sup.received(&mut msg);
                    let FromWorker::View { view, .. } = msg else {
                        continue;
                    };
                    last = Some(*view);
                    self.sim.handle(ToWorker::Drawn);
                }
                if !self.sim.slice(&mut clock) && !self.sim.pending() {
                    break;
                }
            }
            if let Some(mut msg) = self.sim.outbox() {
                self.sup.received(&mut msg);
                if let FromWorker::View { view, .. } = msg {
                    last = Some(*view);
                }
                self.sim.handle(ToWorker::Drawn);
            }
            last
        }
        fn stop(&mut self) {
            let cmd = self
                .sup
                .rebuild(self.sup.stop_note())
                .expect("something was loaded");
            self.sim = CommandLoop::new();
            self.send(cmd);
        }
    }

    #[test]
    fn stop_rebuilds_the_run_to_the_last_step_drawn() {
        let mut h = Harness {
            sup: Supervisor::default(),
            sim: CommandLoop::new(),
        };
        h.send(load(default_preset().source));
        h.send(ToWorker::Play(Pacing::Max));
        h.run(100);
        h.send(ToWorker::Send {
            method: "GET".into(),
            pattern: "/users/:id".into(),
            count: 5,
        });
        for _ in 0..7 {
            h.send(ToWorker::Step(StepBy::Event));
        }
        let before = h.run(10).expect("a view");
        assert_eq!(h.sup.recording().request_count(), 5);
        h.sup.received(&mut FromWorker::Busy {
            callback: "fib".into(),
            line: Some(3),
            ms: 2500.0,
        });
        h.stop();
        let after = h.run(100_000).expect("the rebuilt view");
        assert_eq!(after.steps, before.steps);
        assert_eq!(after.requests, before.requests);
        assert_eq!(after.queues, before.queues);
        assert!(
            after
                .caption
                .starts_with("Stopped fib at line 3 after 2.5 s"),
            "{}",
            after.caption
        );
        // Back works on the rebuilt run.
        h.send(ToWorker::Back);
        let back = h.run(100_000).expect("a view");
        assert_eq!(back.steps, before.steps - 1);
    }

    #[test]
    fn the_pace_of_the_last_play_sets_how_often_a_view_is_drawn() {
        let mut sup = Supervisor::default();
        assert_eq!(sup.frames_before_drawn(), 2, "before any Play");
        sup.sent(&ToWorker::Play(Pacing::Max));
        assert_eq!(sup.frames_before_drawn(), 4);
        // Pause keeps the pace: a paused run posts views only in answer to commands.
        sup.sent(&ToWorker::Pause);
        assert_eq!(sup.frames_before_drawn(), 4);
        // A lesson's sequence that plays at a slower pace.
        sup.sent(&ToWorker::Sequence(vec![
            ToWorker::Until(crate::protocol::Condition::Listening),
            ToWorker::Play(Pacing::StepsPerSecond(4.0)),
        ]));
        assert_eq!(sup.frames_before_drawn(), 2);
    }

    #[test]
    fn a_crash_says_out_of_memory_when_the_simulation_said_so() {
        let mut sup = Supervisor::default();
        sup.sent(&load("const a = []; for (;;) a.push({})"));
        assert!(sup
            .crash_note("")
            .starts_with("The simulation failed (no reason given)"));
        sup.received(&mut FromWorker::OutOfMemory {
            callback: Some("the main script".into()),
            bytes: 513 << 20,
        });
        let note = sup.crash_note("RuntimeError: unreachable");
        assert!(
            note.starts_with("Out of memory while the main script ran: the program held 513 MB"),
            "{note}"
        );
        assert!(note.contains("(512 MB;"), "{note}");
    }

    #[test]
    fn a_views_recorded_requests_are_packed_when_settled_and_before_anything_reads_them() {
        let mut sup = Supervisor::default();
        sup.sent(&load(default_preset().source));
        let mut sim = CommandLoop::new();
        sim.handle(load(default_preset().source));
        sim.handle(ToWorker::Until(crate::protocol::Condition::Listening));
        let mut clock = 0.0;
        while sim.slice(&mut || {
            clock += 1.0;
            clock
        }) {}
        sim.handle(ToWorker::Send {
            method: "GET".into(),
            pattern: "/users/:id".into(),
            count: 3,
        });
        let mut msg = sim.outbox().expect("the send's view");
        sup.received(&mut msg);
        let FromWorker::View { recorded, .. } = &msg else {
            panic!("a view")
        };
        assert_eq!(*recorded, RecordingDelta::default(), "taken, not copied");
        assert_eq!(
            sup.recording.request_count(),
            0,
            "not packed in the view's frame"
        );
        let Some(ToWorker::Load {
            replay: Some((rec, _)),
            ..
        }) = sup.clone().rebuild(String::new())
        else {
            panic!("a rebuild")
        };
        assert_eq!(rec.request_count(), 3, "a rebuild packs them first");
        sup.settle();
        assert_eq!(sup.recording.request_count(), 3);
        assert!(sup.unapplied.is_empty());
    }

    #[test]
    fn a_new_program_starts_a_new_recording() {
        let mut sup = Supervisor::default();
        assert_eq!(sup.rebuild(sup.stop_note()), None, "nothing to rebuild");
        sup.sent(&load("console.log(1)"));
        let Some(ToWorker::Load {
            replay: Some((rec, 0)),
            ..
        }) = sup.rebuild(sup.stop_note())
        else {
            panic!("a rebuild to step 0")
        };
        assert_eq!(rec, Recording::default());
        assert!(
            sup.stop_note().starts_with("Stopped: "),
            "{}",
            sup.stop_note()
        );
    }

    #[test]
    fn a_load_inside_a_sequence_is_the_process_a_rebuild_starts() {
        // A lesson's load test restarts the program with the database's latency from inside
        // its sequence: Stop must rebuild that process, not the lesson's first one.
        let mut sup = Supervisor::default();
        sup.sent(&load("first"));
        let lesson_load = ToWorker::Load {
            process: crate::protocol::Process {
                costs: vec![("dbLatency".into(), 1e6)],
                ..crate::protocol::Process::new("second", 4)
            },
            replay: None,
            note: None,
        };
        sup.sent(&ToWorker::Sequence(vec![
            ToWorker::Until(crate::protocol::Condition::Listening),
            lesson_load,
        ]));
        let Some(ToWorker::Load { process, .. }) = sup.rebuild(String::new()) else {
            panic!("a rebuild")
        };
        assert_eq!(process.source, "second");
        assert_eq!(process.costs, vec![("dbLatency".to_owned(), 1e6)]);
    }
}
