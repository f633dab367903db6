//! The embed API's DOM side (see `host_api.rs` for what is said): in a frame, listen for the
//! parent page's `looplab:…` commands, and post it the frame's events, its replies and its
//! height. Only messages from the parent window are read; events go to the parent with target
//! origin `*` (they say nothing the host page could not see in the frame).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::controller::Input;
use crate::host_api::{self, Event, NotACommand, Tracker, Value};
use crate::view::View;

/// The page's parent window when the page is in a frame.
fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

fn post(event: &Event) {
    if let Some(parent) = parent() {
        let _ = parent.post_message(&to_js(&event.to_value()), "*");
    }
}

fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
        Value::Object(fields) => {
            let o = js_sys::Object::new();
            for (k, v) in fields {
                let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &to_js(v));
            }
            o.into()
        }
    }
}

/// A message's data as a [`Value`], at most `budget` values deep and wide (what is past it,
/// and what JSON has no word for, is null).
fn from_js(v: &JsValue, depth: u32, budget: &mut u32) -> Value {
    if *budget == 0 || depth > 8 {
        return Value::Null;
    }
    *budget -= 1;
    if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Value::Number(n)
    } else if let Some(s) = v.as_string() {
        Value::String(s)
    } else if js_sys::Array::is_array(v) {
        // Only as many elements as the budget allows (a sparse `new Array(1e9)` is cheap to
        // post and must stay cheap to read).
        let a: &js_sys::Array = v.unchecked_ref();
        let n = a.length().min(*budget);
        Value::Array(
            (0..n)
                .map(|i| from_js(&a.get(i), depth + 1, budget))
                .collect(),
        )
    } else if js_sys::ArrayBuffer::is_view(v) || v.is_instance_of::<js_sys::ArrayBuffer>() {
        // Binary data is never a command.
        Value::Null
    } else if v.is_object() && !v.is_function() {
        let keys = js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>());
        let mut fields = Vec::new();
        for k in keys.iter() {
            let Some(name) = k.as_string() else { continue };
            let value = js_sys::Reflect::get(v, &k).unwrap_or(JsValue::NULL);
            fields.push((name, from_js(&value, depth + 1, budget)));
            if *budget == 0 {
                break;
            }
        }
        Value::Object(fields)
    } else {
        Value::Null
    }
}

fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("Looplab embed API: {text}")));
}

/// What the message listener needs from the latest render.
struct Latest {
    routes: Vec<String>,
    listening: bool,
    input: Callback<Input>,
}

/// In a frame: answers the parent page's commands with `input` (as the page's controls do) and
/// tells it what each new `view` adds.
#[hook]
pub fn use_host_api(
    view: Rc<View>,
    routes: Vec<String>,
    listening: bool,
    lesson: Option<Event>,
    input: Callback<Input>,
) {
    let latest = use_mut_ref(|| Latest {
        routes: Vec::new(),
        listening: false,
        input: Callback::noop(),
    });
    *latest.borrow_mut() = Latest {
        routes,
        listening,
        input,
    };
    // Commands, and `ready` once listening.
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let (Some(window), Some(parent)) = (web_sys::window(), parent()) else {
                return Box::new(|| ()) as Box<dyn FnOnce()>;
            };
            let listener = EventListener::new(&window, "message", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                let from_parent = e.source().is_some_and(|s| js_sys::Object::is(&s, &parent));
                if !from_parent {
                    return;
                }
                let data = e.data();
                // Another protocol's message is left alone before it is read at all.
                let ty = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
                    .ok()
                    .and_then(|t| t.as_string());
                if ty.is_some_and(|t| !t.starts_with(host_api::PREFIX)) {
                    return;
                }
                let msg = from_js(&data, 0, &mut 10_000);
                let request = match host_api::parse(&msg) {
                    Ok(r) => r,
                    Err(NotACommand::Foreign) => return,
                    Err(NotACommand::Bad { id, reason }) => {
                        warn(&reason);
                        if let Some(id) = id {
                            post(&Event::Reply {
                                id,
                                result: Err(reason),
                            });
                        }
                        return;
                    }
                };
                let (inputs, callback) = {
                    let l = latest.borrow();
                    (
                        host_api::inputs(&request.command, &l.routes, l.listening),
                        l.input.clone(),
                    )
                };
                let result = inputs.map(|inputs| {
                    for i in inputs {
                        callback.emit(i);
                    }
                });
                if let Err(why) = &result {
                    warn(why);
                }
                if let Some(id) = request.id {
                    post(&Event::Reply { id, result });
                }
            });
            post(&Event::Ready);
            Box::new(move || drop(listener)) as Box<dyn FnOnce()>
        });
    }
    // Events: what each view adds.
    let tracker = use_mut_ref(Tracker::default);
    use_effect_with(view, move |view| {
        if parent().is_some() {
            for event in tracker.borrow_mut().events(view) {
                post(&event);
            }
        }
    });
    // The lesson's step and answers, as they change.
    use_effect_with(lesson, |lesson| {
        if let Some(event) = lesson {
            post(event);
        }
    });
    // The page's height, whenever it changes (the host may size the frame to it).
    use_effect_with((), |_| {
        let body = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body());
        let (Some(body), Some(_)) = (body, parent()) else {
            return Box::new(|| ()) as Box<dyn FnOnce()>;
        };
        let last = Rc::new(RefCell::new(0.0f64));
        let report = Closure::<dyn FnMut()>::new(move || {
            let height = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .map_or(0.0, |el| el.scroll_height() as f64);
            if height > 0.0 && height != *last.borrow() {
                *last.borrow_mut() = height;
                post(&Event::Resize { height });
            }
        });
        let observer = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()).ok();
        if let Some(o) = &observer {
            o.observe(&body);
        }
        Box::new(move || {
            if let Some(o) = observer {
                o.disconnect();
            }
            drop(report);
        }) as Box<dyn FnOnce()>
    });
}
