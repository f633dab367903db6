//! The native object the prelude calls: every way JavaScript reaches the model.
//!
//! HOW: each method of `host` is a Rust closure over `Shared` (the model and the engine's
//! bookkeeping). It borrows `Shared` only for its own duration and never calls back into
//! JavaScript while borrowing, so JavaScript → host → model is always a short, flat call.
//! Model errors become JavaScript `Error`s with the model's message.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::builtins::array_buffer::AlignedVec;
use boa_engine::builtins::function::OrdinaryFunction;
use boa_engine::gc::{Finalize, Trace};
use boa_engine::object::builtins::{JsArray, JsArrayBuffer, JsPromise, JsUint8Array};
use boa_engine::object::ObjectInitializer;
use boa_engine::property::Attribute;
use boa_engine::string::{JsStr, JsStrVariant};
use boa_engine::vm::{CodeBlock, SourcePath};
use boa_engine::{
    js_string, Context, JsArgs, JsNativeError, JsObject, JsResult, JsString, JsValue,
    NativeFunction,
};
use looplab_model::{
    CallbackId, HandleKind, LabelId, Micros, ModelError, Stream, TaskId, WatchSpec, WorkClass,
    WorkSpec,
};

use crate::encoding::{self, Decoded, Encoding, Text};
use crate::{Output, Shared};

/// `Shared` as a closure capture. The Rc hides its contents from boa's tracer: the JavaScript
/// values reachable from it are roots (boa_gc counts roots by reference count), never freed
/// under our feet.
#[derive(Clone, Trace, Finalize)]
pub(crate) struct HostRef(#[unsafe_ignore_trace] pub(crate) Rc<RefCell<Shared>>);

fn model_err(e: ModelError) -> boa_engine::JsError {
    JsNativeError::error()
        .with_message(format!("looplab model: {e}"))
        .into()
}

/// The answer of a call on a timer or an immediate by id. The Node layer only passes ids the
/// model gave it, so an unknown id can only come from a program that handed Node's functions
/// an object of its own: Node ignores those, and so does this (no such timer: `false`).
fn by_id(r: Result<bool, ModelError>) -> JsResult<JsValue> {
    match r {
        Ok(v) => Ok(JsValue::from(v)),
        Err(ModelError::UnknownId(_)) => Ok(JsValue::from(false)),
        Err(e) => Err(model_err(e)),
    }
}

fn num(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<f64> {
    args.get_or_undefined(i).to_number(ctx)
}

/// A label argument: a string, or a function (the callback itself), shown by its name or,
/// when anonymous, by the start of its source: `() => console.log('tick 1')`, so that three
/// arrow functions in one queue can be told apart.
///
/// WHY here and cached by code: a closure made again and again (one per request, one per timer
/// in a loop) shares its compiled code with the others, so the label of an anonymous function
/// is worked out once per function in the source, not once per call (reading a function's
/// source copies all of it). The cache keeps the first function object of each code alive, so
/// no other code can take its address; it holds at most `FUNCTION_LABELS_MAX` entries.
fn label(args: &[JsValue], i: usize, h: &HostRef, ctx: &mut Context) -> JsResult<LabelId> {
    let v = args.get_or_undefined(i);
    if let Some(t) = v.as_string() {
        let t = t.to_std_string_escaped();
        return Ok(h.0.borrow_mut().sim.label(&t));
    }
    let Some(f) = v.as_callable() else {
        return Ok(h.0.borrow_mut().sim.label("(anonymous)"));
    };
    let name = f.get(js_string!("name"), ctx)?;
    if let Some(name) = name.as_string().filter(|n| !n.is_empty()) {
        let name = name.to_std_string_escaped();
        return Ok(h.0.borrow_mut().sim.label(&name));
    }
    let code = f
        .downcast_ref::<OrdinaryFunction>()
        .map(|o| o.codeblock() as *const CodeBlock as usize);
    if let Some(hit) = code.and_then(|k| h.0.borrow().function_labels.get(&k).map(|e| e.1)) {
        return Ok(hit);
    }
    let to_source = h.0.borrow().to_source.clone();
    let source = match to_source {
        Some(ts) => ts
            .call(&f.clone().into(), &[], ctx)
            .ok()
            .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped())),
        None => None,
    };
    let text = anonymous_label(source.as_deref().unwrap_or(""));
    let mut s = h.0.borrow_mut();
    let id = s.sim.label(&text);
    if let Some(k) = code {
        if s.function_labels.len() < FUNCTION_LABELS_MAX {
            s.function_labels.insert(k, (f.clone(), id));
        }
    }
    Ok(id)
}

/// Most distinct anonymous functions whose labels are kept (programs that make functions at
/// run time, with `eval` or `new Function`, cannot grow the cache forever).
pub(crate) const FUNCTION_LABELS_MAX: usize = 10_000;
/// Longest label, in UTF-16 units (as JavaScript counts), with the ellipsis.
const LABEL_MAX: usize = 40;

/// An anonymous function's label from its source: white space folded, at most `LABEL_MAX`
/// units with an ellipsis; a native function's "[native code]" reads "(anonymous)".
pub(crate) fn anonymous_label(source: &str) -> String {
    // JavaScript's \s: Unicode white space and line terminators, and the BOM.
    let space = |c: char| c.is_whitespace() || c == '\u{feff}';
    let head: String = char::decode_utf16(source.encode_utf16().take(4 * LABEL_MAX))
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect();
    let flat = head
        .split(space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if flat.is_empty() || flat.contains("[native code]") {
        return "(anonymous)".to_owned();
    }
    let units: Vec<u16> = flat.encode_utf16().collect();
    if units.len() <= LABEL_MAX {
        return flat;
    }
    let mut cut = String::from_utf16_lossy(&units[..LABEL_MAX - 1]);
    cut.push('…');
    cut
}

/// A string's code units as the engine stores them, without a copy.
fn as_text(s: &JsString) -> Text<'_> {
    match s.variant() {
        JsStrVariant::Latin1(b) => Text::Latin1(b),
        JsStrVariant::Utf16(u) => Text::Utf16(u),
    }
}

/// An encoding `js/buffer.js` has normalized (`encoding.rs`).
fn encoding_arg(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<Encoding> {
    let name = text(args, i, ctx)?;
    Encoding::from_name(&name).ok_or_else(|| {
        JsNativeError::typ()
            .with_message(format!("Unknown encoding: {name}"))
            .into()
    })
}

fn text(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<String> {
    Ok(args
        .get_or_undefined(i)
        .to_string(ctx)?
        .to_std_string_escaped())
}

fn id_arg(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<u64> {
    let v = num(args, i, ctx)?;
    Ok(if v.is_finite() && v >= 0.0 {
        v as u64
    } else {
        0
    })
}

/// A JavaScript callback registered in the prelude's registry.
fn cb(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<CallbackId> {
    Ok(CallbackId(id_arg(args, i, ctx)?))
}

type HostFn = fn(&JsValue, &[JsValue], &HostRef, &mut Context) -> JsResult<JsValue>;

/// A host function pointer as a closure capture (plain data, nothing to trace).
#[derive(Clone, Trace, Finalize)]
struct HostFnBox(#[unsafe_ignore_trace] HostFn);

/// One method of `host`.
struct Method {
    name: &'static str,
    /// Its `length` in JavaScript.
    len: usize,
    f: HostFn,
    /// Called from user code at a line worth showing: the call notes the user's current line
    /// (what the page highlights while the callback runs).
    tracks_line: bool,
}

impl Method {
    fn plain(name: &'static str, len: usize, f: HostFn) -> Method {
        Method {
            name,
            len,
            f,
            tracks_line: false,
        }
    }
    fn traced(name: &'static str, len: usize, f: HostFn) -> Method {
        Method {
            name,
            len,
            f,
            tracks_line: true,
        }
    }
}

fn unknown_kind(what: &str, got: &str, allowed: &str) -> boa_engine::JsError {
    JsNativeError::typ()
        .with_message(format!(
            "looplab host: unknown {what} '{got}' (expected one of: {allowed})"
        ))
        .into()
}

/// Remember the innermost frame of the user's file on the JavaScript stack.
fn note_line(h: &HostRef, ctx: &mut Context) {
    // Runs on every traced host call: compare paths without building strings.
    let line = {
        let s = h.0.borrow();
        let file = std::path::Path::new(&s.filename);
        ctx.stack_trace().find_map(|f| {
            let loc = f.position();
            match &loc.path {
                SourcePath::Path(p) if p.as_ref() == file => loc.position.map(|p| p.line_number()),
                _ => None,
            }
        })
    };
    if let Some(line) = line {
        h.0.borrow_mut().current_line = Some(line);
    }
}

/// The callback registry (`registry.rs`): what the model's callback ids stand for.
fn registry() -> Vec<Method> {
    vec![
        Method::plain("register", 4, |_, a, h, c| {
            let f = a.get_or_undefined(0).as_callable().ok_or_else(|| {
                JsNativeError::typ().with_message("looplab host: register needs a function")
            })?;
            let args = match a.get_or_undefined(1).as_object() {
                Some(o) => {
                    let arr = JsArray::from_object(o)?;
                    let n = arr.length(c)?;
                    (0..n)
                        .map(|i| arr.get(i, c))
                        .collect::<JsResult<Vec<_>>>()?
                }
                None => Vec::new(),
            };
            let this = a.get_or_undefined(2).clone();
            let keep = a.get_or_undefined(3).to_boolean();
            let id = h.0.borrow_mut().callbacks.register(f, this, args, keep);
            Ok(JsValue::from(id as f64))
        }),
        Method::plain("unregister", 1, |_, a, h, c| {
            let id = id_arg(a, 0, c)?;
            h.0.borrow_mut().callbacks.unregister(id);
            Ok(JsValue::undefined())
        }),
        Method::plain("runAgain", 1, |_, a, h, c| {
            let id = id_arg(a, 0, c)?;
            h.0.borrow_mut().callbacks.run_again(id);
            Ok(JsValue::undefined())
        }),
    ]
}

/// Timers and immediates (`lib/timers.js` over the model's timer lists and check queue).
fn timers() -> Vec<Method> {
    vec![
        Method::traced("setTimeout", 4, |_, a, h, c| {
            let (cb, after, repeat, label) = (
                cb(a, 0, c)?,
                num(a, 1, c)?,
                a.get_or_undefined(2).to_boolean(),
                label(a, 3, h, c)?,
            );
            let mut s = h.0.borrow_mut();
            Ok(JsValue::from(
                s.sim.set_timeout(cb, label, after, repeat).0 as f64,
            ))
        }),
        Method::plain("clearTimer", 1, |_, a, h, c| {
            let id = TaskId(id_arg(a, 0, c)?);
            by_id(h.0.borrow_mut().sim.clear_timer(id))
        }),
        Method::plain("timerRef", 2, |_, a, h, c| {
            let id = TaskId(id_arg(a, 0, c)?);
            let on = a.get_or_undefined(1).to_boolean();
            by_id(h.0.borrow_mut().sim.set_timer_ref(id, on))
        }),
        Method::plain("timerRefresh", 1, |_, a, h, c| {
            let id = TaskId(id_arg(a, 0, c)?);
            by_id(h.0.borrow_mut().sim.refresh_timer(id))
        }),
        Method::traced("setImmediate", 2, |_, a, h, c| {
            let (cb, l) = (cb(a, 0, c)?, label(a, 1, h, c)?);
            let mut s = h.0.borrow_mut();
            Ok(JsValue::from(s.sim.set_immediate(cb, l).0 as f64))
        }),
        Method::plain("clearImmediate", 1, |_, a, h, c| {
            let id = TaskId(id_arg(a, 0, c)?);
            by_id(h.0.borrow_mut().sim.clear_immediate(id))
        }),
        Method::plain("immediateRef", 2, |_, a, h, c| {
            let id = TaskId(id_arg(a, 0, c)?);
            let on = a.get_or_undefined(1).to_boolean();
            by_id(h.0.borrow_mut().sim.set_immediate_ref(id, on))
        }),
    ]
}

/// The checkpoint's queues and libuv's pending queue.
fn tasks() -> Vec<Method> {
    vec![
        Method::traced("nextTick", 2, |_, a, h, c| {
            let (cb, l) = (cb(a, 0, c)?, label(a, 1, h, c)?);
            h.0.borrow_mut().sim.next_tick(cb, l);
            Ok(JsValue::undefined())
        }),
        Method::traced("queueMicrotask", 2, |_, a, h, c| {
            let (cb, l) = (cb(a, 0, c)?, label(a, 1, h, c)?);
            h.0.borrow_mut().sim.queue_microtask(cb, l);
            Ok(JsValue::undefined())
        }),
        Method::plain("pending", 2, |_, a, h, c| {
            let (cb, l) = (cb(a, 0, c)?, label(a, 1, h, c)?);
            h.0.borrow_mut().sim.queue_pending(cb, l);
            Ok(JsValue::undefined())
        }),
    ]
}

/// The thread pool, the kernel's poller and handles.
fn io() -> Vec<Method> {
    vec![
        Method::plain("setPoolSize", 1, |_, a, h, c| {
            // UV_THREADPOOL_SIZE as the program set it: libuv clamps it to 1..=1024. It wins
            // over the page's pool-size control, but only before the pool starts, as in libuv.
            let n = looplab_model::clamp_pool_size(num(a, 0, c)? as i64);
            let _ = h.0.borrow_mut().sim.set_pool_size(n as i64);
            Ok(JsValue::undefined())
        }),
        Method::traced("work", 5, |_, a, h, c| {
            let (cb, label, cost, kind, frame) = (
                cb(a, 0, c)?,
                label(a, 1, h, c)?,
                num(a, 2, c)?,
                text(a, 3, c)?,
                label(a, 4, h, c)?,
            );
            let class = match kind.as_str() {
                "cpu" => WorkClass::Cpu,
                "slow" => WorkClass::SlowIo,
                "fast" => WorkClass::FastIo,
                other => return Err(unknown_kind("work class", other, "cpu, slow, fast")),
            };
            let mut s = h.0.borrow_mut();
            let cost = Micros::from_signed(cost.round() as i64).map_err(model_err)?;
            Ok(JsValue::from(
                s.sim
                    .submit_work(WorkSpec { label, cost, class }, cb, frame)
                    .0 as f64,
            ))
        }),
        Method::traced("watch", 5, |_, a, h, c| {
            let (cb, op, latency, handle, frame) = (
                cb(a, 0, c)?,
                label(a, 1, h, c)?,
                num(a, 2, c)?,
                id_arg(a, 3, c)?,
                label(a, 4, h, c)?,
            );
            // A sixth argument dates outside input absolutely (a load test's arrival time,
            // possibly while the last callback ran: see `Sim::watch_at`).
            let at = match a.get(5).filter(|v| !v.is_undefined()) {
                Some(v) => {
                    Some(Micros::from_signed(v.to_number(c)?.round() as i64).map_err(model_err)?)
                }
                None => None,
            };
            let mut s = h.0.borrow_mut();
            let handle = (handle != 0).then_some(TaskId(handle));
            let spec = WatchSpec { op, handle };
            let id = match at {
                Some(at) => s.sim.watch_at(spec, at, cb, frame),
                None => s.sim.watch(spec, latency.round() as i64, cb, frame),
            }
            .map_err(model_err)?;
            Ok(JsValue::from(id.0 as f64))
        }),
        Method::traced("openHandle", 2, |_, a, h, c| {
            let (kind, l) = (text(a, 0, c)?, label(a, 1, h, c)?);
            let kind = match kind.as_str() {
                "server" => HandleKind::TcpServer,
                "socket" => HandleKind::TcpSocket,
                "other" => HandleKind::Other,
                other => return Err(unknown_kind("handle kind", other, "server, socket, other")),
            };
            Ok(JsValue::from(
                h.0.borrow_mut().sim.open_handle(kind, l).0 as f64,
            ))
        }),
        Method::plain("handleRef", 2, |_, a, h, c| {
            let id = TaskId(id_arg(a, 0, c)?);
            let on = a.get_or_undefined(1).to_boolean();
            h.0.borrow_mut()
                .sim
                .set_handle_ref(id, on)
                .map_err(model_err)?;
            Ok(JsValue::undefined())
        }),
        Method::traced("closeHandle", 3, |_, a, h, c| {
            let (id, cb, l) = (
                TaskId(id_arg(a, 0, c)?),
                id_arg(a, 1, c)?,
                label(a, 2, h, c)?,
            );
            let mut s = h.0.borrow_mut();
            let callback = (cb != 0).then_some((CallbackId(cb), l));
            s.sim.close_handle(id, callback).map_err(model_err)?;
            Ok(JsValue::undefined())
        }),
    ]
}

/// The call stack, CPU, output, exit, tags, time and randomness.
fn process() -> Vec<Method> {
    vec![
        Method::traced("pushFrame", 1, |_, a, h, c| {
            let l = label(a, 0, h, c)?;
            h.0.borrow_mut().sim.push_host_call(l);
            Ok(JsValue::undefined())
        }),
        Method::plain("callbackKind", 0, |_, _, h, _| {
            Ok(JsString::from(h.0.borrow().callback_kind).into())
        }),
        Method::plain("popFrame", 0, |_, _, h, _| {
            h.0.borrow_mut().sim.pop_host_call();
            Ok(JsValue::undefined())
        }),
        Method::traced("spend", 1, |_, a, h, c| {
            let us = num(a, 0, c)?;
            h.0.borrow_mut().spend(us);
            Ok(JsValue::undefined())
        }),
        Method::traced("write", 2, |_, a, h, c| {
            let fd = num(a, 0, c)?;
            let t = text(a, 1, c)?;
            let stream = if fd == 2.0 {
                Stream::Stderr
            } else {
                Stream::Stdout
            };
            h.0.borrow_mut().write(stream, &t);
            Ok(JsValue::undefined())
        }),
        Method::plain("exit", 1, |_, a, h, c| {
            let code = num(a, 0, c)? as i32;
            let mut s = h.0.borrow_mut();
            s.sim.exit(code);
            s.exit_requested = true;
            drop(s);
            // process.exit() does not return: unwind the running JavaScript.
            Err(JsNativeError::error()
                .with_message(crate::EXIT_SENTINEL)
                .into())
        }),
        Method::plain("setTag", 1, |_, a, h, c| {
            // Outside input tags what it causes (a synthetic request: its number); 0 = none.
            let n = num(a, 0, c)?;
            let tag = (n.is_finite() && n >= 1.0).then_some(n as u64);
            h.0.borrow_mut().sim.set_tag(tag);
            Ok(JsValue::undefined())
        }),
        // AsyncLocalStorage's frames (js/async_hooks.js): the number of the frame the running
        // callback passes on; 0 = none.
        Method::plain("setAsyncContext", 1, |_, a, h, c| {
            let n = num(a, 0, c)?;
            let context = (n.is_finite() && n >= 1.0).then_some(n as u64);
            h.0.borrow_mut().sim.set_async_context(context);
            Ok(JsValue::undefined())
        }),
        Method::plain("asyncContext", 0, |_, _, h, _| {
            let context = h.0.borrow().sim.async_context().unwrap_or(0);
            Ok(JsValue::from(context as f64))
        }),
        Method::plain("setExitCode", 1, |_, a, h, c| {
            let code = num(a, 0, c)? as i32;
            h.0.borrow_mut().sim.set_exit_code(code);
            Ok(JsValue::undefined())
        }),
        // The lazy part of Node's layer (`prelude.rs`, `LAZY`), compiled when a program first
        // needs it: a function of the layer's parameters and `LAZY_IMPORTS`.
        Method::plain("lazyLayer", 0, |_, _, h, c| {
            h.0.borrow_mut().lazy_layer = true;
            let text: Vec<u16> = crate::prelude::lazy_source().encode_utf16().collect();
            c.eval(
                boa_engine::Source::from_utf16(&text)
                    .with_path(std::path::Path::new(crate::LAYER_PATH)),
            )
        }),
        Method::plain("random", 0, |_, _, h, _| {
            Ok(JsValue::from(h.0.borrow_mut().sim.rng().unit()))
        }),
        Method::plain("performanceNow", 0, |_, _, h, _| {
            let mut s = h.0.borrow_mut();
            let cost = s.costs.clock_read;
            s.spend(cost);
            Ok(JsValue::from(s.sim.now().0 as f64 / 1000.0))
        }),
        Method::plain("dateNow", 0, |_, _, h, _| {
            let mut s = h.0.borrow_mut();
            let cost = s.costs.clock_read;
            s.spend(cost);
            Ok(JsValue::from(
                (s.costs.epoch_ms + (s.sim.now().0 / 1000) as f64).floor(),
            ))
        }),
    ]
}

/// `perf_hooks`: event-loop utilization and delay.
fn metrics() -> Vec<Method> {
    vec![
        Method::plain("elu", 0, |_, _, h, c| {
            let s = h.0.borrow();
            let (active, idle, u) = s.sim.metrics().utilization(s.sim.now());
            drop(s);
            let o = ObjectInitializer::new(c)
                .property(js_string!("idle"), idle.as_ms_f64(), Attribute::all())
                .property(js_string!("active"), active.as_ms_f64(), Attribute::all())
                .property(js_string!("utilization"), u, Attribute::all())
                .build();
            Ok(o.into())
        }),
        Method::plain("eld", 2, |_, a, h, c| {
            let kind = text(a, 0, c)?;
            let p = num(a, 1, c)?;
            let s = h.0.borrow();
            let hist = &s.sim.metrics().eld;
            let v = match kind.as_str() {
                "min" => hist.min(),
                "max" => hist.max(),
                "mean" => hist.mean(),
                "count" => return Ok(JsValue::from(hist.count() as f64)),
                _ => hist.percentile(p),
            };
            Ok(JsValue::from(v.map(|m| m.0 as f64).unwrap_or(0.0)))
        }),
        Method::plain("eldReset", 0, |_, _, h, _| {
            let mut s = h.0.borrow_mut();
            let now = s.sim.now();
            s.sim.reset_eld(now);
            Ok(JsValue::undefined())
        }),
    ]
}

/// Synthetic requests: when a handler starts and responds.
fn requests() -> Vec<Method> {
    vec![
        Method::plain("requestDone", 3, |_, a, h, c| {
            let (id, status, body) = (id_arg(a, 0, c)?, num(a, 1, c)? as u16, text(a, 2, c)?);
            h.0.borrow_mut().request_done(id, status, body);
            Ok(JsValue::undefined())
        }),
        Method::plain("requestStart", 1, |_, a, h, c| {
            let id = id_arg(a, 0, c)?;
            h.0.borrow_mut().request_started(id);
            Ok(JsValue::undefined())
        }),
    ]
}

/// Helpers with no loop behaviour: zlib's codec, the cost table, detaching an ArrayBuffer.
fn library() -> Vec<Method> {
    vec![
        // structuredClone's `transfer`: the sender's ArrayBuffer is detached (byteLength 0), as
        // V8 does; JavaScript has no way to do it to a fixed-length buffer.
        Method::plain("detachArrayBuffer", 1, |_, a, _, _| {
            let buffer = a
                .get_or_undefined(0)
                .as_object()
                .and_then(|o| JsArrayBuffer::from_object(o).ok())
                .ok_or_else(|| JsNativeError::typ().with_message("not an ArrayBuffer"))?;
            buffer.detach(&JsValue::undefined())?;
            Ok(JsValue::undefined())
        }),
        Method::plain("zlib", 2, |_, a, _, c| {
            let op = text(a, 0, c)?;
            let arr = a
                .get_or_undefined(1)
                .as_object()
                .ok_or_else(|| JsNativeError::typ().with_message("zlib input must be bytes"))?;
            let arr = JsArray::from_object(arr)?;
            let n = arr.length(c)?;
            let mut bytes = Vec::with_capacity(n as usize);
            for i in 0..n {
                bytes.push(arr.get(i, c)?.to_number(c)? as u8);
            }
            let out = crate::zlib::run(&op, &bytes)
                .map_err(|m| JsNativeError::error().with_message(m))?;
            Ok(JsArray::from_iter(out.into_iter().map(|b| JsValue::from(b as i32)), c).into())
        }),
        // Buffer's encodings (lib/buffer.js; `encoding.rs` has Node's rules): a request's
        // head is read and written as latin1 and its body as UTF-8, and a loop over each
        // character in JavaScript cost more than the handler itself. `js/buffer.js` normalizes
        // the encoding's name and the range first.
        Method::plain("bufferEncode", 2, |_, a, _, c| {
            let s = a.get_or_undefined(0).to_string(c)?;
            let enc = encoding_arg(a, 1, c)?;
            let bytes = encoding::encode(as_text(&s), enc);
            Ok(JsArrayBuffer::from_byte_block(AlignedVec::from_iter(0, bytes), c)?.into())
        }),
        Method::plain("bufferByteLength", 2, |_, a, _, c| {
            let s = a.get_or_undefined(0).to_string(c)?;
            let enc = encoding_arg(a, 1, c)?;
            let n = encoding::byte_length(as_text(&s), enc);
            Ok(JsValue::from(n as f64))
        }),
        Method::plain("bufferDecode", 4, |_, a, _, c| {
            let view = a
                .get_or_undefined(0)
                .as_object()
                .and_then(|o| JsUint8Array::from_object(o).ok())
                .ok_or_else(|| JsNativeError::typ().with_message("bufferDecode: not bytes"))?;
            let bytes = view.to_vec(c)?;
            let end = (num(a, 2, c)?.max(0.0) as usize).min(bytes.len());
            let start = (num(a, 1, c)?.max(0.0) as usize).min(end);
            let enc = encoding_arg(a, 3, c)?;
            let text = match encoding::decode(&bytes[start..end], enc) {
                Decoded::Latin1(b) => JsString::from(JsStr::latin1(&b)),
                Decoded::Utf16(u) => JsString::from(&u[..]),
                Decoded::Utf8(s) => JsString::from(s.as_str()),
            };
            Ok(text.into())
        }),
        Method::plain("costs", 0, |_, _, h, c| {
            let fields = h.0.borrow().costs.fields();
            let mut init = ObjectInitializer::new(c);
            for (k, v, _) in fields {
                init.property(JsString::from(k), v, Attribute::all());
            }
            Ok(init.build().into())
        }),
    ]
}

pub(crate) fn install(ctx: &mut Context, host: &HostRef) -> JsResult<JsObject> {
    // Function.prototype.toString as the engine found it (a program may replace its own).
    let to_source = ctx
        .intrinsics()
        .constructors()
        .function()
        .prototype()
        .get(js_string!("toString"), ctx)?;
    host.0.borrow_mut().to_source = to_source.as_object();
    let methods = [
        registry(),
        timers(),
        tasks(),
        io(),
        process(),
        metrics(),
        requests(),
        library(),
    ];
    let mut obj = ObjectInitializer::new(ctx);
    for Method {
        name,
        len,
        f,
        tracks_line,
    } in methods.into_iter().flatten()
    {
        let native = if tracks_line {
            NativeFunction::from_copy_closure_with_captures(
                |this, args, cap: &(HostRef, HostFnBox), ctx| {
                    note_line(&cap.0, ctx);
                    (cap.1 .0)(this, args, &cap.0, ctx)
                },
                (host.clone(), HostFnBox(f)),
            )
        } else {
            NativeFunction::from_copy_closure_with_captures(f, host.clone())
        };
        obj.function(native, JsString::from(name), len);
    }
    let object = obj.build();
    // The labels a UI recognises, defined once in Rust (see `names.rs`).
    let mut names = ObjectInitializer::new(ctx);
    for (k, v) in crate::names::FOR_JS {
        names.property(JsString::from(k), JsString::from(v), Attribute::all());
    }
    let names = names.build();
    object.set(js_string!("names"), names, false, ctx)?;
    // The path the Node layer's frames carry.
    object.set(
        js_string!("layerPath"),
        JsString::from(crate::LAYER_PATH),
        false,
        ctx,
    )?;
    // How many columns the module wrapper adds to the program's first line.
    object.set(
        js_string!("wrapperLength"),
        crate::WRAPPER_HEAD.len() as f64,
        false,
        ctx,
    )?;

    // util.inspect shows a promise's state; only the engine can read it.
    let state = NativeFunction::from_fn_ptr(|_, a, c| {
        let Some(o) = a.get_or_undefined(0).as_object() else {
            return Ok(JsValue::null());
        };
        let Ok(p) = JsPromise::from_object(o.clone()) else {
            return Ok(JsValue::null());
        };
        let (state, value) = match p.state() {
            boa_engine::builtins::promise::PromiseState::Pending => {
                ("pending", JsValue::undefined())
            }
            boa_engine::builtins::promise::PromiseState::Fulfilled(v) => ("fulfilled", v),
            boa_engine::builtins::promise::PromiseState::Rejected(v) => ("rejected", v),
        };
        let o = ObjectInitializer::new(c)
            .property(js_string!("state"), JsString::from(state), Attribute::all())
            .property(js_string!("value"), value, Attribute::all())
            .build();
        Ok(o.into())
    });
    ctx.register_global_builtin_callable(js_string!("__looplabPromiseState"), 1, state)?;
    Ok(object)
}

impl Shared {
    /// CPU spent by the running callback; outside a callback (prelude start-up) it is free.
    pub(crate) fn spend(&mut self, us: f64) {
        if us > 0.0 && self.sim.is_running_callback() {
            let _ = self.sim.spend_cpu(us.round() as i64);
        }
        self.clock.set(self.sim.now().0);
    }

    pub(crate) fn write(&mut self, stream: Stream, text: &str) {
        let first = match stream {
            Stream::Stdout => !std::mem::replace(&mut self.stdout_used, true),
            Stream::Stderr => !std::mem::replace(&mut self.stderr_used, true),
        };
        let cost = if first {
            self.costs.console_first_write
        } else {
            self.costs.console_write
        };
        self.spend(cost);
        self.sim.console(stream, text);
        self.output.push(Output {
            stream,
            text: text.to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::anonymous_label;

    #[test]
    fn anonymous_labels_fold_white_space_and_stop_at_forty_units() {
        assert_eq!(
            anonymous_label("() =>\n   console.log('a')"),
            "() => console.log('a')"
        );
        assert_eq!(
            anonymous_label("function () { [native code] }"),
            "(anonymous)"
        );
        assert_eq!(anonymous_label("  \t\n"), "(anonymous)");
        let long = anonymous_label(
            "function () {\n  console.log('a rather long body that goes on and on');\n}",
        );
        assert_eq!(long.encode_utf16().count(), 40);
        assert!(long.ends_with('…') && long.starts_with("function () { console.log("));
        // JavaScript counts UTF-16 units: an astral character is two.
        let astral = anonymous_label(&format!("() => '{}'", "😀".repeat(30)));
        assert_eq!(astral.encode_utf16().count(), 40, "{astral}");
    }
}
