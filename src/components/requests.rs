use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::parts::{use_fitting, use_parts};
use super::Pane;
use crate::presets::Route;
use crate::settings::{Setting, BURST, RATE};
use crate::state::RequestCommand;
use crate::view::{RequestRow, RequestsView, REQUEST_ROWS};

#[derive(Properties, PartialEq)]
pub struct RequestsProps {
    pub routes: Vec<Route>,
    pub route: usize,
    pub burst: u32,
    pub rate: u32,
    pub rate_on: bool,
    /// A server listens and the program runs.
    pub can_send: bool,
    pub requests: RequestsView,
    /// The run plays faster than anyone reads: draw only the rows that fit, unkeyed, without
    /// an entrance.
    #[prop_or_default]
    pub live: bool,
    pub on_command: Callback<RequestCommand>,
}

fn ms(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1} ms"))
        .unwrap_or_else(|| "–".to_owned())
}

/// The height of a row, CSS px (12px/1.35 text, 4 px of padding, 3 px of gap): the pane draws
/// as many as fit in its body while a run plays fast and first after a jump; the older ones
/// below follow after that frame ([`super::parts`]).
const ROW_PX: f64 = 23.2;

/// Synthetic clients: send one request, a burst, or a steady rate; then every request's state
/// and latency (the newest few rows, and totals).
#[function_component(Requests)]
pub fn requests(props: &RequestsProps) -> Html {
    let cmd = props.on_command.clone();
    let on_route = cmd.reform(|e: Event| {
        RequestCommand::SelectRoute(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0),
        )
    });
    // A number field shows what is kept: a value out of range is clamped in the field too (when
    // the clamped value is the one kept already, nothing draws this pane again to show it).
    let number = |f: fn(u32) -> RequestCommand, setting: Setting| {
        cmd.reform(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let n = setting.clamp(input.value().trim().parse().unwrap_or(1));
            input.set_value(&n.to_string());
            f(n)
        })
    };
    let click = |c: RequestCommand| cmd.reform(move |_: MouseEvent| c);
    let r = &props.requests;
    // Newest first: the lowest number is the last row's.
    let range = r.rows.last().zip(r.rows.first()).map(|(a, b)| (a.id, b.id));
    let body = use_node_ref();
    let fits = use_fitting(body.clone(), ROW_PX, 12, REQUEST_ROWS);
    let parts = use_parts(range, r.rows.len(), fits, props.live.then_some(fits));
    // Rows that came with a step fade in, and keep their class while they stay; rows drawn by
    // a jump, a pause or playing fast do not (a whole list blinking in says nothing).
    // (The newest id drawn so far, and the rows drawn with an entrance.)
    let entered = use_mut_ref(|| (0u64, Vec::<u64>::new()));
    let entering: Vec<u64> = {
        let mut e = entered.borrow_mut();
        let (newest, ids) = &mut *e;
        let shown = &r.rows[..parts.shown];
        ids.retain(|id| shown.iter().any(|row| row.id == *id));
        if parts.stepped {
            ids.extend(shown.iter().map(|row| row.id).filter(|id| *id > *newest));
        }
        *newest = shown.iter().map(|row| row.id).fold(*newest, u64::max);
        ids.clone()
    };
    let no_routes = props.routes.is_empty();
    let why = if no_routes {
        "This program declares no Express routes (app.get('/path', ...))."
    } else if !props.can_send {
        "Requests can be sent once the server listens: press Play or Step."
    } else {
        ""
    };
    html! {
        <Pane title="Requests" test_id="requests" note={format!("{} in flight · {} done", r.in_flight(), r.done)} class="pane-requests" body_ref={body}>
            <div class="req-controls">
                <select data-testid="route-select" aria-label="Route" onchange={on_route} disabled={no_routes}>
                    { for props.routes.iter().enumerate().map(|(i, route)| html! {
                        <option value={i.to_string()} selected={i == props.route}>{ route.key() }</option>
                    }) }
                </select>
                <button type="button" class="btn btn-small" data-testid="send-request" disabled={!props.can_send}
                    onclick={click(RequestCommand::SendOne)} title="Send one request to the selected route">{ "Send" }</button>
                <span class="req-group">
                    <input type="number" class="num" data-testid="burst-size" aria-label="Burst size" min={BURST.min.to_string()} max={BURST.max.to_string()}
                        value={props.burst.to_string()} onchange={number(RequestCommand::SetBurst, BURST)} />
                    <button type="button" class="btn btn-small" data-testid="send-burst" disabled={!props.can_send}
                        onclick={click(RequestCommand::SendBurst)} title="Send this many requests at once">{ "Burst" }</button>
                </span>
                <span class="req-group">
                    <input type="number" class="num" data-testid="rate" aria-label="Requests per second" min={RATE.min.to_string()} max={RATE.max.to_string()}
                        value={props.rate.to_string()} onchange={number(RequestCommand::SetRate, RATE)} />
                    <span class="unit">{ "/s" }</span>
                    if props.rate_on {
                        <button type="button" class="btn btn-small btn-on" data-testid="stop-rate"
                            onclick={click(RequestCommand::StopRate)}>{ "Stop" }</button>
                        <button type="button" class="btn btn-small hidden-btn" data-testid="start-rate" disabled=true>{ "Start" }</button>
                    } else {
                        <button type="button" class="btn btn-small" data-testid="start-rate" disabled={!props.can_send}
                            onclick={click(RequestCommand::StartRate)} title="Send requests at a steady rate (virtual time) while playing">{ "Start" }</button>
                        <button type="button" class="btn btn-small hidden-btn" data-testid="stop-rate" disabled=true>{ "Stop" }</button>
                    }
                </span>
            </div>
            if !why.is_empty() {
                <p class="req-why">{ why }</p>
            }
            <dl class="req-stats">
                <div><dt>{ "waiting" }</dt><dd data-testid="requests-waiting">{ r.waiting }</dd></div>
                <div><dt>{ "running" }</dt><dd data-testid="requests-running">{ r.running }</dd></div>
                <div><dt>{ "done" }</dt><dd data-testid="requests-done">{ r.done }</dd></div>
                <div><dt>{ "p50" }</dt><dd>{ ms(r.p50_ms) }</dd></div>
                <div><dt>{ "p99" }</dt><dd>{ ms(r.p99_ms) }</dd></div>
            </dl>
            <ol key={parts.generation.to_string()} class="requests" aria-label="Requests, newest first"
                data-partial={parts.pending.then_some("true")}>
                if props.live {
                    // Playing fast, the rows are new each frame: patched in place, not rebuilt.
                    { for r.rows[..parts.shown].iter().map(row_item) }
                } else {
                    { for r.rows[..parts.shown].iter().map(|row| html! {
                        <li key={row.id.to_string()} class={classes!("request", entering.contains(&row.id).then_some("request-new"))} data-testid="request" data-state={row.state.as_str()} data-id={row.id.to_string()}>
                            { row_cells(row) }
                        </li>
                    }) }
                }
            </ol>
        </Pane>
    }
}

/// A row without a key: while a run plays fast, the list's elements stay and take the newest
/// requests' text (a thousand requests a second made every row new in each frame).
fn row_item(row: &RequestRow) -> Html {
    html! {
        <li class="request" data-testid="request" data-state={row.state.as_str()} data-id={row.id.to_string()}>
            { row_cells(row) }
        </li>
    }
}

fn row_cells(row: &RequestRow) -> Html {
    html! {
        <>
            <span class="req-id">{ format!("#{}", row.id) }</span>
            <span class="req-url">{ format!("{} {}", row.method, row.url) }</span>
            <span class="req-state">{ row.state.as_str() }</span>
            <span class="req-ms">{ match row.status {
                Some(s) => format!("{s} · {:.1} ms", row.ms),
                None => format!("{:.1} ms", row.ms),
            } }</span>
        </>
    }
}
