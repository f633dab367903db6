use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::Pane;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub source: AttrValue,
    /// Called with the whole new text on every edit.
    pub on_change: Callback<String>,
}

/// The program to run, as plain editable JavaScript.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let oninput = props
        .on_change
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    html! {
        <Pane title="Program" test_id="program-editor" note="JavaScript" class="pane-editor">
            <textarea
                class="code"
                aria-label="Program source"
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                value={props.source.clone()}
                {oninput}
            />
        </Pane>
    }
}
