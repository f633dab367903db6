//! The binary trunk builds for the browser. It only starts the app from the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    looplab_web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("looplab-web runs in a browser: `make serve`, then open http://127.0.0.1:8080");
}
