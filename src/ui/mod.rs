//! The page's Yew components, one per file, and the reducer they share.
//! UI state holds engine types only; the pools and timers live in `web`.

pub mod app;
pub mod env_banner;
pub mod format;
pub mod results_table;
pub mod run_controls;
pub mod settings_form;
pub mod state;
pub mod timeline;
