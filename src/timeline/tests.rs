//! The timeline's layout and its copy on the page, natively (the runner's tests check what a
//! real run records).

use super::*;

fn block(step: u64, start_us: u64, dur_us: u64, phase: u8) -> Block {
    Block {
        step,
        start_us,
        dur_us,
        label: 0,
        phase,
    }
}

/// `n` callbacks of `dur` µs, one per step, `gap` µs apart.
fn run(n: u64, dur: u64, gap: u64) -> Timeline {
    let mut t = Timeline {
        labels: vec!["cb".into()],
        ..Timeline::default()
    };
    for k in 0..n {
        let start = k * (dur + gap);
        t.main.push(block(k + 1, start, dur, 5));
        t.ends.push(start + dur);
    }
    t.first_step = 1;
    t
}

#[test]
fn narrow_blocks_merge_and_nothing_is_lost() {
    let t = run(10_000, 10, 5);
    let (from, to) = t.span();
    let s = layout(&t, from, to, 1000.0);
    assert!(
        s.main.len() <= 1000 / MIN_PX as usize + 1,
        "{}",
        s.main.len()
    );
    assert_eq!(s.main.iter().map(|d| d.count).sum::<usize>(), 10_000);
    // A dense run is blocks of a few pixels each (at least MIN_PX wide, the last aside), not
    // one block over the whole run: a click lands on the part of the run under it.
    assert!(
        s.main.len() >= 1000 / (2 * MIN_PX as usize),
        "{}",
        s.main.len()
    );
    for pair in s.main.windows(2) {
        let (d, next) = (&pair[0], &pair[1]);
        assert!(
            next.x - d.x >= MIN_PX && d.w < 2.0 * MIN_PX,
            "{d:?} {next:?}"
        );
    }
    // Drawn blocks are in order and do not overlap.
    for w in s.main.windows(2) {
        assert!(w[0].x + w[0].w <= w[1].x + 1e-9, "{:?} {:?}", w[0], w[1]);
        assert!(w[0].step < w[1].step);
    }
    // Zoomed in on three callbacks: each is its own block, as wide as its CPU time.
    let s = layout(&t, 150, 195, 900.0); // [150, 195)
    let steps: Vec<u64> = s.main.iter().map(|d| d.step).collect();
    assert_eq!(steps, vec![11, 12, 13]);
    for d in &s.main {
        assert_eq!((d.count, d.dur_us, d.phase), (1, 10, "poll"));
        assert!(
            (d.w - 200.0).abs() < 1e-6,
            "10 µs of 45 µs in 900 px: {}",
            d.w
        );
    }
}

#[test]
fn a_click_lands_on_the_step_that_was_running_then() {
    let t = run(100, 10, 5);
    // Step k ran from 15(k-1) to 15(k-1)+10.
    assert_eq!(t.step_at(0), Some(1));
    assert_eq!(t.step_at(10), Some(1));
    assert_eq!(
        t.step_at(11),
        Some(2),
        "in the gap: the step that ends next"
    );
    assert_eq!(t.step_at(1_000_000), Some(100));
    assert_eq!(t.time_of(3), 40);
    assert_eq!(Timeline::default().step_at(5), None);
}

#[test]
fn few_requests_are_spans_in_rows_many_are_a_density_band() {
    let mut t = run(1000, 10, 990);
    fn add(t: &mut Timeline, id: u64, at: u64, done: Option<u64>) {
        t.requests.push(RequestEvent {
            step: 1,
            id,
            at_us: at,
            latency_us: None,
        });
        if let Some(d) = done {
            t.requests.push(RequestEvent {
                step: 2,
                id,
                at_us: d,
                latency_us: Some(d - at),
            });
        }
    }
    add(&mut t, 1, 100, Some(5_000));
    add(&mut t, 2, 200, Some(300));
    add(&mut t, 3, 400, None);
    let (from, to) = t.span();
    let RequestsDrawn::Spans(spans) = layout(&t, from, to, 1000.0).requests else {
        panic!("three requests are spans")
    };
    let rows: Vec<(usize, u64, bool)> = spans.iter().map(|s| (s.0, s.1, s.4)).collect();
    // 2 overlaps 1 (second row); 3 starts after 2 ended (back in the second row).
    assert_eq!(rows, vec![(0, 1, true), (1, 2, true), (1, 3, false)]);
    for id in 4..500 {
        add(&mut t, id, id * 1000, Some(id * 1000 + 2_000 + id));
    }
    let RequestsDrawn::Density {
        px,
        in_flight,
        p99_ms,
        max_in_flight,
        ..
    } = layout(&t, from, to, 1000.0).requests
    else {
        panic!("500 requests are a band")
    };
    // Little's law: arrivals at λ = 1 per ms, each in flight W = 2 to 2.5 ms; a column of Δ ms
    // sees those in flight at its start plus those arriving during it: λ·(W + Δ).
    let column_ms = px / 1000.0 * (to - from) as f64 / 1000.0;
    let (low, high) = (
        (2.0 + column_ms).floor() as u32,
        (2.5 + column_ms).ceil() as u32,
    );
    assert!(
        (low..=high).contains(&max_in_flight),
        "{max_in_flight} not in {low}..={high}"
    );
    let busy = &in_flight[1..in_flight.len() / 2];
    assert!(busy.iter().all(|&n| n >= low), "{busy:?}");
    // The p99 of each column's responses: request 1 (4.9 ms) in its column, elsewhere at
    // most 2.499 ms (request 499: 2,000 + 499 µs).
    let worst = p99_ms.iter().flatten().copied().fold(0.0, f64::max);
    assert_eq!(worst, 4.9);
    let later = p99_ms[3..].iter().flatten().copied().fold(0.0, f64::max);
    assert!((2.45..2.5).contains(&later), "{later}");
}

/// The band by its definition: each request (from its events, paired by id) counts in every
/// column from its arrival to its response that lies in the window.
fn band_by_definition(
    t: &Timeline,
    from: u64,
    to: u64,
    width: f64,
) -> (Vec<u32>, Vec<Option<f64>>) {
    let now = t.span().1;
    let mut by_id: std::collections::BTreeMap<u64, (u64, Option<u64>)> = Default::default();
    for r in &t.requests {
        match r.latency_us {
            None => {
                by_id.entry(r.id).or_insert((r.at_us, None));
            }
            Some(l) => {
                by_id.insert(r.id, (r.at_us - l, Some(r.at_us)));
            }
        }
    }
    let columns = (width / 4.0).ceil() as usize;
    let col = |t: u64| ((x_of(t, from, to, width) / 4.0) as usize).min(columns - 1);
    let mut in_flight = vec![0u32; columns];
    let mut latencies = vec![Vec::new(); columns];
    for &(a, d) in by_id.values() {
        if a > to || d.unwrap_or(now) < from {
            continue;
        }
        let last = match d {
            Some(d) if d <= to => col(d),
            _ => columns - 1,
        };
        for n in &mut in_flight[col(a.max(from))..=last] {
            *n += 1;
        }
        if let Some(d) = d.filter(|&d| d >= from && d <= to) {
            latencies[col(d)].push(d - a);
        }
    }
    let p99 = latencies
        .into_iter()
        .map(|mut ls: Vec<u64>| {
            ls.sort_unstable();
            (!ls.is_empty()).then(|| {
                ls[((ls.len() as f64 * 0.99).ceil() as usize).clamp(1, ls.len()) - 1] as f64
                    / 1000.0
            })
        })
        .collect();
    (in_flight, p99)
}

#[test]
fn the_density_band_counts_each_request_in_every_column_it_is_in_flight() {
    // 3,000 requests arriving in time order with latencies of 0-40 ms; the first 200
    // arrivals dropped (as the log's older half is), so their responses stand alone; the
    // last 50 never answered.
    let mut t = run(1000, 10, 90);
    let mut x: u64 = 7;
    let mut answers = Vec::new();
    for id in 0..3_000u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let a = id * 33;
        let l = (x >> 33) % 40_000;
        if id >= 200 {
            t.requests.push(RequestEvent {
                step: 1,
                id,
                at_us: a,
                latency_us: None,
            });
        }
        if id < 2_950 {
            answers.push(RequestEvent {
                step: 2,
                id,
                at_us: a + l,
                latency_us: Some(l),
            });
        }
    }
    answers.sort_by_key(|r| r.at_us);
    t.requests.extend(answers);
    let end = t.span().1;
    for (from, to) in [(0, end), (5_000, 20_000), (60_000, 61_000), (90_000, end)] {
        let RequestsDrawn::Density {
            in_flight, p99_ms, ..
        } = layout(&t, from, to, 400.0).requests
        else {
            panic!("thousands of requests are a band ({from}..{to})")
        };
        let (want_in_flight, want_p99) = band_by_definition(&t, from, to, 400.0);
        assert_eq!(in_flight, want_in_flight, "in flight, {from}..{to}");
        assert_eq!(p99_ms, want_p99, "p99, {from}..{to}");
    }
}

#[test]
fn the_pages_copy_follows_the_deltas_and_starts_again_after_a_rebuild() {
    let full = run(50, 10, 5);
    let mut log = TimelineLog::default();
    let mut page = Timeline::default();
    // The page asks before the first step is read.
    page.apply(log.since());
    for k in 0..50 {
        log.data.main.push(full.main[k]);
        log.data.ends.push(full.ends[k]);
        if k == 0 {
            log.data.first_step = 1;
            log.data.labels = full.labels.clone();
        }
        if k % 7 == 0 {
            page.apply(log.since());
        }
    }
    page.apply(log.since());
    assert_eq!(page, log.data);
    assert_eq!(
        page.apply_clone(log.since()),
        page,
        "nothing new, nothing changes"
    );
    let mut rebuilt = TimelineLog::default();
    rebuilt.data = run(3, 1, 1);
    log.replace_with(rebuilt);
    page.apply(log.since());
    assert_eq!(page, run(3, 1, 1));
}

#[test]
fn the_text_alternative_names_what_ran_and_who_waits() {
    let mut t = run(10, 100, 50);
    t.labels.push("fs.readFile".into());
    t.workers = vec![vec![Block {
        step: 2,
        start_us: 120,
        dur_us: 1_000,
        label: 1,
        phase: 0,
    }]];
    t.requests.push(RequestEvent {
        step: 1,
        id: 1,
        at_us: 0,
        latency_us: None,
    });
    let said = describe(&t, 3);
    assert_eq!(
        said,
        "Step 3, at 0.40 ms: the main thread ran cb in the poll phase (0.10 ms of CPU); \
         worker 1 runs fs.readFile; 1 request in flight, 0 answered."
    );
}

#[test]
fn zooming_keeps_the_point_under_the_pointer_and_panning_stays_in_the_run() {
    let end = 10_000;
    let w = Window::Whole.zoom(0.5, 2_500, end);
    assert_eq!(
        w,
        Window::Zoomed {
            from_us: 1_250,
            to_us: 6_250
        }
    );
    // 2,500 was a quarter of the way across, and still is.
    let (from, to) = w.range(end);
    assert_eq!((2_500 - from) * 4, to - from);
    // Out again: the whole run.
    assert_eq!(w.zoom(2.0, 2_500, end), Window::Whole);
    // Never narrower than the minimum.
    let mut tight = w;
    for _ in 0..40 {
        tight = tight.zoom(0.5, 3_000, end);
    }
    let (from, to) = tight.range(end);
    assert_eq!(to - from, MIN_WINDOW_US);
    assert!((from..=to).contains(&3_000));
    // Panning stops at the run's ends.
    assert_eq!(
        w.pan(-100_000, end),
        Window::Zoomed {
            from_us: 0,
            to_us: 5_000
        }
    );
    assert_eq!(
        w.pan(100_000, end),
        Window::Zoomed {
            from_us: 5_000,
            to_us: 10_000
        }
    );
    assert_eq!(Window::Whole.pan(500, end), Window::Whole);
    // Showing a time outside the window moves it there.
    assert_eq!(
        w.showing(9_000, end),
        Window::Zoomed {
            from_us: 5_000,
            to_us: 10_000
        }
    );
    assert_eq!(w.showing(2_000, end), w);
}

#[test]
fn a_pinch_zooms_around_the_fingers_midpoint_and_moving_them_together_pans() {
    let (end, width) = (10_000, 1_000.0);
    // Two fingers 100 px apart around x = 250 (2,500 µs of the whole run) spread to 200 px
    // apart: half the time, around the same point, as a wheel zoom there would show.
    let began = [(200.0, 20.0), (300.0, 20.0)];
    let spread = Window::Whole.pinch(began, [(150.0, 20.0), (350.0, 20.0)], width, end);
    assert_eq!(spread, Window::Whole.zoom(0.5, 2_500, end));
    assert_eq!(
        spread,
        Window::Zoomed {
            from_us: 1_250,
            to_us: 6_250
        }
    );
    // The time under each finger stays under it (the fingers side by side).
    let at = |w: Window, x: f64| {
        let (from, to) = w.range(end);
        from as f64 + x / width * (to - from) as f64
    };
    assert_eq!(at(Window::Whole, 200.0), at(spread, 150.0));
    assert_eq!(at(Window::Whole, 300.0), at(spread, 350.0));
    // Both fingers moved 100 px to the right, as far apart as before: the window pans a tenth
    // of itself earlier, not resized.
    let moved = spread.pinch(began, [(300.0, 20.0), (400.0, 20.0)], width, end);
    assert_eq!(
        moved,
        Window::Zoomed {
            from_us: 750,
            to_us: 5_750
        }
    );
    // Spread and moved at once: both.
    let both = Window::Whole.pinch(began, [(250.0, 20.0), (450.0, 20.0)], width, end);
    assert_eq!(both, spread.pan(-500, end));
    // Pinched together past the whole run: the whole run (it does not pan).
    assert_eq!(
        spread.pinch(began, [(240.0, 20.0), (260.0, 20.0)], width, end),
        Window::Whole
    );
    assert_eq!(
        Window::Whole.pinch(began, [(300.0, 20.0), (400.0, 20.0)], width, end),
        Window::Whole
    );
    // Panning stays in the run.
    assert_eq!(
        spread.pinch(began, [(900.0, 20.0), (1_000.0, 20.0)], width, end),
        Window::Zoomed {
            from_us: 0,
            to_us: 5_000
        }
    );
    // Fingers one above the other (no distance across), or at one point: the straight-line
    // distance, never less than PINCH_MIN_PX, gives a finite zoom.
    let stacked = [(500.0, 0.0), (500.0, 1.0)];
    let apart = Window::Whole.pinch(stacked, [(500.0, 0.0), (500.0, 32.0)], width, end);
    assert_eq!(apart, Window::Whole.zoom(0.5, 5_000, end));
    assert_eq!(
        Window::Whole.pinch(stacked, [(500.0, 0.0), (500.0, 0.0)], width, end),
        Window::Whole
    );
    // However far apart, never narrower than the minimum, and no NaN from a zero width.
    let (from, to) = Window::Whole
        .pinch(stacked, [(0.0, 0.0), (1e9, 0.0)], width, end)
        .range(end);
    assert_eq!(to - from, MIN_WINDOW_US);
    assert_ne!(
        Window::Whole.pinch(began, [(150.0, 20.0), (350.0, 20.0)], 0.0, end),
        Window::Whole
    );
}

#[test]
fn a_log_past_its_budget_keeps_the_newer_half() {
    let mut log = TimelineLog::default();
    log.data = run(100_000, 10, 5);
    log.reported = Some(log.data.lengths());
    let end = log.data.end_step();
    log.drop_older_half();
    let d = log.data();
    assert_eq!(d.end_step(), end, "the newest steps stay");
    assert_eq!(d.first_step, 1 + 50_000);
    assert!(d.main.iter().all(|b| b.step >= d.first_step));
    assert_eq!(d.main.len(), 50_000);
    assert_eq!(d.time_of(d.first_step), run(100_000, 10, 5).time_of(50_001));
    // The page starts its copy again.
    assert_eq!(log.since().keep, None);
}

#[test]
fn the_console_keeps_its_lines_within_a_byte_budget() {
    use crate::view::{LineBuffer, CONSOLE_LIMIT, LINE_BYTES_KEPT};
    let mut b = LineBuffer::default();
    let line = "x".repeat(1000);
    for _ in 0..10_000 {
        b.push(&format!("{line}\n"));
    }
    assert_eq!(b.complete(), 10_000);
    // (Plus the deque's spare slots.)
    assert!(b.bytes() <= LINE_BYTES_KEPT + (128 << 10), "{}", b.bytes());
    assert!(b.bytes() > LINE_BYTES_KEPT / 2);
    // The live view still has its last lines, numbered as written.
    let v = b.view();
    assert_eq!(v.lines.len(), CONSOLE_LIMIT);
    assert_eq!(v.lines.last().unwrap().0, 10_000);
}

#[test]
fn spans_that_need_more_rows_than_the_lane_has_are_the_band() {
    let mut t = run(1000, 10, 990);
    let at = |id: u64, at_us: u64, latency_us: Option<u64>| RequestEvent {
        step: 1,
        id,
        at_us,
        latency_us,
    };
    // SPAN_ROWS requests in flight at once: one row each, all drawn.
    for id in 1..=SPAN_ROWS as u64 {
        t.requests.push(at(id, 100 + id, None));
    }
    let (from, to) = t.span();
    let RequestsDrawn::Spans(spans) = layout(&t, from, to, 1000.0).requests else {
        panic!("{SPAN_ROWS} requests are spans")
    };
    assert_eq!(spans.len(), SPAN_ROWS);
    assert_eq!(spans.iter().map(|s| s.0).max(), Some(SPAN_ROWS - 1));
    // One more at once would need a row the lane does not have: fewer than SPANS_DRAWN
    // requests, but drawn as the band rather than with some left out.
    t.requests.push(at(99, 150, None));
    let drawn = layout(&t, from, to, 1000.0).requests;
    let RequestsDrawn::Density { max_in_flight, .. } = drawn else {
        panic!(
            "{} overlapping requests are a band: {drawn:?}",
            SPAN_ROWS + 1
        )
    };
    assert_eq!(max_in_flight as usize, SPAN_ROWS + 1);
    // Requests answered before the window are not in it (nor in the rows).
    let mut t = run(1000, 10, 990);
    for id in 1..=30 {
        t.requests.push(at(id, 10 * id, None));
        t.requests.push(at(id, 10 * id + 5, Some(5)));
    }
    t.requests.push(at(31, 5_000, None));
    let (_, to) = t.span();
    let RequestsDrawn::Spans(spans) = layout(&t, 1_000, to, 1000.0).requests else {
        panic!("one request in the window is a span")
    };
    assert_eq!(spans.iter().map(|s| s.1).collect::<Vec<_>>(), vec![31]);
}
