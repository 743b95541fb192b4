//! The code that runs inside the workers: a "process"
//! (`process_worker`, its own wasm instance and memory) and the thread
//! host (`thread_host`, rayon over one shared memory, the `threads`
//! build only), plus the small wasm module a process sums a shared array
//! with in place (`shared_sum`).

// Public: the process-worker binary starts here.
pub mod process_worker;
pub(crate) mod shared_sum;
#[cfg(feature = "threads")]
// Public: the thread-host binary starts here.
pub mod thread_host;
