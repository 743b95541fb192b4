//! Typed errors: bad input (one message per form field), cancellation, and
//! failures of a run. All of them render as plain sentences in the page.

use crate::engine::settings::Field;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A run was stopped by the reader before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("the run was cancelled")]
pub struct Cancelled;

/// What is wrong with a field's text. Typed, so the page can say it in
/// the reader's language; `Display` gives the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Empty { lo: String, hi: String },
    Negative { lo: String, hi: String },
    NotANumber { text: String, lo: String, hi: String },
    TooSmall { lo: String },
    TooLarge { value: String, hi: String },
    FarTooLarge { hi: String },
    OutOfRange { lo: String, hi: String },
    Unknown { text: String },
    TooManyTasks { max: u64 },
    TooSlow { seconds: u64, limit: u64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Empty { lo, hi } => write!(f, "enter a whole number from {lo} to {hi}"),
            Problem::Negative { lo, hi } => write!(f, "must not be negative (from {lo} to {hi})"),
            Problem::NotANumber { text, lo, hi } => write!(f, "“{text}” is not a whole number (from {lo} to {hi})"),
            Problem::TooSmall { lo } => write!(f, "must be at least {lo}"),
            Problem::TooLarge { value, hi } => write!(f, "{value} is too large: at most {hi}"),
            Problem::FarTooLarge { hi } => write!(f, "far too large: at most {hi}"),
            Problem::OutOfRange { lo, hi } => write!(f, "enter a number from {lo} to {hi}"),
            Problem::Unknown { text } => write!(f, "unknown choice “{text}”"),
            Problem::TooManyTasks { max } => {
                write!(f, "at most {max} tasks: each task needs at least one item of the range")
            }
            Problem::TooSlow { seconds, limit } => {
                write!(f, "this would take about {seconds} s on one core; the limit is {limit} s — use a smaller size")
            }
        }
    }
}

/// One invalid form field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{}: {problem}", .field.id())]
pub struct FieldError {
    /// The field; its `id()` is the input's `name` in the page.
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// The English sentence.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

/// The message a panic was raised with (`panic!("…")`), for reporting a
/// crash before the worker dies.
pub fn panic_text(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    match (payload.downcast_ref::<String>(), payload.downcast_ref::<&str>()) {
        (Some(s), _) => s.clone(),
        (None, Some(s)) => (*s).to_owned(),
        (None, None) => info.to_string(),
    }
}

/// Why a run produced no result.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum RunError {
    #[error("the run was cancelled")]
    Cancelled,
    #[error("invalid settings: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("this model is not available here: {0}")]
    Unavailable(String),
    #[error("a worker failed: {0}")]
    WorkerFailed(String),
    #[error("another run is already going")]
    Busy,
}

impl From<Cancelled> for RunError {
    fn from(_: Cancelled) -> Self {
        RunError::Cancelled
    }
}
