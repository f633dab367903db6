//! A hook that reports an element's content box whenever it changes size: a ResizeObserver,
//! which fires on a resize and never per render (reading a size after each render would force
//! the browser to lay the page out again for every view).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Calls `on_resize(element, content box)` when `node`'s element is first laid out and each
/// time its size changes, until the component goes.
#[hook]
pub fn use_resize<F>(node: NodeRef, on_resize: F)
where
    F: Fn(&web_sys::HtmlElement, web_sys::DomRectReadOnly) + 'static,
{
    use_effect_with(node, move |node| {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            for entry in entries.iter() {
                let Ok(entry) = entry.dyn_into::<web_sys::ResizeObserverEntry>() else {
                    continue;
                };
                if let Ok(target) = entry.target().dyn_into::<web_sys::HtmlElement>() {
                    on_resize(&target, entry.content_rect());
                }
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let (Some(observer), Some(el)) = (&observer, node.cast::<web_sys::Element>()) {
            observer.observe(&el);
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}
