//! The tour: the classic claims about Python concurrency, each with its
//! measurement plan and a verdict computed from what it measured
//! (`claims`), the experiment that steps through a claim's runs as a
//! sans-IO state machine (`experiment`), and the tour's results as a file
//! to compare machines (`export`).

pub mod claims;
pub mod experiment;
pub mod export;
