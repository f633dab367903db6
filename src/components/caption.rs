use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CaptionProps {
    pub text: AttrValue,
}

/// One sentence explaining the step just taken, announced to screen readers.
#[function_component(Caption)]
pub fn caption(props: &CaptionProps) -> Html {
    html! {
        <footer class="caption" data-testid="caption" role="status" aria-live="polite">
            <p>{ props.text.clone() }</p>
        </footer>
    }
}
