//! Claims about what processes cost: memory, moving data, start-up.

use super::*;

mod data_transfer;
mod memory;
mod pool;
pub use data_transfer::*;
pub use memory::*;
pub use pool::*;
