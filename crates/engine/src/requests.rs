//! The synthetic requests a run received: the ones in flight, the last ones finished, and
//! counts and latencies of all of them.
//!
//! WHY bounded: a page left at a steady 1,000 requests a second sends millions of requests.
//! Keeping a record of each (its URL, its response body) made memory grow without end, and
//! every view walked all of them. What the page shows needs far less: the requests still in
//! flight (each has a record until its response), the last [`KEPT_FINISHED`] finished ones (the
//! Requests pane's rows, the caption's news), and for the rest only counts and a latency
//! histogram ([`looplab_model::metrics::Histogram`]: exact counts per distinct virtual
//! microsecond value, so percentiles are exact, and virtual latencies repeat; p50 and p99 are
//! kept up to date as responses are recorded, since the page reads them after every step).
//!
//! Going back does not need these: a step back replays the run (session.rs), which rebuilds
//! this log as it was.

use std::collections::{BTreeMap, VecDeque};

use looplab_model::metrics::{Histogram, Percentile};
use looplab_model::Micros;

/// Finished requests whose records are kept (the newest).
pub const KEPT_FINISHED: usize = 256;

/// A synthetic request sent to the program's HTTP server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: u64,
    pub method: String,
    pub url: String,
    /// When it reached the server's socket.
    pub arrived: Micros,
    /// When its handler started running.
    pub started: Option<Micros>,
    pub finished: Option<Micros>,
    pub status: Option<u16>,
    pub body: String,
}

impl RequestRecord {
    pub fn latency(&self) -> Option<Micros> {
        self.finished.map(|f| f - self.arrived)
    }
}

/// What changed in the request log since a reader last asked (see
/// `Engine::request_changes`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestChanges {
    /// (id, arrived), by id.
    pub arrived: Vec<(u64, Micros)>,
    /// (id, response sent, latency), in the order they went out.
    pub answered: Vec<(u64, Micros, Micros)>,
}

/// Where a reader of the request log got to (a timeline reads it after every step): the newest
/// request it was told of and the responses it was told of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestCursor {
    pub(crate) last: u64,
    pub(crate) done: u64,
}

/// Counts over every request of the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestSummary {
    pub total: u64,
    /// Arrived, handler not started yet.
    pub waiting: u64,
    /// Handler started, no response yet.
    pub running: u64,
    pub done: u64,
    /// Latency percentiles of the finished requests (virtual ms).
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// The requests of a run (see the module's essay).
#[derive(Clone, Debug)]
pub struct RequestLog {
    live: BTreeMap<u64, RequestRecord>,
    finished: VecDeque<RequestRecord>,
    /// Finished records kept ([`KEPT_FINISHED`] unless a load test asks for more).
    keep: usize,
    total: u64,
    /// Requests in `live` whose handler started (kept as they change: the page asks for the
    /// summary after every step, with thousands in flight).
    running: u64,
    /// The newest handler starts: (when, id), at most [`RECENT_STARTS`] (what a step's caption
    /// names, without reading every request in flight).
    recent_starts: VecDeque<(Micros, u64)>,
    latency: Histogram,
    /// p50 and p99 of `latency`, kept as each response is recorded (the summary is read
    /// after every step).
    p50: Percentile,
    p99: Percentile,
}

/// Handler starts remembered for [`RequestLog::news`].
const RECENT_STARTS: usize = 256;

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog {
            live: BTreeMap::new(),
            finished: VecDeque::new(),
            keep: KEPT_FINISHED,
            total: 0,
            running: 0,
            recent_starts: VecDeque::new(),
            latency: Histogram::default(),
            p50: Percentile::new(50.0),
            p99: Percentile::new(99.0),
        }
    }
}

impl RequestLog {
    pub fn arrived(&mut self, record: RequestRecord) {
        self.total += 1;
        self.live.insert(record.id, record);
    }

    pub fn started(&mut self, id: u64, now: Micros) {
        if let Some(r) = self.live.get_mut(&id) {
            if r.started.is_none() {
                r.started = Some(now);
                self.running += 1;
                self.recent_starts.push_back((now, id));
                if self.recent_starts.len() > RECENT_STARTS {
                    self.recent_starts.pop_front();
                }
            }
        }
    }

    /// Keeps the newest `n` finished records from now on.
    pub fn keep_finished(&mut self, n: usize) {
        self.keep = n;
        while self.finished.len() > n {
            self.finished.pop_front();
        }
    }

    /// The response to request `id` went out at `now`; returns when it arrived (None for a
    /// request not in flight: unknown, or answered already).
    pub fn done(&mut self, id: u64, now: Micros, status: u16, body: String) -> Option<Micros> {
        let mut r = self.live.remove(&id)?;
        if r.started.is_some() {
            self.running -= 1;
        }
        let arrived = r.arrived;
        r.finished = Some(now);
        r.status = Some(status);
        r.body = body;
        let latency = now - r.arrived;
        self.latency.record(latency, 1);
        self.p50.recorded(&self.latency, latency, 1);
        self.p99.recorded(&self.latency, latency, 1);
        self.finished.push_back(r);
        if self.finished.len() > self.keep {
            self.finished.pop_front();
        }
        Some(arrived)
    }

    /// The records kept (in flight, and the last finished), oldest first.
    pub fn records(&self) -> Vec<RequestRecord> {
        let mut all: Vec<RequestRecord> = self
            .finished
            .iter()
            .chain(self.live.values())
            .cloned()
            .collect();
        all.sort_by_key(|r| r.id);
        all
    }

    /// What happened to requests in the virtual time `(from, to]`: the ids whose handler
    /// started, and (id, status, latency) of those answered, each by id. It reads the
    /// records in place (a step's caption asks this with a thousand requests in flight).
    pub fn news(&self, from: Micros, to: Micros) -> (Vec<u64>, Vec<(u64, u16, Micros)>) {
        let within = |t: Option<Micros>| t.is_some_and(|t| t > from && t <= to);
        let mut started: Vec<u64> = self
            .recent_starts
            .iter()
            .rev()
            .take_while(|(at, _)| *at > from)
            .filter(|(at, _)| within(Some(*at)))
            .map(|(_, id)| *id)
            .collect();
        started.sort_unstable();
        let mut finished: Vec<(u64, u16, Micros)> = self
            .finished
            .iter()
            .rev()
            .take_while(|r| within(r.finished))
            .filter_map(|r| Some((r.id, r.status?, r.latency()?)))
            .collect();
        finished.sort_unstable_by_key(|f| f.0);
        (started, finished)
    }

    /// Requests that arrived after request `last` (ids are given in order) and are still in
    /// flight: (id, arrived). Read in place: a timeline asks after every step. (Those answered
    /// since are among [`RequestLog::answered_after`]'s.)
    pub fn arrived_after(&self, last: u64) -> Vec<(u64, Micros)> {
        self.live
            .range(last + 1..)
            .map(|(id, r)| (*id, r.arrived))
            .collect()
    }

    /// Responses after the first `done` of the run: (id, when it went out, latency), in the
    /// order they went out (as many as are kept).
    pub fn answered_after(&self, done: u64) -> Vec<(u64, Micros, Micros)> {
        let new = self.latency.count().saturating_sub(done) as usize;
        let skip = self.finished.len().saturating_sub(new);
        self.finished
            .iter()
            .skip(skip)
            .filter_map(|r| Some((r.id, r.finished?, r.latency()?)))
            .collect()
    }

    /// "METHOD url" of request `id`, while its record is kept (in flight, or among the last
    /// finished).
    pub fn what(&self, id: u64) -> Option<String> {
        let r = self
            .live
            .get(&id)
            .or_else(|| self.finished.iter().rev().find(|r| r.id == id))?;
        Some(format!("{} {}", r.method, r.url))
    }

    /// Responses so far.
    pub fn answered(&self) -> u64 {
        self.latency.count()
    }

    /// The newest `n` records kept, newest first.
    pub fn newest(&self, n: usize) -> Vec<RequestRecord> {
        self.newest_refs(n).into_iter().cloned().collect()
    }

    /// [`RequestLog::newest`] read in place: a live view asks after every step, and a record
    /// holds the request's body.
    pub fn newest_refs(&self, n: usize) -> Vec<&RequestRecord> {
        let mut all: Vec<&RequestRecord> = self
            .live
            .values()
            .rev()
            .take(n)
            .chain(self.finished.iter().rev().take(n))
            .collect();
        all.sort_by_key(|r| std::cmp::Reverse(r.id));
        all.truncate(n);
        all
    }

    pub fn summary(&self) -> RequestSummary {
        let running = self.running;
        RequestSummary {
            total: self.total,
            waiting: self.live.len() as u64 - running,
            running,
            done: self.latency.count(),
            p50_ms: self.p50.get().map(Micros::as_ms_f64),
            p99_ms: self.p99.get().map(Micros::as_ms_f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrive(log: &mut RequestLog, id: u64, at: u64) {
        log.arrived(RequestRecord {
            id,
            method: "GET".into(),
            url: format!("/users/{id}"),
            arrived: Micros(at),
            started: None,
            finished: None,
            status: None,
            body: String::new(),
        });
    }

    #[test]
    fn finished_records_are_bounded_and_counts_cover_every_request() {
        let mut log = RequestLog::default();
        let n = KEPT_FINISHED as u64 * 4;
        for id in 1..=n {
            arrive(&mut log, id, id * 10);
            log.started(id, Micros(id * 10 + 1));
            // Latency: 1 ms for the odd requests, 3 ms for the even ones.
            let latency = if id % 2 == 1 { 1_000 } else { 3_000 };
            log.done(id, Micros(id * 10 + latency), 200, "ok".into());
        }
        arrive(&mut log, n + 1, 0);
        arrive(&mut log, n + 2, 0);
        log.started(n + 2, Micros(5));
        let kept = log.records();
        assert_eq!(kept.len(), KEPT_FINISHED + 2);
        assert_eq!(
            kept[0].id,
            n - KEPT_FINISHED as u64 + 1,
            "the oldest are forgotten"
        );
        let s = log.summary();
        assert_eq!((s.total, s.waiting, s.running, s.done), (n + 2, 1, 1, n));
        assert_eq!((s.p50_ms, s.p99_ms), (Some(1.0), Some(3.0)));
        let newest: Vec<u64> = log.newest(3).iter().map(|r| r.id).collect();
        assert_eq!(newest, vec![n + 2, n + 1, n]);
    }

    #[test]
    fn what_changed_since_a_reader_last_asked_is_read_in_place() {
        let mut log = RequestLog::default();
        arrive(&mut log, 1, 10);
        arrive(&mut log, 2, 20);
        assert_eq!(log.arrived_after(0), vec![(1, Micros(10)), (2, Micros(20))]);
        assert_eq!(log.arrived_after(1), vec![(2, Micros(20))]);
        log.done(2, Micros(50), 200, String::new());
        assert_eq!(log.answered_after(0), vec![(2, Micros(50), Micros(30))]);
        assert_eq!(log.answered(), 1);
        arrive(&mut log, 3, 60);
        log.done(3, Micros(70), 200, String::new());
        log.done(1, Micros(80), 500, String::new());
        // Answered since: in the order they went out; arrived and answered since: not in flight.
        assert_eq!(
            log.answered_after(1),
            vec![(3, Micros(70), Micros(10)), (1, Micros(80), Micros(70))]
        );
        assert_eq!(log.arrived_after(2), vec![]);
        assert_eq!(log.answered_after(3), vec![]);
    }
}
