//! The platform-free core of Concurrency Lab: workloads and their kernels,
//! how a workload is split into tasks, the scheduling strategies that hand
//! tasks to workers, the models' metadata, input validation, the messages the
//! page and its workers exchange, and the timeline/statistics of a run.
//!
//! Nothing here touches wasm-bindgen, web-sys or yew, so all of it is tested
//! natively with `cargo test`; the browser glue lives in `crate::web`.

pub mod error;
pub mod gil;
pub mod kernels;
pub mod model;
pub(crate) mod process_pool;
pub mod protocol;
pub mod race;
pub mod report;
pub mod scaling;
pub mod schedule;
pub mod settings;
pub mod summary;
pub(crate) mod thread_pool;
pub mod workload;

pub use error::{Cancelled, FieldError, RunError};
pub use model::{Activity, Model, Strategy};
pub use report::{RunReport, Segment, SegmentState, TaskOutcome};
pub use settings::{RawSettings, Settings};
pub use workload::{Plan, Task, TaskKind, Workload, WorkloadKind};
