//! The page's state and its reducer: the settings as typed, validation
//! messages, the run in progress, and the history of finished runs.

use crate::engine::report::{speedup, RunReport};
use crate::engine::settings::RawSettings;
use crate::engine::{FieldError, Model, RunError, Workload, WorkloadKind};
use std::rc::Rc;
use yew::Reducible;

/// What the browser allows, read once at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvInfo {
    pub isolated: bool,
    pub cores: usize,
}

/// The run in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub model: Model,
    pub done: usize,
    pub total: usize,
    /// Models still queued after this one (Run-all).
    pub queued: Vec<Model>,
}

/// One line of the results table.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub id: usize,
    pub outcome: Result<RunReport, (Model, Workload, RunError)>,
}

impl ResultRow {
    pub fn model(&self) -> Model {
        match &self.outcome {
            Ok(r) => r.model,
            Err((m, _, _)) => *m,
        }
    }

    pub fn workload(&self) -> Workload {
        match &self.outcome {
            Ok(r) => r.workload,
            Err((_, w, _)) => *w,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub raw: RawSettings,
    pub errors: Vec<FieldError>,
    pub running: Option<Running>,
    pub rows: Vec<ResultRow>,
    pub selected: Option<usize>,
    pub env: EnvInfo,
    next_id: usize,
}

pub enum Action {
    /// A form field changed: (field name, new text).
    Edit(String, String),
    SetWorkload(WorkloadKind),
    Invalid(Vec<FieldError>),
    Started {
        model: Model,
        total: usize,
        queued: Vec<Model>,
    },
    Progress {
        done: usize,
        total: usize,
    },
    Finished(Result<RunReport, (Model, Workload, RunError)>),
    Idle,
    Select(usize),
    Clear,
}

impl LabState {
    pub fn new(env: EnvInfo) -> Self {
        let mut raw = RawSettings::defaults(env.cores);
        if !env.isolated {
            raw.model = Model::Processes.id().to_owned();
        }
        LabState { raw, errors: Vec::new(), running: None, rows: Vec::new(), selected: None, env, next_id: 1 }
    }

    /// The message for `field`, if it is invalid.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Wall time of the latest sequential run of the same workload.
    pub fn baseline_ms(&self, workload: &Workload) -> Option<f64> {
        self.rows.iter().rev().find_map(|row| match &row.outcome {
            Ok(r) if r.model == Model::Sequential && r.workload == *workload => Some(r.wall_ms),
            _ => None,
        })
    }

    pub fn speedup_of(&self, report: &RunReport) -> Option<f64> {
        self.baseline_ms(&report.workload).and_then(|b| speedup(b, report.wall_ms))
    }

    pub fn selected_report(&self) -> Option<&RunReport> {
        let id = self.selected?;
        self.rows.iter().find(|r| r.id == id).and_then(|r| r.outcome.as_ref().ok())
    }
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(field, value) => {
                match field.as_str() {
                    "size" => s.raw.size = value,
                    "tasks" => s.raw.tasks = value,
                    "plan" => s.raw.plan = value,
                    "model" => s.raw.model = value,
                    "workers" => s.raw.workers = value,
                    "strategy" => s.raw.strategy = value,
                    "chunk" => s.raw.chunk = value,
                    _ => {}
                }
                s.errors.retain(|e| e.field != field);
            }
            Action::SetWorkload(kind) => {
                s.raw = s.raw.clone().with_workload(kind);
                s.errors.clear();
            }
            Action::Invalid(errors) => s.errors = errors,
            Action::Started { model, total, queued } => {
                s.errors.clear();
                s.running = Some(Running { model, done: 0, total, queued });
            }
            Action::Progress { done, total } => {
                if let Some(r) = &mut s.running {
                    r.done = done;
                    r.total = total;
                }
            }
            Action::Finished(outcome) => {
                let id = s.next_id;
                s.next_id += 1;
                if outcome.is_ok() {
                    s.selected = Some(id);
                }
                s.rows.push(ResultRow { id, outcome });
            }
            Action::Idle => s.running = None,
            Action::Select(id) => s.selected = Some(id),
            Action::Clear => {
                s.rows.clear();
                s.selected = None;
            }
        }
        Rc::new(s)
    }
}
