use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CaptionProps {
    pub text: AttrValue,
    /// Steps taken, shown before the sentence.
    pub steps: u64,
    /// A long step back replaying: (steps replayed, target), drawn as a progress bar.
    #[prop_or_default]
    pub progress: Option<(u64, u64)>,
}

/// One sentence explaining the step just taken, announced to screen readers.
#[function_component(Caption)]
pub fn caption(props: &CaptionProps) -> Html {
    html! {
        <footer class="caption">
            <span class="caption-step" aria-hidden="true">{ format!("step {}", props.steps) }</span>
            <p data-testid="caption" role="status" aria-live="polite">{ props.text.clone() }</p>
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
