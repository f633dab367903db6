use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::link::{EditorMode, Embed, Pane, Scenario, Theme};

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The page's address without query or fragment.
    pub base: AttrValue,
    /// The scenario the page shows now (computed when the panel opens and after each change).
    pub scenario: Option<std::rc::Rc<Scenario>>,
    /// The run received more requests than a link carries: the link opens at step 0.
    #[prop_or_default]
    pub cut: bool,
    pub theme: Theme,
    /// The panel was opened or closed.
    pub on_toggle: Callback<bool>,
    pub open: bool,
}

/// An `<iframe>` snippet for a course page, for `url`.
pub fn iframe_snippet(url: &str, embed: &Embed) -> String {
    let height = if embed.panes.len() <= 3 { 420 } else { 560 };
    format!(
        "<iframe src=\"{}\" title=\"Looplab: the Node.js event loop\" width=\"100%\" \
         height=\"{height}\" loading=\"lazy\" style=\"border:0;border-radius:8px\" \
         allow=\"clipboard-write\"></iframe>",
        url.replace('&', "&amp;").replace('"', "&quot;")
    )
}

/// Copies `text` to the clipboard; `done` hears whether the browser allowed it.
fn copy(text: String, done: Callback<bool>) {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        return done.emit(false);
    };
    on_settled(clipboard.write_text(&text), done);
}

/// Hands whether `promise` fulfilled to `done` (no async runtime needed).
fn on_settled(promise: js_sys::Promise, done: Callback<bool>) {
    let handler = |ok: bool| {
        let done = done.clone();
        Closure::once(move |_: JsValue| done.emit(ok))
    };
    let (ok, failed) = (handler(true), handler(false));
    let _ = promise.then2(&ok, &failed);
    // The promise owns its handlers now: two small closures per click of Copy.
    ok.forget();
    failed.forget();
}

/// The Share button and its panel: the link to this moment, and an `<iframe>` snippet with the
/// embed options a course page wants.
#[function_component(Share)]
pub fn share(props: &ShareProps) -> Html {
    let embed = use_state(Embed::default);
    // Focus moves into the panel when it opens (its link, selected, ready to copy).
    let link_input = use_node_ref();
    {
        let link_input = link_input.clone();
        use_effect_with(props.open, move |open| {
            if *open {
                if let Some(el) = link_input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let theme = use_state(|| props.theme);
    let copied = use_state(|| None::<(&'static str, bool)>);
    let toggle = {
        let on_toggle = props.on_toggle.clone();
        let open = props.open;
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            copied.set(None);
            on_toggle.emit(!open)
        })
    };
    let close = props.on_toggle.reform(|_: MouseEvent| false);
    let button = html! {
        <button
            type="button"
            class={classes!("btn", props.open.then_some("btn-primary"))}
            data-testid="share"
            aria-expanded={props.open.to_string()}
            aria-controls="share-panel"
            title="A link to this program, these settings and this step; an embed snippet"
            onclick={toggle}
        >
            { "Share" }
        </button>
    };
    if !props.open {
        return html! { <div class="share">{ button }</div> };
    }
    let Some(scenario) = props.scenario.as_ref() else {
        return html! { <div class="share">{ button }</div> };
    };
    let link = format!("{}#{}", props.base, scenario.fragment(None, *theme));
    let embed_url = format!("{}#{}", props.base, scenario.fragment(Some(&embed), *theme));
    let snippet = iframe_snippet(&embed_url, &embed);
    let copy_button = |what: &'static str, id: &'static str, text: String| {
        let copied = copied.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            copy(
                text.clone(),
                Callback::from(move |ok| copied.set(Some((what, ok)))),
            )
        });
        html! { <button type="button" class="btn" data-testid={id} {onclick}>{ "Copy" }</button> }
    };
    let status = match *copied {
        Some((what, true)) => format!("The {what} is copied."),
        Some((what, false)) => {
            format!("The browser did not allow copying: select the {what} and copy it.")
        }
        None => String::new(),
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
            el.select();
        } else if let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() {
            el.select();
        }
    });
    let pane_box = |p: Pane| {
        let embed = embed.clone();
        let on = embed.panes.contains(&p);
        let onchange = Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next = (*embed).clone();
            next.panes.retain(|q| *q != p);
            if checked {
                next.panes.push(p);
                next.panes.sort();
            }
            if !next.panes.is_empty() {
                embed.set(next);
            }
        });
        html! {
            <label class="check">
                <input type="checkbox" data-testid={format!("embed-pane-{}", p.key())} checked={on} {onchange} />
                { p.key() }
            </label>
        }
    };
    let on_editor = {
        let embed = embed.clone();
        Callback::from(move |e: Event| {
            let mode = match e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "editable" => EditorMode::Editable,
                "hidden" => EditorMode::Hidden,
                _ => EditorMode::ReadOnly,
            };
            embed.set(Embed {
                editor: mode,
                ..(*embed).clone()
            });
        })
    };
    let on_controls = {
        let embed = embed.clone();
        Callback::from(move |e: Event| {
            let minimal = e.target_unchecked_into::<HtmlSelectElement>().value() != "full";
            embed.set(Embed {
                minimal_controls: minimal,
                ..(*embed).clone()
            });
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            theme.set(
                match e
                    .target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .as_str()
                {
                    "light" => Theme::Light,
                    "dark" => Theme::Dark,
                    _ => Theme::Auto,
                },
            )
        })
    };
    let flag = |id: &'static str, label: &'static str, on: bool, set: fn(&mut Embed, bool)| {
        let embed = embed.clone();
        let onchange = Callback::from(move |e: Event| {
            let mut next = (*embed).clone();
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            );
            embed.set(next);
        });
        html! {
            <label class="check">
                <input type="checkbox" data-testid={id} checked={on} {onchange} />{ label }
            </label>
        }
    };
    let editor = embed.editor;
    html! {
        <div class="share">
            { button }
            <section id="share-panel" class="share-panel" role="dialog" aria-label="Share" data-testid="share-panel">
                <div class="share-head">
                    <h2>{ "A link to this moment" }</h2>
                    <button type="button" class="btn" data-testid="share-close" aria-label="Close the Share panel" onclick={close}>{ "✕" }</button>
                </div>
                <p class="hint">
                    { "The program, its settings, the requests it received and this step: opening the link replays the run to here." }
                </p>
                if props.cut {
                    <p class="hint" data-testid="share-cut">
                        { "This run received more requests than a link can carry: the link opens its program and settings at step 0." }
                    </p>
                }
                <div class="share-row">
                    <input type="text" readonly=true data-testid="share-link" aria-label="Link" ref={link_input} value={link.clone()} onfocus={select_all.clone()} />
                    { copy_button("link", "share-copy", link) }
                </div>
                <h2>{ "Embed in a course page" }</h2>
                <fieldset class="share-options">
                    <legend>{ "Panes" }</legend>
                    { for Pane::ALL.into_iter().map(pane_box) }
                </fieldset>
                <div class="share-options">
                    <label>{ "Editor " }
                        <select data-testid="embed-editor" onchange={on_editor}>
                            <option value="readonly" selected={editor == EditorMode::ReadOnly}>{ "read-only" }</option>
                            <option value="editable" selected={editor == EditorMode::Editable}>{ "editable" }</option>
                            <option value="hidden" selected={editor == EditorMode::Hidden}>{ "hidden" }</option>
                        </select>
                    </label>
                    <label>{ "Controls " }
                        <select data-testid="embed-controls" onchange={on_controls}>
                            <option value="minimal" selected={embed.minimal_controls}>{ "minimal" }</option>
                            <option value="full" selected={!embed.minimal_controls}>{ "full" }</option>
                        </select>
                    </label>
                    <label>{ "Theme " }
                        <select data-testid="embed-theme" onchange={on_theme}>
                            <option value="auto" selected={*theme == Theme::Auto}>{ "the reader's" }</option>
                            <option value="light" selected={*theme == Theme::Light}>{ "light" }</option>
                            <option value="dark" selected={*theme == Theme::Dark}>{ "dark" }</option>
                        </select>
                    </label>
                    { flag("embed-autoplay", "autoplay", embed.autoplay, |e, on| e.autoplay = on) }
                    { flag("embed-preview", "click to start", embed.preview, |e, on| e.preview = on) }
                </div>
                <div class="share-row">
                    <textarea readonly=true rows="4" data-testid="embed-code" aria-label="Embed code" value={snippet.clone()} onfocus={select_all} />
                    { copy_button("embed code", "embed-copy", snippet) }
                </div>
                <p class="hint" role="status" data-testid="share-status">{ status }</p>
            </section>
        </div>
    }
}
