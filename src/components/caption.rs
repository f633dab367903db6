use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CaptionProps {
    pub text: AttrValue,
    /// Steps taken, shown before the sentence.
    pub steps: u64,
    /// A long step back replaying: (steps replayed, target), drawn as a progress bar.
    #[prop_or_default]
    pub progress: Option<(u64, u64)>,
    /// A callback ran past its time budget and ended the run: offer to give it longer.
    #[prop_or_default]
    pub over_budget: bool,
    #[prop_or_default]
    pub on_keep_running: Callback<()>,
}

/// One sentence explaining the step just taken, announced to screen readers.
#[function_component(Caption)]
pub fn caption(props: &CaptionProps) -> Html {
    html! {
        <footer class="caption">
            <span class="caption-step" aria-hidden="true">{ format!("step {}", props.steps) }</span>
            <p data-testid="caption" role="status" aria-live="polite">{ props.text.clone() }</p>
            if props.over_budget {
                <button
                    type="button"
                    class="btn btn-primary caption-action"
                    data-testid="keep-running"
                    title="Give callbacks four times longer, go back one step and play it again"
                    onclick={props.on_keep_running.reform(|_: MouseEvent| ())}
                >
                    { "Keep running" }
                </button>
            }
            if let Some((done, target)) = props.progress {
                // Outside the live region: its value changes every frame.
                <progress
                    class="caption-progress"
                    data-testid="rewind-progress"
                    max={target.max(1).to_string()}
                    value={done.to_string()}
                    aria-label="replaying the run"
                />
            }
        </footer>
    }
}
