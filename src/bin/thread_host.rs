//! The thread-host worker: owns the shared-memory rayon pool.
#[cfg(target_arch = "wasm32")]
fn main() {
    concurrency_lab::web::workers::thread_host::main();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the thread host runs as a Web Worker: build it with trunk (see README.md)");
}
