//! The page's Yew components, one per file, the reducers they share, and
//! the page's words in English and Korean. UI state holds engine types
//! only; the pools and timers live in `web`.
//!
//! - `app` (the page), `state` (its reducer), `plan` (the runs a click asks
//!   for), `i18n` (the page's words), and the page's frame: `env_banner`,
//!   `lang_switch`, `view_tabs`, and `lab_code_status` (the other views
//!   while their code, loaded apart, is on its way).
//! - `lab`: the lab view — the form, the run controls, results, verdict.
//! - `tour`: the tour of claims — its view, reducer, cards, texts.
//! - `demos`: the race, deadlock, convoy and process-cost views.
//! - `interp`: inside the interpreter — play the scheduler, count interleavings.
//! - `charts`: the SVG charts.
//!
//! The pure parts (`state`, `plan`, `tour::state`, `charts::scale`,
//! `i18n`) also compile natively, for `cargo test`; the components only for the page.

// Natively only the pure state is compiled, for its tests: what only the
// components use of it looks unused there. (The wasm build, which has the
// components, is linted with dead-code warnings on: scripts/test.sh.)
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

// Public: the page binary mounts `app::App`.
#[cfg(target_arch = "wasm32")]
pub mod app;
pub(crate) mod charts;
#[cfg(target_arch = "wasm32")]
pub(crate) mod demos;
#[cfg(target_arch = "wasm32")]
pub(crate) mod env_banner;
pub(crate) mod i18n;
pub(crate) mod interp;
#[cfg(target_arch = "wasm32")]
pub(crate) mod lab;
#[cfg(target_arch = "wasm32")]
pub(crate) mod lab_code_status;
#[cfg(target_arch = "wasm32")]
pub(crate) mod lang_switch;
pub(crate) mod plan;
pub(crate) mod state;
pub(crate) mod tour;
#[cfg(target_arch = "wasm32")]
pub(crate) mod view_tabs;
