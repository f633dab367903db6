//! The DOM side of [`crate::flights`]: measure where every task is drawn, and fly copies of the
//! ones that moved.
//!
//! HOW: the hook reads the rectangle of every element carrying `data-task` (queue items, stack
//! frames, busy workers, the pool's queue) and of the stack frame marked `data-origin` (the
//! callback that ran): after a render that went one step forward at once, after any other once
//! its frame is drawn (reading rectangles lays the page out; a jump or a step back must not
//! wait for it). When the view went exactly one step forward, it asks
//! [`crate::flights::plan`] what travelled and plays it with the Web Animations API: a copy of the
//! item, placed in document coordinates in a layer above the page (`#flight-layer`,
//! `aria-hidden`), glides from the old rectangle to the new one while the real element waits
//! invisible, then the copy is removed and the real element shows. Only copies move; the panes never change
//! layout, so nothing jumps and Yew's DOM stays Yew's.
//!
//! WHEN: only at readable speeds (a manual step, 1 or 4 steps a second; see
//! [`crate::state::Speed::flight_ms`]), never when going back or jumping several steps, and not
//! at all under `prefers-reduced-motion: reduce`. Each step clears the copies still in the air
//! (switching to a fast speed lets them land).

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};
use yew::prelude::*;

use crate::flights::{plan, timing, Flight, Rect, Spot, Wave};
use crate::idle::{after_frame, AfterFrame};
use crate::view::View;

const LAYER_ID: &str = "flight-layer";

/// The places a task can be drawn in, found from its element's nearest labelled ancestor.
const PLACES: &str = "[data-place]";

/// Compares views by identity: each render that shows a new view measures again.
#[derive(Clone)]
pub struct ViewRef(pub Rc<View>);

impl PartialEq for ViewRef {
    fn eq(&self, other: &ViewRef) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

struct Measured {
    steps: u64,
    spots: Vec<Spot>,
}

/// Plays the flights of each single step forward, taking `total_ms` for the whole step; `None`
/// turns the animation off (fast playback).
#[hook]
pub fn use_flights(view: Rc<View>, total_ms: Option<f64>) {
    let last = use_mut_ref(|| None::<Measured>);
    // A measurement put off to after the frame (cancelled by the next view: dropping it does).
    let later = use_mut_ref(|| None::<AfterFrame>);
    use_effect_with(
        (ViewRef(view), total_ms.map(|ms| ms as u32)),
        move |(view, ms)| {
            later.borrow_mut().take();
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Some(ms) = ms.filter(|_| !reduced_motion()) else {
                // Not animating: forget the old picture, so a later step does not fly from it.
                last.borrow_mut().take();
                return;
            };
            if view.0.rewinding.is_some() {
                // A step back replaying: the panes show the same state every frame; measure
                // again when it lands.
                return;
            }
            let mut picture = last.borrow_mut();
            let one_step = picture
                .as_ref()
                .is_some_and(|m| view.0.steps == m.steps + 1);
            if !one_step {
                // A jump or a step back flies nothing: it only needs the picture a later step
                // forward flies from. Measuring reads every task's rectangle (a layout of the
                // whole page), so it waits until its frame is drawn: the jump shows at once.
                if picture.as_ref().is_some_and(|m| m.steps != view.0.steps) {
                    clear(&doc);
                }
                *picture = None;
                drop(picture);
                let steps = view.0.steps;
                let last = last.clone();
                *later.borrow_mut() = Some(after_frame(move || {
                    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                        return;
                    };
                    *last.borrow_mut() = Some(Measured {
                        steps,
                        spots: measure(&doc),
                    });
                }));
                return;
            }
            // Copies of the previous step still in the air go first (removing them is what
            // lets their closures go: a cancelled animation never calls onfinish).
            clear(&doc);
            // The copies are the entrance now: the items' own CSS entrance effects (which
            // move and scale them) would also put the measured rectangles off.
            settle_entrances(&doc);
            let after = measure(&doc);
            if let Some(before) = picture.as_ref() {
                let origin = doc
                    .query_selector("[data-origin]")
                    .ok()
                    .flatten()
                    .map(|el| rect_of(&el));
                let flights = plan(&before.spots, &after, origin, &view.0.born);
                play(&doc, &flights, f64::from(ms));
            }
            *picture = Some(Measured {
                steps: view.0.steps,
                spots: after,
            });
        },
    );
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The element's rectangle in document coordinates, so that a page scrolled between two steps
/// (the stacked narrow layout scrolls) still flies from the right place.
fn rect_of(el: &Element) -> Rect {
    let r = el.get_bounding_client_rect();
    let (sx, sy) = web_sys::window()
        .map(|w| (w.scroll_x().unwrap_or(0.0), w.scroll_y().unwrap_or(0.0)))
        .unwrap_or((0.0, 0.0));
    Rect {
        x: r.x() + sx,
        y: r.y() + sy,
        w: r.width(),
        h: r.height(),
    }
}

/// Ends the running animations of every task's element and of the origin frame. The document's
/// animations are read once: asking each element for its own made the browser walk every
/// running animation once per element (a queue's worth of fresh items each step).
fn settle_entrances(doc: &Document) {
    let Some(anims) =
        call(doc, "getAnimations", &[]).and_then(|a| a.dyn_into::<js_sys::Array>().ok())
    else {
        return;
    };
    for anim in anims.iter() {
        let effect = js_sys::Reflect::get(&anim, &JsValue::from_str("effect")).ok();
        let own = effect.as_ref().is_some_and(|e| {
            js_sys::Reflect::get(e, &JsValue::from_str("pseudoElement"))
                .map_or(true, |p| p.is_null() || p.is_undefined())
        });
        let target = effect
            .and_then(|e| js_sys::Reflect::get(&e, &JsValue::from_str("target")).ok())
            .and_then(|t| t.dyn_into::<Element>().ok());
        if own && target.is_some_and(|t| t.matches(SETTLED).unwrap_or(false)) {
            call(&anim, "cancel", &[]);
        }
    }
}

/// The elements whose entrance effects the flights replace: every task's, and the origin frame.
const SETTLED: &str = "[data-place] [data-task], [data-origin]";

/// `target.name(...args)`, through JavaScript: these Web Animations methods (`getAnimations`,
/// `cancel`, `animate` with options) are unstable in web-sys.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let method: js_sys::Function = js_sys::Reflect::get(target, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    method.apply(target, &args.iter().collect()).ok()
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

fn measure(doc: &Document) -> Vec<Spot> {
    let Ok(nodes) = doc.query_selector_all("[data-place] [data-task]") else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<Element>().ok())
        .filter_map(|el| {
            let task = el.get_attribute("data-task")?.parse().ok()?;
            let place = el
                .closest(PLACES)
                .ok()
                .flatten()?
                .get_attribute("data-place")?;
            let rect = rect_of(&el);
            // An item in a collapsed pane, or scrolled out of its pane's view, is not drawn.
            let pane = el.closest(".pane-body").ok().flatten().map(|p| rect_of(&p));
            if rect.w <= 0.0 || rect.h <= 0.0 || pane.is_some_and(|p| !overlaps(rect, p)) {
                return None;
            }
            let label = el
                .query_selector(".callback-label, .frame-label, .worker-job")
                .ok()
                .flatten()
                .and_then(|l| l.text_content())
                .unwrap_or_default();
            Some(Spot {
                task,
                place,
                rect,
                label,
            })
        })
        .collect()
}

fn layer(doc: &Document) -> Option<Element> {
    if let Some(el) = doc.get_element_by_id(LAYER_ID) {
        return Some(el);
    }
    let el = doc.create_element("div").ok()?;
    el.set_id(LAYER_ID);
    el.set_class_name("flight-layer");
    el.set_attribute("aria-hidden", "true").ok()?;
    doc.body()?.append_child(&el).ok()?;
    Some(el)
}

fn clear(doc: &Document) {
    if let Some(layer) = doc.get_element_by_id(LAYER_ID) {
        layer.set_inner_html("");
    }
}

fn keyframe(props: &[(&str, JsValue)]) -> JsValue {
    let frame = js_sys::Object::new();
    for (key, value) in props {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&frame, &JsValue::from_str(key), value);
    }
    frame.into()
}

fn px(v: f64) -> JsValue {
    JsValue::from_str(&format!("{v:.1}px"))
}

fn box_frame(r: Rect, opacity: f64) -> JsValue {
    keyframe(&[
        ("left", px(r.x)),
        ("top", px(r.y)),
        ("width", px(r.w)),
        ("height", px(r.h)),
        ("opacity", JsValue::from_f64(opacity)),
    ])
}

/// `el.animate(frames, options)`; returns the `Animation`.
fn animate(el: &Element, frames: &js_sys::Array, options: &[(&str, JsValue)]) -> Option<JsValue> {
    call(el, "animate", &[frames.into(), keyframe(options)])
}

fn play(doc: &Document, flights: &[Flight], total_ms: f64) {
    clear(doc);
    if flights.is_empty() {
        return;
    }
    let Some(layer) = layer(doc) else { return };
    let has_moves = flights.iter().any(|f| f.wave == Wave::Move);
    let mut births = 0;
    for f in flights {
        let nth = if f.wave == Wave::Birth {
            births += 1;
            births - 1
        } else {
            0
        };
        let (delay, duration) = timing(f.wave, has_moves, nth, total_ms);
        if launch(doc, &layer, f, delay, duration).is_none() {
            return;
        }
    }
}

/// One flying copy, and the real element held invisible until it lands.
fn launch(doc: &Document, layer: &Element, f: &Flight, delay: f64, duration: f64) -> Option<()> {
    let ghost = doc.create_element("div").ok()?;
    ghost.set_class_name("flight");
    ghost.set_attribute("data-testid", "flight").ok()?;
    ghost.set_attribute("data-task", &f.task.to_string()).ok()?;
    ghost.set_attribute("data-to", &f.place).ok()?;
    ghost.set_text_content(Some(&f.label));
    layer.append_child(&ghost).ok()?;

    let frames = js_sys::Array::of2(&box_frame(f.from, 1.0), &box_frame(f.to, 1.0));
    // Invisible (`.flight` has opacity 0) until its delay is over; held at the end until removed.
    let anim = animate(
        &ghost,
        &frames,
        &[
            ("duration", JsValue::from_f64(duration)),
            ("delay", JsValue::from_f64(delay)),
            ("easing", JsValue::from_str("cubic-bezier(0.45, 0, 0.2, 1)")),
            ("fill", JsValue::from_str("forwards")),
        ],
    )?;
    let done = ghost.clone();
    let on_finish = wasm_bindgen::closure::Closure::once_into_js(move || done.remove());
    js_sys::Reflect::set(&anim, &JsValue::from_str("onfinish"), &on_finish).ok()?;

    // The real element appears as the copy arrives.
    let target = doc
        .query_selector(&format!(
            "[data-place=\"{}\"] [data-task=\"{}\"]",
            f.place, f.task
        ))
        .ok()
        .flatten()?;
    let opacity = |o: f64| keyframe(&[("opacity", JsValue::from_f64(o))]);
    let hidden = keyframe(&[
        ("opacity", JsValue::from_f64(0.0)),
        ("offset", JsValue::from_f64(0.92)),
    ]);
    animate(
        &target,
        &js_sys::Array::of3(&opacity(0.0), &hidden, &opacity(1.0)),
        &[("duration", JsValue::from_f64(delay + duration))],
    )?;
    Some(())
}
