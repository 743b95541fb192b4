//! Inside the interpreter: the reader plays the scheduler over CPython
//! 3.11's bytecode (`engine::python::bytecode`), and every interleaving of
//! every scenario is counted in a worker.
//!
//! - `view`: the view — the form, the game's status, undo, restart, link.
//! - `thread_column`: one thread's code, program counter, stack and button.
//! - `counts_table`: "of N schedules, K …", counted in a worker.
//! - `words`: the scenarios' names and sentences, values as Python shows
//!   them, large counts (pure: tested natively).

#[cfg(target_arch = "wasm32")]
pub(crate) mod counts_table;
#[cfg(target_arch = "wasm32")]
pub(crate) mod thread_column;
#[cfg(target_arch = "wasm32")]
pub(crate) mod view;
pub(crate) mod words;
