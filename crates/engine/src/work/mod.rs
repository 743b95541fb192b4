//! The work every model runs: workloads with a known, checkable answer and
//! how each is cut into tasks (`workload`), and the deterministic CPU
//! kernels behind them (`kernels`).

pub mod kernels;
pub mod workload;
