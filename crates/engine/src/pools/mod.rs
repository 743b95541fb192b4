//! The pools' bookkeeping, written as sans-IO state machines — events in,
//! commands out — so the browser adapters (`web::pools::processes`,
//! `web::pools::threads` in the app) only move messages: the process pool
//! (`process`), the thread host on both sides of its channel (`thread`),
//! and the messages the page and its workers exchange (`protocol`).

pub mod process;
pub mod protocol;
pub mod thread;
