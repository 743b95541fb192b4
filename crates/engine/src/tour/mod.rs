//! The tour: the classic claims about Python concurrency, each with its
//! measurement plan and a verdict computed from what it measured
//! (`claims`), and the tour's results as a file to compare machines
//! (`export`).

pub mod claims;
pub mod export;
