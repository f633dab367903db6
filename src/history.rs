//! The run's history: what the page showed after every step, kept compressed, so any earlier
//! step is shown at once, without running JavaScript again.
//!
//! HOW: after each step the [`crate::runner::Runner`] records a [`Moment`]: the step's
//! [`View`] without its console lines and stderr text (those only grow, so a moment keeps how
//! many there were: the [`crate::view::LineBuffer`] keeps the lines, the runner the stderr),
//! plus the step's outcome. Moments are encoded with postcard (the format views already cross
//! the worker boundary in) and gathered into blocks of [`BLOCK`]; a full block is compressed
//! with deflate (miniz_oxide, which the engine already carries for `zlib`: no new code in the
//! page). Consecutive views differ in a few fields, so a block compresses tens of times.
//! Showing step k decodes its block (a few hundred µs) and keeps it decoded, so stepping back
//! and forth through the past decodes a block once per [`BLOCK`] steps.
//!
//! WHY views and not the model: a step's view is everything the page shows of it, and the
//! JavaScript heap that made it cannot be copied. Replaying model keyframes would need every
//! call the JavaScript made to the model recorded and the console and requests rebuilt beside
//! it; keeping the outcome is simpler, exact by construction (the moment *is* what stepping
//! there showed), and small: see ARCHITECTURE.md for the bytes per step measured.
//!
//! WHAT it does not do: make the past runnable. Going on from a past step (a request, a load,
//! a rate) replays the run to that step first ([`crate::runner::Runner`]'s branch), and the
//! moments after it are dropped.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use crate::view::View;

/// Moments per compressed block.
pub const BLOCK: usize = 64;

/// The most bytes the history's moments keep. A longer run keeps its newest moments (older
/// steps are reached by replay again, as before the history existed): the page never grows
/// without bound (issue 15), and 100,000 steps of a load test fit (issue 12's 64 MB).
pub const MAX_BYTES: usize = 48 << 20;

/// The most bytes everything kept for going back holds as a whole (62.9 MB, within issue 12's
/// 64 MB): the moments, the timeline log (`timeline::MAX_BYTES` of its own) and the console
/// lines kept for the moments (`view::LINE_BYTES_KEPT`). The runner gives the moments what
/// the other two leave of it, up to [`MAX_BYTES`].
pub const RUN_BUDGET: usize = 60 << 20;

/// How a step ended, as the runner's stepping reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The loop moved or ran a callback.
    Moved,
    /// It waits for requests.
    AwaitingInput,
    /// The process exited (its code is the view's).
    Exited,
}

/// What the page showed after one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    /// The view, with `console.lines` holding at most the unfinished last line and `stderr`
    /// empty.
    pub view: View,
    /// Complete console lines written by then.
    pub lines: u64,
    /// Bytes of stderr written by then.
    pub stderr_len: u64,
    pub outcome: Outcome,
}

struct Block {
    /// The block's moments, encoded one after another, deflated.
    packed: Box<[u8]>,
    /// Where each moment ends in the inflated bytes.
    ends: Box<[u32]>,
}

/// Moments of consecutive steps, `first..first + len`.
#[derive(Default)]
pub struct History {
    first: u64,
    sealed: Vec<Block>,
    /// The moments of the block being filled, encoded.
    open: Vec<u8>,
    open_ends: Vec<u32>,
    /// The block decoded last: (index, inflated bytes).
    decoded: RefCell<Option<(usize, Vec<u8>)>>,
    /// Bytes of the sealed blocks' compressed moments.
    packed: usize,
}

impl History {
    /// The step of the first moment kept.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// Moments kept.
    pub fn len(&self) -> u64 {
        (self.sealed.len() * BLOCK + self.open_ends.len()) as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The step after the last moment kept.
    pub fn end(&self) -> u64 {
        self.first + self.len()
    }

    /// Whether step `k`'s moment is kept.
    pub fn has(&self, k: u64) -> bool {
        k >= self.first && k < self.end()
    }

    /// Bytes the history holds (compressed blocks, the open block, the index).
    pub fn bytes(&self) -> usize {
        self.packed
            + self.open.capacity()
            + self.sealed.capacity() * std::mem::size_of::<Block>()
            + self.sealed.len() * BLOCK * 4
            + self.open_ends.capacity() * 4
    }

    /// Forgets everything; the next moment recorded is step `first`'s.
    pub fn restart(&mut self, first: u64) {
        *self = History {
            first,
            ..History::default()
        };
    }

    /// Records the moment of step `end()`, first dropping the oldest blocks while the history
    /// holds more than `budget` bytes (at most [`MAX_BYTES`]).
    pub fn push(&mut self, moment: &Moment, budget: usize) {
        let budget = budget.min(MAX_BYTES);
        while self.bytes() > budget && !self.sealed.is_empty() {
            // Keep the newest: drop the oldest block.
            let gone = self.sealed.remove(0);
            self.packed -= gone.packed.len();
            self.first += BLOCK as u64;
            self.decoded.replace(None);
        }
        let Ok(bytes) = postcard::to_allocvec(moment) else {
            return;
        };
        self.open.extend_from_slice(&bytes);
        self.open_ends.push(self.open.len() as u32);
        if self.open_ends.len() == BLOCK {
            self.seal();
        }
    }

    fn seal(&mut self) {
        let capacity = self.open.len();
        let raw = std::mem::replace(&mut self.open, Vec::with_capacity(capacity));
        // Level 1: the fastest; consecutive moments repeat each other, which any level finds.
        let packed = miniz_oxide::deflate::compress_to_vec(&raw, 1).into_boxed_slice();
        self.packed += packed.len();
        let ends = std::mem::take(&mut self.open_ends).into_boxed_slice();
        self.sealed.push(Block { packed, ends });
    }

    /// Drops the moments of steps `k` and later (a new future starts at `k - 1`).
    pub fn truncate(&mut self, k: u64) {
        if k >= self.end() {
            return;
        }
        if k <= self.first {
            self.restart(self.first);
            return;
        }
        let keep = (k - self.first) as usize;
        let block = keep / BLOCK;
        let within = keep % BLOCK;
        if block < self.sealed.len() {
            // Reopen the block `k` falls in, keep its moments before `k`.
            let raw = self.inflate(block);
            let reopened = self.sealed[block].ends[..within].to_vec();
            let end = reopened.last().copied().unwrap_or(0) as usize;
            for gone in self.sealed.drain(block..) {
                self.packed -= gone.packed.len();
            }
            self.open = raw[..end].to_vec();
            self.open_ends = reopened;
        } else {
            let end = if within == 0 {
                0
            } else {
                self.open_ends[within - 1] as usize
            };
            self.open.truncate(end);
            self.open_ends.truncate(within);
        }
        self.decoded.replace(None);
    }

    fn inflate(&self, block: usize) -> Vec<u8> {
        if let Some((i, raw)) = &*self.decoded.borrow() {
            if *i == block {
                return raw.clone();
            }
        }
        miniz_oxide::inflate::decompress_to_vec(&self.sealed[block].packed).unwrap_or_default()
    }

    /// Step `k`'s moment, if kept.
    pub fn get(&self, k: u64) -> Option<Moment> {
        if !self.has(k) {
            return None;
        }
        let i = (k - self.first) as usize;
        let (block, within) = (i / BLOCK, i % BLOCK);
        let range = |ends: &[u32]| {
            let start = if within == 0 {
                0
            } else {
                ends[within - 1] as usize
            };
            start..ends[within] as usize
        };
        if block == self.sealed.len() {
            return postcard::from_bytes(&self.open[range(&self.open_ends)]).ok();
        }
        let mut decoded = self.decoded.borrow_mut();
        if decoded.as_ref().is_none_or(|(b, _)| *b != block) {
            let raw = miniz_oxide::inflate::decompress_to_vec(&self.sealed[block].packed).ok()?;
            *decoded = Some((block, raw));
        }
        let (_, raw) = decoded.as_ref()?;
        postcard::from_bytes(&raw[range(&self.sealed[block].ends)]).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(k: u64) -> Moment {
        let mut view = View::idle(4, &format!("step {k}"));
        view.steps = k;
        view.now_us = k * 100;
        Moment {
            view,
            lines: k / 3,
            stderr_len: 0,
            outcome: if k % 7 == 0 {
                Outcome::AwaitingInput
            } else {
                Outcome::Moved
            },
        }
    }

    fn filled(first: u64, n: u64) -> History {
        let mut h = History::default();
        h.restart(first);
        for k in first..first + n {
            h.push(&moment(k), MAX_BYTES);
        }
        h
    }

    #[test]
    fn every_moment_comes_back_as_it_was_recorded() {
        let h = filled(5, 3 * BLOCK as u64 + 10);
        assert_eq!((h.first(), h.end()), (5, 5 + 3 * BLOCK as u64 + 10));
        // In any order: across sealed blocks, back and forth, and in the open block.
        for k in [200, 5, 6, 150, 69, 68, 70, 5 + 3 * BLOCK as u64 + 9, 100] {
            assert_eq!(h.get(k), Some(moment(k)), "step {k}");
        }
        assert_eq!(h.get(4), None);
        assert_eq!(h.get(h.end()), None);
    }

    #[test]
    fn truncating_drops_the_future_and_recording_goes_on_from_there() {
        for cut in [5, 6, 40, 69, 70, 71, 140, 203, 209, 500] {
            let mut h = filled(5, 3 * BLOCK as u64 + 10);
            h.truncate(cut);
            let end = cut.clamp(5, 5 + 3 * BLOCK as u64 + 10);
            assert_eq!(h.end(), end, "cut at {cut}");
            for k in end..end + 80 {
                let mut m = moment(k);
                m.view.caption = format!("new future {k}");
                h.push(&m, MAX_BYTES);
            }
            for k in 5..end {
                assert_eq!(h.get(k), Some(moment(k)), "kept {k} (cut at {cut})");
            }
            assert_eq!(
                h.get(end + 79).unwrap().view.caption,
                format!("new future {}", end + 79)
            );
        }
    }

    #[test]
    fn consecutive_moments_compress_well() {
        let h = filled(0, 10 * BLOCK as u64);
        let raw = postcard::to_allocvec(&moment(1)).unwrap().len() * 10 * BLOCK;
        assert!(h.bytes() * 4 < raw, "{} bytes for {raw} raw", h.bytes());
    }

    #[test]
    fn a_run_past_the_budget_keeps_its_newest_moments() {
        let mut h = History::default();
        let mut k = 0;
        // Moments that do not compress: each caption is new text.
        while h.first() == 0 {
            let mut m = moment(k);
            m.view.caption = (0..40)
                .map(|i| format!("{:x}", (k * 7919 + i) * 104729))
                .collect();
            h.push(&m, MAX_BYTES);
            k += 1;
            assert!(k < 10_000_000, "never dropped anything");
        }
        assert!(h.bytes() <= MAX_BYTES + 64 * 1024, "{}", h.bytes());
        assert_eq!(h.first() % BLOCK as u64, 0);
        assert!(h.has(k - 1) && !h.has(h.first() - 1));
        assert_eq!(h.get(k - 1).unwrap().view.steps, k - 1);
    }
}
