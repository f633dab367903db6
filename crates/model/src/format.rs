//! Trace events as text: one readable line each (for `looplab run --trace`), or one JSON object
//! each (for `--json`). Written by hand so the model keeps zero dependencies.

use crate::ids::Labels;
use crate::trace::{EventKind, Source, Stream, TraceEvent};

fn source(s: Source) -> String {
    match s.task() {
        Some(t) => format!("{} #{}", s.kind_name(), t.0),
        None => s.kind_name().to_owned(),
    }
}

/// `   12.345ms  poll      callback start  onRead (I/O (epoll) #7)`
pub fn line(labels: &Labels, e: &TraceEvent) -> String {
    let what = match &e.kind {
        EventKind::IterationStart { iteration } => format!("── iteration {iteration} ──"),
        EventKind::PhaseEnter(p) => format!("enter {} ({})", p.name(), p.libuv_name()),
        EventKind::PhaseLeave(p) => format!("leave {}", p.name()),
        EventKind::UpdateTime { loop_ms } => format!("uv__update_time: loop clock = {loop_ms}ms"),
        EventKind::PollWait {
            timeout_ms: Some(t),
            until,
        } => format!("epoll_wait(timeout {t}ms), wakes at {until}"),
        EventKind::PollWait {
            timeout_ms: None,
            until,
        } => format!("epoll_wait(no timeout), wakes at {until}"),
        EventKind::IdleHandle => "idle handle: immediates pending, poll will not block".to_owned(),
        EventKind::AwaitingInput => {
            "waiting for input from outside (nothing else can happen)".to_owned()
        }
        EventKind::CallbackStart {
            callback,
            source: s,
            label,
        } => {
            format!(
                "callback start {} [{}] cb={}",
                labels.name(*label),
                source(*s),
                callback.0
            )
        }
        EventKind::CallbackEnd { callback, cpu } => {
            format!("callback end cb={} (cpu {cpu})", callback.0)
        }
        EventKind::HostCallStart { label } => format!("host call {}", labels.name(*label)),
        EventKind::HostCallEnd { label } => format!("host call {} returns", labels.name(*label)),
        EventKind::CpuSpent { amount } => format!("cpu {amount} (loop blocked)"),
        EventKind::Enqueue { queue, task, label } => format!(
            "enqueue {} #{} {}",
            queue.name(),
            task.0,
            labels.name(*label)
        ),
        EventKind::Dequeue {
            queue,
            task,
            ran: true,
        } => format!("dequeue {} #{}", queue.name(), task.0),
        EventKind::Dequeue {
            queue,
            task,
            ran: false,
        } => format!("cancel {} #{}", queue.name(), task.0),
        EventKind::JobStart {
            worker,
            task,
            label,
        } => format!(
            "worker {} starts #{} {}",
            worker.0,
            task.0,
            labels.name(*label)
        ),
        EventKind::JobFinish { worker, task } => {
            format!("worker {} finishes #{}", worker.0, task.0)
        }
        EventKind::IoReady { task } => format!("kernel: #{} ready", task.0),
        EventKind::TimerHandle { due_ms: Some(d) } => format!("timer handle armed for {d}ms"),
        EventKind::TimerHandle { due_ms: None } => "timer handle stopped".to_owned(),
        EventKind::OpTimes {
            task,
            submitted,
            started,
            finished,
        } => {
            format!(
                "op #{} submitted {submitted} started {started} finished {finished}",
                task.0
            )
        }
        EventKind::Console { stream, text } => {
            let s = if *stream == Stream::Stdout {
                "stdout"
            } else {
                "stderr"
            };
            format!("{s}: {}", text.trim_end_matches('\n'))
        }
        EventKind::Exit { code } => format!("exit {code}"),
    };
    format!("{:>12}  {what}", e.at.to_string())
}

/// `s` as a JSON string literal, quotes included.
pub fn json_string(s: &str) -> String {
    esc(s)
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `{"at_us":12345,"event":"callback_start",...}`
pub fn json(labels: &Labels, e: &TraceEvent) -> String {
    let body = match &e.kind {
        EventKind::IterationStart { iteration } => {
            format!(r#""event":"iteration_start","iteration":{iteration}"#)
        }
        EventKind::PhaseEnter(p) => format!(r#""event":"phase_enter","phase":"{}""#, p.name()),
        EventKind::PhaseLeave(p) => format!(r#""event":"phase_leave","phase":"{}""#, p.name()),
        EventKind::UpdateTime { loop_ms } => {
            format!(r#""event":"update_time","loop_ms":{loop_ms}"#)
        }
        EventKind::PollWait { timeout_ms, until } => format!(
            r#""event":"poll_wait","timeout_ms":{},"until_us":{}"#,
            timeout_ms
                .map(|t| t.to_string())
                .unwrap_or_else(|| "null".into()),
            if until.0 == u64::MAX {
                "null".to_string()
            } else {
                until.0.to_string()
            }
        ),
        EventKind::IdleHandle => r#""event":"idle_handle""#.to_owned(),
        EventKind::AwaitingInput => r#""event":"awaiting_input""#.to_owned(),
        EventKind::CallbackStart {
            callback,
            source: s,
            label,
        } => format!(
            r#""event":"callback_start","callback":{},"source":"{}","task":{},"label":{}"#,
            callback.0,
            s.kind_name(),
            s.task()
                .map(|t| t.0.to_string())
                .unwrap_or_else(|| "null".into()),
            esc(labels.name(*label))
        ),
        EventKind::CallbackEnd { callback, cpu } => format!(
            r#""event":"callback_end","callback":{},"cpu_us":{}"#,
            callback.0, cpu.0
        ),
        EventKind::HostCallStart { label } => format!(
            r#""event":"host_call_start","label":{}"#,
            esc(labels.name(*label))
        ),
        EventKind::HostCallEnd { label } => format!(
            r#""event":"host_call_end","label":{}"#,
            esc(labels.name(*label))
        ),
        EventKind::CpuSpent { amount } => format!(r#""event":"cpu","us":{}"#, amount.0),
        EventKind::Enqueue { queue, task, label } => format!(
            r#""event":"enqueue","queue":"{}","task":{},"label":{}"#,
            queue.name(),
            task.0,
            esc(labels.name(*label))
        ),
        EventKind::Dequeue { queue, task, ran } => format!(
            r#""event":"dequeue","queue":"{}","task":{},"ran":{ran}"#,
            queue.name(),
            task.0
        ),
        EventKind::JobStart {
            worker,
            task,
            label,
        } => format!(
            r#""event":"job_start","worker":{},"task":{},"label":{}"#,
            worker.0,
            task.0,
            esc(labels.name(*label))
        ),
        EventKind::JobFinish { worker, task } => format!(
            r#""event":"job_finish","worker":{},"task":{}"#,
            worker.0, task.0
        ),
        EventKind::IoReady { task } => format!(r#""event":"io_ready","task":{}"#, task.0),
        EventKind::TimerHandle { due_ms } => format!(
            r#""event":"timer_handle","due_ms":{}"#,
            due_ms
                .map(|d| d.to_string())
                .unwrap_or_else(|| "null".into())
        ),
        EventKind::OpTimes {
            task,
            submitted,
            started,
            finished,
        } => format!(
            r#""event":"op_times","task":{},"submitted_us":{},"started_us":{},"finished_us":{}"#,
            task.0, submitted.0, started.0, finished.0
        ),
        EventKind::Console { stream, text } => format!(
            r#""event":"console","stream":"{}","text":{}"#,
            if *stream == Stream::Stdout {
                "stdout"
            } else {
                "stderr"
            },
            esc(text)
        ),
        EventKind::Exit { code } => format!(r#""event":"exit","code":{code}"#),
    };
    format!(r#"{{"at_us":{},{body}}}"#, e.at.0)
}
