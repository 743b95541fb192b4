//! Claims about what goes wrong: lost updates, deadlock, a crash.

use super::*;

mod crash;
mod deadlock;
mod race_lock;
pub use crash::*;
pub use deadlock::*;
pub use race_lock::*;
