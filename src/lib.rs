//! Concurrency Lab: a browser playground that runs Python's concurrency
//! models — sequential, threads, processes, asyncio — on the reader's own
//! cores and shows what happened.
//!
//! - `engine`: platform-free workloads, scheduling, validation, reports.
//! - `web` (wasm only): workers, the thread pool, timers, the clock.
//! - `ui` (wasm only): the Yew components of the page.

pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
