//! Concurrency Lab: a browser playground that runs Python's concurrency
//! models — sequential, threads, processes, asyncio — on the reader's own
//! cores and shows what happened.
//!
//! - `engine`: platform-free workloads, scheduling, validation, reports.
//! - `web` (wasm only): workers, the thread pool, timers, the clock.
//! - `ui` (wasm only): the Yew components of the page.

// The engine's state machines, reports and verdicts are used by `web` and
// `ui`, which exist only on wasm: natively most of the crate (and the
// engine's re-exports for them) would look dead.
// Dead code is still caught: clippy runs on both wasm builds (see
// scripts/test.sh), where every module is compiled.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]

pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
