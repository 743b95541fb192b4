//! The platform-free core of Concurrency Lab: what the page runs and
//! judges, without the page.
//!
//! - [`work`]: the workloads (each with a known answer) and the CPU kernels
//!   every model runs.
//! - [`python`]: how Python runs them — the GIL, the worker loop and its
//!   scheduling strategies, the race counter, the convoy effect, deadlock.
//! - [`pools`]: the pools' bookkeeping as sans-IO state machines (events
//!   in, commands out) and the wire format between the page and its workers.
//! - [`analysis`]: what a run produced and what it means — reports, the
//!   Run-all verdict, scaling, the crossover map, process costs, moving data.
//! - [`tour`]: the claims, their measurement plans and verdicts, and the
//!   tour's export file.
//! - [`settings`]: the reader's settings, validated field by field.
//! - [`model`], [`cores`], [`error`], [`text`], [`order`]: the models'
//!   metadata, the core probe, typed errors, the two languages and number
//!   formats, ordering by a key.
//!
//! This crate depends on no wasm-bindgen, web-sys, js-sys or yew (see its
//! Cargo.toml; scripts/test.sh checks `cargo tree`): the browser glue is the
//! app crate's `web` module, the page its `ui`. So all of it is tested
//! natively with `cargo test`.

pub mod analysis;
pub mod cores;
pub mod error;
mod ids;
pub mod model;
pub mod order;
pub mod pools;
pub mod python;
pub mod settings;
pub mod text;
pub mod tour;
pub mod work;

pub use error::{FieldError, RunError};
pub use model::{Activity, Model, Strategy};
pub use settings::Settings;
pub use work::workload::{Workload, WorkloadKind};
