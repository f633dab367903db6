//! `looplab run --timeline out.json`: the run in the Chrome trace event format, which Perfetto
//! UI (ui.perfetto.dev) and `chrome://tracing` open.
//!
//! HOW: the model's typed trace already says everything a timeline needs, in virtual time
//! (microseconds, the trace format's own unit). A [`Timeline`] reads it event by event through
//! the model's `SpanReader` (the page's timeline strip reads it the same way) and writes:
//! - the main thread (tid 1) gets the loop's phases as complete events ("X") that enclose the
//!   callbacks run in them, each named by its label, its width the CPU it spent; the main script
//!   is the `main` phase; idle time (the loop asleep in epoll) is the gaps;
//! - each libuv pool worker is a thread of its own (tid 100 + n) with its jobs;
//! - every queue's length is a counter ("C"), iterations are instant events ("i");
//! - the synthetic requests (`looplab load --timeline`'s; `looplab run` sends none) are async
//!   spans ("b"/"e") from arrival to response, read after every step.
//!
//! Thread names come as metadata events ("M"). The output is one JSON object,
//! `{"traceEvents": [...], "displayTimeUnit": "ms"}`, written without a JSON library (the
//! format is small and flat).

use std::collections::HashMap;

use looplab_engine::looplab_model::format::json_string;
use looplab_engine::looplab_model::spans::{Span as RunSpan, SpanReader};
use looplab_engine::looplab_model::{Labels, TraceEvent};
use looplab_engine::{Engine, RequestCursor};

/// The process id every event carries.
const PID: u32 = 1;
/// The main thread.
const MAIN: u32 = 1;
/// A pool worker's thread id is this plus its index.
const WORKER_BASE: u32 = 100;

/// A request as the timeline shows it: (id, "GET /users/1", arrived µs, responded µs).
pub type Span = (u64, String, u64, Option<u64>);

/// The run's events, as they come.
#[derive(Default)]
pub struct Timeline {
    events: Vec<String>,
    /// Turns the events into spans (the page's timeline strip reads the run the same way).
    spans: SpanReader,
    workers: u32,
    /// Callbacks written (the test compares it with the trace's).
    pub callbacks: usize,
    /// The synthetic requests (`looplab load`'s), as they arrive.
    requests: Vec<Span>,
    /// Where each request still in flight is in `requests`.
    open: HashMap<u64, usize>,
    /// How far the request log was read.
    read: RequestCursor,
}

impl Timeline {
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// Reads one trace event (labels resolve its names).
    pub fn push(&mut self, labels: &Labels, e: &TraceEvent) {
        let mut closed = Vec::new();
        self.spans.read(e, &mut |s| closed.push(s));
        for span in closed {
            self.write(labels, span);
        }
    }

    /// Reads the requests that arrived and were answered since the last call (after every
    /// step: the engine keeps the records of the last few finished only).
    pub fn read_requests(&mut self, engine: &Engine) {
        let changes = engine.request_changes(&mut self.read);
        for (id, at) in changes.arrived {
            let what = match engine.request_what(id) {
                Some(w) => format!("#{id} {w}"),
                None => format!("#{id}"),
            };
            self.open.insert(id, self.requests.len());
            self.requests.push((id, what, at.0, None));
        }
        for (id, at, _) in changes.answered {
            if let Some(i) = self.open.remove(&id) {
                self.requests[i].3 = Some(at.0);
            }
        }
    }

    fn write(&mut self, labels: &Labels, span: RunSpan) {
        match span {
            RunSpan::Iteration { iteration, at } => self.events.push(format!(
                r#"{{"ph":"i","s":"t","pid":{PID},"tid":{MAIN},"ts":{},"name":"iteration {iteration}","cat":"loop"}}"#,
                at.0
            )),
            RunSpan::Phase { phase, start, dur } => {
                self.complete(MAIN, start.0, dur.0, phase.name(), "phase", "")
            }
            RunSpan::Callback {
                label,
                source,
                start,
                cpu,
                ..
            } => {
                let args = format!(r#","args":{{"kind":{}}}"#, json_string(source.kind_name()));
                self.complete(MAIN, start.0, cpu.0.max(1), labels.name(label), "callback", &args);
                self.callbacks += 1;
            }
            RunSpan::Job {
                worker,
                label,
                start,
                dur,
            } => {
                let w = worker.0 as u32;
                self.workers = self.workers.max(w + 1);
                self.complete(WORKER_BASE + w, start.0, dur.0, labels.name(label), "pool", "");
            }
            RunSpan::QueueLength { queue, at, length } => {
                let name = format!("queue: {}", queue.name());
                self.events.push(format!(
                    r#"{{"ph":"C","pid":{PID},"ts":{},"name":{},"args":{{"length":{length}}}}}"#,
                    at.0,
                    json_string(&name)
                ));
            }
        }
    }

    fn complete(&mut self, tid: u32, ts: u64, dur: u64, name: &str, cat: &str, args: &str) {
        self.events.push(format!(
            r#"{{"ph":"X","pid":{PID},"tid":{tid},"ts":{ts},"dur":{dur},"name":{},"cat":"{cat}"{args}}}"#,
            json_string(name)
        ));
    }

    /// The whole file: thread names, the events, and the requests as async spans.
    pub fn finish(mut self, pool_size: u32) -> String {
        for (id, what, arrived, responded) in std::mem::take(&mut self.requests) {
            let name = json_string(&what);
            self.events.push(format!(
                r#"{{"ph":"b","pid":{PID},"tid":{MAIN},"ts":{arrived},"id":{id},"name":{name},"cat":"request"}}"#
            ));
            if let Some(done) = responded {
                self.events.push(format!(
                    r#"{{"ph":"e","pid":{PID},"tid":{MAIN},"ts":{done},"id":{id},"name":{name},"cat":"request"}}"#
                ));
            }
        }
        let mut meta = vec![
            format!(
                r#"{{"ph":"M","pid":{PID},"name":"process_name","args":{{"name":"node (looplab)"}}}}"#
            ),
            format!(
                r#"{{"ph":"M","pid":{PID},"tid":{MAIN},"name":"thread_name","args":{{"name":"main thread (JavaScript)"}}}}"#
            ),
        ];
        for w in 0..pool_size.max(self.workers) {
            meta.push(format!(
                r#"{{"ph":"M","pid":{PID},"tid":{},"name":"thread_name","args":{{"name":"libuv worker {}"}}}}"#,
                WORKER_BASE + w,
                w + 1
            ));
        }
        meta.extend(self.events);
        format!(
            "{{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n{}\n]}}\n",
            meta.join(",\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_async_spans_and_names_are_json_strings() {
        let mut t = Timeline::new();
        t.requests = vec![
            (1, "#1 GET /users/\"1\"".into(), 10, Some(30)),
            (2, "#2 GET /slow".into(), 20, None),
        ];
        let text = t.finish(2);
        let begin = r##"{"ph":"b","pid":1,"tid":1,"ts":10,"id":1,"name":"#1 GET /users/\"1\"","cat":"request"}"##;
        assert!(text.contains(begin), "{text}");
        assert!(text.contains(r#""ph":"e","pid":1,"tid":1,"ts":30,"id":1"#));
        // A request still waiting has a beginning and no end.
        assert!(text.contains(r#""ph":"b","pid":1,"tid":1,"ts":20,"id":2"#));
        assert_eq!(text.matches(r#""ph":"e""#).count(), 1);
        assert!(text.contains("libuv worker 2") && !text.contains("libuv worker 3"));
    }
}
