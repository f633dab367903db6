//! The program's heap limit in the browser: a counting allocator for the simulation worker.
//!
//! WHY: a program that allocates without bound (a growing array, a cache that never evicts)
//! would grow the worker's wasm memory until the browser kills the tab. Real Node stops such a
//! program with "FATAL ERROR: ... JavaScript heap out of memory"; Looplab stops it at
//! [`HEAP_LIMIT`] bytes of live heap (everything the engine, the model and boa's objects hold),
//! says which callback was running, and the page replaces the worker.
//!
//! HOW: the page's binary (src/main.rs, wasm32 only) installs [`Counting`] as its global
//! allocator: every allocation goes through it and is counted. One that would take the live
//! total past the limit first calls the hook the worker installed ([`on_exhausted`]: it posts
//! `FromWorker::OutOfMemory` naming the callback), with the limit lifted by a small reserve so
//! the hook itself can allocate, then fails; Rust aborts on a failed allocation, which in wasm
//! is a trap: the worker's script dies with an error event, and the page's backend replaces it
//! (src/backend.rs). Natively (tests, the CLI) nothing here is installed.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Live heap bytes a program may hold in the browser (512 MiB): ten times what the page needs
/// for 10,000 requests in flight, and well under what a tab may take.
pub const HEAP_LIMIT: usize = 512 << 20;
/// What the out-of-memory hook may allocate past the limit (its message).
const RESERVE: usize = 4 << 20;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static EXHAUSTED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static HOOK: Cell<Option<fn(usize)>> = const { Cell::new(None) };
}

/// Live heap bytes now.
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The size of this module's WebAssembly memory in bytes (its pages only grow: the most the
/// heap ever needed, and what the tab holds for it); 0 natively.
pub fn linear_memory_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0).saturating_mul(65_536)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// Calls `hook(live_bytes)` once, when an allocation would pass [`HEAP_LIMIT`].
pub fn on_exhausted(hook: fn(usize)) {
    HOOK.with(|h| h.set(Some(hook)));
}

/// The counting allocator over `A` (the system's).
pub struct Counting<A>(pub A);

impl<A> Counting<A> {
    /// May `size` more bytes be allocated? Past the limit: once, the hook (with the reserve).
    fn admit(&self, size: usize) -> bool {
        let live = LIVE.load(Ordering::Relaxed);
        let limit = if EXHAUSTED.load(Ordering::Relaxed) {
            HEAP_LIMIT + RESERVE
        } else {
            HEAP_LIMIT
        };
        if live.saturating_add(size) <= limit {
            return true;
        }
        if !EXHAUSTED.swap(true, Ordering::Relaxed) {
            if let Some(hook) = HOOK.with(Cell::get) {
                hook(live);
            }
        }
        false
    }
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !self.admit(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !self.admit(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.0.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let grow = new_size.saturating_sub(layout.size());
        if grow > 0 && !self.admit(grow) {
            return std::ptr::null_mut();
        }
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(new_size, Ordering::Relaxed);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn past_the_limit_an_allocation_fails_once_the_hook_has_spoken() {
        on_exhausted(|live| {
            assert!(live > HEAP_LIMIT / 2);
            CALLS.fetch_add(1, Ordering::Relaxed);
        });
        let heap = Counting(System);
        let big = Layout::from_size_align(HEAP_LIMIT / 2 + 1, 8).unwrap();
        let small = Layout::from_size_align(1 << 20, 8).unwrap();
        unsafe {
            let a = heap.alloc(big);
            assert!(!a.is_null());
            assert!(heap.alloc(big).is_null(), "past the limit");
            assert_eq!(CALLS.load(Ordering::Relaxed), 1, "the hook speaks once");
            // The reserve lets the hook's message through; then nothing more.
            let b = heap.alloc(small);
            assert!(!b.is_null());
            let past_reserve = Layout::from_size_align(HEAP_LIMIT / 2 + RESERVE, 8).unwrap();
            assert!(heap.alloc(past_reserve).is_null());
            assert_eq!(CALLS.load(Ordering::Relaxed), 1);
            heap.dealloc(b, small);
            heap.dealloc(a, big);
        }
        assert_eq!(live_bytes(), 0);
    }
}
