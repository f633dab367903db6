//! The runner's behaviour, natively: routes, captions, the steady rate, step back, a thousand
//! requests, presets against real Node's output.

use super::*;
use crate::presets::{default_preset, preset, PRESETS};
use crate::view::RequestState;

fn server() -> Runner {
    let mut r = Runner::new(default_preset().source, 4);
    assert_eq!(r.run_to_idle(), Some(Step::AwaitingInput));
    assert_eq!(
        r.view().console.lines,
        vec![(1, "listening on 3000".to_owned())]
    );
    r
}

/// Steps until `pred` holds for the view (bounded).
fn until(r: &mut Runner, what: &str, pred: impl Fn(&View) -> bool) -> View {
    for _ in 0..500 {
        r.step();
        let v = r.view();
        if pred(&v) {
            return v;
        }
    }
    panic!("never saw: {what}");
}

fn queue(v: &View, kind: crate::catalog::QueueKind) -> Vec<String> {
    v.queue(kind)
        .items
        .iter()
        .map(|i| format!("{} [{}]", i.label, i.detail))
        .collect()
}

#[test]
fn the_database_route_waits_in_the_kernel_then_resumes_as_a_microtask() {
    use crate::catalog::QueueKind;
    let mut r = server();
    let id = r.send_route("GET", "/users/:id").unwrap();
    assert_eq!(r.view().requests.rows[0].url, "/users/1");
    assert_eq!(r.view().requests.rows[0].state, RequestState::Waiting);
    let v = until(&mut r, "the handler on the stack", |v| {
        v.stack.iter().any(|f| f.label == "onconnection (request)")
    });
    assert_eq!(v.stack.last().unwrap().label, "db.query", "{:?}", v.stack);
    assert_eq!(v.requests.rows[0].state, RequestState::Running);
    assert!(
        queue(&v, QueueKind::Poll)
            .iter()
            .any(|i| i.contains("onQueryReply") && i.contains("db.query: waiting in the kernel")),
        "{:?}",
        queue(&v, QueueKind::Poll)
    );
    assert!(v
        .console
        .lines
        .iter()
        .any(|(_, l)| l == "Request received for user 1"));
    assert_eq!(v.current_line, Some(12), "the db.query line");
    let v = until(&mut r, "the reply callback", |v| {
        v.stack.first().is_some_and(|f| f.label == "onQueryReply")
    });
    assert!(
        v.queue(QueueKind::Microtask).count >= 1,
        "the continuation waits as a microtask"
    );
    let v = until(&mut r, "the response", |v| v.requests.done == 1);
    let row = &v.requests.rows[0];
    assert_eq!(
        (row.id, row.status, row.state),
        (id, Some(200), RequestState::Done)
    );
    assert!(row.ms > 15.0 && row.ms < 40.0, "db latency {}", row.ms);
}

#[test]
fn the_file_route_makes_trips_through_the_pool() {
    let mut r = server();
    r.send_route("GET", "/files/report").unwrap();
    let v = until(&mut r, "a busy worker", |v| {
        v.workers.iter().any(|w| w.state() == "busy")
    });
    assert!(
        v.workers
            .iter()
            .any(|w| w.job.as_ref().is_some_and(|j| j.label.starts_with("fs."))),
        "{:?}",
        v.workers
    );
    let v = until(&mut r, "the response", |v| v.requests.done == 1);
    assert_eq!(v.requests.rows[0].status, Some(200));
}

#[test]
fn the_hash_route_keeps_a_worker_busy_for_about_75_ms() {
    let mut r = server();
    r.send_route("GET", "/login").unwrap();
    let v = until(&mut r, "a busy worker", |v| {
        v.workers.iter().any(|w| w.state() == "busy")
    });
    let job = v.workers.iter().find_map(|w| w.job.clone()).unwrap();
    assert_eq!(job.label, "crypto.pbkdf2");
    assert!(job.left_ms > 50.0, "{job:?}");
    let v = until(&mut r, "the response", |v| v.requests.done == 1);
    assert!(v.requests.rows[0].ms > 50.0);
}

#[test]
fn the_cpu_route_blocks_the_loop_for_50_ms() {
    let mut r = server();
    r.send_route("GET", "/report/cpu").unwrap();
    r.send_route("GET", "/users/:id").unwrap();
    let v = until(&mut r, "both responses", |v| v.requests.done == 2);
    let user = v
        .requests
        .rows
        .iter()
        .find(|row| row.url.starts_with("/users"))
        .unwrap();
    assert!(
        user.ms >= 50.0,
        "the user request waited behind the busy loop: {}",
        user.ms
    );
}

#[test]
fn every_finite_preset_runs_to_exit_0_without_errors() {
    for p in PRESETS.iter().filter(|p| !p.server) {
        let mut r = Runner::new(p.source, 4);
        assert_eq!(r.run_to_idle(), Some(Step::Exited(0)), "{}", p.key);
        let v = r.view();
        assert_eq!(v.stderr, "", "{}", p.key);
        assert!(v.console.total > 2, "{}", p.key);
    }
}

#[test]
fn presets_print_what_real_node_printed() {
    for p in PRESETS.iter().filter(|p| !p.server) {
        let expected = std::fs::read_to_string(format!(
            "{}/tests/e2e/expected/{}.out",
            env!("CARGO_MANIFEST_DIR"),
            p.key
        ))
        .unwrap();
        let mut r = Runner::new(p.source, 4);
        r.run_to_idle();
        let got: String = r
            .view()
            .console
            .lines
            .iter()
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        assert_eq!(got, expected, "{}", p.key);
    }
}

#[test]
fn pool_saturation_queues_two_jobs_behind_four_workers_and_none_with_six() {
    let p = preset("pool-saturation").unwrap();
    let mut r = Runner::new(p.source, 4);
    let v = until(&mut r, "four busy workers", |v| {
        v.workers.iter().filter(|w| w.state() == "busy").count() == 4
    });
    assert_eq!(v.pool_queue.count, 2);
    let mut r = Runner::new(p.source, 6);
    let v = until(&mut r, "six busy workers", |v| {
        v.workers.iter().filter(|w| w.state() == "busy").count() == 6
    });
    assert_eq!((v.pool_size, v.pool_queue.count), (6, 0));
}

#[test]
fn errors_go_to_stderr_not_the_console() {
    let mut r = Runner::new("console.log('a');\nconst x = ;\n", 4);
    assert_eq!(r.run_to_idle(), Some(Step::Exited(1)));
    let v = r.view();
    assert!(v.stderr.contains("SyntaxError"), "{}", v.stderr);
    assert!(v.stderr.contains("line 2"), "{}", v.stderr);
    assert!(v.console.lines.is_empty());
    let mut r = Runner::new("setTimeout(() => { throw new Error('boom'); }, 1);", 4);
    assert_eq!(r.run_to_idle(), Some(Step::Exited(1)));
    assert!(r.view().stderr.contains("Error: boom"));
    assert_eq!(r.view().exited, Some(1));
}

#[test]
fn a_long_step_back_replays_a_slice_at_a_time_and_can_go_further_back() {
    let mut r = server();
    for _ in 0..200 {
        r.send_route("GET", "/users/:id");
    }
    let mut views = Vec::new();
    while r.steps() < REWIND_AT_ONCE + 50 {
        r.step();
        views.push(r.view());
    }
    let now = r.view();
    assert!(r.begin_step_back(), "a long replay is left to rewind()");
    assert_eq!(r.rewinding(), Some((0, now.steps - 1)));
    let during = r.view();
    assert_eq!(during.steps, now.steps, "the present stays on screen");
    assert_eq!(during.queues, now.queues);
    assert!(
        during
            .caption
            .starts_with(&format!("Going back to step {}", now.steps - 1)),
        "{}",
        during.caption
    );
    // Back again while it replays: one step further.
    assert!(r.begin_step_back());
    assert_eq!(r.rewinding().map(|p| p.1), Some(now.steps - 2));
    let mut slices = 0;
    while let Some((done, target)) = r.rewind(100) {
        assert!(done <= target);
        slices += 1;
    }
    assert!(slices >= 15, "{slices} slices");
    let back = r.view();
    let expected = views.iter().find(|v| v.steps == now.steps - 2).unwrap();
    assert_eq!(back.steps, expected.steps);
    assert_eq!(back.queues, expected.queues);
    assert_eq!(back.requests, expected.requests);
    assert_eq!(back.console, expected.console);
    assert_eq!(back.rewinding, None);
    // Stepping forward gives up a rewind in progress.
    assert!(r.begin_step_back());
    r.step();
    assert_eq!(r.rewinding(), None);
    assert_eq!(r.view().steps, expected.steps + 1);
}

#[test]
fn going_back_further_than_a_replay_has_reached_starts_again_at_the_step_wanted() {
    let mut r = server();
    for _ in 0..200 {
        r.send_route("GET", "/users/:id");
    }
    while r.steps() < REWIND_AT_ONCE + 50 {
        r.step();
    }
    assert!(r.begin_step_back());
    r.rewind(40);
    let reached = r.rewinding().unwrap().0;
    assert_eq!(reached, 40);
    // Back, again and again, until the target is where the replay is ...
    while r.rewinding().unwrap().1 > reached {
        assert!(r.begin_step_back());
    }
    // ... and once more: it has passed that step, so it starts again, to the step wanted.
    r.begin_step_back();
    assert_eq!(r.rewinding(), None, "a short replay is done at once");
    assert_eq!(r.steps(), reached - 1);
}

#[test]
fn a_step_back_stops_the_steady_rate_even_when_given_up() {
    let mut r = server();
    r.start_rate("GET", "/users/:id", 50);
    while r.steps() < REWIND_AT_ONCE + 50 {
        r.play_step(None);
    }
    assert!(r.begin_step_back());
    assert!(r.rate().is_none());
    r.step();
    assert_eq!(r.rewinding(), None);
    assert!(
        r.rate().is_none(),
        "no request is sent by a rate the page shows as stopped"
    );
}

#[test]
fn every_pane_says_which_request_a_callback_belongs_to() {
    use crate::catalog::QueueKind;
    let mut r = server();
    r.send_route("GET", "/users/:id");
    r.send_route("GET", "/users/:id");
    let id = |v: &View| v.requests.rows[0].id; // the newest
    let v = r.view();
    let last = id(&v);
    assert!(
        v.queue(QueueKind::Poll)
            .items
            .iter()
            .any(|i| i.tag == Some(last)),
        "the socket watcher"
    );
    let v = until(&mut r, "the second handler", |v| {
        v.stack
            .first()
            .is_some_and(|f| f.label == "onconnection (request)" && f.tag == Some(last))
    });
    let watcher = v
        .queue(QueueKind::Poll)
        .items
        .iter()
        .find(|i| i.label == "onQueryReply" && i.tag == Some(last));
    assert!(
        watcher.is_some(),
        "its query waits in the kernel, tagged: {:?}",
        v.queue(QueueKind::Poll).items
    );
    let v = until(&mut r, "its continuation", |v| {
        v.queue(QueueKind::Microtask)
            .items
            .iter()
            .any(|i| i.tag == Some(last))
    });
    assert_eq!(
        v.stack.first().and_then(|f| f.tag),
        Some(last),
        "the reply callback that resolved it"
    );
    // A pool job carries its request too; the main script's work carries none.
    r.send_route("GET", "/login");
    let v = until(&mut r, "the hash on a worker", |v| {
        v.workers.iter().any(|w| w.job.is_some())
    });
    let job = v.workers.iter().find_map(|w| w.job.as_ref()).unwrap();
    assert_eq!(job.tag, Some(id(&v)));
    let mut fresh = Runner::new(crate::presets::preset("pool-saturation").unwrap().source, 4);
    fresh.step();
    assert!(fresh
        .view()
        .workers
        .iter()
        .filter_map(|w| w.job.as_ref())
        .all(|j| j.tag.is_none()));
}

#[test]
fn the_view_names_what_the_callback_queued() {
    let mut r = server();
    r.send_route("GET", "/users/:id");
    let v = until(&mut r, "the handler on the stack", |v| {
        v.stack.iter().any(|f| f.label == "onconnection (request)")
    });
    // The handler's db.query put a watcher in the poll lane: it is born in this step.
    let watcher = v
        .queue(crate::catalog::QueueKind::Poll)
        .items
        .iter()
        .find(|i| i.label == "onQueryReply")
        .expect("the watcher");
    assert!(
        v.born.contains(&watcher.id),
        "{:?} vs {}",
        v.born,
        watcher.id
    );
    // A step that runs no callback queues nothing.
    let v = until(&mut r, "a step without a callback", |v| v.stack.is_empty());
    assert!(v.born.is_empty(), "{:?}", v.born);
}

#[test]
fn step_back_replays_to_the_previous_view() {
    let mut r = server();
    r.send_route("GET", "/users/:id");
    let mut views = vec![r.view()];
    for _ in 0..12 {
        r.step();
        views.push(r.view());
    }
    for expected in views.iter().rev().skip(1) {
        r.step_back();
        let got = r.view();
        assert_eq!(got.steps, expected.steps);
        assert_eq!(got.queues, expected.queues);
        assert_eq!(got.workers, expected.workers);
        assert_eq!(got.console, expected.console);
        assert_eq!(got.requests, expected.requests);
    }
}

#[test]
fn a_steady_rate_sends_requests_in_virtual_time() {
    let mut r = server();
    let t0 = r.now();
    r.start_rate("GET", "/users/:id", 10);
    while r.now() < t0 + Micros::from_ms(1_000) {
        r.play_step(None);
    }
    let v = r.view();
    assert!(
        (10..=11).contains(&v.requests.total),
        "{} requests in a virtual second",
        v.requests.total
    );
    assert!(v.requests.done >= 9);
    r.stop_rate();
    assert_eq!(r.run_to_idle(), Some(Step::AwaitingInput));
    // Step back still replays the same run (limits and inputs are recorded).
    let before = r.view();
    r.step();
    r.step_back();
    assert_eq!(r.view().requests, before.requests);
}

#[test]
fn an_idle_server_is_idle_until_a_request_arrives() {
    let mut r = server();
    assert!(r.idle());
    r.send_route("GET", "/login");
    assert!(!r.idle(), "the request wakes playback up");
    r.run_to_idle();
    assert!(r.idle());
}

#[test]
fn fast_playback_skips_the_snapshot_but_still_names_the_request() {
    let mut r = server();
    r.send_route("GET", "/users/:id");
    let v = (0..50)
        .find_map(|_| {
            r.play_step_with(None, false);
            let v = r.view();
            v.stack
                .iter()
                .any(|f| f.label == "onconnection (request)")
                .then_some(v)
        })
        .expect("the handler ran");
    assert!(
        v.caption.starts_with("poll: request #1 arrived"),
        "{}",
        v.caption
    );
}

#[test]
fn a_thousand_requests_in_flight_stay_compact() {
    let mut r = server();
    for _ in 0..1000 {
        r.send_route("GET", "/users/:id").unwrap();
    }
    for _ in 0..300 {
        r.step();
    }
    let v = r.view();
    assert_eq!(v.requests.total, 1000);
    assert!(v.requests.in_flight() > 100);
    assert!(v.requests.rows.len() <= view::REQUEST_ROWS);
    for q in &v.queues {
        assert!(q.items.len() <= QUEUE_LIMIT);
    }
    assert!(
        v.queues.iter().map(|q| q.count).sum::<usize>() > 100,
        "long queues are counted, not drawn"
    );
}

#[test]
fn a_request_from_the_steady_rate_is_named_when_epoll_reports_it() {
    let mut r = server();
    r.start_rate("GET", "/users/:id", 1);
    let caption = (0..20)
        .find_map(|_| {
            r.play_step(None);
            let c = r.view().caption;
            c.starts_with("poll: epoll_wait returned").then_some(c)
        })
        .expect("epoll reported the request");
    assert!(caption.contains("HTTP request is ready"), "{caption}");
}
