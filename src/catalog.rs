//! Static descriptions of what the page shows: libuv's loop phases, the queues Node drains and
//! the thread pool. Pure data (no DOM), so the layout's vocabulary is unit-tested natively and the
//! `data-testid`s the browser and end-to-end tests rely on live in one place.

/// libuv's loop phases are the model's own type: the page adds only how it draws them.
pub use looplab_engine::looplab_model::Phase;

/// The `data-testid` of the element that shows a phase: `phase-` and libuv's name.
pub fn phase_test_id(phase: Phase) -> String {
    format!("phase-{}", phase.name())
}

/// One position on the loop ring. Node's guide draws six phases; idle and prepare share one
/// position because they run back to back and only libuv-internal handles use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhaseSlot {
    /// Stable identifier, used as `data-phase`.
    pub key: &'static str,
    /// The libuv steps shown in this position (one, or idle and prepare).
    pub phases: &'static [Phase],
    /// What runs there, in a few words.
    pub hint: &'static str,
}

/// The six positions of the loop ring, in loop order.
pub const PHASE_SLOTS: [PhaseSlot; 6] = [
    PhaseSlot {
        key: "timers",
        phases: &[Phase::Timers],
        hint: "expired timers",
    },
    PhaseSlot {
        key: "pending",
        phases: &[Phase::Pending],
        hint: "deferred I/O callbacks",
    },
    PhaseSlot {
        key: "idle-prepare",
        phases: &[Phase::Idle, Phase::Prepare],
        hint: "libuv internals",
    },
    PhaseSlot {
        key: "poll",
        phases: &[Phase::Poll],
        hint: "wait for I/O",
    },
    PhaseSlot {
        key: "check",
        phases: &[Phase::Check],
        hint: "setImmediate",
    },
    PhaseSlot {
        key: "close",
        phases: &[Phase::Close],
        hint: "close callbacks",
    },
];

/// The model's queues are the page's: the page adds only how it draws them.
pub use looplab_engine::looplab_model::QueueKind;

/// Which of the two kinds of queue a lane is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueGroup {
    /// Drained by Node after every callback, before the loop moves on.
    BetweenCallbacks,
    /// Drained by libuv in its phase.
    Phase,
}

/// The queue lanes of the Queues pane, in the order the page lists them: Node's two first,
/// then libuv's by phase. The pool's own queue is drawn in the Thread pool pane, and finished
/// pool work (`PoolDone`, run by `uv__work_done` in poll) in the poll lane.
pub const LANES: [QueueKind; 7] = [
    QueueKind::NextTick,
    QueueKind::Microtask,
    QueueKind::Timers,
    QueueKind::Pending,
    QueueKind::Poll,
    QueueKind::Check,
    QueueKind::Close,
];

/// How the page draws a queue: its name, its test id, the APIs that feed it.
pub trait QueueLook {
    fn label(self) -> &'static str;
    /// The `data-testid` (and `data-place`) of the element that shows this queue.
    fn test_id(self) -> &'static str;
    /// The APIs whose callbacks land in this queue.
    fn hint(self) -> &'static str;
    fn group(self) -> QueueGroup;
}

impl QueueLook for QueueKind {
    fn label(self) -> &'static str {
        match self {
            QueueKind::NextTick => "process.nextTick",
            QueueKind::Microtask => "microtasks",
            QueueKind::PoolQueue => "waiting for a worker",
            QueueKind::PoolDone => "pool done",
            other => other.name(),
        }
    }

    fn test_id(self) -> &'static str {
        match self {
            QueueKind::NextTick => "queue-nexttick",
            QueueKind::Microtask => "queue-microtask",
            QueueKind::Timers => "queue-timers",
            QueueKind::Pending => "queue-pending",
            QueueKind::Poll | QueueKind::PoolDone => "queue-poll",
            QueueKind::Check => "queue-check",
            QueueKind::Close => "queue-close",
            QueueKind::PoolQueue => "pool-queue",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            QueueKind::NextTick => "process.nextTick(fn)",
            QueueKind::Microtask => "promises, queueMicrotask()",
            QueueKind::Timers => "setTimeout, setInterval",
            QueueKind::Pending => "deferred I/O errors",
            QueueKind::Poll | QueueKind::PoolDone => "fs, net, dns results",
            QueueKind::Check => "setImmediate(fn)",
            QueueKind::Close => "socket.on('close')",
            QueueKind::PoolQueue => "fs, dns.lookup, crypto, zlib",
        }
    }

    fn group(self) -> QueueGroup {
        match self.phase() {
            None if self != QueueKind::PoolQueue => QueueGroup::BetweenCallbacks,
            _ => QueueGroup::Phase,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ring_has_six_slots_covering_every_phase_once_in_loop_order() {
        assert_eq!(PHASE_SLOTS.len(), 6);
        let flattened: Vec<Phase> = PHASE_SLOTS
            .iter()
            .flat_map(|slot| slot.phases.iter().copied())
            .collect();
        // The ring starts at timers (as Node's guide draws it); libuv's iteration ends with them.
        let mut ring = Phase::LOOP.to_vec();
        ring.rotate_right(1);
        assert_eq!(flattened, ring);
    }

    #[test]
    fn slot_keys_are_unique() {
        let keys: HashSet<_> = PHASE_SLOTS.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), PHASE_SLOTS.len());
    }

    #[test]
    fn test_ids_match_the_documented_contract() {
        let phases: Vec<_> = PHASE_SLOTS
            .iter()
            .flat_map(|slot| slot.phases.iter().map(|&p| phase_test_id(p)))
            .collect();
        assert_eq!(
            phases,
            [
                "phase-timers",
                "phase-pending",
                "phase-idle",
                "phase-prepare",
                "phase-poll",
                "phase-check",
                "phase-close"
            ]
        );
        let queues: HashSet<_> = LANES.iter().map(|q| q.test_id()).collect();
        for id in [
            "queue-timers",
            "queue-pending",
            "queue-poll",
            "queue-check",
            "queue-close",
            "queue-nexttick",
            "queue-microtask",
        ] {
            assert!(queues.contains(id), "missing {id}");
        }
        assert_eq!(queues.len(), LANES.len());
    }

    #[test]
    fn node_queues_come_first_and_phase_queues_follow_loop_order() {
        let groups: Vec<_> = LANES.iter().map(|q| q.group()).collect();
        assert_eq!(&groups[..2], [QueueGroup::BetweenCallbacks; 2]);
        assert!(groups[2..].iter().all(|g| *g == QueueGroup::Phase));
        let phases: Vec<Phase> = LANES.iter().filter_map(|q| q.phase()).collect();
        let mut sorted = phases.clone();
        sorted.sort();
        assert_eq!(phases, sorted);
        assert_eq!(phases.len(), 5);
    }
}
