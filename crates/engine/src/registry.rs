//! The callback registry: the only place JavaScript functions wait for the loop.
//!
//! HOW: the model never holds a JavaScript value. When Node's layer schedules a callback (a
//! timer, an immediate, a pool job's completion, a socket's read) it registers the function here
//! (`host.register(fn, args, thisArg, keep)`) and hands the model the id it gets back; when the
//! model decides the callback runs, the engine calls the function straight from here, with no
//! JavaScript of its own in between.
//!
//! WHY a slot table in Rust: registering, running and clearing must cost the same whether ten or
//! a hundred thousand callbacks wait (a boa `Map`'s delete is O(n), and every JavaScript frame a
//! dispatch needs costs more than the callback it runs). Slots are reused through a free list; an
//! id is its slot plus the slot's generation × 2^24 (at most 2^53, exact as a JavaScript number),
//! so a reused slot never answers to an old id
//! (a cleared timer, a callback that already ran). A slot is freed after its callback ran, unless
//! it runs again (`keep`: an interval, a socket's reads) or asked to once more while running (a
//! timer refreshed from inside its own callback), or when it is unregistered.

use boa_engine::{JsObject, JsValue};

/// 16 million callbacks waiting at once at most; generations wrap after 2^29 reuses of a slot.
const SLOT_BITS: u32 = 24;
const GENERATION_MASK: u32 = (1 << 29) - 1;

/// One registered callback: `f.apply(this, args)`.
pub(crate) struct Entry {
    pub(crate) f: JsObject,
    pub(crate) this: JsValue,
    pub(crate) args: Vec<JsValue>,
    keep: bool,
    again: bool,
}

#[derive(Default)]
pub(crate) struct Registry {
    slots: Vec<Option<Entry>>,
    generations: Vec<u32>,
    free: Vec<u32>,
    /// The id whose callback runs now (0: none).
    running: u64,
}

impl Registry {
    pub(crate) fn register(
        &mut self,
        f: JsObject,
        this: JsValue,
        args: Vec<JsValue>,
        keep: bool,
    ) -> u64 {
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                // Slot 0 is never used: ids start at 1.
                if self.slots.is_empty() {
                    self.slots.push(None);
                    self.generations.push(0);
                }
                self.slots.push(None);
                self.generations.push(0);
                (self.slots.len() - 1) as u32
            }
        };
        self.slots[slot as usize] = Some(Entry {
            f,
            this,
            args,
            keep,
            again: false,
        });
        ((self.generations[slot as usize] as u64) << SLOT_BITS) | slot as u64
    }

    fn slot_of(&self, id: u64) -> Option<usize> {
        let slot = (id & ((1 << SLOT_BITS) - 1)) as usize;
        let generation = (id >> SLOT_BITS) as u32;
        let live = self.slots.get(slot)?.is_some() && self.generations[slot] == generation;
        live.then_some(slot)
    }

    /// The callback will not run (cleared, cancelled): its slot is free for another.
    pub(crate) fn unregister(&mut self, id: u64) {
        if let Some(slot) = self.slot_of(id) {
            self.slots[slot] = None;
            self.generations[slot] = (self.generations[slot] + 1) & GENERATION_MASK;
            self.free.push(slot as u32);
        }
    }

    /// Called while `id` runs: keep its entry for one more run.
    pub(crate) fn run_again(&mut self, id: u64) {
        if id != self.running {
            return;
        }
        if let Some(slot) = self.slot_of(id) {
            if let Some(e) = self.slots[slot].as_mut() {
                e.again = true;
            }
        }
    }

    /// `id` is about to run: what to call (None: it was cleared meanwhile).
    pub(crate) fn begin(&mut self, id: u64) -> Option<(JsObject, JsValue, Vec<JsValue>)> {
        let slot = self.slot_of(id)?;
        let e = self.slots[slot].as_ref()?;
        self.running = id;
        Some((e.f.clone(), e.this.clone(), e.args.clone()))
    }

    /// `id` ran (or threw): free its slot unless it runs again.
    pub(crate) fn end(&mut self, id: u64) {
        self.running = 0;
        let Some(slot) = self.slot_of(id) else { return };
        let Some(e) = self.slots[slot].as_mut() else {
            return;
        };
        if e.again {
            e.again = false;
        } else if !e.keep {
            self.unregister(id);
        }
    }

    /// Callbacks waiting.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boa_engine::Context;

    fn f(ctx: &mut Context) -> JsObject {
        ctx.eval(boa_engine::Source::from_utf16(
            &"(function () {})".encode_utf16().collect::<Vec<u16>>(),
        ))
        .unwrap()
        .as_object()
        .unwrap()
    }

    #[test]
    fn a_freed_slot_is_reused_and_never_answers_to_an_old_id() {
        let mut ctx = Context::default();
        let mut r = Registry::default();
        let a = r.register(f(&mut ctx), JsValue::undefined(), Vec::new(), false);
        assert_eq!(a, 1, "ids start at 1");
        assert!(r.begin(a).is_some());
        r.end(a);
        assert!(r.begin(a).is_none(), "a one-shot callback runs once");
        let b = r.register(f(&mut ctx), JsValue::undefined(), Vec::new(), false);
        assert_eq!(b & ((1 << SLOT_BITS) - 1), a, "the slot is reused");
        assert_ne!(b, a);
        r.unregister(a);
        assert!(
            r.begin(b).is_some(),
            "clearing the old id leaves the new one alone"
        );
        r.end(b);
        assert_eq!(r.len(), 0);
    }

    #[test]
    fn kept_callbacks_run_until_unregistered_and_run_again_only_while_running() {
        let mut ctx = Context::default();
        let mut r = Registry::default();
        let interval = r.register(f(&mut ctx), JsValue::undefined(), Vec::new(), true);
        for _ in 0..3 {
            assert!(r.begin(interval).is_some());
            r.end(interval);
        }
        r.unregister(interval);
        assert!(r.begin(interval).is_none());
        let timer = r.register(f(&mut ctx), JsValue::undefined(), Vec::new(), false);
        r.run_again(timer); // not running: no effect
        r.begin(timer);
        r.run_again(timer); // refreshed from inside its callback
        r.end(timer);
        assert!(r.begin(timer).is_some(), "it runs once more");
        r.end(timer);
        assert!(r.begin(timer).is_none());
        assert_eq!(r.len(), 0);
    }

    #[test]
    fn a_hundred_thousand_waiting_cost_no_more_to_clear_than_ten() {
        // Not timed: the structure is O(1) per operation by construction; this checks that
        // the table never grows beyond what waits at once.
        let mut ctx = Context::default();
        let g = f(&mut ctx);
        let mut r = Registry::default();
        for _ in 0..10 {
            let ids: Vec<u64> = (0..10_000)
                .map(|_| r.register(g.clone(), JsValue::undefined(), Vec::new(), false))
                .collect();
            for id in ids {
                r.unregister(id);
            }
        }
        assert!(r.slots.len() <= 10_001, "{}", r.slots.len());
    }
}
