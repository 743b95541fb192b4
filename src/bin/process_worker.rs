//! A process worker: one separate-memory wasm instance of the process pool.
#[cfg(target_arch = "wasm32")]
fn main() {
    concurrency_lab::web::workers::process_worker::main();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("a process worker runs as a Web Worker: build it with trunk (see README.md)");
}
