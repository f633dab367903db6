//! Memory, modelled: what each server holds per request and per thread, every figure either
//! measured on real Node 20 here or a stated assumption.
//!
//! HOW: neither server allocates anything in the simulation; a server's memory is a function
//! of what it holds at an instant (requests pending on the loop; threads alive on the thread
//! server), evaluated at its peak. Two figures per server, as the issue asks:
//! - `peak`: what the process has *reserved*, thread stacks at their full size (the article's
//!   "10,000 threads × 2 MB = 20 GB" counts this way);
//! - `peak_resident`: the pages actually touched (what `ps` shows as RSS).
//!
//! The loop's constants come from `scripts/measure-pending-memory.js` (output committed beside
//! it): a real `http` server on Node v20.20.2 holding N requests whose handlers await a promise,
//! clients in a second process, `process.memoryUsage()` after two forced collections. Resident
//! per pending request: 18.0 KB at N = 1,000, 14.4 KB at 5,000, 11.3 KB at 10,000 (fixed costs
//! spread thinner); heap per request 4.7 KB at every N. We use the 10,000 figures, the
//! article's case.

/// Node 20 at rest with an HTTP server listening (rss, measured: 45,858,816 B at N = 10,000's
/// baseline).
pub const LOOP_BASE_RESIDENT: u64 = 45_858_816;
/// Resident bytes per pending request (rss delta / N at N = 10,000, measured).
pub const LOOP_RESIDENT_PER_PENDING: u64 = 11_282;
/// JavaScript heap per pending request (heapUsed delta / N at N = 10,000, measured): the
/// request and response objects, the socket's JavaScript side, the handler's closure and its
/// awaiting promise. The thread server holds the same objects per request.
pub const HEAP_PER_PENDING: u64 = 4_702;
/// A thread's default stack reservation on Linux (`ulimit -s` = 8 MiB; glibc uses it for
/// pthreads, and libuv caps its pool threads' stacks at it).
pub const LINUX_STACK: u64 = 8 << 20;
/// The article's "2 MB" per thread.
pub const ARTICLE_STACK: u64 = 2 << 20;
/// Java's default thread stack (`-Xss1m` on 64-bit Linux).
pub const JAVA_STACK: u64 = 1 << 20;
/// Assumption: the kernel's cost of one thread: a 16 KiB kernel stack (x86-64) plus its
/// `task_struct` and scheduler state, rounded up to 24 KiB. Reserved and resident alike.
pub const KERNEL_PER_THREAD: u64 = 24 << 10;
/// Assumption: stack pages a thread serving one request touches (call frames of a servlet
/// container's request path, a few dozen frames of a few hundred bytes, page-rounded).
pub const TOUCHED_STACK_PER_THREAD: u64 = 32 << 10;
/// Threads a Node process runs besides nothing else: the main thread and libuv's pool (V8's
/// platform workers are left out, as their stacks are in the measured base).
pub fn loop_threads(pool_size: u16) -> u64 {
    1 + pool_size as u64
}

/// The loop's memory with `pending` requests held: (reserved, resident). Reserved adds the
/// main and pool threads' stacks at full size over the measured resident figure.
pub fn loop_memory(pending: u64, pool_size: u16) -> (u64, u64) {
    let resident = LOOP_BASE_RESIDENT + pending * LOOP_RESIDENT_PER_PENDING;
    let reserved = resident + loop_threads(pool_size) * LINUX_STACK;
    (reserved, resident)
}

/// The thread server's memory with `threads` alive and `busy` of them serving a request:
/// (reserved, resident). The base process is charged as Node's at rest, so that only the
/// per-thread and per-request parts differ between the two servers.
pub fn thread_memory(threads: u64, busy: u64, stack: u64) -> (u64, u64) {
    let reserved =
        LOOP_BASE_RESIDENT + threads * (stack + KERNEL_PER_THREAD) + busy * HEAP_PER_PENDING;
    let resident = LOOP_BASE_RESIDENT
        + threads * (TOUCHED_STACK_PER_THREAD.min(stack) + KERNEL_PER_THREAD)
        + busy * HEAP_PER_PENDING;
    (reserved, resident)
}

/// Where the memory figures come from, in one line (the CLI's table and the page's Load pane).
pub fn explained() -> String {
    format!(
        "the loop is Node 20 at rest ({:.1} MB) + {:.1} KB per pending request, measured on real \
         Node 20 (scripts/measure-pending-memory.out); a thread reserves its stack + {} KiB in the \
         kernel and touches {} KiB of it (assumed: crates/engine/src/load/memory.rs)",
        LOOP_BASE_RESIDENT as f64 / 1e6,
        LOOP_RESIDENT_PER_PENDING as f64 / 1e3,
        KERNEL_PER_THREAD >> 10,
        TOUCHED_STACK_PER_THREAD >> 10,
    )
}

/// The most threads whose reserved stacks fit in `ram` next to the base process (a server
/// past it fails to create threads, as one under strict overcommit or a container limit
/// does).
pub fn threads_that_fit(ram: u64, stack: u64) -> u64 {
    ram.saturating_sub(LOOP_BASE_RESIDENT) / (stack + KERNEL_PER_THREAD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_articles_arithmetic_and_the_measured_loop() {
        // 10,000 threads at the article's 2 MB reserve 20 GB (plus the kernel's part).
        let (reserved, resident) = thread_memory(10_000, 10_000, ARTICLE_STACK);
        assert!(
            reserved > 20_000_000_000 && reserved < 21_500_000_000,
            "{reserved}"
        );
        assert!(resident < 1_000_000_000, "{resident}");
        // The loop holding the same 10,000 requests: about 159 MB resident.
        let (_, loop_resident) = loop_memory(10_000, 4);
        assert_eq!(loop_resident, 45_858_816 + 112_820_000);
        // A 1 GiB machine fits 122 threads of 8 MiB next to the base process, 484 of the
        // article's 2 MB, 957 of Java's 1 MiB (each with its 24 KiB in the kernel).
        assert_eq!(threads_that_fit(1 << 30, LINUX_STACK), 122);
        assert_eq!(threads_that_fit(1 << 30, ARTICLE_STACK), 484);
        assert_eq!(threads_that_fit(1 << 30, JAVA_STACK), 957);
    }
}
