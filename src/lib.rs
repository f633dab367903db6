//! Looplab's web app: the Node.js event loop, drawn live in the browser.
//!
//! [`runner`] owns the running program (the engine's replayable session) and turns it into a
//! [`view::View`] after every action; [`controller`] decides what each control does to it and
//! [`playback`] how wall time becomes steps; [`explain`] writes the caption of each step;
//! [`state`] holds the page's state and reducer, [`settings`] the ranges of its numbers;
//! [`presets`] the programs on offer; [`load_form`] and [`load_run`] the Load pane's form and
//! the load test it starts (the engine's load on the session, the thread server beside it); [`highlight`] colours JavaScript for the editor;
//! [`catalog`] names the loop's phases and queues. All of those are plain Rust, tested natively.
//! [`components`] has one Yew component per region of the page and [`app`] wires them to the
//! controller, with playback in a hook.

pub mod app;
pub mod backend;
#[cfg(target_arch = "wasm32")]
pub mod browser_text;
pub mod catalog;
pub mod chart;
pub mod components;
pub mod controller;
pub mod explain;
pub mod flight_layer;
pub mod flights;
pub mod heap;
pub mod highlight;
pub mod history;
pub mod host_api;
pub mod host_bridge;
pub mod idle;
pub mod lessons;
pub mod link;
pub mod load_form;
pub mod load_run;
pub mod playback;
pub mod presets;
pub mod protocol;
pub mod runner;
pub mod settings;
pub mod sim_worker;
pub mod state;
pub mod timeline;
pub mod view;
pub mod worker;

pub use app::App;

/// Renders the page into the document's `<body>`, as its address asks (a link's scenario, an
/// embed's options). The entry point of the trunk build.
pub fn start() -> yew::AppHandle<components::Root> {
    app::use_worker(true);
    let (query, fragment) = app::address();
    let link = std::rc::Rc::new(link::Link::parse(&query, &fragment));
    yew::Renderer::<components::Root>::with_props(components::RootProps { link }).render()
}

/// Renders the app into `root` (used by the browser tests and for embedding).
pub fn mount(root: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}
