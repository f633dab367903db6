//! The embed API: what a course page says to an embedded Looplab with `postMessage`, and what
//! it hears back. Documented for authors in `docs/embed.md`.
//!
//! HOW: every message is an object whose `type` is namespaced `looplab:…`. A command from the
//! host page ([`parse`]) becomes the same [`Input`] a control of the page would give, so the
//! controller decides what it does, as for a click; a command may carry an `id`, echoed in its
//! `looplab:reply` (`ok: true`, or `ok: false` and a `reason`). What the frame tells the host
//! ([`Event`]) is read off consecutive views by a [`Tracker`]: the step, each new console line,
//! each request that changed state, the program's error. All of it is plain Rust over a small
//! JSON-like [`Value`], tested natively; `host_bridge.rs` is the DOM side (the `message`
//! listener, `postMessage`, the resize observer).
//!
//! WHY so strict: a frame hears messages from anything on the host page (its libraries, browser
//! extensions). A message that is not a Looplab command changes nothing: an object whose `type`
//! belongs to someone else is ignored silently, anything else ill-formed gets one console
//! warning (and a reply when it carried an `id`), never an exception.

use std::collections::BTreeMap;

use crate::controller::Input;
use crate::presets;
use crate::protocol::StepBy;
use crate::settings::{BURST, POOL_SIZE};
use crate::state::{Command, Speed};
use crate::view::{RequestState, View};

/// The namespace of every message type.
pub const PREFIX: &str = "looplab:";
/// The most steps one `step` command takes.
pub const MAX_STEPS: u64 = 1_000;

/// A message's data, as the structured clone gives it (functions and other objects dropped).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    fn num(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// What a host page asks.
#[derive(Clone, Debug, PartialEq)]
pub enum HostCommand {
    /// A new process: a program (or a preset's), a pool size and a seed; paused at step 0.
    Load {
        source: String,
        preset: Option<&'static str>,
        pool_size: Option<u16>,
        seed: Option<u64>,
    },
    Play,
    Pause,
    Step {
        n: u64,
        by: StepBy,
    },
    Goto {
        step: u64,
    },
    /// `count` requests to a route of the program (`"GET /users/:id"`; the selected one if None).
    Send {
        route: Option<String>,
        count: u32,
    },
    Speed(Speed),
    Reset,
}

/// A command and the id its reply echoes.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: Option<Value>,
    pub command: HostCommand,
}

/// Why a message is not a command.
#[derive(Clone, Debug, PartialEq)]
pub enum NotACommand {
    /// Another protocol's message (an object whose `type` is not `looplab:…`): no warning.
    Foreign,
    /// Looplab's, or nobody's, but wrong: one warning, and a reply if it had an id.
    Bad { id: Option<Value>, reason: String },
}

/// Reads a message.
pub fn parse(msg: &Value) -> Result<Request, NotACommand> {
    let Value::Object(_) = msg else {
        return Err(NotACommand::Bad {
            id: None,
            reason: "a Looplab command is an object with a `type` such as \"looplab:play\"".into(),
        });
    };
    let ty = match msg.get("type") {
        Some(Value::String(t)) if t.starts_with(PREFIX) => &t[PREFIX.len()..],
        Some(Value::String(_)) => return Err(NotACommand::Foreign),
        _ => {
            return Err(NotACommand::Bad {
                id: msg.get("id").cloned(),
                reason: "a Looplab command has a string `type` such as \"looplab:play\"".into(),
            })
        }
    };
    let id = msg.get("id").cloned();
    let bad = |reason: String| NotACommand::Bad {
        id: id.clone(),
        reason: format!("looplab:{ty}: {reason}"),
    };
    let whole = |key: &str, min: u64, max: u64| -> Result<Option<u64>, NotACommand> {
        match msg.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.num() {
                Some(n) if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 => {
                    Ok(Some(n as u64))
                }
                _ => Err(bad(format!(
                    "`{key}` is a whole number from {min} to {max}"
                ))),
            },
        }
    };
    let command = match ty {
        "play" => HostCommand::Play,
        "pause" => HostCommand::Pause,
        "reset" => HostCommand::Reset,
        "load" => {
            let program = msg.get("program").map(|p| p.str().map(str::to_owned));
            let preset = msg.get("preset").map(|p| p.str().and_then(presets::preset));
            let (source, preset) = match (program, preset) {
                (Some(Some(p)), None) if p.chars().count() <= crate::link::MAX_PROGRAM => (p, None),
                (Some(Some(_)), None) => {
                    return Err(bad(format!(
                        "`program` is longer than {} characters",
                        crate::link::MAX_PROGRAM
                    )))
                }
                (None, Some(Some(p))) => (p.source.to_owned(), Some(p.key)),
                (None, Some(None)) => {
                    let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.key).collect();
                    return Err(bad(format!("`preset` is one of {}", names.join(", "))));
                }
                (Some(None), _) => return Err(bad("`program` is a string of JavaScript".into())),
                _ => {
                    return Err(bad(
                        "give a `program` (JavaScript) or a `preset`, not both".into()
                    ))
                }
            };
            HostCommand::Load {
                source,
                preset,
                pool_size: whole("poolSize", POOL_SIZE.min as u64, POOL_SIZE.max as u64)?
                    .map(|n| n as u16),
                seed: whole("seed", 0, (1u64 << 53) - 1)?,
            }
        }
        "step" => {
            let by = match msg.get("by").map(|b| b.str()) {
                None | Some(Some("event")) => StepBy::Event,
                Some(Some("phase")) => StepBy::Phase,
                Some(Some("iteration")) => StepBy::Iteration,
                _ => return Err(bad("`by` is \"event\", \"phase\" or \"iteration\"".into())),
            };
            HostCommand::Step {
                n: whole("n", 1, MAX_STEPS)?.unwrap_or(1),
                by,
            }
        }
        "goto" => match whole("step", 0, crate::link::MAX_STEP)? {
            Some(step) => HostCommand::Goto { step },
            None => return Err(bad("`step` is the step to go to".into())),
        },
        "send" => HostCommand::Send {
            route: match msg.get("route") {
                None | Some(Value::Null) => None,
                Some(Value::String(r)) => Some(r.clone()),
                Some(_) => {
                    return Err(bad("`route` is a string such as \"GET /users/:id\"".into()))
                }
            },
            count: whole("count", 1, BURST.max as u64)?.unwrap_or(1) as u32,
        },
        "speed" => match msg
            .get("value")
            .and_then(Value::str)
            .and_then(Speed::from_key)
        {
            Some(s) => HostCommand::Speed(s),
            None => {
                let keys: Vec<&str> = Speed::ALL.iter().map(|s| s.key()).collect();
                return Err(bad(format!("`value` is one of {}", keys.join(", "))));
            }
        },
        _ => {
            return Err(NotACommand::Bad {
                id,
                reason: format!(
                    "\"looplab:{ty}\" is not a command (load, play, pause, step, goto, send, \
                     speed, reset)"
                ),
            })
        }
    };
    Ok(Request { id, command })
}

/// What the page does for a command: the inputs, in order, or why it cannot (`routes`: the
/// loaded program's, as `METHOD /pattern`; `listening`: requests can be sent now).
pub fn inputs(
    command: &HostCommand,
    routes: &[String],
    listening: bool,
) -> Result<Vec<Input>, String> {
    Ok(match command {
        HostCommand::Load {
            source,
            preset,
            pool_size,
            seed,
        } => vec![Input::Open {
            source: source.clone(),
            preset: *preset,
            pool_size: *pool_size,
            seed: *seed,
        }],
        HostCommand::Play => vec![Input::Command(Command::Play)],
        HostCommand::Pause => vec![Input::Command(Command::Pause)],
        HostCommand::Reset => vec![Input::Command(Command::Reset)],
        HostCommand::Step { n, by } => {
            let cmd = match by {
                StepBy::Event => Command::Step,
                StepBy::Phase => Command::StepPhase,
                StepBy::Iteration => Command::StepIteration,
            };
            vec![Input::Command(cmd); *n as usize]
        }
        HostCommand::Goto { step } => vec![Input::Goto(*step)],
        HostCommand::Speed(s) => vec![Input::SetSpeed(*s)],
        HostCommand::Send { route, count } => {
            if !listening {
                return Err("the program does not listen for requests (yet): play it first".into());
            }
            let index = match route {
                None => None,
                Some(r) => match routes.iter().position(|k| k == r) {
                    Some(i) => Some(i),
                    None => {
                        return Err(format!(
                            "the program has no route \"{r}\" (its routes: {})",
                            routes.join(", ")
                        ))
                    }
                },
            };
            vec![Input::SendTo {
                route: index,
                count: *count,
            }]
        }
    })
}

/// What the frame tells the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Ready,
    Resize {
        height: f64,
    },
    Step {
        step: u64,
        phase: Option<&'static str>,
        iteration: u64,
        clock_ms: u64,
    },
    Console {
        line: String,
    },
    Request {
        id: u64,
        state: &'static str,
        latency_ms: f64,
    },
    Error {
        message: String,
        line: Option<u32>,
        column: Option<u32>,
    },
    Reply {
        id: Value,
        result: Result<(), String>,
    },
    /// The lesson's step, and the reader's answer to its question once the model graded it.
    Lesson {
        id: String,
        step: usize,
        answered: Option<String>,
        correct: Option<bool>,
    },
}

impl Event {
    /// The message posted: an object with its `type` first.
    pub fn to_value(&self) -> Value {
        let s = |v: &str| Value::String(v.to_owned());
        let n = |v: f64| Value::Number(v);
        let opt = |v: Option<u32>| v.map_or(Value::Null, |v| Value::Number(v as f64));
        let (ty, mut fields): (&str, Vec<(&str, Value)>) = match self {
            Event::Ready => ("ready", vec![]),
            Event::Resize { height } => ("resize", vec![("height", n(*height))]),
            Event::Step {
                step,
                phase,
                iteration,
                clock_ms,
            } => (
                "step",
                vec![
                    ("step", n(*step as f64)),
                    ("phase", phase.map_or(Value::Null, s)),
                    ("iteration", n(*iteration as f64)),
                    ("clockMs", n(*clock_ms as f64)),
                ],
            ),
            Event::Console { line } => ("console", vec![("line", s(line))]),
            Event::Request {
                id,
                state,
                latency_ms,
            } => (
                "request",
                vec![
                    ("id", n(*id as f64)),
                    ("state", s(state)),
                    ("latencyMs", n(*latency_ms)),
                ],
            ),
            Event::Error {
                message,
                line,
                column,
            } => (
                "error",
                vec![
                    ("message", s(message)),
                    ("line", opt(*line)),
                    ("column", opt(*column)),
                ],
            ),
            Event::Lesson {
                id,
                step,
                answered,
                correct,
            } => (
                "lesson",
                vec![
                    ("id", s(id)),
                    ("step", n(*step as f64)),
                    ("answered", answered.as_deref().map_or(Value::Null, s)),
                    ("correct", correct.map_or(Value::Null, Value::Bool)),
                ],
            ),
            Event::Reply { id, result } => (
                "reply",
                match result {
                    Ok(()) => vec![("id", id.clone()), ("ok", Value::Bool(true))],
                    Err(why) => vec![
                        ("id", id.clone()),
                        ("ok", Value::Bool(false)),
                        ("reason", s(why)),
                    ],
                },
            ),
        };
        fields.insert(0, ("type", s(&format!("{PREFIX}{ty}"))));
        Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

/// What the host has been told, so each view adds only what is new.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    step: Option<u64>,
    /// Console lines told (the view numbers them from 1).
    console: usize,
    /// Each request's state as last told.
    requests: BTreeMap<u64, RequestState>,
    error: bool,
}

impl Tracker {
    /// The events `view` adds to what was told.
    pub fn events(&mut self, view: &View) -> Vec<Event> {
        let mut out = Vec::new();
        if view.rewinding.is_some() {
            // A replay runs: the steps it shows on the way are not news (a step back's replay
            // shows the present meanwhile; a rebuild, the steps it replays).
            return out;
        }
        if self.step != Some(view.steps) {
            let went_back = self.step.is_some_and(|s| view.steps < s);
            self.step = Some(view.steps);
            if went_back || view.console.total < self.console {
                // Going back: what the host was told already happened; tell only what is new
                // from here.
                self.console = view.console.total;
                self.requests = view.requests.rows.iter().map(|r| (r.id, r.state)).collect();
                self.error = !view.stderr.is_empty();
            }
            out.push(Event::Step {
                step: view.steps,
                phase: view
                    .phase
                    .map(|p| p.name())
                    .or(view.in_main.then_some("main")),
                iteration: view.iteration,
                clock_ms: view.loop_ms,
            });
        }
        for (n, line) in &view.console.lines {
            if *n > self.console {
                out.push(Event::Console { line: line.clone() });
            }
        }
        self.console = self.console.max(view.console.total);
        for r in &view.requests.rows {
            if self.requests.get(&r.id) != Some(&r.state) {
                self.requests.insert(r.id, r.state);
                out.push(Event::Request {
                    id: r.id,
                    state: r.state.as_str(),
                    latency_ms: r.ms,
                });
            }
        }
        if self.requests.len() > 4 * crate::view::REQUEST_ROWS {
            // Rows scroll out of the view: forget the oldest.
            let keep: Vec<u64> = view.requests.rows.iter().map(|r| r.id).collect();
            self.requests.retain(|id, _| keep.contains(id));
        }
        if !self.error && !view.stderr.is_empty() {
            self.error = true;
            out.push(error_event(&view.stderr));
        }
        out
    }
}

/// The program's error, from what it wrote to stderr in Node's format: the place
/// (`file:line`), the source line, a caret under the column, a blank line, `Name: message`.
pub fn error_event(stderr: &str) -> Event {
    let lines: Vec<&str> = stderr.lines().collect();
    let line = lines
        .first()
        .and_then(|l| l.rsplit(':').next())
        .and_then(|n| n.trim().parse::<u32>().ok());
    let column = line.and_then(|_| {
        lines
            .get(2)
            .filter(|l| l.trim() == "^" || l.trim_start().starts_with('^'))
            .and_then(|l| l.find('^'))
            .map(|c| c as u32 + 1)
    });
    let message = lines
        .iter()
        .find(|l| {
            let head = l.split(':').next().unwrap_or("");
            !head.is_empty()
                && !l.starts_with(' ')
                && head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && (head.ends_with("Error") || head == "Error")
        })
        .or_else(|| lines.iter().find(|l| !l.trim().is_empty()))
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    Event::Error {
        message,
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::Runner;

    fn obj(fields: &[(&str, Value)]) -> Value {
        Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn s(v: &str) -> Value {
        Value::String(v.into())
    }
    fn n(v: f64) -> Value {
        Value::Number(v)
    }
    fn ty(t: &str) -> (&'static str, Value) {
        ("type", s(t))
    }
    fn reason(msg: &Value) -> String {
        match parse(msg) {
            Err(NotACommand::Bad { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn commands_are_read_with_their_ids() {
        let r = parse(&obj(&[
            ty("looplab:step"),
            ("n", n(3.0)),
            ("by", s("phase")),
            ("id", n(7.0)),
        ]))
        .unwrap();
        assert_eq!(
            r.command,
            HostCommand::Step {
                n: 3,
                by: StepBy::Phase
            }
        );
        assert_eq!(r.id, Some(n(7.0)));
        let r = parse(&obj(&[
            ty("looplab:load"),
            ("preset", s("blocked-loop")),
            ("poolSize", n(2.0)),
        ]))
        .unwrap();
        let HostCommand::Load {
            preset,
            pool_size,
            seed,
            source,
        } = r.command
        else {
            panic!()
        };
        assert_eq!(
            (preset, pool_size, seed),
            (Some("blocked-loop"), Some(2), None)
        );
        assert!(source.contains("Date.now()"));
        let r = parse(&obj(&[
            ty("looplab:load"),
            ("program", s("console.log(1)")),
            ("seed", n(9.0)),
        ]))
        .unwrap();
        assert!(matches!(
            r.command,
            HostCommand::Load {
                seed: Some(9),
                preset: None,
                ..
            }
        ));
        assert_eq!(
            parse(&obj(&[ty("looplab:goto"), ("step", n(120.0))]))
                .unwrap()
                .command,
            HostCommand::Goto { step: 120 }
        );
        assert_eq!(
            parse(&obj(&[
                ty("looplab:send"),
                ("route", s("GET /login")),
                ("count", n(5.0))
            ]))
            .unwrap()
            .command,
            HostCommand::Send {
                route: Some("GET /login".into()),
                count: 5
            }
        );
        assert_eq!(
            parse(&obj(&[ty("looplab:speed"), ("value", s("max"))]))
                .unwrap()
                .command,
            HostCommand::Speed(Speed::Max)
        );
        for (t, c) in [
            ("play", HostCommand::Play),
            ("pause", HostCommand::Pause),
            ("reset", HostCommand::Reset),
        ] {
            assert_eq!(
                parse(&obj(&[ty(&format!("looplab:{t}"))])).unwrap().command,
                c
            );
        }
    }

    #[test]
    fn bad_messages_say_why_and_foreign_ones_are_ignored_silently() {
        assert_eq!(parse(&obj(&[ty("webpackOk")])), Err(NotACommand::Foreign));
        assert!(reason(&s("play")).contains("is an object"));
        assert!(reason(&obj(&[("kind", s("play"))])).contains("string `type`"));
        assert!(reason(&obj(&[ty("looplab:fly")])).contains("\"looplab:fly\" is not a command"));
        assert!(reason(&obj(&[ty("looplab:step"), ("n", n(0.0))]))
            .contains("`n` is a whole number from 1 to 1000"));
        assert!(reason(&obj(&[ty("looplab:step"), ("n", n(2.5))])).contains("`n`"));
        assert!(reason(&obj(&[ty("looplab:step"), ("by", s("year"))])).contains("`by`"));
        assert!(reason(&obj(&[ty("looplab:goto")])).contains("`step`"));
        assert!(reason(&obj(&[ty("looplab:speed"), ("value", n(3.0))])).contains("one of 1, 4"));
        assert!(reason(&obj(&[ty("looplab:load"), ("preset", s("nope"))]))
            .contains("`preset` is one of"));
        assert!(reason(&obj(&[ty("looplab:load")])).contains("a `program`"));
        assert!(reason(&obj(&[ty("looplab:load"), ("program", n(1.0))]))
            .contains("string of JavaScript"));
        let huge = "x".repeat(crate::link::MAX_PROGRAM + 1);
        assert!(reason(&obj(&[ty("looplab:load"), ("program", s(&huge))])).contains("longer than"));
        assert!(reason(&obj(&[
            ty("looplab:load"),
            ("preset", s("server")),
            ("poolSize", n(1e9))
        ]))
        .contains("`poolSize`"));
        assert!(reason(&obj(&[ty("looplab:send"), ("count", n(5000.0))])).contains("`count`"));
        // An id on a bad message is kept for its reply.
        let Err(NotACommand::Bad { id, .. }) = parse(&obj(&[ty("looplab:fly"), ("id", s("a"))]))
        else {
            panic!()
        };
        assert_eq!(id, Some(s("a")));
    }

    #[test]
    fn commands_become_the_inputs_of_the_page_controls() {
        let routes = vec!["GET /users/:id".to_owned(), "GET /login".to_owned()];
        let send = HostCommand::Send {
            route: Some("GET /login".into()),
            count: 3,
        };
        assert_eq!(
            inputs(&send, &routes, true),
            Ok(vec![Input::SendTo {
                route: Some(1),
                count: 3
            }])
        );
        assert!(inputs(&send, &routes, false)
            .unwrap_err()
            .contains("does not listen"));
        let other = HostCommand::Send {
            route: Some("POST /x".into()),
            count: 1,
        };
        assert!(inputs(&other, &routes, true)
            .unwrap_err()
            .contains("no route \"POST /x\""));
        assert_eq!(
            inputs(
                &HostCommand::Step {
                    n: 3,
                    by: StepBy::Iteration
                },
                &routes,
                true
            )
            .unwrap(),
            vec![Input::Command(Command::StepIteration); 3]
        );
    }

    #[test]
    fn the_tracker_tells_each_step_line_request_and_error_once() {
        let mut r = Runner::new(crate::presets::default_preset().source, 4);
        let mut t = Tracker::default();
        let first = t.events(&r.view());
        assert_eq!(
            first,
            vec![Event::Step {
                step: 0,
                phase: None,
                iteration: 0,
                clock_ms: 0
            }]
        );
        assert!(t.events(&r.view()).is_empty(), "nothing new, nothing told");
        r.run_to_idle();
        let ev = t.events(&r.view());
        let lines: Vec<_> = ev
            .iter()
            .filter_map(|e| match e {
                Event::Console { line } => Some(line.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(lines.len(), r.view().console.total, "{ev:?}");
        assert!(lines[0].contains("listening"), "{lines:?}");
        r.send_route("GET", "/users/:id");
        let mut states = Vec::new();
        for _ in 0..200 {
            r.step();
            for e in t.events(&r.view()) {
                if let Event::Request {
                    id,
                    state,
                    latency_ms,
                } = e
                {
                    states.push((id, state, latency_ms));
                }
            }
        }
        let names: Vec<_> = states.iter().map(|s| s.1).collect();
        assert_eq!(names.first(), Some(&"waiting"), "{states:?}");
        assert_eq!(names.last(), Some(&"done"), "{states:?}");
        assert!(states.last().unwrap().2 > 0.0);
        // Going back tells the new step, and no line twice.
        r.step_back();
        let ev = t.events(&r.view());
        assert!(matches!(ev[0], Event::Step { .. }), "{ev:?}");
        assert!(
            !ev.iter().any(|e| matches!(e, Event::Console { .. })),
            "{ev:?}"
        );
    }

    #[test]
    fn an_error_is_read_from_node_s_report() {
        let mut r = Runner::new("const a = 1;\nsetTimeout(() => {\n  null.x;\n}, 5);\n", 4);
        r.run_to_idle();
        let mut t = Tracker::default();
        let err = t
            .events(&r.view())
            .into_iter()
            .find(|e| matches!(e, Event::Error { .. }));
        let Some(Event::Error {
            message,
            line,
            column,
        }) = err
        else {
            panic!("{:?}", r.view().stderr)
        };
        assert!(
            message.starts_with("TypeError: Cannot read properties of null"),
            "{message}"
        );
        assert_eq!(line, Some(3), "{}", r.view().stderr);
        assert_eq!(column, Some(8), "{}", r.view().stderr);
    }

    #[test]
    fn events_are_objects_with_a_namespaced_type() {
        let v = Event::Reply {
            id: n(1.0),
            result: Err("no".into()),
        }
        .to_value();
        assert_eq!(v.get("type"), Some(&s("looplab:reply")));
        assert_eq!(v.get("ok"), Some(&Value::Bool(false)));
        assert_eq!(v.get("reason"), Some(&s("no")));
        let v = Event::Step {
            step: 3,
            phase: Some("poll"),
            iteration: 1,
            clock_ms: 20,
        }
        .to_value();
        assert_eq!(v.get("clockMs"), Some(&n(20.0)));
        assert_eq!(v.get("phase"), Some(&s("poll")));
    }
}
