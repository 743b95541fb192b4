//! The platform-free core of Concurrency Lab: workloads and their kernels,
//! how a workload is split into tasks, the scheduling strategies that hand
//! tasks to workers, the models' metadata, input validation, the messages the
//! page and its workers exchange, and the timeline/statistics of a run.
//!
//! Nothing here touches wasm-bindgen, web-sys or yew, so all of it is tested
//! natively with `cargo test`; the browser glue lives in `crate::web`.

pub(crate) mod claims;
pub(crate) mod convoy;
pub(crate) mod cores;
pub(crate) mod costs;
pub(crate) mod crossover;
pub(crate) mod data;
// The locks and their threads run on the thread host only.
#[cfg_attr(all(target_arch = "wasm32", not(feature = "threads")), allow(dead_code))]
pub(crate) mod deadlock;
pub(crate) mod error;
// The GIL and the worker loop run on the thread host (the `threads` build)
// and natively (tests, benchmark); the page's own wasm build has no use
// for them.
#[cfg_attr(all(target_arch = "wasm32", not(feature = "threads")), allow(dead_code))]
pub(crate) mod gil;
pub(crate) mod kernels;
pub(crate) mod model;
pub(crate) mod process_pool;
pub(crate) mod protocol;
pub(crate) mod race;
pub(crate) mod report;
pub(crate) mod scaling;
// Public only for its `native` reference run (the benchmark binary).
#[cfg_attr(all(target_arch = "wasm32", not(feature = "threads")), allow(dead_code))]
pub mod schedule;
pub(crate) mod settings;
pub(crate) mod summary;
pub(crate) mod thread_pool;
pub(crate) mod tour_export;
pub(crate) mod workload;

pub(crate) use error::{FieldError, RunError};
pub(crate) use model::{Activity, Model, Strategy};
pub(crate) use settings::Settings;
pub(crate) use workload::{Workload, WorkloadKind};
