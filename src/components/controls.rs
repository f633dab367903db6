use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::Speed;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub speed: Speed,
    /// Whether the editor differs from the sample program.
    pub can_reset: bool,
    pub on_speed: Callback<Speed>,
    /// Puts the sample program back.
    pub on_reset: Callback<()>,
}

/// Run, step, reset and speed. Run and step stay disabled until the engine is connected.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let on_speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(speed) = Speed::from_key(&key) {
                on_speed.emit(speed);
            }
        })
    };
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let pending = "Running programs arrives with the engine";
    html! {
        <nav class="controls" data-testid="controls" aria-label="Playback controls">
            <button type="button" class="btn btn-primary" data-testid="run" disabled=true title={pending}>
                { "Run" }
            </button>
            <button type="button" class="btn" data-testid="step" disabled=true title={pending}>
                { "Step" }
            </button>
            <button
                type="button"
                class="btn"
                data-testid="reset"
                disabled={!props.can_reset}
                title="Put the sample program back"
                onclick={on_reset}
            >
                { "Reset" }
            </button>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select data-testid="speed" onchange={on_speed}>
                    { for Speed::ALL.iter().map(|s| html! {
                        <option value={s.key()} selected={*s == props.speed}>{ s.label() }</option>
                    }) }
                </select>
            </label>
        </nav>
    }
}
