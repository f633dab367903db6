use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::chart::{Chart, Line};
use super::Pane;
use crate::chart::{self as fmt, Unit};
use crate::controller::LoadInput;
use crate::load_form::{self, FieldError, LoadForm, Sender};
use crate::load_run::{Figures, LoadView, Point};
use looplab_engine::load::memory;

#[derive(Properties, PartialEq)]
pub struct LoadProps {
    pub form: LoadForm,
    pub error: Option<FieldError>,
    pub load: Option<LoadView>,
    pub on_input: Callback<LoadInput>,
}

/// One form field: its label, the input, and the message when it cannot be sent.
fn field(
    props: &LoadProps,
    id: &'static str,
    name: &str,
    label: &str,
    unit: &str,
    value: &str,
    set: fn(&mut LoadForm, String),
) -> Html {
    let form = props.form.clone();
    let on_input = props.on_input.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let mut f = form.clone();
        set(
            &mut f,
            e.target_unchecked_into::<HtmlInputElement>().value(),
        );
        on_input.emit(LoadInput::Edit(f));
    });
    let error = props.error.as_ref().filter(|e| e.field == id);
    let hint = LoadForm::hint(id);
    let error_id = format!("{id}-error");
    html! {
        <label class={classes!("load-field", error.is_some().then_some("invalid"))}>
            <span class="load-label">{ label }</span>
            <input class="num" inputmode="decimal" data-testid={id} value={value.to_owned()} {oninput}
                title={hint.clone()} aria-label={name.to_owned()} aria-invalid={error.is_some().to_string()}
                aria-describedby={error.map(|_| error_id.clone())} />
            if !unit.is_empty() { <span class="unit">{ unit }</span> }
            if let Some(e) = error {
                <span class="field-error" role="alert" id={error_id} data-testid="load-field-error" data-field={id}>{ e.message.clone() }</span>
            }
        </label>
    }
}

/// A metric tile: its name, its value as text, the bare number in `data-value`.
fn metric(id: String, name: &str, value: Option<f64>, unit: Unit) -> Html {
    let text = match value {
        Some(v) => match unit {
            Unit::Count if v.fract() != 0.0 => format!("{v:.2}"),
            _ => fmt::format(v, unit),
        },
        None => "–".to_owned(),
    };
    let data = value.map(|v| format!("{v}")).unwrap_or_default();
    html! {
        <div class="metric" data-testid={id} data-value={data}>
            <dt>{ name }</dt>
            <dd>{ text }</dd>
        </div>
    }
}

/// The tiles of one server: the loop's names have no prefix, the thread server's `threads-`.
fn tiles(prefix: &str, f: &Figures, is_loop: bool, v: &LoadView) -> Html {
    let id = |name: &str| format!("{prefix}metric-{name}");
    let running = v.running;
    let when = if running {
        "last second"
    } else if v.stopped_early {
        "until stopped"
    } else {
        "whole run"
    };
    html! {
        <dl class="metrics">
            { metric(id("throughput"), if running { "throughput (so far)" } else { "throughput" }, Some(f.throughput_rps), Unit::PerSecond) }
            { metric(id("latency-p50"), &format!("p50 ({when})"), Some(f.latency_p50_ms), Unit::Ms) }
            { metric(id("latency-p99"), &format!("p99 ({when})"), Some(f.latency_p99_ms), Unit::Ms) }
            { metric(id("inflight"), if running { "in flight now" } else { "in flight at the end" }, Some(f.in_flight as f64), Unit::Count) }
            if is_loop {
                { metric(id("loop-delay"), "loop delay p99", f.loop_delay_p99_ms, Unit::Ms) }
                { metric(id("elu"), "ELU", f.elu, Unit::Count) }
            } else {
                // No event loop: the counterparts are how late a slice of CPU ran (the run
                // queue) and the cores' utilisation.
                { metric(id("loop-delay"), "run-queue delay p99", f.loop_delay_p99_ms, Unit::Ms) }
                { metric(id("elu"), "cores busy (share)", f.elu, Unit::Count) }
                { metric(id("threads"), "threads at most", f.threads_peak.map(|t| t as f64), Unit::Count) }
            }
            { metric(id("memory"), "memory, reserved (peak)", Some(f.memory_bytes as f64), Unit::Bytes) }
            { metric(id("memory-resident"), "resident (peak)", f.memory_resident.map(|b| b as f64), Unit::Bytes) }
        </dl>
    }
}

fn points(series: &[Point], y: fn(&Point) -> Option<f64>) -> Vec<(f64, f64)> {
    series
        .iter()
        .filter_map(|p| y(p).map(|v| (p.t, v)))
        .collect()
}

/// The charts: each metric over virtual time, the thread server dashed beside the loop.
fn charts(v: &LoadView) -> Html {
    let pair = |y: fn(&Point) -> Option<f64>, what: &str| {
        let mut lines = vec![Line {
            label: format!("loop{what}"),
            class: "line-loop",
            dashed: false,
            points: points(&v.looped.series, y),
        }];
        if let Some(t) = &v.threads {
            lines.push(Line {
                label: format!("threads{what}"),
                class: "line-threads",
                dashed: true,
                points: points(&t.series, y),
            });
        }
        lines
    };
    let mut latency = pair(|p| Some(p.latency_p99_ms), " p99");
    latency.insert(
        1,
        Line {
            label: "loop p50".into(),
            class: "line-loop-p50",
            dashed: false,
            points: points(&v.looped.series, |p| Some(p.latency_p50_ms)),
        },
    );
    if let Some(t) = &v.threads {
        latency.push(Line {
            label: "threads p50".into(),
            class: "line-threads-p50",
            dashed: true,
            points: points(&t.series, |p| Some(p.latency_p50_ms)),
        });
    }
    let delay = vec![Line {
        label: "loop delay p99".into(),
        class: "line-delay",
        dashed: false,
        points: points(&v.looped.series, |p| p.loop_delay_p99_ms),
    }];
    let x = v.duration_s;
    let ram = (v.ram_bytes > 0).then(|| {
        let label = format!("RAM {}", fmt::bytes(v.ram_bytes as f64));
        (v.ram_bytes as f64, AttrValue::from(label))
    });
    html! {
        <div class="charts">
            <Chart title="Throughput (req/s)" test_id="chart-throughput" unit={Unit::PerSecond} x_max={x} lines={pair(|p| Some(p.throughput_rps), "")} />
            <Chart title="Latency" test_id="chart-latency" unit={Unit::Ms} x_max={x} lines={latency} />
            <Chart title="In flight (requests)" test_id="chart-inflight" unit={Unit::Count} x_max={x} lines={pair(|p| Some(p.in_flight), "")} />
            <Chart title="Event-loop delay" test_id="chart-loop-delay" unit={Unit::Ms} x_max={x} lines={delay} />
            <Chart title="Memory (reserved)" test_id="chart-memory" unit={Unit::Bytes} x_max={x} lines={pair(|p| Some(p.memory_bytes), "")}
                limit={ram} />
        </div>
    }
}

/// autocannon's summary, one column per server.
fn summary(v: &LoadView) -> Html {
    let cols: Vec<(&str, &Figures)> = std::iter::once(("loop", &v.looped))
        .chain(v.threads.iter().map(|t| ("threads", t)))
        .collect();
    let opt = |x: Option<f64>, unit: Unit| x.map_or("–".to_owned(), |x| fmt::format(x, unit));
    let count = |x: Option<u64>| x.map_or("–".to_owned(), load_form::thousands);
    let rows: Vec<(&str, Box<dyn Fn(&Figures) -> String>)> = vec![
        ("requests sent", Box::new(move |f: &Figures| count(f.sent))),
        (
            "replies",
            Box::new(|f: &Figures| load_form::thousands(f.completed)),
        ),
        (
            "errors (refused · timed out · 5xx)",
            Box::new(
                move |f: &Figures| match (f.refused, f.timed_out, f.server_errors) {
                    (Some(r), Some(t), Some(s)) => format!(
                        "{} · {} · {}",
                        count(Some(r)),
                        count(Some(t)),
                        count(Some(s))
                    ),
                    _ => count(f.errors),
                },
            ),
        ),
        (
            "throughput",
            Box::new(|f: &Figures| fmt::format(f.throughput_rps, Unit::PerSecond)),
        ),
        (
            "latency p50",
            Box::new(|f: &Figures| fmt::format(f.latency_p50_ms, Unit::Ms)),
        ),
        (
            "latency p90",
            Box::new(move |f: &Figures| opt(f.latency_p90_ms, Unit::Ms)),
        ),
        (
            "latency p99",
            Box::new(|f: &Figures| fmt::format(f.latency_p99_ms, Unit::Ms)),
        ),
        (
            "latency mean",
            Box::new(move |f: &Figures| opt(f.latency_mean_ms, Unit::Ms)),
        ),
        (
            "latency max",
            Box::new(move |f: &Figures| opt(f.latency_max_ms, Unit::Ms)),
        ),
        (
            "in flight, most at once",
            Box::new(|f: &Figures| load_form::thousands(f.in_flight_max)),
        ),
        (
            "in flight, time average",
            Box::new(|f: &Figures| f.in_flight_mean.map_or("–".into(), |m| format!("{m:.1}"))),
        ),
        (
            "libuv pool: busy workers, mean · most",
            Box::new(|f: &Figures| match (f.pool_busy_mean, f.pool_busy_max) {
                (Some(m), Some(x)) => format!("{m:.2} · {x}"),
                _ => "–".into(),
            }),
        ),
        (
            "libuv pool: a job's wait for a worker, mean",
            Box::new(move |f: &Figures| opt(f.pool_queue_wait_mean_ms, Unit::Ms)),
        ),
        (
            "memory reserved (peak)",
            Box::new(|f: &Figures| fmt::bytes(f.memory_bytes as f64)),
        ),
        (
            "memory resident (peak)",
            Box::new(move |f: &Figures| {
                f.memory_resident
                    .map_or("–".into(), |b| fmt::bytes(b as f64))
            }),
        ),
    ];
    html! {
        <table class="load-summary" data-testid="load-summary">
            <caption>{ if v.running { "So far (the whole run's figures when the load ends)" } else if v.stopped_early { "Until stopped" } else { "The whole run" } }</caption>
            <thead><tr><th scope="col">{ "" }</th>{ for cols.iter().map(|(n, _)| html! { <th scope="col">{ *n }</th> }) }</tr></thead>
            <tbody>
                { for rows.iter().map(|(name, value)| html! {
                    <tr><th scope="row">{ *name }</th>{ for cols.iter().map(|(_, f)| html! { <td>{ value(f) }</td> }) }</tr>
                }) }
            </tbody>
        </table>
    }
}

/// The Load pane: a load test's settings, Start/Stop, live metrics and charts for the loop and
/// the thread-per-request server, autocannon's summary and clinic doctor's one line.
#[function_component(Load)]
pub fn load(props: &LoadProps) -> Html {
    let f = &props.form;
    let input = props.on_input.clone();
    let sender = |s: Sender| {
        let (form, input) = (f.clone(), input.clone());
        Callback::from(move |_: Event| {
            let mut form = form.clone();
            form.sender = s;
            input.emit(LoadInput::Edit(form));
        })
    };
    let on_mix = {
        let (form, input) = (f.clone(), input.clone());
        Callback::from(move |e: InputEvent| {
            let mut form = form.clone();
            form.mix = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            input.emit(LoadInput::Edit(form));
        })
    };
    let on_compare = {
        let (form, input) = (f.clone(), input.clone());
        Callback::from(move |e: Event| {
            let mut form = form.clone();
            form.compare = e.target_unchecked_into::<HtmlInputElement>().checked();
            input.emit(LoadInput::Edit(form));
        })
    };
    let running = props.load.as_ref().is_some_and(|l| l.running);
    let mix_error = props.error.as_ref().filter(|e| e.field == "load-route-mix");
    let note = match &props.load {
        Some(l) if l.running => format!("{:.1} of {} virtual s", l.elapsed_s, l.duration_s),
        Some(l) if l.stopped_early => format!(
            "stopped at {:.1} of {} virtual s",
            l.elapsed_s, l.duration_s
        ),
        Some(l) if l.error.is_none() || !l.title.is_empty() => "done".to_owned(),
        _ => "many requests, measured".to_owned(),
    };
    html! {
        <Pane title="Load" test_id="load-pane" note={note} class="pane-load">
            <div class="load-presets">
                { for load_form::presets().into_iter().map(|(key, label, _)| {
                    let input = input.clone();
                    html! {
                        <button type="button" class="btn btn-small" data-testid={format!("load-preset-{key}")}
                            onclick={Callback::from(move |_| input.emit(LoadInput::Preset(key)))}>{ label }</button>
                    }
                }) }
            </div>
            <form class="load-form" onsubmit={input.reform(|e: SubmitEvent| { e.prevent_default(); LoadInput::Start })}>
                <fieldset class="load-sender">
                    <legend>{ "Who sends" }</legend>
                    <div class="load-line">
                        <input type="radio" name="load-sender" id="load-sender-users" data-testid="load-sender-users"
                            checked={f.sender == Sender::Users} onchange={sender(Sender::Users)} />
                        <label for="load-sender-users">{ "Users" }</label>
                        { field(props, "load-users", "Users", "", "", &f.users, |f, v| { f.users = v; f.sender = Sender::Users; }) }
                        { field(props, "load-think", "Think time (ms)", "think", "ms", &f.think_ms, |f, v| { f.think_ms = v; f.sender = Sender::Users; }) }
                    </div>
                    <div class="load-line">
                        <input type="radio" name="load-sender" id="load-sender-rate" data-testid="load-sender-rate"
                            checked={f.sender == Sender::Rate} onchange={sender(Sender::Rate)} />
                        <label for="load-sender-rate">{ "Rate" }</label>
                        { field(props, "load-rate", "Rate (requests per second)", "", "req/s, Poisson", &f.rate, |f, v| { f.rate = v; f.sender = Sender::Rate; }) }
                    </div>
                </fieldset>
                <label class={classes!("load-field", "load-mix", mix_error.is_some().then_some("invalid"))}>
                    <span class="load-label">{ "Route mix (METHOD /path=WEIGHT, one a line)" }</span>
                    <textarea data-testid="load-route-mix" rows="2" spellcheck="false" value={f.mix.clone()} oninput={on_mix}
                        aria-invalid={mix_error.is_some().to_string()} aria-describedby={mix_error.map(|_| "load-route-mix-error")} />
                    if let Some(e) = mix_error {
                        <span class="field-error" role="alert" id="load-route-mix-error" data-testid="load-field-error" data-field="load-route-mix">{ e.message.clone() }</span>
                    }
                </label>
                <div class="load-line">
                    { field(props, "load-duration", "Duration (virtual seconds)", "Duration", "s", &f.duration_s, |f, v| f.duration_s = v) }
                    { field(props, "load-db-latency", "Database latency (ms)", "Database", "ms", &f.db_latency_ms, |f, v| f.db_latency_ms = v) }
                    <label class="load-check">
                        <input type="checkbox" data-testid="load-compare" checked={f.compare} onchange={on_compare} />
                        { "compare with thread-per-request" }
                    </label>
                </div>
                <div class="load-actions">
                    <button type="submit" class="btn btn-primary" data-testid="load-start"
                        title="Run the program afresh with this database latency and send the load (plays at max speed)">{ "Start" }</button>
                    <button type="button" class="btn" data-testid="load-stop" disabled={!running}
                        onclick={input.reform(|_| LoadInput::Stop)}>{ "Stop" }</button>
                </div>
            </form>
            { match &props.load {
                None => html! {
                    <p class="load-intro">{ "Start a load test, or pick a preset: the program runs afresh, the requests arrive in virtual time as the loop plays, and the same arrivals go to a thread-per-request server for comparison." }</p>
                },
                Some(v) => html! {
                    <div class="load-result" data-running={v.running.to_string()}>
                        if !v.title.is_empty() { <p class="load-title">{ v.title.clone() }</p> }
                        if let Some(e) = &v.error { <p class="load-error" role="alert" data-testid="load-run-error">{ e.clone() }</p> }
                        if !v.title.is_empty() {
                            <progress max={v.duration_s.to_string()} value={v.elapsed_s.to_string()} aria-label="Virtual time of the load played" />
                            <p class="load-diagnosis" data-testid="load-diagnosis" aria-live="polite">
                                { v.diagnosis.clone().unwrap_or_else(|| "The diagnosis comes when the load ends.".to_owned()) }
                            </p>
                            <div class="load-models">
                                <section class="load-model" aria-label="The event loop">
                                    <h3>{ "Event loop (one thread)" }</h3>
                                    { tiles("", &v.looped, true, v) }
                                </section>
                                if let Some(t) = &v.threads {
                                    <section class="load-model load-model-threads" aria-label="Thread-per-request server">
                                        <h3>{ "Thread per request" }</h3>
                                        { tiles("threads-", t, false, v) }
                                    </section>
                                }
                            </div>
                            if let Some(n) = &v.threads_note { <p class="load-note">{ n.clone() }</p> }
                            { charts(v) }
                            <p class="load-memory" data-testid="load-memory-note">{ format!("Memory: {}.", memory::explained()) }</p>
                            { summary(v) }
                        }
                    </div>
                },
            } }
        </Pane>
    }
}
