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

/// Forgets the run's history, so going back replays (as for a step before a rebuilt run's
/// history starts).
fn forget(r: &mut Runner) {
    r.forget_from(0);
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
    forget(&mut r);
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
    // Back again while it replays: one step further (the history keeps only what came after
    // the replay started, so this replays too).
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
    forget(&mut r);
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
    forget(&mut r);
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
            r.play_step(None);
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

/// A server with requests of every kind in flight (the database, the pool, the CPU, the
/// console), and the views of `n` steps from there: `views[i]` is step `first + i`'s.
fn busy_run(n: u64) -> (Runner, u64, Vec<View>) {
    let mut r = server();
    for route in [
        "/users/:id",
        "/files/report",
        "/login",
        "/users/:id",
        "/report/cpu",
        "/users/:id",
    ] {
        r.send_route("GET", route);
    }
    let first = r.steps();
    let mut views = vec![r.view()];
    for _ in 0..n {
        r.step();
        views.push(r.view());
    }
    (r, first, views)
}

/// `got` as `expected` shows it, but for what says where the present is.
fn same_moment(got: &View, expected: &View, what: &str) {
    let mut got = got.clone();
    got.present = expected.present;
    got.history_bytes = expected.history_bytes;
    assert_eq!(&got, expected, "{what}");
}

#[test]
fn any_step_the_history_keeps_is_shown_at_once_as_stepping_there_showed_it() {
    let (mut r, first, views) = busy_run(400);
    let present = r.steps();
    assert_eq!(r.history_from(), 0);
    // Across blocks, back and forth, without replaying anything.
    for k in [
        first + 300,
        first,
        first + 1,
        present - 1,
        first + 64,
        first + 63,
        first + 200,
    ] {
        assert!(!r.go_back_to(k), "step {k} is at once");
        assert_eq!(r.rewinding(), None);
        let got = r.view();
        assert_eq!((got.steps, got.present), (k, present));
        same_moment(&got, &views[(k - first) as usize], &format!("step {k}"));
    }
    // Back to the present: the live run again.
    assert!(r.show(present));
    assert_eq!(r.cursor(), None);
    same_moment(&r.view(), views.last().unwrap(), "the present");
}

#[test]
fn stepping_through_the_past_shows_each_step_then_the_live_run_goes_on() {
    let (mut r, first, views) = busy_run(150);
    let present = r.steps();
    // Step back one at a time from the present: each at once.
    for k in (first..present).rev().take(20) {
        r.step_back();
        assert_eq!(r.rewinding(), None);
        same_moment(
            &r.view(),
            &views[(k - first) as usize],
            &format!("back to {k}"),
        );
    }
    // And forward again, to the present and past it.
    assert!(r.show(first + 3));
    for k in first + 4..=present {
        r.step();
        same_moment(
            &r.view(),
            &views[(k - first) as usize],
            &format!("forward to {k}"),
        );
    }
    assert_eq!(r.cursor(), None);
    r.step();
    assert_eq!(r.steps(), present + 1, "the live run takes the next step");
    // Playing through the past also ends in the live run.
    assert!(r.show(first));
    while r.cursor().is_some() {
        r.play_step(None);
    }
    assert_eq!(r.steps(), present + 1);
}

#[test]
fn step_phase_and_iteration_in_the_past_stop_where_the_phase_and_iteration_change() {
    let (mut r, first, views) = busy_run(200);
    assert!(r.show(first));
    r.step_iteration();
    let k = r.steps();
    assert!(k > first + 1);
    assert_ne!(views[(k - first) as usize].iteration, views[0].iteration);
    assert_eq!(
        views[(k - first - 1) as usize].iteration,
        views[0].iteration
    );
    let (phase, iteration) = (r.view().phase, r.view().iteration);
    r.step_phase();
    let v = r.view();
    assert!(v.phase != phase || v.iteration != iteration);
}

#[test]
fn going_on_from_the_past_drops_the_old_future_and_equals_a_run_that_went_that_way() {
    let (mut a, first, _) = busy_run(300);
    let k = first + 120;
    assert!(a.show(k));
    let id = a.send_route("GET", "/users/:id");
    assert!(
        id.is_some(),
        "a short replay lands at once and the request goes in"
    );
    assert_eq!((a.cursor(), a.steps()), (None, k));
    assert_eq!(a.history.end(), k + 1, "the old future is dropped");
    assert!(
        a.view()
            .caption
            .starts_with(&format!("A new future from step {k}")),
        "{}",
        a.view().caption
    );
    for _ in 0..80 {
        a.step();
    }
    // The same run, sent that request at that step without going back.
    let (mut b, _, _) = busy_run(120);
    assert_eq!(b.send_route("GET", "/users/:id"), id);
    for _ in 0..80 {
        b.step();
    }
    same_moment(&a.view(), &b.view(), "the same run");
    // And its history is that run's: back to a step of the new future.
    assert!(a.show(k + 40));
    let (mut c, _, _) = busy_run(120);
    c.send_route("GET", "/users/:id");
    for _ in 0..40 {
        c.step();
    }
    same_moment(&a.view(), &c.view(), "a step of the new future");
}

#[test]
fn going_on_from_a_far_past_waits_for_the_replay_then_sends() {
    let mut r = server();
    for _ in 0..200 {
        r.send_route("GET", "/users/:id");
    }
    while r.steps() < REWIND_AT_ONCE + 60 {
        r.step();
    }
    let k = REWIND_AT_ONCE + 20;
    let sent = r.requests_sent();
    assert!(r.show(k));
    assert_eq!(
        r.send_route("GET", "/users/:id"),
        None,
        "it waits for the replay"
    );
    assert!(r.rewinding().is_some());
    r.send_route("GET", "/users/:id");
    while r.rewind(200).is_some() {}
    assert_eq!(r.steps(), k);
    let v = r.view();
    assert_eq!(v.requests.total as u64, r.requests_sent());
    assert_eq!(
        r.requests_sent(),
        sent + 2,
        "both requests went in after the replay"
    );
    assert!(
        v.caption
            .starts_with(&format!("A new future from step {k}")),
        "{}",
        v.caption
    );
}

#[test]
fn a_step_before_the_history_is_reached_by_replay() {
    let (mut r, first, views) = busy_run(60);
    forget(&mut r);
    assert!(!r.show(first + 10));
    r.go_back_to(first + 10);
    assert_eq!(r.rewinding(), None, "a short replay, at once");
    let v = r.view();
    assert_eq!(v.queues, views[10].queues);
    assert_eq!(v.console, views[10].console);
}

#[test]
fn the_history_costs_a_few_hundred_bytes_a_step() {
    let (r, first, _) = busy_run(3_000);
    let per_step = r.history_bytes() as f64 / (r.steps() - r.history_from()) as f64;
    eprintln!(
        "history: {per_step:.0} bytes a step over {} steps",
        r.steps() - first
    );
    assert!(per_step < 640.0, "{per_step:.0} bytes a step");
}

#[test]
fn the_timeline_puts_every_callback_in_its_step_and_each_worker_does_one_job_at_a_time() {
    let (r, first, views) = busy_run(400);
    let t = r.timeline();
    assert_eq!(t.end_step(), r.present() + 1);
    // Each step's end is the time the view showed after it.
    for (i, v) in views.iter().enumerate().skip(1) {
        assert_eq!(t.time_of(first + i as u64), v.now_us, "step {}", v.steps);
    }
    // A callback runs within its step: after the step before ended, done by its end.
    for b in &t.main {
        let before = if b.step > t.first_step {
            t.time_of(b.step - 1)
        } else {
            0
        };
        assert!(
            b.start_us >= before && b.end_us() <= t.time_of(b.step),
            "{} at {}..{} in step {} ({before}..{})",
            t.label(b.label),
            b.start_us,
            b.end_us(),
            b.step,
            t.time_of(b.step)
        );
    }
    let labels: Vec<&str> = t.main.iter().map(|b| t.label(b.label)).collect();
    assert!(labels.contains(&"onconnection (request)"), "{labels:?}");
    let mut jobs = 0;
    for lane in &t.workers {
        for w in lane.windows(2) {
            assert!(w[0].end_us() <= w[1].start_us, "{w:?}");
        }
        jobs += lane.len();
    }
    assert!(
        jobs >= 2,
        "the file and the hash routes use the pool: {jobs}"
    );
    // Requests: one arrival each, and the response the Requests pane shows.
    let v = views.last().unwrap();
    for row in v
        .requests
        .rows
        .iter()
        .filter(|r| r.state == RequestState::Done)
    {
        let answered: Vec<_> = t
            .requests
            .iter()
            .filter(|e| e.id == row.id && e.latency_us.is_some())
            .collect();
        assert_eq!(answered.len(), 1, "request {}", row.id);
        assert!((answered[0].latency_us.unwrap() as f64 / 1000.0 - row.ms).abs() < 1e-9);
    }
    let arrivals = t.requests.iter().filter(|e| e.latency_us.is_none()).count();
    assert_eq!(arrivals, 6);
}

#[test]
fn the_pages_copy_of_the_timeline_follows_steps_replays_and_branches() {
    let mut r = server();
    let mut page = crate::timeline::Timeline::default();
    for _ in 0..3 {
        r.send_route("GET", "/files/report");
    }
    for i in 0..200 {
        r.step();
        if i % 9 == 0 {
            page.apply(r.timeline_since());
        }
    }
    page.apply(r.timeline_since());
    assert_eq!(&page, r.timeline());
    // A new future from the past: the replayed run's timeline replaces it.
    assert!(r.show(120));
    r.send_route("GET", "/users/:id");
    for _ in 0..30 {
        r.step();
    }
    page.apply(r.timeline_since());
    assert_eq!(&page, r.timeline());
    assert_eq!(r.timeline().end_step(), r.present() + 1);
    assert!(r.timeline().main.iter().all(|b| b.step <= r.present()));
}

#[test]
fn back_from_the_oldest_step_kept_goes_one_step_before_it() {
    let (mut r, _, _) = busy_run(60);
    // The history of a run opened from a link starts at its step.
    let start = r.present();
    r.history.restart(start);
    for _ in 0..10 {
        r.step();
    }
    assert!(r.show(start));
    r.step_back();
    assert_eq!(r.rewinding(), None, "a short replay, at once");
    assert_eq!((r.steps(), r.present()), (start - 1, start - 1));
    // At step 0 there is nothing before.
    let (mut r, _, _) = busy_run(5);
    assert!(r.show(0));
    assert!(!r.begin_step_back());
    assert_eq!(r.steps(), 0);
}

#[test]
fn after_a_branch_the_past_keeps_its_console_even_when_the_session_forgot_its_writes() {
    // More writes than the session keeps (it forgets all but its last thousand or so).
    // A line a step, 3,000 of them: the live console numbers every one, a replay's session
    // keeps only the last.
    let mut r = Runner::new(
        "let i = 0; const t = setInterval(() => { console.log('line', i); if (++i === 3000) clearInterval(t); }, 1);\n\
         require('http').createServer((q, s) => { console.log('request'); s.end(); }).listen(3000);",
        4,
    );
    r.run_to_idle();
    let present = r.present();
    let before = r.view();
    for _ in 0..5 {
        r.send_route("GET", "/");
    }
    for _ in 0..60 {
        r.step();
    }
    assert!(r.show(present));
    // A long replay: the request waits for it. (The five were sent at that step, before the
    // next: a replay to it sends them too.)
    assert_eq!(r.send_route("GET", "/"), None);
    while r.rewind(10_000).is_some() {}
    assert_eq!((r.present(), r.requests_sent()), (present, 6));
    let v = r.view();
    assert_eq!(v.console, before.console, "the console at the branch");
    assert!(v.console.total >= 3000, "{:?}", v.console.lines.last());
}

#[test]
fn what_is_kept_for_going_back_stays_within_one_budget_as_a_whole() {
    // A chatty run: a line printed every millisecond, so the console lines, the timeline and
    // the moments all grow. With a budget smaller than the three would take, the moments
    // give way (oldest first) to keep the whole within it, and the newest steps stay.
    let budget = 1 << 20;
    let mut r = Runner::new(
        "let n = 0; setInterval(() => console.log('tick', ++n, 'x'.repeat(40)), 1);",
        4,
    );
    r.set_budget(budget);
    let mut most = 0;
    for i in 0..60_000 {
        r.step();
        if i % 500 == 0 {
            most = most.max(r.history_bytes());
        }
    }
    most = most.max(r.history_bytes());
    eprintln!(
        "kept {} B (most {most} B): moments from step {}, timeline {} B, console {} B",
        r.history_bytes(),
        r.history_from(),
        r.timeline.bytes(),
        r.console.bytes()
    );
    // (A moment's block of 64 is the unit dropped: within one block of the budget.)
    assert!(most <= budget + 64 * 1024, "{most} > {budget}");
    assert!(r.history_from() > 0, "the oldest moments went");
    let present = r.present();
    assert!(r.show(present - 1), "the newest steps stay");
    assert_eq!(r.view().steps, present - 1);
}

#[test]
fn a_step_played_fast_is_recorded_with_the_caption_stepping_there_shows() {
    // The moments recorded while playing fast name each operation (the file's stat, the hash,
    // the socket) as stepping there does.
    let source = "const fs = require('fs');\nconst crypto = require('crypto');\n\
        for (let i = 0; i < 6; i++) fs.stat(__filename, () => {});\n\
        crypto.pbkdf2('pw', 'salt', 1000, 16, 'sha256', () => {});\n\
        const server = require('net').createServer((c) => c.end()).listen(3000, () => {\n\
          require('net').connect(3000).on('close', () => server.close());\n});\n\
        setTimeout(() => {}, 1);";
    let mut fast = Runner::new(source, 4);
    while !fast.exited() {
        fast.play_step(None);
        assert!(fast.present() < 10_000);
    }
    let mut stepped = Runner::new(source, 4);
    let mut named = 0;
    for k in 1..fast.present() {
        stepped.step();
        assert!(fast.show(k));
        let (a, b) = (fast.view().caption, stepped.view().caption);
        assert_eq!(a, b, "step {k}");
        named += ["fs.stat", "crypto.pbkdf2"]
            .iter()
            .filter(|op| a.contains(*op))
            .count();
    }
    assert!(named >= 7, "the operations are named: {named}");
}
