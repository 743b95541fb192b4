//! Everything that touches the browser: the clock, worker messaging, the
//! shared-memory thread pool (rayon via wasm-bindgen-rayon, in its own
//! worker), the pool of separate-memory "process" workers, asyncio on the
//! main thread's timers, and the runner that drives one model end to end.
//! The rest of the crate stays platform-free (`engine`) or pure UI (`ui`).

pub mod asyncio;
pub mod clock;
pub mod download;
pub mod location;
pub mod messaging;
pub mod process_pool;
pub mod process_worker;
pub mod runner;
#[cfg(feature = "threads")]
pub mod thread_host;
pub mod thread_pool;
