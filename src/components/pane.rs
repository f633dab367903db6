use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PaneProps {
    /// Heading shown at the top of the region.
    pub title: AttrValue,
    /// The region's `data-testid`, also used to derive its heading's id.
    pub test_id: AttrValue,
    /// A short note next to the heading (what the region holds).
    #[prop_or_default]
    pub note: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
    /// The region's scrolling body, for a list that draws only what fits in it.
    #[prop_or_default]
    pub body_ref: NodeRef,
}

/// A labelled region of the page: a `<section>` named by its heading.
#[function_component(Pane)]
pub fn pane(props: &PaneProps) -> Html {
    let heading_id = format!("{}-title", props.test_id);
    html! {
        <section
            class={classes!("pane", props.class.clone())}
            data-testid={props.test_id.clone()}
            aria-labelledby={heading_id.clone()}
        >
            <header class="pane-head">
                <h2 id={heading_id}>{ props.title.clone() }</h2>
                if let Some(note) = &props.note {
                    <span class="pane-note">{ note.clone() }</span>
                }
            </header>
            <div class="pane-body" ref={props.body_ref.clone()}>{ props.children.clone() }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    #[prop_or(AttrValue::Static("empty"))]
    pub text: AttrValue,
}

/// The placeholder a region shows while it holds nothing.
#[function_component(Empty)]
pub fn empty(props: &EmptyProps) -> Html {
    html! { <span class="empty">{ props.text.clone() }</span> }
}
