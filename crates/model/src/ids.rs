//! Names for things: the ids the model hands out, and interned labels.
//!
//! HOW: every scheduled item (a timer, an immediate, a tick, a microtask, a pool request, an I/O
//! watcher, a handle) gets a `TaskId` from one counter, so ids also record creation order and
//! "ties break by insertion sequence" is a comparison of ids. Callbacks are opaque to the model:
//! a driver passes a `CallbackId` of its own choosing and gets it back in an `Invocation` when
//! the loop decides the callback runs.
//!
//! WHY interned labels: a trace event must be a few machine words so that a million of them per
//! second cost nothing; frame names and operation names ("fs.readFile (read)", "db.query") are
//! stored once in `Labels` and referred to by a `LabelId`.

use std::collections::BTreeMap;

/// Chosen by the driver; the model never interprets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CallbackId(pub u64);

/// One counter for every item the model creates; doubles as the insertion sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u64);

/// A libuv thread-pool worker, `0..pool_size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkerId(pub u16);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LabelId(pub u32);

/// Interned strings for frame names, operation names and console text.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    names: Vec<String>,
    index: BTreeMap<String, LabelId>,
}

impl Labels {
    pub fn intern(&mut self, name: &str) -> LabelId {
        if let Some(id) = self.index.get(name) {
            return *id;
        }
        let id = LabelId(self.names.len() as u32);
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), id);
        id
    }
    /// The text of a label; an id from another model reads as `?`.
    pub fn name(&self, id: LabelId) -> &str {
        self.names
            .get(id.0 as usize)
            .map(String::as_str)
            .unwrap_or("?")
    }
}

/// Hasher for `TaskId` keys: ids are sequential integers, so a multiplicative (Fibonacci) hash
/// spreads them well. It has no random state, and the maps using it are never iterated for
/// order (ordered views come from explicit queues), so determinism does not depend on it.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ *b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map from ids for O(1) lookup; see `IdHasher` for why it is deterministic.
pub type IdMap<V> = std::collections::HashMap<TaskId, V, std::hash::BuildHasherDefault<IdHasher>>;
