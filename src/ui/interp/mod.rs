//! Inside the interpreter: the reader plays the scheduler over CPython
//! 3.11's bytecode (`engine::python::bytecode`), and every interleaving of
//! every scenario is counted in a worker.
//!
//! - `view`: the view — the form, the game's status, undo, restart, link.
//! - `thread_column`: one thread's code, program counter, stack and button.
//! - `scenario_table`: every scenario under the GIL and free threads,
//!   counted in a worker ("of N schedules, K …") and run on real threads.
//! - `words`: the scenarios' names and sentences, values as Python shows
//!   them, large counts (pure: tested natively).

#[cfg(target_arch = "wasm32")]
pub(crate) mod scenario_table;
#[cfg(target_arch = "wasm32")]
pub(crate) mod thread_column;
#[cfg(target_arch = "wasm32")]
pub(crate) mod view;
pub(crate) mod words;
