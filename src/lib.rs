//! Looplab's web app: the Node.js event loop, drawn live in the browser.
//!
//! [`state`] holds the page's state and reducer (pure, tested natively), [`catalog`] the names of
//! the loop's phases and queues, and [`components`] one Yew component per region of the page.

pub mod app;
pub mod catalog;
pub mod components;
pub mod state;

pub use app::App;

/// Renders the app into the document's `<body>`. The entry point of the trunk build.
pub fn start() -> yew::AppHandle<App> {
    yew::Renderer::<App>::new().render()
}

/// Renders the app into `root` (used by the browser tests and for embedding).
pub fn mount(root: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}
