//! What the page and the simulation say to each other.
//!
//! HOW: the simulation (the engine and the model, in [`crate::sim_worker::CommandLoop`]) runs in
//! a Web Worker, so a long callback, a big `JSON.parse` or 10,000 users never freeze the page.
//! The page sends [`ToWorker`] commands; the worker answers with [`FromWorker`] messages: the
//! [`View`] to draw, and what it recorded (the requests sent, the poll sleeps cut short) so that
//! the page can rebuild the run in a fresh worker after Stop. Both cross the boundary as bytes in
//! postcard's format (serde's data model, compact, and far less code in the page's wasm than
//! JSON), posted as a `Uint8Array`; plain and testable natively.
//!
//! Flow control: the page answers each view with [`ToWorker::Drawn`] on the second animation
//! frame after it (the fourth at max speed: [`crate::playback::frames_before_drawn`]), and the
//! worker posts the next view of a playing run only when every view it posted was drawn, so the
//! page draws the latest view at most every other frame however fast the worker steps. The
//! answer to a command (a step back, a jump) goes out at once. A view marked `hold` (one that
//! may be a large change to draw) stops the worker's stepping until the page drew it, and the
//! page answers it on the second frame: [`crate::sim_worker::CommandLoop::held`].

use serde::{Deserialize, Serialize};

use looplab_engine::input_log::{InputLog, LimitLog};
use looplab_engine::looplab_model::Micros;
use looplab_engine::session::Input;

use crate::playback::Pacing;
use crate::view::View;

/// One request the run received, as a replay sends it again: at `step`, to `method url`,
/// arrived at virtual `at_us` (a load test's arrival may predate the step).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub step: u64,
    pub method: String,
    pub url: String,
    pub at_us: u64,
}

/// A poll sleep the run cut short at `until_us` (real-time playback, a steady rate): a replay
/// cuts it at the same instant, at the same step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedLimit {
    pub step: u64,
    pub until_us: u64,
}

impl From<(u64, Input)> for RecordedRequest {
    fn from((step, input): (u64, Input)) -> RecordedRequest {
        let Input::Request { method, url, at } = input;
        RecordedRequest {
            step,
            method,
            url,
            at_us: at.0,
        }
    }
}

impl From<RecordedRequest> for (u64, Input) {
    fn from(q: RecordedRequest) -> (u64, Input) {
        let input = Input::Request {
            method: q.method,
            url: q.url,
            at: Micros(q.at_us),
        };
        (q.step, input)
    }
}

impl From<(u64, Micros)> for RecordedLimit {
    fn from((step, until): (u64, Micros)) -> RecordedLimit {
        RecordedLimit {
            step,
            until_us: until.0,
        }
    }
}

/// Requests and cut sleeps as plain lists: what a view's delta carries, and how a
/// [`Recording`] crosses the boundary (after Stop, to the fresh worker).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub requests: Vec<RecordedRequest>,
    pub limits: Vec<RecordedLimit>,
}

/// What makes a run reproducible beyond its program and options: every request it received and
/// every poll sleep it cut short, packed as the engine packs its own replay record (a few
/// bytes a request; see `looplab_engine::input_log`), so the page's copy does not grow by a
/// hundred bytes a request during a long load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Recorded", into = "Recorded")]
pub struct Recording {
    requests: InputLog,
    limits: LimitLog,
}

/// What changed in the recording since the last message: keep the first `requests_from`
/// requests and `limits_from` limits (a step back forgets the later ones), then append these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingDelta {
    pub requests_from: usize,
    pub limits_from: usize,
    pub added: Recorded,
}

impl From<Recorded> for Recording {
    fn from(r: Recorded) -> Recording {
        let mut rec = Recording::default();
        rec.extend(r);
        rec
    }
}

impl From<Recording> for Recorded {
    fn from(r: Recording) -> Recorded {
        Recorded {
            requests: r.requests(),
            limits: r.limits(),
        }
    }
}

impl Recording {
    fn extend(&mut self, added: Recorded) {
        for q in added.requests {
            let (step, input) = q.into();
            self.requests.push(step, &input);
        }
        for l in added.limits {
            self.limits.push(l.step, Micros(l.until_us));
        }
    }

    /// A recording from its requests and cut sleeps, each in step order.
    pub fn from_parts(requests: Vec<(u64, Input)>, cuts: Vec<(u64, Micros)>) -> Recording {
        Recording {
            requests: requests.into_iter().collect(),
            limits: cuts.into_iter().collect(),
        }
    }

    /// Applies what the worker reported.
    pub fn apply(&mut self, delta: RecordingDelta) {
        self.requests.truncate(delta.requests_from);
        self.limits.truncate(delta.limits_from);
        self.extend(delta.added);
    }

    /// How many requests the run received.
    pub fn request_count(&self) -> usize {
        self.requests.len()
    }

    /// The requests as a replay sends them: (step, input).
    pub fn inputs(&self) -> Vec<(u64, Input)> {
        self.requests.read_from(0).collect()
    }

    /// The cut sleeps as a replay cuts them: (step, until).
    pub fn cut_sleeps(&self) -> Vec<(u64, Micros)> {
        self.limits.read_from(0)
    }

    /// The requests, unpacked.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inputs().into_iter().map(Into::into).collect()
    }

    /// The cut sleeps, unpacked.
    pub fn limits(&self) -> Vec<RecordedLimit> {
        self.cut_sleeps().into_iter().map(Into::into).collect()
    }

    /// The recording of a run cut at step `step` (what a replay to it uses). Entries are in
    /// step order: the ones at or before `step` are a prefix.
    pub fn up_to(&self, step: u64) -> Recording {
        let mut cut = self.clone();
        let requests = self
            .requests
            .read_from(0)
            .take_while(|(s, _)| *s <= step)
            .count();
        let limits = self
            .limits
            .read_from(0)
            .iter()
            .take_while(|(s, _)| *s <= step)
            .count();
        cut.requests.truncate(requests);
        cut.limits.truncate(limits);
        cut
    }
}

/// What a process starts from: the program and the options it runs with. The same process
/// with the same inputs is the same run (see `looplab_engine::session`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Process {
    pub source: String,
    /// Thread-pool workers (the program's own `UV_THREADPOOL_SIZE` wins, as in libuv).
    pub pool_size: u16,
    /// Engine costs set for this process (name, µs): a load test's database latency.
    pub costs: Vec<(String, f64)>,
    /// The model's seed: every random decision (`Math.random`, the database's jitter).
    pub seed: u64,
}

impl Process {
    /// `source` on `pool_size` workers, with the engine's default costs and seed 0.
    pub fn new(source: &str, pool_size: u16) -> Process {
        Process {
            source: source.to_owned(),
            pool_size,
            costs: Vec::new(),
            seed: 0,
        }
    }
}

/// A command from the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// A new process; with `replay`, the run it replays up to `step` (a run rebuilt after Stop,
    /// or opened from a link).
    Load {
        process: Process,
        replay: Option<(Recording, u64)>,
        /// The caption once the run is rebuilt (what Stop stopped).
        note: Option<String>,
    },
    /// A new process (another pool size, an edited program) going on from the step the page
    /// shows, in the past: the run is replayed to that step with the requests it had received,
    /// and the old future is dropped. `note` is the caption once it lands.
    Branch {
        process: Process,
        note: String,
    },
    /// One step, the rest of a phase, or to the next iteration.
    Step(StepBy),
    /// One step back (a long replay goes on in slices; Back again goes one further).
    Back,
    /// One step back by replaying the run, so that the last step runs again (Keep running:
    /// the runaway callback again, with the longer budget set before).
    Rerun,
    /// Go to this step: back by replaying the run (as a step back does), forward by stepping
    /// (a slice at a time; it stops early where the program exits or waits for requests).
    Goto(u64),
    /// Step (as playing does: requests due and a load's arrivals come in) until `Condition`
    /// holds, the program exits or waits for requests, or [`UNTIL_MAX_STEPS`] steps (a lesson's
    /// actions).
    Until(Condition),
    /// These commands in order, each after the one before has finished (a Goto or an Until
    /// seeks first): a lesson's actions. Any other command ends what is left of it.
    Sequence(Vec<ToWorker>),
    /// Play at this pace until paused (or the program exits).
    Play(Pacing),
    Pause,
    /// Send `count` requests to a route (its `:params` filled with each request's number).
    Send {
        method: String,
        pattern: String,
        count: u32,
    },
    /// Requests at a steady rate, in virtual time, from now (replacing one that is on).
    StartRate {
        method: String,
        pattern: String,
        per_second: u32,
    },
    StopRate,
    /// A load test from the Load pane (checked by the page): the program runs until it
    /// listens, then the load's requests arrive as the loop plays.
    StartLoad(crate::load_form::LoadRequest),
    /// End the load test now, keeping its figures.
    StopLoad,
    /// A callback's wall-time budget from now on (ms): past it the run ends, as a runaway.
    Budget(f64),
    /// The page drew a view (one `Drawn` for each view posted).
    Drawn,
}

/// The most steps one [`ToWorker::Until`] takes.
pub const UNTIL_MAX_STEPS: u64 = 200_000;

/// What an [`ToWorker::Until`] waits for, read off the view after each step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    /// A server listens and nothing else is left to do.
    Listening,
    /// The loop is in this phase (`Phase::name`: `timers`, `poll`, `check`, ...).
    Phase(String),
    /// A new console line containing this text ("" for any new line).
    Line(String),
    /// A frame on the call stack whose label contains this text.
    Callback(String),
    /// Every request sent so far is answered (at least one was sent).
    RequestsDone,
    /// The load test has ended.
    LoadDone,
    /// The program exited.
    Exited,
}

impl Condition {
    /// Whether `view` meets it, given the console's line count when the stepping began.
    pub fn met(&self, view: &View, lines_before: usize) -> bool {
        match self {
            Condition::Listening => view.listening && view.awaiting_input,
            Condition::Phase(p) => view.phase.is_some_and(|ph| ph.name() == p),
            Condition::Line(text) => view
                .console
                .lines
                .iter()
                .any(|(n, l)| *n > lines_before && l.contains(text.as_str())),
            Condition::Callback(text) => view.stack.iter().any(|f| f.label.contains(text.as_str())),
            Condition::RequestsDone => {
                view.requests.total > 0 && view.requests.done == view.requests.total
            }
            Condition::LoadDone => view.load.as_ref().is_some_and(|l| !l.running),
            Condition::Exited => view.exited.is_some(),
        }
    }
}

/// How far a step goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepBy {
    Event,
    Phase,
    Iteration,
}

/// A message from the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// What to draw now, and what was recorded since the last message.
    View {
        view: Box<View>,
        /// The worker steps no further until this view is drawn (a large change:
        /// [`crate::sim_worker::CommandLoop::held`]); the page says `Drawn` as soon as it drew it.
        hold: bool,
        recorded: RecordingDelta,
        /// What the run's timeline added since the last view (the page keeps its copy).
        timeline: crate::timeline::TimelineDelta,
        /// Commands handled so far (all but `Drawn`): the page knows every command it sent
        /// is reflected once this reaches the number it sent.
        handled: u64,
        /// Live heap bytes of the simulation (its worker's counting allocator; 0 where none
        /// counts, natively or on the page's thread).
        heap_bytes: usize,
        /// The WebAssembly memory of whatever runs the simulation (the worker's; the page's own
        /// when it runs in the page; 0 natively). It only grows.
        wasm_bytes: usize,
    },
    /// A callback has been running for `ms` of wall time (posted from inside it, every
    /// [`BUSY_EVERY_MS`] after the first [`BUSY_AFTER_MS`]): the page shows a progress note, and
    /// Stop names it.
    Busy {
        callback: String,
        line: Option<u32>,
        ms: f64,
    },
    /// The program's heap reached its limit ([`crate::heap::HEAP_LIMIT`]) with `bytes` live,
    /// while `callback` ran (if one did). The worker dies right after this message.
    OutOfMemory {
        callback: Option<String>,
        bytes: usize,
    },
}

/// A callback running longer than this (ms of wall time) is reported as busy.
pub const BUSY_AFTER_MS: f64 = 300.0;
/// How often a busy callback is reported again (ms).
pub const BUSY_EVERY_MS: f64 = 100.0;

impl ToWorker {
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }
    /// A command from its bytes; bytes that are not one say what they are.
    pub fn decode(bytes: &[u8]) -> Result<ToWorker, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("not a Looplab command: {e}"))
    }
}

impl FromWorker {
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }
    pub fn decode(bytes: &[u8]) -> Result<FromWorker, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("not a Looplab message: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::default_preset;
    use crate::runner::Runner;

    #[test]
    fn commands_round_trip() {
        let commands = [
            ToWorker::Load {
                process: Process {
                    source: "console.log('é \"q\"')".into(),
                    pool_size: 4,
                    costs: vec![("dbLatency".into(), 1e6)],
                    seed: 7,
                },
                replay: Some((
                    Recorded {
                        requests: vec![RecordedRequest {
                            step: 30,
                            method: "GET".into(),
                            url: "/users/1".into(),
                            at_us: 1_000,
                        }],
                        limits: vec![RecordedLimit {
                            step: 31,
                            until_us: 1_234,
                        }],
                    }
                    .into(),
                    40,
                )),
                note: Some("Stopped fib".into()),
            },
            ToWorker::Step(StepBy::Phase),
            ToWorker::Back,
            ToWorker::Goto(12_345),
            ToWorker::Until(Condition::Line("done".into())),
            ToWorker::Sequence(vec![ToWorker::Pause, ToWorker::Until(Condition::Exited)]),
            ToWorker::Play(Pacing::StepsPerSecond(4.0)),
            ToWorker::Play(Pacing::Max),
            ToWorker::Pause,
            ToWorker::Send {
                method: "GET".into(),
                pattern: "/users/:id".into(),
                count: 1000,
            },
            ToWorker::StartRate {
                method: "GET".into(),
                pattern: "/login".into(),
                per_second: 20,
            },
            ToWorker::StopRate,
            ToWorker::StartLoad(
                crate::load_form::presets()[0]
                    .2
                    .check(&crate::presets::routes(default_preset().source))
                    .unwrap(),
            ),
            ToWorker::StopLoad,
            ToWorker::Budget(20_000.0),
            ToWorker::Drawn,
        ];
        for c in commands {
            assert_eq!(ToWorker::decode(&c.encode()).unwrap(), c);
        }
        assert!(ToWorker::decode(&[200, 1])
            .unwrap_err()
            .starts_with("not a Looplab command"));
    }

    #[test]
    fn a_recording_is_packed_and_unpacks_cut_and_sent_as_it_was() {
        let recorded = Recorded {
            requests: (0..10_000u64)
                .map(|i| RecordedRequest {
                    step: 100 + 7 * i,
                    method: "GET".into(),
                    url: format!("/users/{}", i + 1),
                    at_us: 1_000_000 + 990 * i,
                })
                .collect(),
            limits: (0..5_000u64)
                .map(|i| RecordedLimit {
                    step: 101 + 14 * i,
                    until_us: 1_000_500 + 1_980 * i,
                })
                .collect(),
        };
        let rec = Recording::from(recorded.clone());
        assert_eq!(rec.request_count(), 10_000);
        assert_eq!(rec.requests(), recorded.requests);
        assert_eq!(rec.limits(), recorded.limits);
        // Packed: a few bytes a request, where the plain lists take about a hundred.
        let bytes = rec.requests.heap_bytes();
        assert!(bytes < 10 * 10_000, "{bytes} bytes");
        // Cut at a step: a prefix of each list.
        let cut = rec.up_to(100 + 7 * 99);
        assert_eq!(cut.requests(), recorded.requests[..100]);
        assert!(cut.limits().iter().all(|l| l.step <= 793) && cut.limits().len() == 50);
        // A view's delta forgets what a step back undid and appends what is new.
        let mut page = rec.clone();
        page.apply(RecordingDelta {
            requests_from: 10,
            limits_from: 5,
            added: Recorded {
                requests: vec![recorded.requests[10].clone()],
                limits: Vec::new(),
            },
        });
        assert_eq!(page.requests(), recorded.requests[..11]);
        assert_eq!(page.limits(), recorded.limits[..5]);
        // Across the boundary (after Stop) as the plain lists.
        let cmd = ToWorker::Load {
            process: Process::new("", 4),
            replay: Some((rec.clone(), 7)),
            note: None,
        };
        assert_eq!(ToWorker::decode(&cmd.encode()).unwrap(), cmd);
    }

    #[test]
    fn a_busy_view_round_trips() {
        let mut r = Runner::new(default_preset().source, 4);
        r.run_to_idle();
        for _ in 0..1000 {
            r.send_route("GET", "/users/:id");
        }
        for _ in 0..300 {
            r.step();
        }
        let msg = FromWorker::View {
            view: Box::new(r.view()),
            hold: true,
            recorded: RecordingDelta::default(),
            timeline: r.timeline_since(),
            handled: 7,
            heap_bytes: 0,
            wasm_bytes: 0,
        };
        let text = msg.encode();
        assert_eq!(FromWorker::decode(&text).unwrap(), msg);
        // Lists are cut: a thousand requests in flight stay a small message.
        assert!(text.len() < 64 * 1024, "{} bytes", text.len());
    }
}
