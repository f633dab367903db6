//! The trace as spans of time: what a timeline draws.
//!
//! HOW: a [`SpanReader`] reads the trace event by event and hands out a [`Span`] whenever one
//! closes: a phase of the loop (enter to leave), a callback on the main thread (its start and
//! the CPU it spent), a job on a pool worker (start to finish), an iteration's start, a
//! queue's new length. It keeps only what is open (the phase, the callback, each worker's
//! job), so it reads a run of any length in constant memory, and a reader that is cloned
//! goes on where the original was.
//!
//! WHY here: the CLI's Chrome trace file (`looplab run --timeline`) and the page's timeline
//! strip draw the same run; both read it through this one reader, so they cannot disagree
//! about where a callback or a job begins and ends.

use crate::ids::{LabelId, WorkerId};
use crate::time::Micros;
use crate::trace::{EventKind, Phase, QueueKind, Source, TraceEvent};

/// A span of the run, as a timeline draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// A pass of `uv_run`'s loop began.
    Iteration { iteration: u64, at: Micros },
    /// The loop was in `phase` from `start` for `dur` (the main script is `Phase::Main`).
    Phase {
        phase: Phase,
        start: Micros,
        dur: Micros,
    },
    /// A callback ran on the main thread from `start`, spending `cpu`, in `phase`.
    Callback {
        label: LabelId,
        source: Source,
        phase: Phase,
        start: Micros,
        cpu: Micros,
    },
    /// A pool worker ran a job from `start` for `dur`.
    Job {
        worker: WorkerId,
        label: LabelId,
        start: Micros,
        dur: Micros,
    },
    /// A queue's length changed.
    QueueLength {
        queue: QueueKind,
        at: Micros,
        length: u64,
    },
}

/// Reads trace events into [`Span`]s.
#[derive(Clone, Debug, Default)]
pub struct SpanReader {
    /// The phase the loop is in, and since when.
    phase: Option<(Phase, Micros)>,
    /// The callback running: (start, label, source).
    callback: Option<(Micros, LabelId, Source)>,
    /// Each worker's job: (worker, start, label).
    jobs: Vec<(WorkerId, Micros, LabelId)>,
    /// Each queue's length, in `QueueKind::ALL`'s order.
    queues: [u64; QueueKind::ALL.len()],
}

impl SpanReader {
    pub fn new() -> SpanReader {
        SpanReader::default()
    }

    /// Reads one event; `out` gets the span it closes, if any.
    pub fn read(&mut self, e: &TraceEvent, out: &mut impl FnMut(Span)) {
        let at = e.at;
        match &e.kind {
            EventKind::IterationStart { iteration } => out(Span::Iteration {
                iteration: *iteration,
                at,
            }),
            EventKind::PhaseEnter(p) => self.phase = Some((*p, at)),
            EventKind::PhaseLeave(p) => {
                if let Some((phase, start)) = self.phase.take() {
                    if phase == *p {
                        out(Span::Phase {
                            phase,
                            start,
                            dur: at - start,
                        });
                    }
                }
            }
            EventKind::CallbackStart { source, label, .. } => {
                self.callback = Some((at, *label, *source));
            }
            EventKind::CallbackEnd { cpu, .. } => {
                if let Some((start, label, source)) = self.callback.take() {
                    out(Span::Callback {
                        label,
                        source,
                        phase: self.phase.map_or(Phase::Main, |(p, _)| p),
                        start,
                        cpu: *cpu,
                    });
                }
            }
            EventKind::JobStart { worker, label, .. } => {
                self.jobs.retain(|j| j.0 != *worker);
                self.jobs.push((*worker, at, *label));
            }
            EventKind::JobFinish { worker, .. } => {
                if let Some(i) = self.jobs.iter().position(|j| j.0 == *worker) {
                    let (worker, start, label) = self.jobs.swap_remove(i);
                    out(Span::Job {
                        worker,
                        label,
                        start,
                        dur: at - start,
                    });
                }
            }
            EventKind::Enqueue { queue, .. } => self.count(*queue, true, at, out),
            EventKind::Dequeue { queue, .. } => self.count(*queue, false, at, out),
            _ => {}
        }
    }

    fn count(&mut self, queue: QueueKind, up: bool, at: Micros, out: &mut impl FnMut(Span)) {
        let i = QueueKind::ALL.iter().position(|q| *q == queue).unwrap_or(0);
        let n = &mut self.queues[i];
        *n = if up { *n + 1 } else { n.saturating_sub(1) };
        out(Span::QueueLength {
            queue,
            at,
            length: *n,
        });
    }

    /// The callback running now, if one started and has not ended: (start, label).
    pub fn running(&self) -> Option<(Micros, LabelId)> {
        self.callback.map(|(start, label, _)| (start, label))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ids::CallbackId;
    use crate::sim::{Sim, Step};

    fn ev(at: u64, kind: EventKind) -> TraceEvent {
        TraceEvent {
            at: Micros(at),
            kind,
        }
    }

    #[test]
    fn phases_enclose_callbacks_and_jobs_close_on_their_worker() {
        let mut r = SpanReader::new();
        let mut spans = Vec::new();
        let events = [
            ev(0, EventKind::PhaseEnter(Phase::Poll)),
            ev(
                5,
                EventKind::CallbackStart {
                    callback: CallbackId(1),
                    source: Source::Main,
                    label: LabelId(7),
                },
            ),
            ev(
                6,
                EventKind::JobStart {
                    worker: WorkerId(1),
                    task: crate::ids::TaskId(3),
                    label: LabelId(8),
                },
            ),
            ev(
                9,
                EventKind::CallbackEnd {
                    callback: CallbackId(1),
                    cpu: Micros(4),
                },
            ),
            ev(10, EventKind::PhaseLeave(Phase::Poll)),
            ev(
                30,
                EventKind::JobFinish {
                    worker: WorkerId(1),
                    task: crate::ids::TaskId(3),
                },
            ),
        ];
        for e in &events {
            r.read(e, &mut |s| spans.push(s));
        }
        assert_eq!(
            spans,
            vec![
                Span::Callback {
                    label: LabelId(7),
                    source: Source::Main,
                    phase: Phase::Poll,
                    start: Micros(5),
                    cpu: Micros(4),
                },
                Span::Phase {
                    phase: Phase::Poll,
                    start: Micros(0),
                    dur: Micros(10),
                },
                Span::Job {
                    worker: WorkerId(1),
                    label: LabelId(8),
                    start: Micros(6),
                    dur: Micros(24),
                },
            ]
        );
    }

    #[test]
    fn a_real_run_gives_one_callback_span_per_callback_and_queues_never_go_negative() {
        let mut sim = Sim::new(Config::default()).unwrap();
        let mut r = SpanReader::new();
        let (mut starts, mut callbacks) = (0, 0);
        for _ in 0..10_000 {
            let step = sim.step().unwrap();
            for e in sim.take_trace() {
                if matches!(e.kind, EventKind::CallbackStart { .. }) {
                    starts += 1;
                }
                r.read(&e, &mut |s| match s {
                    Span::Callback { .. } => callbacks += 1,
                    Span::QueueLength { length, .. } => assert!(length < 1_000_000),
                    _ => {}
                });
            }
            match step {
                Step::Run(_) => sim.finish_callback().unwrap(),
                Step::Exited(_) | Step::AwaitingInput => break,
                Step::Progress => {}
            }
        }
        assert!(starts > 0);
        assert_eq!(callbacks, starts);
    }
}
