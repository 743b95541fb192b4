//! The page's Yew components, one per file, the reducer they share, and
//! the page's words in English and Korean. UI state holds engine types
//! only; the pools and timers live in `web`.

pub mod app;
pub mod env_banner;
pub mod format;
pub mod i18n;
pub mod lang_switch;
pub mod model_guide;
pub mod pool_status;
pub mod race_demo;
pub mod results_table;
pub mod run_controls;
pub mod scaling_chart;
pub mod settings_form;
pub mod state;
pub mod timeline;
pub mod verdict_panel;
