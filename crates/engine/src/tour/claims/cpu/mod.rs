//! Claims about CPU-bound work: the GIL, processes and cores, uneven tasks,
//! and mixed work where processes take over.

use super::*;

mod cpu_count;
mod gil_cpu;
mod mixed;
mod processes_cores;
mod uneven;
pub use cpu_count::*;
pub use gil_cpu::*;
pub use mixed::*;
pub use processes_cores::*;
pub use uneven::*;
