//! The timeline strip under the panes: the run in virtual time. The main thread as one block
//! per callback (coloured by phase, as wide as its CPU time; the gaps are the loop waiting in
//! epoll), a lane per pool worker with its jobs, the requests (spans, or a density band with the
//! p99 line), iteration ticks, and the cursor at the step shown. Click or drag to put the
//! cursor at a time (the page jumps to that step); wheel or pinch to zoom, Shift+wheel to pan;
//! with the strip focused, ←/→ step, Home/End go to the first and last step, +/− zoom. What it
//! draws is decided in `crate::timeline` (layout, merging, where a click lands), natively tested.
//!
//! Touch: one finger drags the cursor as the mouse does. The lanes keep the browser's own
//! gestures off (`touch-action: none`), so a second finger is ours: the lanes track each touch
//! pointer by its id, and when a second goes down the drag stops, the cursor goes back to the
//! step shown before the first finger touched, and the two fingers pinch: apart zooms in, together
//! zooms out, around the point between them, and moving both pans (`Window::pinch` works out the
//! window from where the fingers began and where they are).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::resize::use_resize;
use crate::timeline::{self, RequestsDrawn, Timeline, Window};

/// The page's copy of the run's timeline, shared with the message handler that applies the
/// worker's deltas; `revision` counts them (what the strip re-renders on).
#[derive(Clone, Default)]
pub struct TimelineStore {
    pub data: Rc<RefCell<Timeline>>,
    pub revision: Rc<std::cell::Cell<u64>>,
}

impl PartialEq for TimelineStore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.data, &other.data)
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub store: TimelineStore,
    /// The store's revision when rendered (a new delta draws again).
    pub revision: u64,
    /// The step shown, and the live run's.
    pub steps: u64,
    pub present: u64,
    pub pool_size: u16,
    /// Bytes the simulation's history and timeline hold (the benchmark reads it).
    pub history_bytes: u64,
    /// The earliest step shown at once.
    pub history_from: u64,
    /// The run is playing: the strip follows it a few times a second, not every view.
    pub playing: bool,
    pub on_goto: Callback<u64>,
}

/// How often the strip follows a playing run (ms).
const FOLLOW_MS: f64 = 250.0;

/// Zoom factor of one button press or key.
const ZOOM_STEP: f64 = 0.5;

#[function_component(TimelineStrip)]
pub fn timeline_strip(props: &TimelineProps) -> Html {
    let window = use_state(Window::default);
    let width = use_state(|| 1000.0f64);
    let lanes_ref = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let touches = use_mut_ref(Touches::default);
    let last_sent = use_mut_ref(|| None::<u64>);
    let force_update = use_force_update();
    let follow_pending = use_memo((), |_| std::cell::Cell::new(false));
    let laid_out = use_mut_ref(|| None::<((u64, u64, u64, u64), Rc<timeline::Strip>, f64)>);

    // The lanes' width (kept by a ResizeObserver, not read back after each render).
    {
        let width = width.clone();
        use_resize(lanes_ref.clone(), move |_, rect| {
            if rect.width() > 0.0 {
                width.set(rect.width());
            }
        });
    }

    let data = props.store.data.borrow();
    let end = data.span().1;
    let (from, to) = window.range(end);
    // Laid out again only when the run grew or the window moved: a jump to another step
    // draws the same strip with the cursor elsewhere. While the run plays, growth alone lays
    // it out at most every FOLLOW_MS (a whole run's layout is a pass over every block, and
    // the page draws a view every other frame, every fourth at max speed); the strip catches up
    // when it stops.
    let now = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    let key = (props.revision, from, to, width.to_bits());
    let strip = {
        let mut cache = laid_out.borrow_mut();
        match &*cache {
            Some((k, strip, _)) if *k == key => strip.clone(),
            Some((k, strip, at))
                if props.playing
                    && *window == Window::Whole
                    && k.3 == key.3
                    && now - at < FOLLOW_MS =>
            {
                // Drawn again once it is due, even if no view comes (the run went idle).
                if !follow_pending.replace(true) {
                    let force = force_update.clone();
                    let pending = follow_pending.clone();
                    let due = wasm_bindgen::closure::Closure::once_into_js(move || {
                        pending.set(false);
                        force.force_update();
                    });
                    if let Some(w) = web_sys::window() {
                        use wasm_bindgen::JsCast;
                        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                            due.unchecked_ref(),
                            (FOLLOW_MS - (now - at)).ceil() as i32,
                        );
                    }
                }
                strip.clone()
            }
            _ => {
                let strip = Rc::new(timeline::layout(&data, from, to, *width));
                *cache = Some((key, strip.clone(), now));
                strip
            }
        }
    };
    // (A strip laid out a moment ago ends a little before the run does.)
    let (from, to) = (strip.from_us, strip.to_us);
    let cursor_t = data.time_of(props.steps);
    let cursor_x =
        ((cursor_t.saturating_sub(from)) as f64 / (to - from).max(1) as f64 * 100.0).min(100.0);
    // (Following a playing run, the strip may end a moment before the cursor: it stays at
    // the right edge.)
    let following = props.playing && *window == Window::Whole;
    let cursor_in = cursor_t >= from && (cursor_t <= to || following) && !data.ends.is_empty();
    let said = if data.ends.is_empty() {
        "Nothing has run yet: press Play or Step, and the run is drawn here.".to_owned()
    } else {
        timeline::describe(&data, props.steps)
    };
    let first_step = data.first_step;
    let workers = strip.workers.len().max(props.pool_size as usize);

    // Time at a pointer's x (client coordinates).
    let time_at = {
        let lanes_ref = lanes_ref.clone();
        move |client_x: i32| -> Option<u64> {
            let el = lanes_ref.cast::<web_sys::Element>()?;
            let rect = el.get_bounding_client_rect();
            let f = ((client_x as f64 - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0);
            Some(from + (f * (to - from) as f64) as u64)
        }
    };
    let goto = {
        let on_goto = props.on_goto.clone();
        let store = props.store.clone();
        let last_sent = last_sent.clone();
        move |t: u64| {
            let Some(step) = store.data.borrow().step_at(t) else {
                return;
            };
            if *last_sent.borrow() != Some(step) {
                *last_sent.borrow_mut() = Some(step);
                on_goto.emit(step);
            }
        }
    };
    // A pointer's (x, y) in px from the lanes' top left corner, and the lanes' width.
    let in_lanes = {
        let lanes_ref = lanes_ref.clone();
        move |e: &PointerEvent| -> Option<((f64, f64), f64)> {
            let rect = lanes_ref
                .cast::<web_sys::Element>()?
                .get_bounding_client_rect();
            Some((
                (
                    e.client_x() as f64 - rect.left(),
                    e.client_y() as f64 - rect.top(),
                ),
                rect.width(),
            ))
        }
    };
    let on_pointerdown = {
        let dragging = dragging.clone();
        let touches = touches.clone();
        let time_at = time_at.clone();
        let goto = goto.clone();
        let last_sent = last_sent.clone();
        let lanes_ref = lanes_ref.clone();
        let in_lanes = in_lanes.clone();
        let window = window.clone();
        let on_goto = props.on_goto.clone();
        let shown = props.steps;
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            // The lanes keep the pointer while it drags (Yew's `current_target` is its root).
            if let Some(el) = lanes_ref.cast::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            if e.pointer_type() == "touch" {
                let Some((at, _)) = in_lanes(&e) else {
                    return;
                };
                let mut t = touches.borrow_mut();
                if t.down.is_empty() {
                    t.shown_before = shown;
                }
                // A third finger takes no part.
                if t.down.len() >= 2 {
                    return;
                }
                t.down.push((e.pointer_id(), at));
                if let [(_, a), (_, b)] = t.down[..] {
                    // The second finger: no more dragging, and the cursor back where the
                    // first finger found it (that finger meant to pinch, not to jump).
                    *dragging.borrow_mut() = false;
                    if last_sent.borrow().is_some_and(|s| s != t.shown_before) {
                        on_goto.emit(t.shown_before);
                    }
                    t.pinch = Some((*window, [a, b]));
                    return;
                }
            }
            *dragging.borrow_mut() = true;
            *last_sent.borrow_mut() = None;
            if let Some(t) = time_at(e.client_x()) {
                goto(t);
            }
        })
    };
    let on_pointermove = {
        let dragging = dragging.clone();
        let touches = touches.clone();
        let time_at = time_at.clone();
        let goto = goto.clone();
        let window = window.clone();
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() == "touch" {
                let mut t = touches.borrow_mut();
                let id = e.pointer_id();
                if let (Some(i), Some((at, width))) =
                    (t.down.iter().position(|d| d.0 == id), in_lanes(&e))
                {
                    t.down[i].1 = at;
                    if let (Some((began_in, began)), [(_, a), (_, b)]) = (t.pinch, &t.down[..]) {
                        window.set(began_in.pinch(began, [*a, *b], width, end));
                        return;
                    }
                }
            }
            if *dragging.borrow() {
                if let Some(t) = time_at(e.client_x()) {
                    goto(t);
                }
            }
        })
    };
    let on_pointerup = {
        let dragging = dragging.clone();
        let touches = touches.clone();
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = false;
            // A finger lifted ends the pinch; the one left does not drag the cursor (it was
            // pinching) until it too is lifted and a finger touches again.
            let mut t = touches.borrow_mut();
            t.down.retain(|d| d.0 != e.pointer_id());
            t.pinch = None;
        })
    };
    let on_wheel = {
        let window = window.clone();
        let time_at = time_at.clone();
        Callback::from(move |e: WheelEvent| {
            let (dx, dy) = (e.delta_x(), e.delta_y());
            let span = (to - from) as f64;
            if e.shift_key() || dx.abs() > dy.abs() {
                // Pan: a wheel notch moves a tenth of the window.
                let by = if e.shift_key() { dy } else { dx };
                if by == 0.0 {
                    return;
                }
                e.prevent_default();
                window.set(window.pan((by.signum() * span / 10.0) as i64, end));
            } else if dy != 0.0 {
                // Zoom around the pointer (a trackpad pinch is a wheel with Ctrl).
                e.prevent_default();
                let at = time_at(e.client_x()).unwrap_or(from);
                let factor = if dy < 0.0 { 0.8 } else { 1.25 };
                window.set(window.zoom(factor, at, end));
            }
        })
    };
    let zoom_in = {
        let window = window.clone();
        Callback::from(move |_| window.set(window.zoom(ZOOM_STEP, cursor_t, end)))
    };
    let zoom_out = {
        let window = window.clone();
        Callback::from(move |_| window.set(window.zoom(1.0 / ZOOM_STEP, cursor_t, end)))
    };
    let on_keydown = {
        let window = window.clone();
        let on_goto = props.on_goto.clone();
        let store = props.store.clone();
        let (steps, present) = (props.steps, props.present);
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let target = match e.key().as_str() {
                "ArrowLeft" => Some(steps.saturating_sub(1).max(first_step)),
                "ArrowRight" => Some((steps + 1).min(present)),
                "Home" => Some(first_step),
                "End" => Some(present),
                "+" | "=" => {
                    window.set(window.zoom(ZOOM_STEP, cursor_t, end));
                    None
                }
                "-" | "_" => {
                    window.set(window.zoom(1.0 / ZOOM_STEP, cursor_t, end));
                    None
                }
                _ => return,
            };
            // The page's own arrow keys step the run: here they move the cursor instead.
            e.prevent_default();
            if let Some(k) = target {
                if k != steps && !store.data.borrow().ends.is_empty() {
                    let t = store.data.borrow().time_of(k);
                    window.set(window.showing(t, end));
                    on_goto.emit(k);
                }
            }
        })
    };

    let ms = |t: u64| format!("{:.1} ms", t as f64 / 1000.0);
    let zoomed = *window != Window::Whole;
    html! {
        <section class="pane timeline" data-testid="timeline" aria-labelledby="timeline-title"
            data-history-bytes={props.history_bytes.to_string()}
            data-history-from={props.history_from.to_string()}>
            <header class="pane-head">
                <h2 id="timeline-title">{ "Timeline" }</h2>
                <span class="pane-note">
                    { if props.steps < props.present {
                        format!("the past: step {} of {}", props.steps, props.present)
                    } else {
                        format!("step {}", props.steps)
                    } }
                </span>
                <div class="tl-tools">
                    <button type="button" class="btn" data-testid="timeline-zoom-out"
                        title="Zoom out (−)" aria-label="Zoom out" disabled={!zoomed} onclick={zoom_out}>{ "−" }</button>
                    <button type="button" class="btn" data-testid="timeline-zoom-in"
                        title="Zoom in (+)" aria-label="Zoom in" onclick={zoom_in}>{ "+" }</button>
                </div>
            </header>
            <div
                class="tl-body"
                tabindex="0"
                role="group"
                aria-label="Timeline of the run: ←/→ move the cursor a step, Home/End to the first and last step, +/− zoom"
                onkeydown={on_keydown}
            >
                <div class="tl-names" aria-hidden="true">
                    <span>{ "main thread" }</span>
                    { for (0..workers).map(|w| html! { <span>{ format!("worker {}", w + 1) }</span> }) }
                    <span>{ "requests" }</span>
                </div>
                <div
                    class="tl-lanes"
                    ref={lanes_ref}
                    onpointerdown={on_pointerdown}
                    onpointermove={on_pointermove}
                    onpointerup={on_pointerup.clone()}
                    onpointercancel={on_pointerup}
                    onwheel={on_wheel}
                >
                    <StripLanes strip={LaidOut(strip.clone())} workers={workers} />
                    <div class="tl-cursor" data-testid="timeline-cursor"
                        data-step={props.steps.to_string()} data-at-us={cursor_t.to_string()}
                        hidden={!cursor_in}
                        style={format!("left:{cursor_x:.3}%")} />
                </div>
                <div class="tl-axis" data-testid="timeline-axis" aria-hidden="true"
                    data-from-us={from.to_string()} data-to-us={to.to_string()}>
                    <span>{ ms(from) }</span>
                    <span>{ ms(to) }</span>
                </div>
            </div>
            <p class="tl-text" data-testid="timeline-text" aria-live="polite">{ said }</p>
        </section>
    }
}

/// The touch pointers on the lanes (by pointer id, where each is in px from the lanes' top left
/// corner; at most two), and the pinch they make: the window and the two fingers' places when
/// the second went down.
#[derive(Default)]
struct Touches {
    down: Vec<(i32, (f64, f64))>,
    pinch: Option<(Window, [(f64, f64); 2])>,
    /// The step shown when the first finger touched (a pinch goes back to it).
    shown_before: u64,
}

/// The laid-out strip, compared by identity: the same layout draws the same lanes.
#[derive(Clone)]
pub struct LaidOut(pub Rc<timeline::Strip>);

impl PartialEq for LaidOut {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct LanesProps {
    strip: LaidOut,
    workers: usize,
}

/// The lanes' blocks, marks and requests: a component of their own so that a jump (the same
/// layout, the cursor elsewhere) neither builds nor diffs them again. On the "10,000 users"
/// run they are thousands of elements.
#[function_component(StripLanes)]
fn strip_lanes(props: &LanesProps) -> Html {
    let strip = &*props.strip.0;
    let workers = props.workers;
    let px = |x: f64| format!("{:.3}%", x / strip.width * 100.0);
    let block = |d: &timeline::Drawn, class: &'static str| {
        html! {
            <div
                class={classes!("tl-block", class, format!("tl-ph-{}", d.phase))}
                data-testid="timeline-block"
                data-step={d.step.to_string()}
                data-phase={d.phase}
                data-start-us={d.start_us.to_string()}
                data-dur-us={d.dur_us.to_string()}
                data-count={d.count.to_string()}
                title={d.title.clone()}
                style={format!("left:{};width:{}", px(d.x), px(d.w.max(1.0)))}
            />
        }
    };
    let requests = match &strip.requests {
        RequestsDrawn::Spans(spans) => {
            // (The layout keeps spans within SPAN_ROWS rows: each is drawn.)
            let rows = spans.iter().map(|s| s.0 + 1).max().unwrap_or(1);
            html! {
                <div class="tl-requests" data-kind="spans" style={format!("--rows:{rows}")}>
                    { for spans.iter().map(|&(row, id, x, w, answered)| html! {
                        <div
                            class={classes!("tl-request", (!answered).then_some("tl-open"))}
                            data-request={id.to_string()}
                            title={format!("request #{id}{}", if answered { "" } else { " (no response yet)" })}
                            style={format!("left:{};width:{};top:calc({row} * 100% / {rows})", px(x), px(w))}
                        />
                    }) }
                </div>
            }
        }
        RequestsDrawn::Density {
            px: _,
            in_flight,
            p99_ms,
            max_in_flight,
            max_p99_ms,
        } => {
            let n = in_flight.len();
            let bars: String = in_flight
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, &c)| {
                    let h = c as f64 / (*max_in_flight).max(1) as f64 * 30.0;
                    format!("M{} {}h1v{}h-1z", i, 30.0 - h, h)
                })
                .collect();
            let line: Vec<String> = p99_ms
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    p.map(|ms| {
                        format!(
                            "{:.1},{:.2}",
                            i as f64 + 0.5,
                            30.0 - ms / max_p99_ms.max(1e-9) * 28.0
                        )
                    })
                })
                .collect();
            html! {
                <div class="tl-requests" data-kind="density">
                    <svg
                        class="tl-density"
                        viewBox={format!("0 0 {n} 30")}
                        preserveAspectRatio="none"
                        role="img"
                        aria-label={format!("requests in flight, up to {max_in_flight}; p99 latency up to {max_p99_ms:.1} ms")}
                    >
                        <path class="tl-band" d={bars} />
                        <polyline class="tl-p99" points={line.join(" ")} vector-effect="non-scaling-stroke" />
                    </svg>
                    <span class="tl-legend">{ format!("in flight ≤ {max_in_flight} · p99 ≤ {max_p99_ms:.1} ms") }</span>
                </div>
            }
        }
    };
    html! {
        <>
            <div class="tl-lane tl-lane-main" data-lane="main">
                { for strip.marks.iter().map(|(x, it, step)| html! {
                    <div class="tl-mark" data-iteration={it.to_string()} data-step={step.to_string()}
                        style={format!("left:{}", px(*x))} />
                }) }
                { for strip.main.iter().map(|d| block(d, "tl-callback")) }
            </div>
            { for (0..workers).map(|w| html! {
                <div class="tl-lane tl-worker" data-lane={format!("worker-{}", w + 1)}>
                    { for strip.workers.get(w).into_iter().flatten().map(|d| block(d, "tl-job")) }
                </div>
            }) }
            { requests }
        </>
    }
}
