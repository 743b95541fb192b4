//! Claims about waiting: threads and asyncio for I/O, and the convoy effect
//! of the GIL on I/O threads.

use super::*;

mod asyncio_loop;
mod convoy;
mod io_threads;
pub use asyncio_loop::*;
pub use convoy::*;
pub use io_threads::*;
