//! Everything that touches the browser: the clock, worker messaging, the
//! shared-memory thread pool (rayon via wasm-bindgen-rayon, in its own
//! worker), the pool of separate-memory "process" workers, asyncio on the
//! main thread's timers, and the runner that drives one model end to end.
//! The rest of the crate stays platform-free (`engine`) or pure UI (`ui`).

pub(crate) mod asyncio;
pub(crate) mod clock;
pub(crate) mod data;
pub(crate) mod download;
pub(crate) mod experiments;
pub(crate) mod features;
pub(crate) mod file_read;
pub(crate) mod location;
pub(crate) mod memory;
pub(crate) mod messaging;
pub(crate) mod process_pool;
// Public: the process-worker binary starts here.
pub mod process_worker;
pub(crate) mod runner;
pub(crate) mod shared_sum;
pub(crate) mod start;
pub(crate) mod storage;
#[cfg(feature = "threads")]
// Public: the thread-host binary starts here.
pub mod thread_host;
pub(crate) mod thread_pool;
