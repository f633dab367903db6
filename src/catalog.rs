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

/// A queue of callbacks waiting to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueueKind {
    NextTick,
    Microtask,
    Timers,
    Pending,
    Poll,
    Check,
    Close,
}

/// Which of the two kinds of queue a queue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueGroup {
    /// Drained by Node after every callback, before the loop moves on.
    BetweenCallbacks,
    /// Drained by libuv in its phase.
    Phase,
}

impl QueueKind {
    /// Every queue, in the order the page lists them: Node's two first, then libuv's by phase.
    pub const ALL: [QueueKind; 7] = [
        QueueKind::NextTick,
        QueueKind::Microtask,
        QueueKind::Timers,
        QueueKind::Pending,
        QueueKind::Poll,
        QueueKind::Check,
        QueueKind::Close,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            QueueKind::NextTick => "process.nextTick",
            QueueKind::Microtask => "microtasks",
            QueueKind::Timers => "timers",
            QueueKind::Pending => "pending",
            QueueKind::Poll => "poll",
            QueueKind::Check => "check",
            QueueKind::Close => "close",
        }
    }

    /// The `data-testid` of the element that shows this queue.
    pub const fn test_id(self) -> &'static str {
        match self {
            QueueKind::NextTick => "queue-nexttick",
            QueueKind::Microtask => "queue-microtask",
            QueueKind::Timers => "queue-timers",
            QueueKind::Pending => "queue-pending",
            QueueKind::Poll => "queue-poll",
            QueueKind::Check => "queue-check",
            QueueKind::Close => "queue-close",
        }
    }

    pub const fn group(self) -> QueueGroup {
        match self {
            QueueKind::NextTick | QueueKind::Microtask => QueueGroup::BetweenCallbacks,
            _ => QueueGroup::Phase,
        }
    }

    /// The loop step that drains this queue, if it belongs to one.
    pub const fn phase(self) -> Option<Phase> {
        match self {
            QueueKind::NextTick | QueueKind::Microtask => None,
            QueueKind::Timers => Some(Phase::Timers),
            QueueKind::Pending => Some(Phase::Pending),
            QueueKind::Poll => Some(Phase::Poll),
            QueueKind::Check => Some(Phase::Check),
            QueueKind::Close => Some(Phase::Close),
        }
    }

    /// The APIs whose callbacks land in this queue.
    pub const fn hint(self) -> &'static str {
        match self {
            QueueKind::NextTick => "process.nextTick(fn)",
            QueueKind::Microtask => "promises, queueMicrotask()",
            QueueKind::Timers => "setTimeout, setInterval",
            QueueKind::Pending => "deferred I/O errors",
            QueueKind::Poll => "fs, net, dns results",
            QueueKind::Check => "setImmediate(fn)",
            QueueKind::Close => "socket.on('close')",
        }
    }
}

/// libuv's default thread pool size (`UV_THREADPOOL_SIZE`).
pub const THREADPOOL_SIZE: usize = 4;

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
        let queues: HashSet<_> = QueueKind::ALL.iter().map(|q| q.test_id()).collect();
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
        assert_eq!(queues.len(), QueueKind::ALL.len());
    }

    #[test]
    fn node_queues_come_first_and_phase_queues_follow_loop_order() {
        let groups: Vec<_> = QueueKind::ALL.iter().map(|q| q.group()).collect();
        assert_eq!(&groups[..2], [QueueGroup::BetweenCallbacks; 2]);
        assert!(groups[2..].iter().all(|g| *g == QueueGroup::Phase));
        let phases: Vec<Phase> = QueueKind::ALL.iter().filter_map(|q| q.phase()).collect();
        let mut sorted = phases.clone();
        sorted.sort();
        assert_eq!(phases, sorted);
        assert_eq!(phases.len(), 5);
    }

    #[test]
    fn thread_pool_matches_libuv_default() {
        assert_eq!(THREADPOOL_SIZE, 4);
    }
}
