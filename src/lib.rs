//! Concurrency Lab: a browser playground that runs Python's concurrency
//! models — sequential, threads, processes, asyncio — on the reader's own
//! cores and shows what happened.
//!
//! This crate is the browser side; everything platform-free is the
//! `engine` crate (crates/engine).
//!
//! - `web` (wasm only): the only code that talks to the browser — workers,
//!   the pools' adapters, timers, the clock, memory.
//! - `ui` (wasm only): the Yew components of the page.
//!
//! Natively only the ui's pure state is compiled, and only for its tests
//! (`cargo test`); the engine's tests are the engine crate's.

#[cfg(any(target_arch = "wasm32", test))]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
