//! Browser tests: mount the real app in headless Chromium and check that every region is there.
//! Run with `cargo test --target wasm32-unknown-unknown -p looplab-web --test browser`
//! (the runner, wasm-bindgen-test-runner, is set in .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlButtonElement, HtmlTextAreaElement};
use yew::AppHandle;

use looplab_web::App;

wasm_bindgen_test_configure!(run_in_browser);

/// A freshly mounted app in its own `<div>`, removed again on drop.
struct Mounted {
    root: Element,
    handle: Option<AppHandle<App>>,
}

impl Mounted {
    async fn new() -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let handle = looplab_web::mount(root.clone());
        let mounted = Mounted {
            root,
            handle: Some(handle),
        };
        mounted.wait_for(".app").await;
        mounted
    }

    /// Waits (bounded) until `selector` matches inside the app; Yew renders asynchronously.
    async fn wait_for(&self, selector: &str) -> Element {
        for _ in 0..200 {
            if let Some(el) = self.root.query_selector(selector).unwrap() {
                return el;
            }
            yew::platform::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("nothing matched {selector:?} within a second");
    }

    /// Lets Yew run the renders scheduled by an event.
    async fn settle(&self) {
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
            .collect()
    }

    fn by_test_id(&self, id: &str) -> Element {
        self.root
            .query_selector(&format!("[data-testid='{id}']"))
            .unwrap()
            .unwrap_or_else(|| panic!("no element with data-testid={id}"))
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

#[wasm_bindgen_test]
async fn shows_the_name_and_tagline() {
    let app = Mounted::new().await;
    let title = app.wait_for("h1").await;
    assert_eq!(title.text_content().unwrap(), "Looplab");
    let text = app.root.text_content().unwrap();
    assert!(
        text.contains(
            "The Node.js event loop, live: libuv's phases, Node's queues and the thread pool"
        ),
        "tagline missing from {text:?}"
    );
}

#[wasm_bindgen_test]
async fn every_region_has_its_test_id() {
    let app = Mounted::new().await;
    for id in [
        "program-editor",
        "phase-timers",
        "phase-pending",
        "phase-idle",
        "phase-prepare",
        "phase-poll",
        "phase-check",
        "phase-close",
        "loop-iteration",
        "clock",
        "call-stack",
        "queue-timers",
        "queue-pending",
        "queue-poll",
        "queue-check",
        "queue-close",
        "queue-nexttick",
        "queue-microtask",
        "threadpool",
        "console",
        "requests",
        "caption",
        "controls",
    ] {
        app.by_test_id(id);
    }
}

#[wasm_bindgen_test]
async fn the_ring_has_six_phases_in_loop_order() {
    let app = Mounted::new().await;
    let phases: Vec<String> = app
        .all(".ring > .phase")
        .iter()
        .map(|el| el.get_attribute("data-phase").unwrap())
        .collect();
    assert_eq!(
        phases,
        [
            "timers",
            "pending",
            "idle-prepare",
            "poll",
            "check",
            "close"
        ]
    );
    assert!(
        app.all(".phase.active, .subphase.active").is_empty(),
        "nothing runs yet"
    );
    assert!(app
        .by_test_id("loop-iteration")
        .text_content()
        .unwrap()
        .contains('0'));
    assert!(app
        .by_test_id("clock")
        .text_content()
        .unwrap()
        .contains("0 ms"));
}

#[wasm_bindgen_test]
async fn the_thread_pool_has_four_idle_workers() {
    let app = Mounted::new().await;
    let workers = app.all("[data-testid='threadpool'] .worker");
    assert_eq!(workers.len(), 4);
    for worker in workers {
        assert_eq!(worker.get_attribute("data-state").as_deref(), Some("idle"));
    }
}

#[wasm_bindgen_test]
async fn nothing_is_invented_every_pane_starts_empty() {
    let app = Mounted::new().await;
    let queues = app.all(".queue");
    assert_eq!(queues.len(), 7);
    for queue in queues {
        assert_eq!(queue.get_attribute("data-count").as_deref(), Some("0"));
        assert!(queue.query_selector(".callback").unwrap().is_none());
        assert!(queue.query_selector(".empty").unwrap().is_some());
    }
    for id in ["call-stack", "console", "requests"] {
        assert!(
            app.by_test_id(id)
                .query_selector(".empty")
                .unwrap()
                .is_some(),
            "{id} should say it is empty"
        );
    }
}

#[wasm_bindgen_test]
async fn run_and_step_wait_for_the_engine() {
    let app = Mounted::new().await;
    for id in ["run", "step", "reset"] {
        let button: HtmlButtonElement = app.by_test_id(id).dyn_into().unwrap();
        assert!(button.disabled(), "{id} should start disabled");
    }
}

#[wasm_bindgen_test]
async fn editing_the_program_enables_reset_which_restores_the_sample() {
    let app = Mounted::new().await;
    let editor: HtmlTextAreaElement = app
        .by_test_id("program-editor")
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let sample = editor.value();
    assert!(
        sample.contains("setImmediate"),
        "sample program expected, got {sample:?}"
    );

    editor.set_value("console.log('hi');");
    let init = EventInit::new();
    init.set_bubbles(true);
    editor
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    app.settle().await;

    let reset: HtmlButtonElement = app.by_test_id("reset").dyn_into().unwrap();
    assert!(!reset.disabled(), "reset should be enabled after an edit");
    reset.click();
    app.settle().await;

    assert_eq!(editor.value(), sample);
    assert!(reset.disabled());
}
