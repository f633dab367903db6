//! What the page shows of a running program: plain, comparable data built from the engine's
//! snapshot after every action, and dispatched into the reducer. Nothing here touches the DOM
//! or the engine's heap, so it is tested natively, and Yew re-renders only what changed.
//!
//! Every list is cut: queues to their first [`QUEUE_LIMIT`] items (with the full count beside
//! them), the console to its last [`CONSOLE_LIMIT`] lines, the requests to the last
//! [`REQUEST_ROWS`] rows plus totals. A thousand requests in flight stay a few dozen DOM nodes.

use looplab_engine::looplab_model::{self as model, Snapshot};
use looplab_engine::{RequestRecord, RequestSummary};
use serde::{Deserialize, Serialize};

use crate::catalog::{Phase, QueueKind, LANES};

/// The model's enums cross the worker boundary by name (the model crate has no dependencies,
/// serde included).
mod wire {
    pub mod queue_kind {
        use crate::catalog::QueueKind;
        use serde::{de::Error, Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(k: &QueueKind, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(k.name())
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<QueueKind, D::Error> {
            let name = String::deserialize(d)?;
            QueueKind::from_name(&name).ok_or_else(|| D::Error::custom(format!("no queue {name}")))
        }
    }
    pub mod phase {
        use crate::catalog::Phase;
        use serde::{de::Error, Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(p: &Option<Phase>, s: S) -> Result<S::Ok, S::Error> {
            match p {
                Some(p) => s.serialize_some(p.name()),
                None => s.serialize_none(),
            }
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Phase>, D::Error> {
            match <Option<String>>::deserialize(d)? {
                Some(name) => Phase::from_name(&name)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom(format!("no phase {name}"))),
                None => Ok(None),
            }
        }
    }
}

/// Items shown per queue; the rest is a count.
pub const QUEUE_LIMIT: usize = 4;
/// Console lines kept in the DOM.
pub const CONSOLE_LIMIT: usize = 200;
/// Request rows listed (newest first).
pub const REQUEST_ROWS: usize = 30;

/// One callback waiting in a queue. `id` is the model's task id: stable while the item lives,
/// so the DOM node (and its animation) follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: u64,
    /// The synthetic request it belongs to (the model's tag), if any: drawn as `#N`.
    pub tag: Option<u64>,
    pub label: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    #[serde(with = "wire::queue_kind")]
    pub kind: QueueKind,
    /// The full length; `items` holds at most [`QUEUE_LIMIT`].
    pub count: usize,
    pub items: Vec<Item>,
}

impl QueueView {
    pub fn empty(kind: QueueKind) -> QueueView {
        QueueView {
            kind,
            count: 0,
            items: Vec::new(),
        }
    }
    /// How many items are not drawn.
    pub fn hidden(&self) -> usize {
        self.count.saturating_sub(self.items.len())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub label: String,
    /// Why it runs ("timeout", "I/O (epoll)", ...), or "host call" for an API on top of it.
    pub kind: String,
    pub host: bool,
    /// The synthetic request the callback belongs to, if any.
    pub tag: Option<u64>,
    /// The model's task id of the callback (None for host calls and the main script): the
    /// same id its queue item had, so the page can show it travelling onto the stack.
    pub task: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    /// The synthetic request the job belongs to, if any.
    pub tag: Option<u64>,
    pub label: String,
    /// 0.0..=1.0
    pub progress: f64,
    /// Virtual ms of work left.
    pub left_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Worker {
    pub index: u16,
    pub job: Option<Job>,
}

impl Worker {
    /// Value of the worker's `data-state` attribute.
    pub fn state(&self) -> &'static str {
        if self.job.is_some() {
            "busy"
        } else {
            "idle"
        }
    }
}

/// Where a synthetic request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestState {
    /// Arrived on the socket; its handler has not started.
    Waiting,
    /// Its handler ran; the response is not sent yet (awaiting the database, the pool, ...).
    Running,
    /// Responded.
    Done,
}

impl RequestState {
    pub fn of(r: &RequestRecord) -> RequestState {
        match (r.started, r.finished) {
            (_, Some(_)) => RequestState::Done,
            (Some(_), None) => RequestState::Running,
            (None, None) => RequestState::Waiting,
        }
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestState::Waiting => "waiting",
            RequestState::Running => "running",
            RequestState::Done => "done",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: u64,
    pub method: String,
    pub url: String,
    pub state: RequestState,
    pub status: Option<u16>,
    /// Arrival to response, in virtual ms (done requests), or the age so far.
    pub ms: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestsView {
    pub total: usize,
    pub waiting: usize,
    pub running: usize,
    pub done: usize,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Newest first, at most [`REQUEST_ROWS`].
    pub rows: Vec<RequestRow>,
}

impl RequestsView {
    pub fn in_flight(&self) -> usize {
        self.waiting + self.running
    }
}

/// The Requests pane: counts over the whole run (`summary`) and `rows` for the newest records
/// (newest first, as the engine keeps them: `requests.rs`; each made by [`request_row`]).
pub fn requests_view(summary: &RequestSummary, mut rows: Vec<RequestRow>) -> RequestsView {
    rows.truncate(REQUEST_ROWS);
    RequestsView {
        total: summary.total as usize,
        waiting: summary.waiting as usize,
        running: summary.running as usize,
        done: summary.done as usize,
        p50_ms: summary.p50_ms,
        p99_ms: summary.p99_ms,
        rows,
    }
}

/// One row of the Requests pane at the virtual time `now`.
pub fn request_row(r: &RequestRecord, now: model::Micros) -> RequestRow {
    RequestRow {
        id: r.id,
        method: r.method.clone(),
        url: r.url.clone(),
        state: RequestState::of(r),
        status: r.status,
        ms: r.latency().unwrap_or(now - r.arrived).as_ms_f64(),
    }
}

/// The phase the ring lights: none while the main script runs.
pub fn phase_of(p: model::Phase) -> Option<Phase> {
    (p != model::Phase::Main).then_some(p)
}

fn items(q: &model::snapshot::QueueView, limit: usize) -> Vec<Item> {
    q.items
        .iter()
        .take(limit)
        .map(|i| Item {
            id: i.task.0,
            tag: i.tag,
            label: i.label.clone(),
            detail: i.detail.clone(),
        })
        .collect()
}

/// The page's seven queues from a snapshot. Finished pool work waiting for the loop
/// (`uv__work_done`, run in poll) is shown in the poll lane after the kernel's watchers.
pub fn queues(s: &Snapshot) -> Vec<QueueView> {
    LANES
        .iter()
        .map(|&kind| {
            let Some(q) = s.queue(kind) else {
                return QueueView::empty(kind);
            };
            let mut view = QueueView {
                kind,
                count: q.count,
                items: items(q, QUEUE_LIMIT),
            };
            if kind == QueueKind::Poll {
                if let Some(done) = s.queue(QueueKind::PoolDone) {
                    view.count += done.count;
                    let room = QUEUE_LIMIT.saturating_sub(view.items.len());
                    view.items.extend(items(done, room));
                }
            }
            view
        })
        .collect()
}

/// The call stack as the page draws it, innermost last: a snapshot's live stack, or the frames
/// of the callback the last step ran (`Session::last_frames`).
pub fn stack(frames: &[model::snapshot::FrameView]) -> Vec<Frame> {
    frames
        .iter()
        .map(|f| Frame {
            label: f.label.clone(),
            kind: f
                .source
                .map(|src| src.kind_name().to_owned())
                .unwrap_or_else(|| "host call".to_owned()),
            host: f.source.is_none(),
            tag: f.tag,
            task: f.source.and_then(|s| s.task()).map(|t| t.0),
        })
        .collect()
}

pub fn workers(s: &Snapshot) -> Vec<Worker> {
    // libuv starts its threads on the first submitted job; until then they are all idle.
    if s.workers.is_empty() {
        return (0..s.pool_size)
            .map(|index| Worker { index, job: None })
            .collect();
    }
    s.workers
        .iter()
        .map(|w| Worker {
            index: w.index,
            job: w.job.as_ref().map(|j| Job {
                id: j.task.0,
                tag: j.tag,
                label: j.label.clone(),
                progress: j.progress,
                left_ms: (j.until - s.now).as_ms_f64(),
            }),
        })
        .collect()
}

pub fn pool_queue(s: &Snapshot) -> QueueView {
    QueueView {
        kind: QueueKind::PoolQueue,
        count: s.pool_queue.count,
        items: items(&s.pool_queue, QUEUE_LIMIT),
    }
}

/// Program output split into lines, keeping only the last [`CONSOLE_LIMIT`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleView {
    /// (line number from 1, text), oldest first.
    pub lines: Vec<(usize, String)>,
    pub total: usize,
}

/// Lines a [`LineBuffer`] keeps (the run's history shows the console of any step still within
/// them; the live view shows the last [`CONSOLE_LIMIT`]), and at most this many bytes of them.
pub const LINES_KEPT: usize = 100_000;
pub const LINE_BYTES_KEPT: usize = 4 << 20;

/// What a kept line costs besides its text (its `String` in the deque).
const LINE_OVERHEAD: usize = std::mem::size_of::<String>();

/// Splits appended text into lines; an unfinished last line is kept until its newline comes.
/// It keeps the last [`LINES_KEPT`] lines, so the console of an earlier step can be shown again
/// ([`LineBuffer::view_at`]).
#[derive(Clone, Debug, Default)]
pub struct LineBuffer {
    lines: std::collections::VecDeque<String>,
    /// Complete lines written (the newest kept is number `total`).
    total: usize,
    partial: String,
    /// What the kept lines cost.
    bytes: usize,
}

impl LineBuffer {
    pub fn push(&mut self, text: &str) {
        self.partial.push_str(text);
        while let Some(i) = self.partial.find('\n') {
            let line: String = self.partial[..i].to_owned();
            self.partial.drain(..=i);
            self.total += 1;
            self.bytes += line.len() + LINE_OVERHEAD;
            self.lines.push_back(line);
            while self.lines.len() > LINES_KEPT
                || (self.bytes > LINE_BYTES_KEPT && self.lines.len() > CONSOLE_LIMIT)
            {
                let Some(gone) = self.lines.pop_front() else {
                    break;
                };
                self.bytes -= gone.len() + LINE_OVERHEAD;
            }
        }
    }

    /// Back to when `complete` lines were written and `partial` was unfinished (a replay
    /// landed on an earlier step); false when those lines are no longer kept.
    pub fn rewind_to(&mut self, complete: usize, partial: &str) -> bool {
        let oldest_kept = self.total + 1 - self.lines.len();
        if complete > self.total || complete + 1 < oldest_kept {
            return false;
        }
        while self.total > complete {
            if let Some(gone) = self.lines.pop_back() {
                self.bytes -= gone.len() + LINE_OVERHEAD;
            }
            self.total -= 1;
        }
        self.partial = partial.to_owned();
        true
    }

    /// Bytes the kept lines hold (about: text and each line's `String`).
    pub fn bytes(&self) -> usize {
        self.bytes + self.lines.capacity() * LINE_OVERHEAD - self.lines.len() * LINE_OVERHEAD
    }

    /// Complete lines written so far.
    pub fn complete(&self) -> usize {
        self.total
    }

    /// The unfinished last line (empty when the output ended with a newline).
    pub fn partial(&self) -> &str {
        &self.partial
    }

    pub fn view(&self) -> ConsoleView {
        self.view_at(self.total, &self.partial, CONSOLE_LIMIT)
    }

    /// The console as it was when `complete` lines were written and `partial` was unfinished
    /// (lines older than those kept are left out), with at most `limit` complete lines.
    pub fn view_at(&self, complete: usize, partial: &str, limit: usize) -> ConsoleView {
        let complete = complete.min(self.total);
        let oldest_kept = self.total - self.lines.len() + 1;
        let from = complete
            .saturating_sub(limit.min(CONSOLE_LIMIT))
            .max(oldest_kept.saturating_sub(1));
        let mut lines: Vec<(usize, String)> = (from..complete)
            .map(|n| (n + 1, self.lines[n + 1 - oldest_kept].clone()))
            .collect();
        let mut total = complete;
        if !partial.is_empty() {
            total += 1;
            lines.push((total, partial.to_owned()));
            if lines.len() > CONSOLE_LIMIT {
                lines.remove(0);
            }
        }
        ConsoleView { lines, total }
    }
}

/// Everything the page shows of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Steps taken since the program started.
    pub steps: u64,
    /// Virtual time in µs since the main script started.
    pub now_us: u64,
    /// The loop's cached clock (`uv_now`), in ms.
    pub loop_ms: u64,
    pub iteration: u64,
    /// The libuv phase the loop is in; None while the main script runs (or before it).
    #[serde(with = "wire::phase")]
    pub phase: Option<Phase>,
    pub in_main: bool,
    pub stack: Vec<Frame>,
    pub queues: Vec<QueueView>,
    pub pool_size: u16,
    pub workers: Vec<Worker>,
    pub pool_queue: QueueView,
    pub console: ConsoleView,
    /// Everything written to stderr (errors), or empty.
    pub stderr: String,
    pub requests: RequestsView,
    /// The source line to highlight (the running callback's latest host call).
    pub current_line: Option<u32>,
    pub caption: String,
    pub exited: Option<i32>,
    /// The program waits for requests (a listening server with nothing else to do).
    pub awaiting_input: bool,
    /// A server listens: requests can be sent.
    pub listening: bool,
    /// The steady rate of requests is on (the runner's session holds it).
    pub rate_on: bool,
    pub active_handles: usize,
    pub active_reqs: usize,
    /// A long step back is replaying: (steps replayed, target). The panes still show the
    /// present until it is done.
    pub rewinding: Option<(u64, u64)>,
    /// Tasks the callback the last step ran put in a queue (its timers, immediates, ticks,
    /// promise reactions, watchers and pool jobs), in order: what the page draws leaving its
    /// frame (see `crate::flights`).
    pub born: Vec<u64>,
    /// The load test, while it runs and after it ended (until the next program).
    pub load: Option<crate::load_run::LoadView>,
    /// The simulation is stepping towards a target (a Goto forward, an Until): a lesson waits
    /// for it to end before it reads an answer off the view.
    pub seeking: bool,
    /// Steps the live run has taken: more than `steps` while the page shows the past.
    pub present: u64,
    /// The earliest step the run's history shows at once (going further back replays).
    pub history_from: u64,
    /// Bytes the run's history and timeline hold in the simulation.
    pub history_bytes: u64,
}

impl View {
    /// The view before any program runs.
    pub fn idle(pool_size: u16, caption: &str) -> View {
        View {
            steps: 0,
            now_us: 0,
            loop_ms: 0,
            iteration: 0,
            phase: None,
            in_main: false,
            stack: Vec::new(),
            queues: LANES.iter().map(|&k| QueueView::empty(k)).collect(),
            pool_size,
            workers: (0..pool_size)
                .map(|index| Worker { index, job: None })
                .collect(),
            pool_queue: QueueView::empty(QueueKind::PoolQueue),
            console: ConsoleView::default(),
            stderr: String::new(),
            requests: RequestsView::default(),
            current_line: None,
            caption: caption.to_owned(),
            exited: None,
            awaiting_input: false,
            listening: false,
            rate_on: false,
            active_handles: 0,
            active_reqs: 0,
            rewinding: None,
            born: Vec::new(),
            load: None,
            seeking: false,
            present: 0,
            history_from: 0,
            history_bytes: 0,
        }
    }

    /// Where the page draws `kind`'s items: its lane, the pool's queue, or (finished pool
    /// work, run by `uv__work_done` in poll) the poll lane.
    pub fn queue(&self, kind: QueueKind) -> &QueueView {
        let lane = match kind {
            QueueKind::PoolQueue => return &self.pool_queue,
            QueueKind::PoolDone => QueueKind::Poll,
            other => other,
        };
        // Every other kind is one of `LANES`, and `queues` lists each of them.
        self.queues
            .iter()
            .find(|q| q.kind == lane)
            .unwrap_or(&self.pool_queue)
    }

    /// The clock as the page prints it: "12.345 ms".
    pub fn clock_text(&self) -> String {
        format!("{}.{:03} ms", self.now_us / 1000, self.now_us % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use looplab_engine::looplab_model::Micros;
    use looplab_engine::RequestLog;

    fn rec(id: u64, arrived: u64, started: Option<u64>, finished: Option<u64>) -> RequestRecord {
        RequestRecord {
            id,
            method: "GET".into(),
            url: format!("/users/{id}"),
            arrived: Micros::from_ms(arrived),
            started: started.map(Micros::from_ms),
            finished: finished.map(Micros::from_ms),
            status: finished.map(|_| 200),
            body: String::new(),
        }
    }

    #[test]
    fn request_states_follow_started_and_finished() {
        assert_eq!(
            RequestState::of(&rec(1, 0, None, None)),
            RequestState::Waiting
        );
        assert_eq!(
            RequestState::of(&rec(1, 0, Some(1), None)),
            RequestState::Running
        );
        assert_eq!(
            RequestState::of(&rec(1, 0, Some(1), Some(5))),
            RequestState::Done
        );
        assert_eq!(RequestState::Running.as_str(), "running");
    }

    #[test]
    fn requests_are_counted_and_listed_newest_first_with_percentiles() {
        let mut log = RequestLog::default();
        for r in [
            rec(1, 0, Some(0), Some(10)),
            rec(2, 0, Some(1), Some(30)),
            rec(3, 5, Some(6), None),
            rec(4, 40, None, None),
        ] {
            log.arrived(RequestRecord {
                started: None,
                finished: None,
                status: None,
                ..r.clone()
            });
            if let Some(t) = r.started {
                log.started(r.id, t);
            }
            if let Some(t) = r.finished {
                log.done(r.id, t, 200, String::new());
            }
        }
        let view = |log: &RequestLog, now| {
            let rows = log.newest_refs(REQUEST_ROWS);
            requests_view(
                &log.summary(),
                rows.into_iter().map(|r| request_row(r, now)).collect(),
            )
        };
        let v = view(&log, Micros::from_ms(50));
        assert_eq!(
            (v.total, v.waiting, v.running, v.done, v.in_flight()),
            (4, 1, 1, 2, 2)
        );
        assert_eq!(v.p50_ms, Some(10.0));
        assert_eq!(v.p99_ms, Some(30.0));
        assert_eq!(
            v.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            [4, 3, 2, 1]
        );
        assert_eq!(v.rows[0].ms, 10.0, "age of a waiting request");
        assert_eq!(v.rows[2].ms, 30.0, "latency of a done one");
        for i in 5..100 {
            log.arrived(rec(i, 60, None, None));
        }
        let v = view(&log, Micros::from_ms(60));
        assert_eq!(v.rows.len(), REQUEST_ROWS);
        assert_eq!(v.rows[0].id, 99);
        assert_eq!(v.total, 99);
    }

    #[test]
    fn the_line_buffer_keeps_the_last_lines_and_an_unfinished_one() {
        let mut b = LineBuffer::default();
        b.push("a\nb");
        assert_eq!(
            b.view().lines,
            vec![(1, "a".to_owned()), (2, "b".to_owned())]
        );
        b.push("c\n");
        assert_eq!(
            b.view().lines,
            vec![(1, "a".to_owned()), (2, "bc".to_owned())]
        );
        for i in 0..500 {
            b.push(&format!("{i}\n"));
        }
        let v = b.view();
        assert_eq!(v.total, 502);
        assert_eq!(v.lines.len(), CONSOLE_LIMIT);
        assert_eq!(v.lines.last().unwrap(), &(502, "499".to_owned()));
    }

    #[test]
    fn every_queue_kind_has_a_place_on_the_page() {
        use looplab_engine::looplab_model::QueueKind as K;
        let v = View::idle(4, "x");
        for k in [
            K::Timers,
            K::Pending,
            K::Poll,
            K::Check,
            K::Close,
            K::NextTick,
            K::Microtask,
        ] {
            assert_eq!(v.queue(k).kind, k);
        }
        assert_eq!(v.queue(K::PoolQueue).kind, K::PoolQueue);
        assert_eq!(v.queue(K::PoolDone).kind, K::Poll);
    }

    #[test]
    fn the_idle_view_has_every_queue_and_idle_workers() {
        let v = View::idle(4, "x");
        assert_eq!(v.queues.len(), 7);
        assert!(v.workers.iter().all(|w| w.state() == "idle"));
        assert_eq!(v.clock_text(), "0.000 ms");
    }
}
