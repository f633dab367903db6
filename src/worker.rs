//! The Web Worker's side: the same wasm module as the page, started in a dedicated worker.
//!
//! HOW: the page ([`crate::backend`]) starts a module worker whose script imports the page's own
//! wasm-bindgen glue and wasm (their URLs are in the page's `modulepreload`/`preload` links, so
//! the browser's cache serves them and the page weighs no more than before). The binary's
//! `main` sees that it runs in a worker, not a window, and calls [`run`]: a [`CommandLoop`]
//! answering the page's messages. Work that goes on between messages (playing, replaying) runs
//! a slice at a time ([`crate::sim_worker::SLICE_MS`]), each slice scheduled through a
//! `MessageChannel` (a zero-delay task: `setTimeout` would clamp to 4 ms), so the page's Pause or
//! Drawn is read between slices. While one callback runs longer than
//! [`crate::protocol::BUSY_AFTER_MS`], the engine's watchdog posts a [`FromWorker::Busy`] note
//! from inside it, so the page can say what runs and Stop can name it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::backend::READY;
use crate::protocol::{FromWorker, ToWorker};
use crate::sim_worker::CommandLoop;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// True when this wasm instance runs in a worker (no `window`).
pub fn in_worker_scope() -> bool {
    js_sys::global()
        .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
        .is_ok()
}

struct Worker {
    scope: web_sys::DedicatedWorkerGlobalScope,
    sim: RefCell<CommandLoop>,
    /// A slice is scheduled on the channel.
    scheduled: Cell<bool>,
    /// When the timer that looks again at a held view not drawn ([`CommandLoop::held`]) fires
    /// (wall ms; infinite: none is armed).
    nudge: Cell<f64>,
    channel: web_sys::MessageChannel,
}

impl Worker {
    fn post(&self, bytes: &[u8]) {
        let _ = self.scope.post_message(&js_sys::Uint8Array::from(bytes));
    }

    /// Posts what there is to post, then schedules the next slice while there is work. While
    /// a view is held, the worker waits (its core is the page's) for the page's `Drawn`, whose
    /// command pumps again, or for a timer set for when the hold may end
    /// ([`crate::sim_worker::HOLD_MAX_MS`] after the oldest held view not drawn).
    fn pump(self: &Rc<Self>) {
        if let Some(msg) = self.sim.borrow_mut().outbox() {
            self.post(&msg.encode());
        }
        if !self.sim.borrow().busy() {
            return;
        }
        let now = now_ms();
        if let Some(left) = self.sim.borrow_mut().held(now) {
            // Look again when the hold may end, unless a timer already does by then (one armed
            // for an earlier hold may fire later than this one's end).
            let due = now + left.ceil() + 1.0;
            if self.nudge.get() > due {
                self.nudge.set(due);
                let me = self.clone();
                let again = Closure::once_into_js(move || {
                    if me.nudge.get() == due {
                        me.nudge.set(f64::INFINITY);
                    }
                    me.pump();
                });
                let _ = self
                    .scope
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        again.unchecked_ref(),
                        (due - now) as i32,
                    );
            }
        } else if !self.scheduled.get() {
            self.scheduled.set(true);
            let _ = self.channel.port2().post_message(&JsValue::NULL);
        }
    }

    fn slice(self: &Rc<Self>) {
        self.scheduled.set(false);
        self.sim.borrow_mut().slice(&mut now_ms);
        self.pump();
    }

    fn command(self: &Rc<Self>, bytes: &[u8]) {
        match ToWorker::decode(bytes) {
            Ok(cmd) => self.sim.borrow_mut().handle(cmd),
            Err(e) => web_sys::console::warn_1(&JsValue::from_str(&e)),
        }
        self.pump();
    }
}

/// The worker's entry point: listens to the page, then says it is ready.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        sim: RefCell::new(CommandLoop::new()),
        scheduled: Cell::new(false),
        nudge: Cell::new(f64::INFINITY),
        channel,
    });

    // Busy notes come from inside a long callback: the engine's watchdog calls this.
    {
        let scope = scope.clone();
        looplab_engine::watchdog::install(
            now_ms,
            crate::protocol::BUSY_AFTER_MS,
            crate::protocol::BUSY_EVERY_MS,
            Box::new(move |callback: &str, line: Option<u32>, ms: f64| {
                let msg = FromWorker::Busy {
                    callback: callback.to_owned(),
                    line,
                    ms,
                };
                let _ = scope.post_message(&js_sys::Uint8Array::from(&msg.encode()[..]));
            }),
        );
    }

    // Out of memory: say so (naming the callback) before the failed allocation ends the worker.
    crate::heap::on_exhausted(|bytes| {
        let msg = FromWorker::OutOfMemory {
            callback: looplab_engine::watchdog::running_label(),
            bytes,
        };
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.post_message(&js_sys::Uint8Array::from(&msg.encode()[..]));
    });

    let on_slice = {
        let worker = worker.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| worker.slice())
    };
    worker
        .channel
        .port1()
        .set_onmessage(Some(on_slice.as_ref().unchecked_ref()));
    on_slice.forget();

    let on_message = {
        let worker = worker.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            if data.is_instance_of::<js_sys::Uint8Array>() {
                worker.command(&js_sys::Uint8Array::new(&data).to_vec());
            }
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
