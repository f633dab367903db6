//! `looplab run --timeline out.json`: the run in the Chrome trace event format, which Perfetto
//! UI (ui.perfetto.dev) and `chrome://tracing` open.
//!
//! HOW: the model's typed trace already says everything a timeline needs, in virtual time
//! (microseconds, the trace format's own unit). A [`Timeline`] reads it event by event:
//! - the main thread (tid 1) gets the loop's phases as complete events ("X") that enclose the
//!   callbacks run in them, each named by its label, its width the CPU it spent; the main script
//!   is the `main` phase; idle time (the loop asleep in epoll) is the gaps;
//! - each libuv pool worker is a thread of its own (tid 100 + n) with its jobs;
//! - every queue's length is a counter ("C"), iterations are instant events ("i");
//! - the synthetic requests are async spans ("b"/"e") from arrival to response.
//!
//! Thread names come as metadata events ("M"). The output is one JSON object,
//! `{"traceEvents": [...], "displayTimeUnit": "ms"}`, written without a JSON library (the
//! format is small and flat).

use std::collections::BTreeMap;

use looplab_engine::looplab_model::format::json_string;
use looplab_engine::looplab_model::{EventKind, Labels, Phase, TraceEvent};

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
    /// The phase the loop is in, and since when.
    phase: Option<(Phase, u64)>,
    /// The callback running: (start µs, label, kind).
    callback: Option<(u64, String, &'static str)>,
    /// Each worker's job: (start µs, label).
    jobs: BTreeMap<u32, (u64, String)>,
    /// Each queue's length.
    queues: BTreeMap<&'static str, i64>,
    workers: u32,
    /// Callbacks written (the test compares it with the trace's).
    pub callbacks: usize,
}

impl Timeline {
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// Reads one trace event (labels resolve its names).
    pub fn push(&mut self, labels: &Labels, e: &TraceEvent) {
        let at = e.at.0;
        match &e.kind {
            EventKind::IterationStart { iteration } => self.events.push(format!(
                r#"{{"ph":"i","s":"t","pid":{PID},"tid":{MAIN},"ts":{at},"name":"iteration {iteration}","cat":"loop"}}"#
            )),
            EventKind::PhaseEnter(p) => self.phase = Some((*p, at)),
            EventKind::PhaseLeave(p) => {
                if let Some((phase, since)) = self.phase.take() {
                    if phase == *p {
                        self.complete(MAIN, since, at - since, phase.name(), "phase", "");
                    }
                }
            }
            EventKind::CallbackStart { source, label, .. } => {
                self.callback = Some((at, labels.name(*label).to_owned(), source.kind_name()));
            }
            EventKind::CallbackEnd { cpu, .. } => {
                if let Some((start, label, kind)) = self.callback.take() {
                    let args = format!(r#","args":{{"kind":{}}}"#, json_string(kind));
                    self.complete(MAIN, start, cpu.0.max(1), &label, "callback", &args);
                    self.callbacks += 1;
                }
            }
            EventKind::JobStart { worker, label, .. } => {
                let w = worker.0 as u32;
                self.workers = self.workers.max(w + 1);
                self.jobs.insert(w, (at, labels.name(*label).to_owned()));
            }
            EventKind::JobFinish { worker, .. } => {
                let w = worker.0 as u32;
                if let Some((start, label)) = self.jobs.remove(&w) {
                    self.complete(WORKER_BASE + w, start, at - start, &label, "pool", "");
                }
            }
            EventKind::Enqueue { queue, .. } => self.count(queue.name(), 1, at),
            EventKind::Dequeue { queue, .. } => self.count(queue.name(), -1, at),
            _ => {}
        }
    }

    fn complete(&mut self, tid: u32, ts: u64, dur: u64, name: &str, cat: &str, args: &str) {
        self.events.push(format!(
            r#"{{"ph":"X","pid":{PID},"tid":{tid},"ts":{ts},"dur":{dur},"name":{},"cat":"{cat}"{args}}}"#,
            json_string(name)
        ));
    }

    fn count(&mut self, queue: &'static str, by: i64, at: u64) {
        let n = self.queues.entry(queue).or_insert(0);
        *n = (*n + by).max(0);
        let name = format!("queue: {queue}");
        self.events.push(format!(
            r#"{{"ph":"C","pid":{PID},"ts":{at},"name":{},"args":{{"length":{n}}}}}"#,
            json_string(&name)
        ));
    }

    /// The whole file: thread names, the events, and the requests as async spans.
    pub fn finish(mut self, requests: &[Span], pool_size: u32) -> String {
        for (id, what, arrived, responded) in requests {
            let name = json_string(what);
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
        let t = Timeline::new();
        let text = t.finish(
            &[
                (1, "#1 GET /users/\"1\"".into(), 10, Some(30)),
                (2, "#2 GET /slow".into(), 20, None),
            ],
            2,
        );
        let begin = r##"{"ph":"b","pid":1,"tid":1,"ts":10,"id":1,"name":"#1 GET /users/\"1\"","cat":"request"}"##;
        assert!(text.contains(begin), "{text}");
        assert!(text.contains(r#""ph":"e","pid":1,"tid":1,"ts":30,"id":1"#));
        // A request still waiting has a beginning and no end.
        assert!(text.contains(r#""ph":"b","pid":1,"tid":1,"ts":20,"id":2"#));
        assert_eq!(text.matches(r#""ph":"e""#).count(), 1);
        assert!(text.contains("libuv worker 2") && !text.contains("libuv worker 3"));
    }
}
