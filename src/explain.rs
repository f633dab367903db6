//! Captions: one sentence saying *why* the last step happened, in libuv's and Node's terms.
//!
//! A pure function of the step's trace events, the interned labels, the snapshot after the step
//! and the operations behind the tasks it touched, as the model names them ("db.query",
//! "crypto.pbkdf2"). Requests are named by id when their handler started or their response
//! went out during the step.

use looplab_engine::looplab_model::{EventKind, Labels, Phase, Snapshot, Source, Step, TraceEvent};
use looplab_engine::names::{QUERY_CALLBACK, QUERY_OP, REQUEST_CALLBACK, REQUEST_OP};

/// What else the caption may mention about requests during the step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestNews {
    /// Requests whose handler started.
    pub started: Vec<u64>,
    /// (id, status, latency in ms) of requests that got their response.
    pub finished: Vec<(u64, u16, f64)>,
}

pub const IDLE_CAPTION: &str =
    "Press Play (or Step, →) to run the program; once the server listens, send requests \
     from the Requests pane. Each step of the event loop is explained here.";

pub const AWAITING_INPUT: &str =
    "The server is idle: nothing is pending, so the loop waits in epoll_wait for a \
     connection. Send a request to see it travel through the loop.";

fn request_suffix(news: &RequestNews) -> String {
    let mut parts = Vec::new();
    if let Some(&(id, status, ms)) = news.finished.last() {
        parts.push(format!(
            "request #{id} got its response ({status}) after {ms:.1} ms"
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" — {}.", parts.join("; "))
    }
}

fn phase_name(p: Phase) -> &'static str {
    p.name()
}

/// The caption for one callback that ran.
fn callback_caption(
    source: Source,
    label: &str,
    op_of: &dyn Fn(u64) -> Option<String>,
    news: &RequestNews,
) -> String {
    // The operation behind the task; the teaching modules' callback names tell it too when
    // the item was not among the shown ones.
    let op = source
        .task()
        .and_then(|t| op_of(t.0))
        .or_else(|| match label {
            REQUEST_CALLBACK => Some(REQUEST_OP.to_owned()),
            QUERY_CALLBACK => Some(QUERY_OP.to_owned()),
            _ => None,
        });
    let text = match source {
        Source::Main => "main: Node runs your script from top to bottom. What it schedules (timers, I/O, promises) \
                         runs later, from the event loop."
            .to_owned(),
        Source::Timer(_) => format!(
            "timers: the timer for {label} is due (the loop clock passed its time), so its callback runs."
        ),
        Source::Immediate(_) => format!(
            "check: setImmediate callbacks run right after poll; {label} runs now."
        ),
        Source::Tick(_) => format!(
            "nextTick: {label} was queued with process.nextTick, which runs as soon as the current callback ends, \
             before promises and before the loop moves on."
        ),
        Source::Microtask(_) => "microtask: a promise settled, so code after an await (or a .then handler) runs now, \
                                 before anything else in the loop."
            .to_owned(),
        Source::Work(_) => {
            let what = op.unwrap_or_else(|| "its job".to_owned());
            format!("poll: a pool worker finished {what}; its callback {label} runs on the main thread.")
        }
        Source::Io(_) => match op.as_deref() {
            Some(REQUEST_OP) => {
                let which = news.started.first().map(|id| format!("request #{id}")).unwrap_or_else(|| "a request".to_owned());
                format!(
                    "poll: {which} arrived on the server's socket (epoll reported the connection), so the server's \
                     handler runs on the call stack."
                )
            }
            Some(QUERY_OP) => "poll: the database's reply arrived on its socket (epoll reported it), so the query's \
                                 callback runs and resolves its promise; the awaiting handler continues as a microtask."
                .to_owned(),
            Some(other) => format!("poll: epoll reported {other} ready, so its callback {label} runs."),
            None => format!("poll: epoll reported a socket ready, so {label} runs."),
        },
        Source::Pending(_) => format!("pending: {label} was deferred to this iteration's pending phase and runs now."),
        Source::Close(_) => format!("close: a handle was closed, so its close callback {label} runs."),
        Source::Rejections => "A promise was rejected and nothing handled it: Node's processPromiseRejections runs."
            .to_owned(),
        Source::BeforeExit => "beforeExit: the loop ran out of work, so Node emits 'beforeExit' before exiting; \
                               if its listeners schedule more work, the loop runs again."
            .to_owned(),
    };
    text + &request_suffix(news)
}

/// One sentence for the step just taken.
pub fn caption(
    step: Option<Step>,
    events: &[TraceEvent],
    labels: &Labels,
    after: &Snapshot,
    news: &RequestNews,
    ops: &[(u64, String)],
) -> String {
    // The operation behind a task ("db.query", "crypto.pbkdf2", "HTTP request"), as the model
    // tells it after the step (`ops`; a snapshot before the step would list only the first
    // items of each queue, and taking one before every step played fast cost too much).
    let op_of = |task: u64| {
        ops.iter()
            .find(|(t, _)| *t == task)
            .map(|(_, op)| op.clone())
    };
    let Some(step) = step else {
        return IDLE_CAPTION.to_owned();
    };
    if let Step::Exited(code) = step {
        return if code == 0 {
            "The process exited (code 0): no timer, socket or request kept the loop alive any more."
                .to_owned()
        } else {
            format!("The process exited with code {code}: see the error below the console.")
        };
    }
    let callbacks: Vec<(Source, &str)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CallbackStart { source, label, .. } => Some((*source, labels.name(*label))),
            _ => None,
        })
        .collect();
    match callbacks.as_slice() {
        [(source, label)] => return callback_caption(*source, label, &op_of, news),
        [first, ..] => {
            let n = callbacks.len();
            return format!(
                "{}: {n} callbacks ran, starting with {} ({}).{}",
                phase_name(after.phase),
                first.1,
                first.0.kind_name(),
                request_suffix(news)
            );
        }
        [] => {}
    }
    if step == Step::AwaitingInput {
        return AWAITING_INPUT.to_owned();
    }
    // No callback ran: explain the loop's own move, the most telling event first.
    for e in events.iter().rev() {
        match &e.kind {
            EventKind::PollWait { timeout_ms, .. } => {
                return match timeout_ms {
                    Some(ms) => format!(
                        "poll: nothing is ready, so the loop sleeps in epoll_wait for up to {ms} ms (until the next timer is due)."
                    ),
                    None => "poll: nothing is ready, so the loop sleeps in epoll_wait until I/O arrives (a reply, a \
                             connection or a finished pool job)."
                        .to_owned(),
                };
            }
            EventKind::IoReady { task } => {
                let what = op_of(task.0).unwrap_or_else(|| "a watcher".to_owned());
                return format!(
                    "poll: epoll_wait returned: {what} is ready, its callback runs next."
                );
            }
            EventKind::JobFinish { worker, .. } => {
                return format!("A pool worker (worker {}) finished its job; its callback will run in the poll phase.", worker.0 + 1);
            }
            _ => {}
        }
    }
    for e in events.iter().rev() {
        match &e.kind {
            EventKind::IterationStart { iteration } => {
                return format!(
                    "Loop iteration {iteration} begins: libuv visits every phase in order."
                );
            }
            EventKind::PhaseEnter(p) => return enter_caption(*p),
            EventKind::PhaseLeave(p) => {
                return format!(
                    "{}: the phase is done ({}), the loop moves on.",
                    phase_name(*p),
                    p.libuv_name()
                );
            }
            _ => {}
        }
    }
    format!("{}: the loop moves on.", phase_name(after.phase))
}

fn enter_caption(p: Phase) -> String {
    let what = match p {
        Phase::Timers => "runs the callbacks of timers that are due",
        Phase::Pending => "runs I/O callbacks deferred from the previous iteration",
        Phase::Idle => "runs idle handles (Node's immediate handle keeps poll from blocking)",
        Phase::Prepare => "runs prepare handles, just before polling",
        Phase::Poll => "waits for I/O and runs the callbacks of sockets and finished pool jobs",
        Phase::Check => "runs setImmediate callbacks",
        Phase::Close => "runs close callbacks",
        Phase::Main => "runs the main script",
    };
    format!(
        "{}: the loop enters {} ({}), which {what}.",
        phase_name(p),
        phase_name(p),
        p.libuv_name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::Runner;

    fn run_until_callback(r: &mut Runner, label: &str) -> String {
        for _ in 0..2000 {
            r.step();
            let v = r.view();
            if v.stack.iter().any(|f| f.label == label)
                || r.last_callback_label().as_deref() == Some(label)
            {
                return v.caption;
            }
        }
        panic!("{label} never ran");
    }

    #[test]
    fn before_anything_runs_the_caption_invites_to_play() {
        let r = Runner::new(crate::presets::default_preset().source, 4);
        assert_eq!(r.view().caption, IDLE_CAPTION);
    }

    #[test]
    fn the_request_journey_is_narrated() {
        let mut r = Runner::new(crate::presets::default_preset().source, 4);
        r.run_to_idle();
        assert_eq!(r.view().caption, AWAITING_INPUT);
        assert_eq!(r.send("GET", "/users/3"), Some(1));
        let c = run_until_callback(&mut r, "onconnection (request)");
        assert!(
            c.starts_with("poll: request #1 arrived on the server's socket"),
            "{c}"
        );
        let c = run_until_callback(&mut r, "onQueryReply");
        assert!(c.starts_with("poll: the database's reply arrived"), "{c}");
        r.step();
        let c = r.view().caption;
        assert!(c.starts_with("microtask: a promise settled"), "{c}");
        assert!(c.contains("request #1 got its response (200)"), "{c}");
    }

    #[test]
    fn pool_completions_name_the_operation() {
        let mut r = Runner::new(crate::presets::default_preset().source, 4);
        r.run_to_idle();
        r.send("GET", "/login");
        let mut seen = None;
        for _ in 0..200 {
            r.step();
            let c = r.view().caption;
            if c.contains("pool worker finished") {
                seen = Some(c);
                break;
            }
        }
        let c = seen.expect("the hash finished");
        assert!(c.contains("crypto.pbkdf2"), "{c}");
    }

    #[test]
    fn a_sleeping_loop_says_how_long() {
        let mut r = Runner::new("setTimeout(() => {}, 20);", 4);
        let mut found = false;
        for _ in 0..50 {
            r.step();
            if r.view().caption.contains("sleeps in epoll_wait for up to") {
                found = true;
                break;
            }
        }
        assert!(found);
    }
}
