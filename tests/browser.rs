//! Browser tests: mount the real app (and single components) in headless Chromium and drive it
//! through its `data-testid`s. Run with
//! `cargo test --target wasm32-unknown-unknown -p looplab-web --test browser`
//! (the runner, wasm-bindgen-test-runner, is set in .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, Event, EventInit, HtmlButtonElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit,
};
use yew::AppHandle;

use looplab_web::catalog::QueueKind;
use looplab_web::components::{QueueLane, QueueLaneProps};
use looplab_web::view::{Item, QueueView, QUEUE_LIMIT};
use looplab_web::App;

wasm_bindgen_test_configure!(run_in_browser);

/// A freshly mounted app in its own `<div>`, removed again on drop.
struct Mounted {
    root: Element,
    handle: Option<AppHandle<App>>,
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(5)).await;
}

impl Mounted {
    async fn new() -> Mounted {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
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
        for _ in 0..400 {
            if let Some(el) = self.root.query_selector(selector).unwrap() {
                return el;
            }
            tick().await;
        }
        panic!("nothing matched {selector:?} within two seconds");
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

    fn text(&self, id: &str) -> String {
        self.by_test_id(id).text_content().unwrap_or_default()
    }

    fn button(&self, id: &str) -> HtmlButtonElement {
        self.by_test_id(id).dyn_into().unwrap()
    }

    fn editor(&self) -> HtmlTextAreaElement {
        self.by_test_id("program-editor")
            .query_selector("textarea")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap()
    }

    /// Clicks `step` until `done` holds (bounded).
    async fn step_until(&self, what: &str, done: impl Fn(&Mounted) -> bool) {
        for _ in 0..300 {
            if done(self) {
                return;
            }
            self.button("step").click();
            self.settle().await;
        }
        panic!("never saw {what}");
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

fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn shows_the_name_and_tagline() {
    let app = Mounted::new().await;
    let title = app.wait_for("h1").await;
    assert_eq!(title.text_content().unwrap(), "Looplab");
    let text = app.root.text_content().unwrap();
    assert!(text.contains(
        "The Node.js event loop, live: libuv's phases, Node's queues and the thread pool"
    ));
}

#[wasm_bindgen_test]
async fn every_region_and_control_has_its_test_id() {
    let app = Mounted::new().await;
    for id in [
        "program-editor",
        "run-program",
        "preset-select",
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
        "pool-queue",
        "pool-size",
        "console",
        "error",
        "route-select",
        "send-request",
        "burst-size",
        "send-burst",
        "rate",
        "start-rate",
        "stop-rate",
        "requests",
        "play",
        "pause",
        "step",
        "step-phase",
        "step-iteration",
        "step-back",
        "speed",
        "reset",
        "caption",
    ] {
        app.by_test_id(id);
    }
}

#[wasm_bindgen_test]
async fn nothing_runs_before_play_or_step() {
    let app = Mounted::new().await;
    let phases = app.all("[data-testid^='phase-']");
    assert_eq!(phases.len(), 7);
    assert!(phases
        .iter()
        .all(|p| p.get_attribute("data-active").as_deref() == Some("false")));
    assert!(app.text("loop-iteration").contains('0'));
    assert!(app.text("clock").contains("0.000 ms"));
    let workers = app.all("[data-testid='worker']");
    assert_eq!(workers.len(), 4);
    assert!(workers
        .iter()
        .all(|w| w.get_attribute("data-state").as_deref() == Some("idle")));
    for q in app.all(".queue") {
        assert_eq!(q.get_attribute("data-count").as_deref(), Some("0"));
    }
    assert!(app.all("[data-testid='stack-frame']").is_empty());
    assert!(app.all("[data-testid='console-line']").is_empty());
    assert!(
        app.button("send-request").disabled(),
        "no server listens yet"
    );
    assert!(app.button("step-back").disabled());
    assert!(!app.button("play").disabled());
    assert!(app.button("pause").disabled());
}

#[wasm_bindgen_test]
async fn a_request_travels_from_the_socket_to_the_stack_and_the_kernel() {
    let app = Mounted::new().await;
    app.step_until("the server listening", |a| {
        a.text("console").contains("listening on 3000")
    })
    .await;
    app.step_until("the idle server", |a| {
        !a.button("send-request").disabled() && a.text("caption").contains("The server is idle")
    })
    .await;
    app.button("send-request").click();
    app.settle().await;
    let req = app
        .wait_for("[data-testid='request'][data-state='waiting']")
        .await;
    assert!(req.text_content().unwrap().contains("GET /users/1"));
    app.step_until("the handler on the stack", |a| {
        a.text("call-stack").contains("onconnection (request)")
    })
    .await;
    assert!(
        app.text("caption").contains("request #1 arrived"),
        "{}",
        app.text("caption")
    );
    assert!(
        app.text("queue-poll").contains("onQueryReply"),
        "the query waits in the kernel"
    );
    assert_eq!(
        app.by_test_id("phase-poll")
            .get_attribute("data-active")
            .as_deref(),
        Some("true")
    );
    assert!(
        app.root
            .query_selector(".code-hl .line.current")
            .unwrap()
            .is_some(),
        "the running line is highlighted"
    );
    app.step_until("the response", |a| {
        !a.all("[data-testid='request'][data-state='done']")
            .is_empty()
    })
    .await;
    assert!(app.text("console").contains("Request received for user 1"));
    // Step back replays one step earlier: the request is in flight again.
    app.button("step-back").click();
    app.settle().await;
    assert!(app
        .all("[data-testid='request'][data-state='done']")
        .is_empty());
}

#[wasm_bindgen_test]
async fn run_program_runs_the_edited_source_and_errors_go_to_their_region() {
    let app = Mounted::new().await;
    let speed: HtmlSelectElement = app.by_test_id("speed").dyn_into().unwrap();
    speed.set_value("max");
    fire(&speed, "change");
    app.settle().await;
    let editor = app.editor();
    editor.set_value("console.log('hi');\nsetTimeout(() => { throw new Error('boom'); }, 5);\n");
    fire(&editor, "input");
    app.settle().await;
    assert_eq!(app.text("run-program"), "Run edited");
    app.button("run-program").click();
    let line = app.wait_for("[data-testid='console-line']").await;
    assert_eq!(line.text_content().unwrap(), "hi");
    app.wait_for(".error:not(.error-empty)").await;
    assert!(app.text("error").contains("Error: boom"));
    assert!(!app.text("console-line").contains("boom"));
}

#[wasm_bindgen_test]
async fn presets_load_into_the_editor_and_the_pool_size_changes_the_workers() {
    let app = Mounted::new().await;
    let select: HtmlSelectElement = app.by_test_id("preset-select").dyn_into().unwrap();
    select.set_value("pool-saturation");
    fire(&select, "change");
    app.settle().await;
    assert!(app.editor().value().contains("crypto.pbkdf2"));
    assert!(
        app.root
            .query_selector(".code-hl .tok-kw")
            .unwrap()
            .is_some(),
        "keywords are highlighted"
    );
    let pool: HtmlInputElement = app.by_test_id("pool-size").dyn_into().unwrap();
    pool.set_value("8");
    fire(&pool, "change");
    app.settle().await;
    assert_eq!(app.all("[data-testid='worker']").len(), 8);
    app.step_until("six busy workers", |a| {
        a.all("[data-testid='worker'][data-state='busy']").len() == 6
    })
    .await;
    assert_eq!(
        app.by_test_id("pool-queue")
            .get_attribute("data-count")
            .as_deref(),
        Some("0")
    );
}

#[wasm_bindgen_test]
async fn a_number_field_shows_the_value_kept() {
    // Out of range is clamped in the field too, also when the clamped value is the one kept
    // already (then nothing draws the pane again: the field itself must be put right).
    use looplab_web::settings::{BURST, POOL_SIZE, RATE};
    let app = Mounted::new().await;
    for (id, typed, kept) in [
        ("burst-size", "5000", BURST.max),
        ("burst-size", "5000", BURST.max),
        ("burst-size", "0", BURST.min),
        ("burst-size", "-3", BURST.min),
        ("rate", "5000", RATE.max),
        ("rate", "5000", RATE.max),
        ("pool-size", "40", POOL_SIZE.max),
        ("pool-size", "40", POOL_SIZE.max),
        ("pool-size", "many", POOL_SIZE.max),
    ] {
        let field: HtmlInputElement = app.by_test_id(id).dyn_into().unwrap();
        field.set_value(typed);
        fire(&field, "change");
        app.settle().await;
        let field: HtmlInputElement = app.by_test_id(id).dyn_into().unwrap();
        assert_eq!(
            field.value(),
            kept.to_string(),
            "{id} after typing {typed:?}"
        );
    }
    assert_eq!(
        app.all("[data-testid='worker']").len(),
        POOL_SIZE.max as usize
    );
}

#[wasm_bindgen_test]
async fn keyboard_shortcuts_step_and_step_back() {
    let app = Mounted::new().await;
    let key = |k: &str| {
        let init = KeyboardEventInit::new();
        init.set_key(k);
        init.set_bubbles(true);
        document()
            .body()
            .unwrap()
            .dispatch_event(
                &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
            )
            .unwrap();
    };
    // The shortcut listener is installed by an effect, after the first render.
    app.settle().await;
    key("ArrowRight");
    app.settle().await;
    key("ArrowRight");
    app.settle().await;
    let step = || {
        app.root
            .query_selector(".caption-step")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(step(), "step 2");
    key("ArrowLeft");
    app.settle().await;
    assert_eq!(step(), "step 1");
}

#[wasm_bindgen_test]
async fn a_long_queue_draws_a_few_items_and_a_count() {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let items: Vec<Item> = (0..QUEUE_LIMIT as u64)
        .map(|i| Item {
            id: i,
            tag: None,
            label: format!("cb{i}"),
            detail: String::new(),
        })
        .collect();
    let props = QueueLaneProps {
        queue: QueueView {
            kind: QueueKind::Check,
            count: 1000,
            items,
        },
    };
    let handle = yew::Renderer::<QueueLane>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    let lane = root
        .query_selector("[data-testid='queue-check']")
        .unwrap()
        .unwrap();
    assert_eq!(lane.get_attribute("data-count").as_deref(), Some("1000"));
    assert_eq!(
        lane.query_selector_all("[data-testid='queue-item']")
            .unwrap()
            .length() as usize,
        QUEUE_LIMIT
    );
    assert!(lane
        .text_content()
        .unwrap()
        .contains(&format!("+ {} more", 1000 - QUEUE_LIMIT)));
    handle.destroy();
    root.remove();
}

/// Renders one component with `props` into a fresh `<div>`, runs `check` on it, then cleans up.
async fn with_component<C>(props: C::Properties, check: impl FnOnce(&Element))
where
    C: yew::BaseComponent,
{
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    check(&root);
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_thread_pool_draws_one_lane_per_worker_and_its_queue() {
    use looplab_web::components::{ThreadPool, ThreadPoolProps};
    use looplab_web::view::{Job, Worker};
    let workers = (0..6)
        .map(|index| Worker {
            index,
            job: (index < 2).then(|| Job {
                id: 10 + index as u64,
                tag: (index == 0).then_some(7),
                label: "crypto.pbkdf2".into(),
                progress: 0.5,
                left_ms: 30.0,
            }),
        })
        .collect();
    let queue = QueueView {
        kind: QueueKind::PoolQueue,
        count: 3,
        items: vec![Item {
            id: 1,
            tag: None,
            label: "fs.open".into(),
            detail: String::new(),
        }],
    };
    with_component::<ThreadPool>(ThreadPoolProps { workers, queue }, |root| {
        let lanes = root.query_selector_all("[data-testid='worker']").unwrap();
        assert_eq!(lanes.length(), 6);
        assert_eq!(
            root.query_selector_all("[data-state='busy']")
                .unwrap()
                .length(),
            2
        );
        let busy = root.query_selector("[data-state='busy']").unwrap().unwrap();
        assert_eq!(
            busy.get_attribute("data-task").as_deref(),
            Some("10"),
            "a busy lane carries its job's task id"
        );
        assert!(root
            .query_selector("[data-place='worker'] [data-task]")
            .unwrap()
            .is_some());
        assert!(busy.text_content().unwrap().contains("crypto.pbkdf2"));
        assert_eq!(
            busy.get_attribute("aria-label").as_deref(),
            Some("worker 1: crypto.pbkdf2 for request #7 (50%)")
        );
        let pool_queue = root
            .query_selector("[data-testid='pool-queue']")
            .unwrap()
            .unwrap();
        assert_eq!(pool_queue.get_attribute("data-count").as_deref(), Some("3"));
        assert!(pool_queue.text_content().unwrap().contains("+ 2 more"));
    })
    .await;
}

#[wasm_bindgen_test]
async fn stack_frames_carry_their_task_and_the_callback_is_the_origin_of_what_it_schedules() {
    use looplab_web::components::{CallStack, CallStackProps};
    use looplab_web::view::Frame;
    let frames = vec![
        Frame {
            label: "onconnection (request)".into(),
            kind: "I/O (epoll)".into(),
            host: false,
            tag: Some(3),
            task: Some(7),
        },
        Frame {
            label: "db.query".into(),
            kind: "host call".into(),
            host: true,
            tag: None,
            task: None,
        },
    ];
    with_component::<CallStack>(CallStackProps { frames }, |root| {
        let stack = root
            .query_selector("[data-place='call-stack']")
            .unwrap()
            .expect("the stack is a place flights land in");
        let drawn = stack
            .query_selector_all("[data-testid='stack-frame']")
            .unwrap();
        assert_eq!(drawn.length(), 2);
        let callback = stack
            .query_selector("[data-task='7']")
            .unwrap()
            .expect("the callback's frame has its task id");
        assert_eq!(
            callback.get_attribute("data-origin").as_deref(),
            Some("true")
        );
        assert_eq!(
            callback
                .query_selector(".frame-label")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            "#3 onconnection (request)",
            "the request it belongs to comes first"
        );
        assert_eq!(
            stack.query_selector_all("[data-origin]").unwrap().length(),
            1,
            "host calls are not origins"
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_editor_numbers_lines_and_highlights_the_current_one() {
    use looplab_web::components::{Editor, EditorProps};
    let props = EditorProps {
        source: "const a = 1;\n// two\nawait f('x');".into(),
        current_line: Some(3),
        on_change: yew::Callback::noop(),
        on_run: yew::Callback::noop(),
        follow: true,
        readonly: false,
        children: yew::Html::default(),
    };
    with_component::<Editor>(props, |root| {
        assert_eq!(root.query_selector_all(".gutter li").unwrap().length(), 3);
        let current = root
            .query_selector(".code-hl .line.current")
            .unwrap()
            .unwrap();
        assert_eq!(current.get_attribute("data-line").as_deref(), Some("3"));
        assert_eq!(
            root.query_selector(".tok-com")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            "// two"
        );
        assert_eq!(
            root.query_selector(".tok-str")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            "'x'"
        );
        let textarea: HtmlTextAreaElement = root
            .query_selector("textarea")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        assert_eq!(textarea.value(), "const a = 1;\n// two\nawait f('x');");
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_console_keeps_errors_in_their_own_region() {
    use looplab_web::components::{Console, ConsoleProps};
    use looplab_web::view::ConsoleView;
    let props = ConsoleProps {
        console: ConsoleView {
            lines: vec![(201, "late".into())],
            total: 201,
        },
        error: "Error: boom\n    at x".into(),
        exited: Some(1),
        live: false,
    };
    with_component::<Console>(props, |root| {
        let lines = root
            .query_selector_all("[data-testid='console-line']")
            .unwrap();
        assert_eq!(lines.length(), 1);
        assert!(root.text_content().unwrap().contains("… 200 earlier lines"));
        assert!(root.text_content().unwrap().contains("exited with code 1"));
        let error = root
            .query_selector("[data-testid='error']")
            .unwrap()
            .unwrap();
        assert!(error.text_content().unwrap().contains("Error: boom"));
        assert!(!lines
            .item(0)
            .unwrap()
            .text_content()
            .unwrap()
            .contains("boom"));
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_console_playing_fast_draws_only_its_latest_lines() {
    use looplab_web::components::{Console, ConsoleProps, LIVE_LINES};
    use looplab_web::view::ConsoleView;
    let console = ConsoleView {
        lines: (101..=200).map(|n| (n, format!("line {n}"))).collect(),
        total: 200,
    };
    let props = |live| ConsoleProps {
        console: console.clone(),
        error: "".into(),
        exited: None,
        live,
    };
    with_component::<Console>(props(true), |root| {
        let lines = root
            .query_selector_all("[data-testid='console-line']")
            .unwrap();
        // The latest lines that fit in the pane (here, in the window: the test page has no
        // stylesheet, so the pane grows with what it draws), never all of them.
        let drawn = lines.length() as usize;
        let window = web_sys::window()
            .unwrap()
            .inner_height()
            .unwrap()
            .as_f64()
            .unwrap();
        assert!(
            (4..=LIVE_LINES.max((window / 19.375).ceil() as usize + 2)).contains(&drawn),
            "{drawn} lines drawn"
        );
        let last = lines.item(lines.length() - 1).unwrap();
        assert_eq!(last.text_content().unwrap(), "line 200");
        let skipped = format!("… {} earlier lines", 200 - drawn);
        assert!(root.text_content().unwrap().contains(&skipped));
        assert!(root.query_selector(".console-live").unwrap().is_some());
    })
    .await;
    with_component::<Console>(props(false), |root| {
        let lines = root
            .query_selector_all("[data-testid='console-line']")
            .unwrap();
        assert_eq!(lines.length(), 100);
        assert!(root.text_content().unwrap().contains("… 100 earlier lines"));
        assert!(root.query_selector(".console-live").unwrap().is_none());
    })
    .await;
}
