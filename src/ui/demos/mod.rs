//! The demonstration views beside the lab: the race counter, the
//! deadlock, the convoy effect, and what a process costs.

pub(crate) mod convoy_view;
pub(crate) mod deadlock_demo;
pub(crate) mod process_costs;
pub(crate) mod race_demo;
