//! How Python runs concurrent work, modelled: CPython's global interpreter
//! lock (`gil`), the worker loop and the strategies that hand tasks to
//! workers (`schedule`), lost updates on a shared counter (`race`), the
//! convoy effect of an I/O thread beside CPU threads (`convoy`), two
//! threads taking two locks in opposite orders (`deadlock`), and one level
//! down, threads running CPython 3.11 bytecode instruction by instruction
//! (`bytecode`).

pub mod bytecode;
pub mod convoy;
pub mod deadlock;
pub mod gil;
pub mod race;
pub mod schedule;
