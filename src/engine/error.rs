//! Typed errors: bad input (one message per form field), cancellation, and
//! failures of a run. All of them render as plain sentences in the page.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A run was stopped by the reader before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("the run was cancelled")]
pub struct Cancelled;

/// One invalid form field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Stable id of the field (matches the input's `name` in the page).
    pub field: String,
    /// A sentence telling the reader what to enter instead.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
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
