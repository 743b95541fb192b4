//! The lab view: the settings form and its number fields, the run
//! controls and pool status, the results table, the Run-all verdict, and
//! the guide to the models.

pub(crate) mod model_guide;
pub(crate) mod number_field;
pub(crate) mod pool_status;
pub(crate) mod results_table;
pub(crate) mod run_controls;
pub(crate) mod settings_form;
pub(crate) mod verdict_panel;
