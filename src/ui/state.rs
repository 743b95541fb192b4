//! The page's state and its reducer: language, the settings as typed,
//! validation problems, the run in progress, the history of finished runs,
//! which runs the timeline compares, and the last Run-all / sweep batch.

use crate::engine::report::{speedup, RunReport};
use crate::engine::scaling::amdahl_fit;
use crate::engine::settings::{Field, RawSettings};
use crate::engine::summary::{judge, Verdict};
use crate::engine::{FieldError, Model, RunError, Workload, WorkloadKind};
use crate::ui::i18n::Lang;
use std::rc::Rc;
use yew::Reducible;

/// What the browser allows, read once at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvInfo {
    pub isolated: bool,
    pub cores: usize,
    /// Why the page is not isolated, as reported by `www/coi.js`.
    pub coi: CoiStatus,
}

/// The outcome of the service-worker route to cross-origin isolation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoiStatus {
    /// Isolated (by headers or by the service worker).
    Isolated,
    /// The worker is being installed; the page reloads once.
    Pending,
    /// Turned off with `?nosw`.
    Disabled,
    /// Not HTTPS (nor localhost): no service workers.
    Insecure,
    /// The browser has no service workers.
    Unsupported,
    /// Registration failed (blocked by settings or policy).
    Blocked,
    /// The worker took over, yet the browser still refused isolation.
    Refused,
    /// coi.js did not run.
    Unknown,
}

impl CoiStatus {
    pub fn parse(status: Option<&str>) -> Self {
        match status {
            Some("isolated") => CoiStatus::Isolated,
            Some("registering") => CoiStatus::Pending,
            Some("disabled") => CoiStatus::Disabled,
            Some("insecure") => CoiStatus::Insecure,
            Some("no-service-worker") => CoiStatus::Unsupported,
            Some("refused") => CoiStatus::Refused,
            Some(s) if s.starts_with("blocked") => CoiStatus::Blocked,
            _ => CoiStatus::Unknown,
        }
    }
}

/// The run in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub model: Model,
    pub workers: usize,
    pub done: usize,
    pub total: usize,
    /// Runs still queued after this one (Run-all, sweep).
    pub queued: usize,
}

/// One line of the results table.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub id: usize,
    pub outcome: Result<RunReport, (Model, Workload, RunError)>,
}

/// A group of runs started by one click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchKind {
    Single,
    All,
    Sweep(Model),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub kind: BatchKind,
    pub ids: Vec<usize>,
    pub done: bool,
}

/// The points of a scaling sweep and its Amdahl fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepView {
    pub model: Model,
    /// (workers, wall ms, speedup over the 1-worker run)
    pub points: Vec<(usize, f64, f64)>,
    pub serial_fraction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub lang: Lang,
    pub raw: RawSettings,
    pub errors: Vec<FieldError>,
    pub running: Option<Running>,
    pub rows: Vec<ResultRow>,
    /// Runs drawn on the timeline, compared on one time scale.
    pub shown: Vec<usize>,
    pub batch: Option<Batch>,
    pub env: EnvInfo,
    next_id: usize,
}

pub enum Action {
    SetLang(Lang),
    /// `www/coi.js` reported a new isolation status.
    SetCoi(CoiStatus),
    /// A text field or a choice changed: (field, new text).
    Edit(Field, String),
    /// The crash checkbox was ticked or cleared.
    SetCrash(bool),
    SetWorkload(WorkloadKind),
    Invalid(Vec<FieldError>),
    BatchStarted(BatchKind),
    Started {
        model: Model,
        workers: usize,
        total: usize,
        queued: usize,
    },
    Progress {
        done: usize,
        total: usize,
    },
    Finished(Result<RunReport, (Model, Workload, RunError)>),
    Idle,
    /// Adds the run to the compared timelines, or removes it.
    Toggle(usize),
    Clear,
}

impl LabState {
    pub fn new(env: EnvInfo, lang: Lang) -> Self {
        let mut raw = RawSettings::defaults(env.cores);
        if !env.isolated {
            raw.model = Model::Processes.id().to_owned();
        }
        LabState {
            lang,
            raw,
            errors: Vec::new(),
            running: None,
            rows: Vec::new(),
            shown: Vec::new(),
            batch: None,
            env,
            next_id: 1,
        }
    }

    /// This state without the run in progress (for views that do not show it).
    pub fn without_progress(&self) -> Self {
        LabState { running: None, ..self.clone() }
    }

    fn report(&self, id: usize) -> Option<&RunReport> {
        self.rows.iter().find(|r| r.id == id).and_then(|r| r.outcome.as_ref().ok())
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

    /// The runs on the timeline, oldest first.
    pub fn shown_reports(&self) -> Vec<RunReport> {
        self.shown.iter().filter_map(|&id| self.report(id).cloned()).collect()
    }

    /// The verdict of the last finished Run-all.
    pub fn verdict(&self) -> Option<Verdict> {
        let b = self.batch.as_ref().filter(|b| b.done && b.kind == BatchKind::All)?;
        let reports: Vec<RunReport> = b.ids.iter().filter_map(|&id| self.report(id).cloned()).collect();
        judge(&reports)
    }

    /// The points of the last (or running) sweep.
    pub fn sweep(&self) -> Option<SweepView> {
        let b = self.batch.as_ref()?;
        let BatchKind::Sweep(model) = b.kind else {
            return None;
        };
        let runs: Vec<&RunReport> = b.ids.iter().filter_map(|&id| self.report(id)).collect();
        let base = runs.iter().find(|r| r.workers == 1)?.wall_ms;
        let points: Vec<(usize, f64, f64)> =
            runs.iter().filter_map(|r| Some((r.workers, r.wall_ms, speedup(base, r.wall_ms)?))).collect();
        let fit: Vec<(usize, f64)> = points.iter().map(|p| (p.0, p.2)).collect();
        Some(SweepView { model, serial_fraction: amdahl_fit(&fit), points })
    }
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetLang(lang) => s.lang = lang,
            Action::SetCoi(coi) => s.env.coi = coi,
            // An edited field's old message no longer applies; the others
            // stay until the next run checks them again.
            Action::Edit(field, value) => {
                s.raw.set(field, value);
                s.errors.retain(|e| e.field != field);
            }
            Action::SetCrash(on) => {
                s.raw.set_crash(on);
                s.errors.retain(|e| e.field != Field::Crash);
            }
            Action::SetWorkload(kind) => {
                s.raw = s.raw.clone().with_workload(kind);
                s.errors.clear();
            }
            Action::Invalid(errors) => s.errors = errors,
            Action::BatchStarted(kind) => {
                s.errors.clear();
                s.batch = Some(Batch { kind, ids: Vec::new(), done: false });
                // A comparison batch starts a fresh comparison; single runs
                // add to the one on screen.
                if kind != BatchKind::Single {
                    s.shown.clear();
                }
            }
            Action::Started { model, workers, total, queued } => {
                s.running = Some(Running { model, workers, done: 0, total, queued });
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
                    s.shown.push(id);
                    // Keep the comparison readable.
                    if s.shown.len() > 6 {
                        s.shown.remove(0);
                    }
                }
                if let Some(b) = &mut s.batch {
                    b.ids.push(id);
                }
                s.rows.push(ResultRow { id, outcome });
            }
            Action::Idle => {
                s.running = None;
                if let Some(b) = &mut s.batch {
                    b.done = true;
                }
            }
            Action::Toggle(id) => {
                if let Some(i) = s.shown.iter().position(|&x| x == id) {
                    s.shown.remove(i);
                } else if s.report(id).is_some() {
                    s.shown.push(id);
                }
            }
            Action::Clear => {
                s.rows.clear();
                s.shown.clear();
                s.batch = None;
            }
        }
        Rc::new(s)
    }
}
