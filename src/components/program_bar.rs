use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::presets::PRESETS;
use crate::settings::{self, POOL_SIZE};

#[derive(Properties, PartialEq)]
pub struct ProgramBarProps {
    pub preset: &'static str,
    pub pool_size: u16,
    /// The editor differs from the program that runs.
    pub edited: bool,
    pub on_preset: Callback<&'static str>,
    pub on_pool_size: Callback<u16>,
    pub on_run: Callback<()>,
}

/// Above the editor: the preset menu, the thread pool size and the Run button.
#[function_component(ProgramBar)]
pub fn program_bar(props: &ProgramBarProps) -> Html {
    let on_preset = {
        let cb = props.on_preset.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(p) = PRESETS.iter().find(|p| p.key == key) {
                cb.emit(p.key);
            }
        })
    };
    // The field shows the pool size kept: one out of range clamped, text that is no number
    // put back (when that is the size kept already, nothing draws this bar again to show it).
    let on_pool = {
        let cb = props.on_pool_size.clone();
        let kept = props.pool_size;
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            match input.value().trim().parse::<u16>() {
                Ok(n) => {
                    input.set_value(&settings::pool_size(n).to_string());
                    cb.emit(n);
                }
                Err(_) => input.set_value(&kept.to_string()),
            }
        })
    };
    let on_run = props.on_run.reform(|_: MouseEvent| ());
    html! {
        <div class="program-bar">
            <select class="preset" data-testid="preset-select" aria-label="Example program" onchange={on_preset}>
                { for PRESETS.iter().map(|p| html! {
                    <option value={p.key} selected={p.key == props.preset}>{ p.title }</option>
                }) }
            </select>
            <label class="pool-size" title="Thread pool size (UV_THREADPOOL_SIZE). Changing it re-runs the program.">
                <span>{ "pool" }</span>
                <input
                    type="number"
                    data-testid="pool-size"
                    aria-label="Thread pool size"
                    min={POOL_SIZE.min.to_string()}
                    max={POOL_SIZE.max.to_string()}
                    value={props.pool_size.to_string()}
                    onchange={on_pool}
                />
            </label>
            <button
                type="button"
                class={classes!("btn", props.edited.then_some("btn-attention"))}
                data-testid="run-program"
                title="Run the program in the editor from the start (Ctrl+Enter)"
                aria-keyshortcuts="Control+Enter"
                onclick={on_run}
            >
                { if props.edited { "Run edited" } else { "Re-run" } }
            </button>
        </div>
    }
}
