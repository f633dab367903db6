//! The run as a timeline: the strip under the panes, in virtual time.
//!
//! HOW: after every step the [`crate::runner::Runner`] hands the step's trace to a
//! [`TimelineLog`], which reads it through the model's `SpanReader` (the CLI's Chrome trace
//! file reads it the same way) into compact records: one [`Block`] per callback on the main
//! thread (coloured by its phase, its width the CPU it spent) and per job on each pool worker,
//! a [`Mark`] per loop iteration, each request's arrival and response, and the virtual time
//! every step ended at. Records only grow, so the worker sends the page what was added since
//! the last view ([`TimelineDelta`], as the recording's delta), and the page keeps its own
//! copy to zoom and pan without asking. A replay (a rebuilt run, a new future from the past)
//! rebuilds the log from the replayed steps and the page's copy starts again from it.
//!
//! [`layout`] turns the copy into what the strip draws for a window of time and a width in
//! pixels: blocks narrower than [`MIN_PX`] are merged with their neighbours (a 100,000-step run
//! is a few hundred elements at any zoom), requests become spans when few are visible and a
//! density band with the p99 line when many are. [`Timeline::step_at`] is where a click lands.
//! All of it is plain Rust, tested natively; the component only draws.

use std::collections::HashMap;

use looplab_engine::looplab_model::spans::{Span, SpanReader};
use looplab_engine::looplab_model::{LabelId, Phase};
use looplab_engine::session::Session;
use looplab_engine::RequestCursor;
use serde::{Deserialize, Serialize};

/// The narrowest block drawn (px): narrower neighbours are merged into one.
pub const MIN_PX: f64 = 3.0;

/// The most bytes the worker's log keeps (the page's copy is as big): past it, the older half
/// of the run is dropped (the page never grows without bound).
pub const MAX_BYTES: usize = 12 << 20;

/// Individual request spans are drawn up to this many in the window; more are a density band.
pub const SPANS_DRAWN: usize = 40;

/// Rows the request spans may take (the strip's request lane is this many rows high): spans
/// that would need more rows (many requests in flight at once) are drawn as the density band,
/// so no request laid out is left undrawn.
pub const SPAN_ROWS: usize = 8;

/// The phases a main-thread block can be in, as stored (`Block::phase` is an index).
const PHASES: [Phase; 8] = [
    Phase::Main,
    Phase::Timers,
    Phase::Pending,
    Phase::Idle,
    Phase::Prepare,
    Phase::Poll,
    Phase::Check,
    Phase::Close,
];

/// A callback on the main thread, or a job on a pool worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// The step after which it has run (a job: the step it started in).
    pub step: u64,
    pub start_us: u64,
    pub dur_us: u64,
    /// Index into [`Timeline::labels`].
    pub label: u32,
    /// Main-thread blocks: the phase, as an index into the phases; jobs: 0.
    pub phase: u8,
}

impl Block {
    pub fn end_us(&self) -> u64 {
        self.start_us + self.dur_us
    }
}

/// A loop iteration began.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub step: u64,
    pub at_us: u64,
    pub iteration: u64,
}

/// A request arrived (`latency_us` None) or was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub step: u64,
    pub id: u64,
    /// Arrival, or the response's time.
    pub at_us: u64,
    pub latency_us: Option<u64>,
}

/// The whole run's timeline (the worker's log, and the page's copy of it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The step `ends[0]` is the end of.
    pub first_step: u64,
    /// The virtual time each step ended at.
    pub ends: Vec<u64>,
    pub main: Vec<Block>,
    /// Each pool worker's jobs, in order.
    pub workers: Vec<Vec<Block>>,
    pub marks: Vec<Mark>,
    pub requests: Vec<RequestEvent>,
    pub labels: Vec<String>,
}

/// How long each list was: what a delta keeps of the page's copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lengths {
    ends: usize,
    main: usize,
    workers: [usize; 16],
    marks: usize,
    requests: usize,
    labels: usize,
}

/// What the page's copy needs since the last view: keep `keep` of each list (all of it,
/// unless the log was rebuilt), then append `added`'s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineDelta {
    /// None: start again from `added` (the log was rebuilt by a replay).
    pub keep: Option<Lengths>,
    pub added: Timeline,
}

impl Timeline {
    fn lengths(&self) -> Lengths {
        let mut workers = [0; 16];
        for (w, jobs) in self.workers.iter().enumerate().take(16) {
            workers[w] = jobs.len();
        }
        Lengths {
            ends: self.ends.len(),
            main: self.main.len(),
            workers,
            marks: self.marks.len(),
            requests: self.requests.len(),
            labels: self.labels.len(),
        }
    }

    /// What was added after `from`.
    fn after(&self, from: &Lengths) -> Timeline {
        Timeline {
            first_step: self.first_step + from.ends as u64,
            ends: self.ends[from.ends..].to_vec(),
            main: self.main[from.main..].to_vec(),
            workers: self
                .workers
                .iter()
                .enumerate()
                .map(|(w, jobs)| jobs[from.workers.get(w).copied().unwrap_or(0)..].to_vec())
                .collect(),
            marks: self.marks[from.marks..].to_vec(),
            requests: self.requests[from.requests..].to_vec(),
            labels: self.labels[from.labels..].to_vec(),
        }
    }

    /// Applies a delta from the worker; false when it changed nothing (a view of the past
    /// adds nothing to the run).
    pub fn apply(&mut self, delta: TimelineDelta) -> bool {
        let added = delta.added;
        let Some(keep) = delta.keep else {
            *self = added;
            return true;
        };
        if keep == self.lengths() && added.lengths() == Lengths::default() {
            return false;
        }
        // (The log may have been empty when the last delta was taken: its first step is set
        // by its first step read.)
        self.first_step = added.first_step - keep.ends as u64;
        self.ends.truncate(keep.ends);
        self.ends.extend(added.ends);
        self.main.truncate(keep.main);
        self.main.extend(added.main);
        if self.workers.len() < added.workers.len() {
            self.workers.resize(added.workers.len(), Vec::new());
        }
        for (w, jobs) in self.workers.iter_mut().enumerate() {
            jobs.truncate(keep.workers.get(w).copied().unwrap_or(0));
        }
        for (w, jobs) in added.workers.into_iter().enumerate() {
            self.workers[w].extend(jobs);
        }
        self.marks.truncate(keep.marks);
        self.marks.extend(added.marks);
        self.requests.truncate(keep.requests);
        self.requests.extend(added.requests);
        self.labels.truncate(keep.labels);
        self.labels.extend(added.labels);
        true
    }

    /// A copy with `delta` applied.
    pub fn apply_clone(&self, delta: TimelineDelta) -> Timeline {
        let mut t = self.clone();
        t.apply(delta);
        t
    }

    /// The step after the last one recorded.
    pub fn end_step(&self) -> u64 {
        self.first_step + self.ends.len() as u64
    }

    /// The virtual time step `k` ended at (the start of the run for a step before the log).
    pub fn time_of(&self, k: u64) -> u64 {
        if k < self.first_step || self.ends.is_empty() {
            return 0;
        }
        let i = ((k - self.first_step) as usize).min(self.ends.len() - 1);
        self.ends[i]
    }

    /// The virtual time the log covers: (start, end) µs (the run starts at 0).
    pub fn span(&self) -> (u64, u64) {
        (0, self.ends.last().copied().unwrap_or(0))
    }

    /// The step to show for a click at `t` µs: the first step that ended at or after `t`
    /// (what the loop did at that time), within the log.
    pub fn step_at(&self, t: u64) -> Option<u64> {
        if self.ends.is_empty() {
            return None;
        }
        let i = self.ends.partition_point(|&e| e < t);
        Some(self.first_step + i.min(self.ends.len() - 1) as u64)
    }

    pub fn label(&self, i: u32) -> &str {
        self.labels.get(i as usize).map_or("", String::as_str)
    }

    /// The phase a main-thread block ran in.
    pub fn phase_of(block: &Block) -> Phase {
        PHASES[block.phase as usize % PHASES.len()]
    }
}

/// The worker's side: reads each step into the [`Timeline`] and reports what was added.
#[derive(Default)]
pub struct TimelineLog {
    data: Timeline,
    reader: SpanReader,
    /// The engine's label ids, as indexes into `data.labels`.
    labels: HashMap<LabelId, u32>,
    /// How far the request log was read.
    requests: RequestCursor,
    /// What the page has (None: everything must be sent again).
    reported: Option<Lengths>,
}

impl TimelineLog {
    pub fn data(&self) -> &Timeline {
        &self.data
    }

    /// Reads the step `session` just took (its trace, its requests).
    pub fn read_step(&mut self, session: &Session) {
        let step = session.steps();
        if self.data.ends.is_empty() {
            self.data.first_step = step;
        } else if step != self.data.end_step() {
            // A step was missed (it cannot be placed): start again from this one.
            *self = TimelineLog {
                reported: None,
                ..TimelineLog::default()
            };
            self.data.first_step = step;
        }
        let engine = session.engine();
        let mut spans = Vec::new();
        for e in session.last_events() {
            self.reader.read(e, &mut |s| spans.push(s));
        }
        for span in spans {
            match span {
                Span::Callback {
                    label,
                    phase,
                    start,
                    cpu,
                    ..
                } => {
                    let label = self.intern(engine, label);
                    self.data.main.push(Block {
                        step,
                        start_us: start.0,
                        dur_us: cpu.0,
                        label,
                        phase: PHASES.iter().position(|p| *p == phase).unwrap_or(0) as u8,
                    });
                }
                Span::Job {
                    worker,
                    label,
                    start,
                    dur,
                } => {
                    let label = self.intern(engine, label);
                    let w = worker.0 as usize;
                    if self.data.workers.len() <= w {
                        self.data.workers.resize(w + 1, Vec::new());
                    }
                    // The step it started in: the first that ended at or after its start.
                    let started = match self.data.ends.last() {
                        Some(&end) if start.0 <= end => self.data.step_at(start.0).unwrap_or(step),
                        _ => step,
                    };
                    self.data.workers[w].push(Block {
                        step: started,
                        start_us: start.0,
                        dur_us: dur.0,
                        label,
                        phase: 0,
                    });
                }
                Span::Iteration { iteration, at } => self.data.marks.push(Mark {
                    step,
                    at_us: at.0,
                    iteration,
                }),
                Span::Phase { .. } | Span::QueueLength { .. } => {}
            }
        }
        let changes = engine.request_changes(&mut self.requests);
        for (id, at) in changes.arrived {
            self.data.requests.push(RequestEvent {
                step,
                id,
                at_us: at.0,
                latency_us: None,
            });
        }
        for (id, at, latency) in changes.answered {
            self.data.requests.push(RequestEvent {
                step,
                id,
                at_us: at.0,
                latency_us: Some(latency.0),
            });
        }
        self.data
            .ends
            .push(engine.with_sim(|m| m.now()).0.max(self.data.span().1));
        if self.data.ends.len() % 1024 == 0 && self.bytes() > MAX_BYTES {
            self.drop_older_half();
        }
    }

    /// Forgets the older half of the run (past [`MAX_BYTES`]); the page's copy starts again.
    fn drop_older_half(&mut self) {
        let d = &mut self.data;
        let half = d.ends.len() / 2;
        if half == 0 {
            return;
        }
        let cut = d.first_step + half as u64;
        // Jobs still running when step `cut` began stay (a lane shows them from there).
        let cut_starts = d.ends[half - 1];
        d.ends.drain(..half);
        d.first_step = cut;
        d.main.retain(|b| b.step >= cut);
        for jobs in &mut d.workers {
            jobs.retain(|b| b.end_us() > cut_starts);
            jobs.shrink_to_fit();
        }
        d.marks.retain(|m| m.step >= cut);
        d.requests.retain(|r| r.step >= cut);
        d.ends.shrink_to_fit();
        d.main.shrink_to_fit();
        d.marks.shrink_to_fit();
        d.requests.shrink_to_fit();
        self.reported = None;
    }

    fn intern(&mut self, engine: &looplab_engine::Engine, label: LabelId) -> u32 {
        if let Some(i) = self.labels.get(&label) {
            return *i;
        }
        let i = self.data.labels.len() as u32;
        self.data
            .labels
            .push(engine.with_labels(|l| l.name(label).to_owned()));
        self.labels.insert(label, i);
        i
    }

    /// What was added since the last call.
    pub fn since(&mut self) -> TimelineDelta {
        let now = self.data.lengths();
        let delta = match self.reported {
            Some(from) => TimelineDelta {
                keep: Some(from),
                added: self.data.after(&from),
            },
            None => TimelineDelta {
                keep: None,
                added: self.data.clone(),
            },
        };
        self.reported = Some(now);
        delta
    }

    /// The log a replay built replaces this one (the page starts its copy again).
    pub fn replace_with(&mut self, rebuilt: TimelineLog) {
        *self = TimelineLog {
            reported: None,
            ..rebuilt
        };
    }

    /// Bytes the log holds (about).
    pub fn bytes(&self) -> usize {
        let d = &self.data;
        d.ends.capacity() * 8
            + (d.main.capacity() + d.workers.iter().map(Vec::capacity).sum::<usize>())
                * std::mem::size_of::<Block>()
            + d.marks.capacity() * std::mem::size_of::<Mark>()
            + d.requests.capacity() * std::mem::size_of::<RequestEvent>()
            + d.labels.iter().map(|l| l.len() + 24).sum::<usize>()
    }
}

/// The window of time the strip shows: the whole run (following it as it grows), or a
/// zoomed part of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Window {
    #[default]
    Whole,
    Zoomed {
        from_us: u64,
        to_us: u64,
    },
}

/// The narrowest window (µs): a few callbacks across the strip.
pub const MIN_WINDOW_US: u64 = 50;

/// The least distance between two fingers a pinch counts (px): closer, they are this far apart.
pub const PINCH_MIN_PX: f64 = 16.0;

impl Window {
    /// The window's (from, to) in a run that has reached `end` µs.
    pub fn range(self, end: u64) -> (u64, u64) {
        match self {
            Window::Whole => (0, end.max(MIN_WINDOW_US)),
            Window::Zoomed { from_us, to_us } => (from_us, to_us),
        }
    }

    /// Zoomed by `factor` (below 1: in) around `at` µs, which stays where it is on screen;
    /// the whole run again once it would show all of it.
    pub fn zoom(self, factor: f64, at: u64, end: u64) -> Window {
        let (from, to) = self.range(end);
        let span = (to - from) as f64;
        let new_span = (span * factor).max(MIN_WINDOW_US as f64);
        // (Whole µs at each zoom: out again may fall a hair short of the whole run.)
        if new_span >= end.max(MIN_WINDOW_US) as f64 * 0.999 {
            return Window::Whole;
        }
        let at = at.clamp(from, to) as f64;
        let left = (at - (at - from as f64) * new_span / span).max(0.0);
        Window::Zoomed {
            from_us: left as u64,
            to_us: (left + new_span) as u64,
        }
        .clamped(end)
    }

    /// Moved by `by` µs (negative: earlier), kept within the run.
    pub fn pan(self, by: i64, end: u64) -> Window {
        match self {
            Window::Whole => Window::Whole,
            Window::Zoomed { from_us, to_us } => {
                let span = to_us - from_us;
                let from = (from_us as i64 + by).max(0) as u64;
                Window::Zoomed {
                    from_us: from,
                    to_us: from + span,
                }
                .clamped(end)
            }
        }
    }

    /// Moved (not resized) so that it shows `t` µs.
    pub fn showing(self, t: u64, end: u64) -> Window {
        match self {
            Window::Zoomed { from_us, to_us } if t < from_us || t > to_us => {
                let span = to_us - from_us;
                Window::Zoomed {
                    from_us: t.saturating_sub(span / 2),
                    to_us: t.saturating_sub(span / 2) + span,
                }
                .clamped(end)
            }
            w => w,
        }
    }

    /// The window a two-finger touch gesture shows. `self` is the window when the second finger
    /// went down, `began` where the two fingers were then and `now` where they are, each as
    /// (x, y) px from the lanes' top left corner, in lanes `width` px wide.
    ///
    /// HOW: the fingers' distance apart scales the window (twice as far apart shows half the
    /// time: the factor is the distance then over the distance now), around the time that was
    /// under the point midway between them, which then follows that midpoint: fingers moved
    /// together pan. It is worked out from the gesture's start each time rather than step by
    /// step, so rounding to whole µs never adds up while the fingers move. The distance is the
    /// straight line between them (fingers one above the other still give a sane factor), and
    /// never taken as less than [`PINCH_MIN_PX`], so fingers that touch do not zoom without end.
    pub fn pinch(
        self,
        began: [(f64, f64); 2],
        now: [(f64, f64); 2],
        width: f64,
        end: u64,
    ) -> Window {
        let apart = |[a, b]: [(f64, f64); 2]| (a.0 - b.0).hypot(a.1 - b.1).max(PINCH_MIN_PX);
        let mid = |[a, b]: [(f64, f64); 2]| (a.0 + b.0) / 2.0;
        let width = width.max(1.0);
        let (from, to) = self.range(end);
        // The time under the midpoint when the gesture began...
        let at = from + ((mid(began) / width).clamp(0.0, 1.0) * (to - from) as f64) as u64;
        // ...stays where it was on screen while the window scales around it ...
        let zoomed = self.zoom(apart(began) / apart(now), at, end);
        // ... and then moves with the midpoint (content follows the fingers, as when dragging a
        // map): the midpoint moved right, so the window starts earlier.
        let (from, to) = zoomed.range(end);
        let by = (mid(began) - mid(now)) / width * (to - from) as f64;
        zoomed.pan(by.round() as i64, end)
    }

    fn clamped(self, end: u64) -> Window {
        match self {
            Window::Zoomed { from_us, to_us } if to_us > end.max(MIN_WINDOW_US) => {
                let span = to_us - from_us;
                let to = end.max(MIN_WINDOW_US);
                Window::Zoomed {
                    from_us: to.saturating_sub(span),
                    to_us: to,
                }
            }
            w => w,
        }
    }
}

/// What the strip draws of one lane: blocks, merged where narrower than [`MIN_PX`].
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    pub step: u64,
    /// "main", "timers", ... for the main thread; "pool" for a worker's job.
    pub phase: &'static str,
    pub start_us: u64,
    pub dur_us: u64,
    /// Left edge and width, in px.
    pub x: f64,
    pub w: f64,
    /// What it is, in words (a merged block counts what it holds).
    pub title: String,
    /// Blocks merged into this one.
    pub count: usize,
}

/// The requests in the window: spans when few, else a density band and the p99 line.
#[derive(Clone, Debug, PartialEq)]
pub enum RequestsDrawn {
    /// (id, x, w, answered) per request, in rows that do not overlap: (row, ...).
    Spans(Vec<(usize, u64, f64, f64, bool)>),
    /// Per column of `px` pixels: the requests in flight at some time in it (λ·(W + the
    /// column's time), by Little's law), and the p99 latency (ms) of those answered in it
    /// (None where none was).
    Density {
        px: f64,
        in_flight: Vec<u32>,
        p99_ms: Vec<Option<f64>>,
        max_in_flight: u32,
        max_p99_ms: f64,
    },
}

/// What the strip draws for a window of time.
#[derive(Clone, Debug, PartialEq)]
pub struct Strip {
    pub from_us: u64,
    pub to_us: u64,
    pub width: f64,
    pub main: Vec<Drawn>,
    pub workers: Vec<Vec<Drawn>>,
    /// Iteration marks: (x, iteration, step).
    pub marks: Vec<(f64, u64, u64)>,
    pub requests: RequestsDrawn,
}

/// x of `t` µs in a window of `width` px.
fn x_of(t: u64, from: u64, to: u64, width: f64) -> f64 {
    (t.saturating_sub(from)) as f64 / (to - from).max(1) as f64 * width
}

/// Lays out `blocks` (in time order) in the window.
fn lane(tl: &Timeline, blocks: &[Block], from: u64, to: u64, width: f64, main: bool) -> Vec<Drawn> {
    let first = blocks.partition_point(|b| b.end_us() < from);
    let mut out: Vec<Drawn> = Vec::new();
    // Each drawn block's first label (named when it holds one callback).
    let mut labels: Vec<u32> = Vec::new();
    for b in blocks[first..].iter().take_while(|b| b.start_us < to) {
        let x = x_of(b.start_us, from, to, width);
        let w = x_of(b.end_us().min(to), from, to, width) - x;
        let phase = if main {
            Timeline::phase_of(b).name()
        } else {
            "pool"
        };
        if let Some(last) = out.last_mut() {
            // Merge into the last while it is too narrow to see alone and they touch (within
            // its narrowest drawn width). A dense run of tiny callbacks becomes blocks of a
            // few pixels, each where its part of the run is (one block over a whole burst of
            // requests left a click nowhere to land but its first step).
            if last.w < MIN_PX && x <= last.x + MIN_PX {
                let end = b.end_us().max(last.start_us + last.dur_us);
                last.dur_us = end - last.start_us;
                last.w = (x_of(end.min(to), from, to, width) - last.x).max(last.w);
                last.count += 1;
                if last.phase != phase {
                    last.phase = "mixed";
                }
                continue;
            }
        }
        out.push(Drawn {
            step: b.step,
            phase,
            start_us: b.start_us,
            dur_us: b.dur_us,
            x,
            w,
            title: String::new(),
            count: 1,
        });
        labels.push(b.label);
    }
    // Titles last: a block of a whole run merges thousands, and is named once.
    for (d, &label) in out.iter_mut().zip(&labels) {
        d.title = if d.count == 1 {
            format!(
                "{} — {:.2} ms at {:.2} ms (step {})",
                tl.label(label),
                d.dur_us as f64 / 1000.0,
                d.start_us as f64 / 1000.0,
                d.step
            )
        } else {
            format!(
                "{} {} from step {}",
                d.count,
                if main { "callbacks" } else { "jobs" },
                d.step
            )
        };
    }
    out
}

/// What the strip draws of `tl` from `from_us` to `to_us` in `width` px.
pub fn layout(tl: &Timeline, from_us: u64, to_us: u64, width: f64) -> Strip {
    let to_us = to_us.max(from_us + 1);
    let width = width.max(1.0);
    // The marks in the window (in time order), thinned out to one per 4 px.
    let first = tl.marks.partition_point(|m| m.at_us < from_us);
    let mut thinned: Vec<(f64, u64, u64)> = Vec::new();
    for m in tl.marks[first..].iter().take_while(|m| m.at_us <= to_us) {
        let x = x_of(m.at_us, from_us, to_us, width);
        if thinned.last().is_none_or(|l| x - l.0 >= 4.0) {
            thinned.push((x, m.iteration, m.step));
        }
    }
    Strip {
        from_us,
        to_us,
        width,
        main: lane(tl, &tl.main, from_us, to_us, width, true),
        workers: tl
            .workers
            .iter()
            .map(|jobs| lane(tl, jobs, from_us, to_us, width, false))
            .collect(),
        marks: thinned,
        requests: requests(tl, from_us, to_us, width),
    }
}

fn requests(tl: &Timeline, from: u64, to: u64, width: f64) -> RequestsDrawn {
    // A response carries its latency, so it knows its arrival; an arrival event knows nothing
    // of its response. The pass below is over the events as they are (a run of a few hundred
    // thousand requests is drawn on every view): no map from ids here; `spans` pairs the few.
    // Arrivals are recorded in time order, so a response that arrived before the log's first
    // arrival had its arrival event dropped with the log's older half: it counts by itself.
    let now = tl.span().1;
    let first_arrival = tl
        .requests
        .iter()
        .find(|r| r.latency_us.is_none())
        .map_or(u64::MAX, |r| r.at_us);
    let px = 4.0;
    let columns = (width / px).ceil().max(1.0) as usize;
    let col = |t: u64| ((x_of(t, from, to, width) / px) as usize).min(columns - 1);
    // In flight per column: +1 at arrival, -1 after the response (a running sum); a request
    // answered before the window adds and takes away in the first column. `visible` counts
    // the requests in flight at some time in the window: few are drawn as spans instead.
    let mut diff = vec![0i64; columns + 1];
    let mut latencies: Vec<Vec<u64>> = vec![Vec::new(); columns];
    let mut visible: i64 = 0;
    for r in &tl.requests {
        match r.latency_us {
            None => {
                if r.at_us <= to {
                    diff[col(r.at_us.max(from))] += 1;
                    visible += 1;
                }
            }
            Some(l) => {
                let (a, d) = (r.at_us - l, r.at_us);
                if a < first_arrival {
                    if a > to || d < from {
                        continue;
                    }
                    diff[col(a.max(from))] += 1;
                    visible += 1;
                }
                if d < from {
                    diff[0] -= 1;
                    visible -= 1;
                } else if d <= to {
                    diff[col(d) + 1] -= 1;
                    latencies[col(d)].push(l);
                }
            }
        }
    }
    if visible <= SPANS_DRAWN as i64 {
        if let Some(spans) = spans(tl, from, to, width, now) {
            return spans;
        }
    }
    let mut in_flight = Vec::with_capacity(columns);
    let mut n = 0i64;
    for d in &diff[..columns] {
        n += d;
        in_flight.push(n.max(0) as u32);
    }
    let p99_ms: Vec<Option<f64>> = latencies
        .into_iter()
        .map(|mut ls| {
            if ls.is_empty() {
                return None;
            }
            let i = ((ls.len() as f64 * 0.99).ceil() as usize).clamp(1, ls.len()) - 1;
            Some(*ls.select_nth_unstable(i).1 as f64 / 1000.0)
        })
        .collect();
    RequestsDrawn::Density {
        px,
        max_in_flight: in_flight.iter().copied().max().unwrap_or(0),
        max_p99_ms: p99_ms.iter().flatten().copied().fold(0.0, f64::max),
        in_flight,
        p99_ms,
    }
}

/// The few requests in the window, each a span in the first row free at its arrival; None
/// when they need more than [`SPAN_ROWS`] rows.
fn spans(tl: &Timeline, from: u64, to: u64, width: f64, now: u64) -> Option<RequestsDrawn> {
    // Paired by id; a request answered before the window leaves the map with its response,
    // so the map holds the requests in flight as the log is read, and at its end the visible
    // ones (at most SPANS_DRAWN).
    let mut spans: HashMap<u64, (u64, Option<u64>)> = HashMap::new();
    for r in &tl.requests {
        match r.latency_us {
            None if r.at_us <= to => {
                spans.entry(r.id).or_insert((r.at_us, None));
            }
            None => {}
            Some(_) if r.at_us < from => {
                spans.remove(&r.id);
            }
            Some(l) if r.at_us - l <= to => {
                spans.insert(r.id, (r.at_us - l, Some(r.at_us)));
            }
            Some(_) => {}
        }
    }
    let mut visible: Vec<(u64, u64, Option<u64>)> = spans
        .into_iter()
        .filter(|(_, (a, d))| *a <= to && d.unwrap_or(now) >= from)
        .map(|(id, (a, d))| (id, a, d))
        .collect();
    visible.sort_unstable();
    let mut rows: Vec<u64> = Vec::new();
    let drawn = visible
        .into_iter()
        .map(|(id, a, d)| {
            let end = d.unwrap_or(now);
            let row = rows
                .iter()
                .position(|&free| free <= a)
                .unwrap_or(rows.len());
            if row == rows.len() {
                rows.push(0);
            }
            rows[row] = end + 1;
            let x = x_of(a.max(from), from, to, width);
            let w = (x_of(end.min(to), from, to, width) - x).max(1.0);
            (row, id, x, w, d.is_some())
        })
        .collect();
    (rows.len() <= SPAN_ROWS).then_some(RequestsDrawn::Spans(drawn))
}

/// The blocks under the cursor at step `k`, in words: the strip's text alternative.
pub fn describe(tl: &Timeline, k: u64) -> String {
    let t = tl.time_of(k);
    let at = |blocks: &[Block]| {
        let i = blocks.partition_point(|b| b.end_us() < t);
        blocks.get(i).filter(|b| b.start_us <= t).copied()
    };
    let ms = t as f64 / 1000.0;
    let mut parts = vec![format!("Step {k}, at {ms:.2} ms: ")];
    let i = tl.main.partition_point(|b| b.step < k);
    match tl.main.get(i).filter(|b| b.step == k) {
        Some(b) => parts.push(format!(
            "the main thread ran {} in the {} phase ({:.2} ms of CPU)",
            tl.label(b.label),
            Timeline::phase_of(b).name(),
            b.dur_us as f64 / 1000.0
        )),
        None => parts.push("no callback ran in this step".to_owned()),
    }
    let busy: Vec<String> = tl
        .workers
        .iter()
        .enumerate()
        .filter_map(|(w, jobs)| {
            at(jobs).map(|b| format!("worker {} runs {}", w + 1, tl.label(b.label)))
        })
        .collect();
    parts.push(if busy.is_empty() {
        "; no pool worker is busy".to_owned()
    } else {
        format!("; {}", busy.join(", "))
    });
    let (mut arrived, mut answered) = (0usize, 0usize);
    for r in tl.requests.iter().take_while(|r| r.step <= k) {
        match r.latency_us {
            None => arrived += 1,
            Some(_) => answered += 1,
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let in_flight = arrived.saturating_sub(answered);
    parts.push(format!(
        "; {in_flight} request{} in flight, {answered} answered.",
        plural(in_flight)
    ));
    parts.concat()
}

#[cfg(test)]
mod tests;
