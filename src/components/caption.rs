use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CaptionProps {
    pub text: AttrValue,
    /// Steps taken, shown before the sentence.
    pub steps: u64,
}

/// One sentence explaining the step just taken, announced to screen readers.
#[function_component(Caption)]
pub fn caption(props: &CaptionProps) -> Html {
    html! {
        <footer class="caption" role="status" aria-live="polite">
            <span class="caption-step" aria-hidden="true">{ format!("step {}", props.steps) }</span>
            <p data-testid="caption">{ props.text.clone() }</p>
        </footer>
    }
}
