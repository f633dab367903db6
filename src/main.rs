//! The binary trunk builds for the browser: in a window it starts the app; in the app's
//! simulation worker, the worker's loop (both from the library).

/// Every allocation is counted against the program's heap limit (src/heap.rs).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: looplab_web::heap::Counting<std::alloc::System> =
    looplab_web::heap::Counting(std::alloc::System);

#[cfg(target_arch = "wasm32")]
fn main() {
    // The page starts this same module in its simulation worker (see src/worker.rs).
    if looplab_web::worker::in_worker_scope() {
        looplab_web::worker::run();
    } else {
        looplab_web::start();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("looplab-web runs in a browser: `make serve`, then open http://127.0.0.1:8080");
}
