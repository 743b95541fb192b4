//! The page's Yew components, one per file, the reducer they share, and
//! the page's words in English and Korean. UI state holds engine types
//! only; the pools and timers live in `web`.

// Public: the page binary mounts `app::App`.
pub mod app;
pub(crate) mod claim_card;
pub(crate) mod claim_chart;
pub(crate) mod claim_texts;
pub(crate) mod convoy_view;
pub(crate) mod crossover_chart;
pub(crate) mod deadlock_demo;
pub(crate) mod env_banner;
pub(crate) mod format;
pub(crate) mod i18n;
pub(crate) mod lang_switch;
pub(crate) mod machine_compare;
pub(crate) mod model_guide;
pub(crate) mod number_field;
pub(crate) mod pool_status;
pub(crate) mod process_costs;
pub(crate) mod race_demo;
pub(crate) mod results_table;
pub(crate) mod run_controls;
pub(crate) mod scaling_chart;
pub(crate) mod settings_form;
pub(crate) mod state;
pub(crate) mod timeline;
pub(crate) mod tour;
pub(crate) mod tour_state;
pub(crate) mod verdict_panel;
pub(crate) mod view_tabs;
