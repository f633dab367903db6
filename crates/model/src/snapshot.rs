//! A picture of the whole process at one step, for a UI to render.
//!
//! HOW: every queue is listed in the order it will run, cut to its first `limit` items, with its
//! full length beside it, so that 10,000 waiting requests render as a handful of rows and a count,
//! never as 10,000 DOM nodes. Labels are resolved to strings here, at the edge.

use crate::ids::{LabelId, TaskId};
use crate::sim::Sim;
use crate::threadpool::WorkerState;
use crate::time::Micros;
use crate::trace::{Phase, QueueKind, Source};

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now: Micros,
    pub loop_ms: u64,
    pub phase: Phase,
    pub iteration: u64,
    pub in_checkpoint: bool,
    pub poll_waiting: bool,
    pub alive: bool,
    pub exited: Option<i32>,
    pub stack: Vec<FrameView>,
    pub queues: Vec<QueueView>,
    pub pool_size: u16,
    pub workers: Vec<WorkerView>,
    pub pool_queue: QueueView,
    pub active_handles: usize,
    pub active_reqs: usize,
    pub loop_utilization: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FrameView {
    pub label: String,
    /// The tag of the callback (see `Sim::set_tag`); None for host calls.
    pub tag: Option<u64>,
    /// None for a host call.
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QueueView {
    pub kind: QueueKind,
    /// Full length; `items` holds at most `limit` of them.
    pub count: usize,
    pub items: Vec<ItemView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItemView {
    pub task: TaskId,
    /// See `Sim::set_tag`.
    pub tag: Option<u64>,
    pub label: String,
    /// E.g. "due 12ms" for a timer, "db.query: ready" for a watcher.
    pub detail: String,
    /// The operation a watcher or a pool job stands for ("db.query", "crypto.pbkdf2"), for a
    /// UI that names it; None for plain callbacks.
    pub op: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WorkerView {
    pub index: u16,
    /// None when idle.
    pub job: Option<JobView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JobView {
    pub task: TaskId,
    /// See `Sim::set_tag`.
    pub tag: Option<u64>,
    pub label: String,
    pub since: Micros,
    pub until: Micros,
    /// 0.0..=1.0 at the snapshot's time.
    pub progress: f64,
}

fn item(sim: &Sim, task: TaskId, label: LabelId, detail: String) -> ItemView {
    ItemView {
        task,
        tag: sim.tag_of(task),
        label: sim.labels().name(label).to_owned(),
        detail,
        op: None,
    }
}

/// An item that stands for an operation (a watcher, a pool job).
fn op_item(sim: &Sim, task: TaskId, label: LabelId, op: LabelId, detail: &str) -> ItemView {
    let what = sim.labels().name(op);
    ItemView {
        op: Some(what.to_owned()),
        ..item(sim, task, label, format!("{what}{detail}"))
    }
}

fn simple(
    sim: &Sim,
    kind: QueueKind,
    it: impl Iterator<Item = (TaskId, LabelId)>,
    limit: usize,
) -> QueueView {
    let mut count = 0;
    let mut items = Vec::new();
    for (id, label) in it {
        if items.len() < limit {
            items.push(item(sim, id, label, String::new()));
        }
        count += 1;
    }
    QueueView { kind, count, items }
}

pub(crate) fn take(sim: &Sim, limit: usize) -> Snapshot {
    let now = sim.now();
    let timers = {
        let items = sim
            .timers()
            .in_order(limit)
            .into_iter()
            .map(|(id, t, due)| item(sim, id, t.label, format!("due {due}ms")))
            .collect();
        QueueView {
            kind: QueueKind::Timers,
            count: sim.timers().scheduled(),
            items,
        }
    };
    let poll = {
        let items = sim
            .poller()
            .in_order(limit)
            .into_iter()
            .map(|(id, w)| {
                let detail = if w.ready {
                    ": ready"
                } else {
                    ": waiting in the kernel"
                };
                op_item(sim, id, w.frame, w.op, detail)
            })
            .collect();
        QueueView {
            kind: QueueKind::Poll,
            count: sim.poller().len(),
            items,
        }
    };
    let pool_done = {
        let ids: Vec<TaskId> = sim.pool_done_iter().collect();
        let items = ids
            .iter()
            .take(limit)
            .filter_map(|id| {
                sim.pool().req(*id).map(|r| {
                    op_item(
                        sim,
                        *id,
                        r.frame,
                        r.spec.label,
                        ": finished, waiting for poll",
                    )
                })
            })
            .collect();
        QueueView {
            kind: QueueKind::PoolDone,
            count: ids.len(),
            items,
        }
    };
    let queues = vec![
        timers,
        simple(sim, QueueKind::Pending, sim.pending_iter(), limit),
        poll,
        simple(sim, QueueKind::Check, sim.check_iter(), limit),
        simple(sim, QueueKind::Close, sim.closing_iter(), limit),
        simple(sim, QueueKind::NextTick, sim.ticks_iter(), limit),
        simple(sim, QueueKind::Microtask, sim.microtasks_iter(), limit),
        pool_done,
    ];
    let workers = sim
        .pool()
        .workers()
        .iter()
        .enumerate()
        .map(|(i, w)| WorkerView {
            index: i as u16,
            job: match *w {
                WorkerState::Idle => None,
                WorkerState::Busy {
                    task, since, until, ..
                } => {
                    let label = sim
                        .pool()
                        .req(task)
                        .map(|r| sim.labels().name(r.spec.label).to_owned())
                        .unwrap_or_default();
                    let span = (until - since).0.max(1) as f64;
                    let progress = ((now - since).0 as f64 / span).clamp(0.0, 1.0);
                    Some(JobView {
                        task,
                        tag: sim.tag_of(task),
                        label,
                        since,
                        until,
                        progress,
                    })
                }
            },
        })
        .collect();
    let waiting = sim.pool().waiting();
    let pool_queue = QueueView {
        kind: QueueKind::PoolQueue,
        count: waiting.len(),
        items: waiting
            .iter()
            .take(limit)
            .filter_map(|id| {
                sim.pool()
                    .req(*id)
                    .map(|r| op_item(sim, *id, r.spec.label, r.spec.label, ""))
            })
            .collect(),
    };
    Snapshot {
        now,
        loop_ms: sim.loop_ms(),
        phase: sim.phase(),
        iteration: sim.iteration(),
        in_checkpoint: sim.in_checkpoint(),
        poll_waiting: sim.is_poll_waiting(),
        alive: sim.is_alive(),
        exited: sim.exited(),
        stack: sim
            .stack()
            .iter()
            .map(|f| FrameView {
                label: sim.labels().name(f.label).to_owned(),
                // The running callback's own tag (a one-shot task's entry may be gone by
                // the time a UI looks at a finished step's frames).
                tag: f.source.and(sim.ran_tag()),
                source: f.source,
            })
            .collect(),
        queues,
        pool_size: sim.pool().size(),
        workers,
        pool_queue,
        active_handles: sim.handles().active_refed(),
        active_reqs: sim.pool().active_reqs() + sim.poller().active_reqs(),
        loop_utilization: sim.metrics().utilization(now).2,
    }
}

impl Snapshot {
    pub fn queue(&self, kind: QueueKind) -> Option<&QueueView> {
        if kind == QueueKind::PoolQueue {
            return Some(&self.pool_queue);
        }
        self.queues.iter().find(|q| q.kind == kind)
    }
}
