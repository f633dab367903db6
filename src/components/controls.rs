use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{Command, Speed};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub speed: Speed,
    pub playing: bool,
    /// The program can still move forward (it has not exited).
    pub can_step: bool,
    /// There is a step to go back to.
    pub can_back: bool,
    /// Something is running that Stop can end (playing, a long callback, a replay).
    pub can_stop: bool,
    pub on_command: Callback<Command>,
    pub on_speed: Callback<Speed>,
    /// Back, play, pause, stop, step and reset only (an embed's `controls=minimal`).
    #[prop_or_default]
    pub minimal: bool,
}

/// Play, pause, the three step sizes, step back, speed and reset.
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
    let button = |cmd: Command,
                  id: &'static str,
                  text: &'static str,
                  label: &'static str,
                  enabled: bool,
                  primary: bool| {
        let onclick = props.on_command.reform(move |_: MouseEvent| cmd);
        let title = format!(
            "{label} ({})",
            cmd.shortcut()
                .replace("ArrowRight", "→")
                .replace("ArrowLeft", "←")
                .replace("Escape", "Esc")
        );
        html! {
            <button
                type="button"
                class={classes!("btn", primary.then_some("btn-primary"))}
                data-testid={id}
                aria-label={label}
                aria-keyshortcuts={cmd.shortcut()}
                title={title}
                disabled={!enabled}
                {onclick}
            >
                { text }
            </button>
        }
    };
    let can = props.can_step;
    html! {
        <nav class="controls" data-testid="controls" aria-label="Playback controls">
            { button(Command::StepBack, "step-back", "◀ Back", "Step back", props.can_back, false) }
            { button(Command::Play, "play", "▶ Play", "Play", can && !props.playing, !props.playing) }
            { button(Command::Pause, "pause", "❚❚ Pause", "Pause", props.playing, props.playing) }
            { button(Command::Stop, "stop", "■ Stop", "Stop what is running now", props.can_stop, false) }
            { button(Command::Step, "step", "Step", "Step to the next event", can, false) }
            if !props.minimal {
            { button(Command::StepPhase, "step-phase", "Phase »", "Step over the rest of this phase", can, false) }
            { button(Command::StepIteration, "step-iteration", "Iteration »", "Step to the next loop iteration", can, false) }
            <label class="speed">
                <span>{ "Speed" }</span>
                <select data-testid="speed" onchange={on_speed} aria-label="Playback speed">
                    { for Speed::ALL.iter().map(|s| html! {
                        <option value={s.key()} selected={*s == props.speed}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            }
            { button(Command::Reset, "reset", "Reset", "Reset the run to its start", true, false) }
        </nav>
    }
}
