//! The page's state and its reducer: language, the settings as typed,
//! validation problems, what the lab is busy with, the history of finished
//! runs, which runs the timeline compares, and the last Run-all / sweep
//! batch. The progress of the run in progress is kept apart (`Running`,
//! a `use_state` of `ui::app`),
//! so its frequent updates never copy the history.
//!
//! Updating is cheap: finished reports are shared (`Shared`, compared by
//! pointer), so an action copies a few pointers, never a report.

use crate::ui::i18n::Lang;
use engine::analysis::crossover::{self, Crossover};
use engine::analysis::report::{speedup, RunReport};
use engine::analysis::scaling::amdahl_fit;
use engine::analysis::summary::{judge, RunAllVerdict};
use engine::cores::Cores;
use engine::settings::{default_workers, Field, InterpForm, RawSettings};
use engine::{Activity, FieldError, Model, RunError, Workload, WorkloadKind};
pub(crate) use lab_code::{CodeEvent, LabCode, LoadError};
use std::rc::Rc;
use yew::Reducible;

mod lab_code;

engine::named_enum! {
    /// Which of the page's views is shown; its id is its name in the
    /// URL (`?view=`) and in `localStorage`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum View {
        /// The tour of claims: what a first-time visitor sees.
        Tour = "tour",
        /// The lab: the form, the runs, the demos.
        Lab = "lab",
        /// Inside the interpreter: play the scheduler over bytecode.
        Interp = "interpreter",
    }
}

impl View {
    /// The view to open: a claim's permalink (`#claim-…`) wins, then
    /// `?view=`, then the one remembered from the last visit, then the tour.
    pub(crate) fn choose(permalink: bool, query: Option<&str>, remembered: Option<&str>) -> Self {
        if permalink {
            return View::Tour;
        }
        query.and_then(View::from_id).or_else(|| remembered.and_then(View::from_id)).unwrap_or(View::Tour)
    }

    /// Whether the view is drawn by the lab's code (`LabCode`): every view
    /// but the tour.
    pub(crate) fn needs_lab_code(self) -> bool {
        self != View::Tour
    }
}

/// What the browser allows, read once at start; the core count is
/// measured later (`engine::cores`) and replaces the browser's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EnvInfo {
    /// Shared memory works here (isolated, and the engine really has it:
    /// see `web::features`): the thread models can run.
    pub(crate) isolated: bool,
    /// The browser's core count and, once measured, the real one.
    pub(crate) core_count: Cores,
    /// Why the page is not isolated, as reported by `www/coi.js`.
    pub(crate) coi: CoiStatus,
    /// Isolated, yet without working shared memory: why.
    pub(crate) memory_gap: Option<MemoryGap>,
}

impl EnvInfo {
    /// The core count to size work from: measured, else the browser's.
    pub(crate) fn cores(&self) -> usize {
        self.core_count.usable()
    }
}

/// Why an isolated page still has no shared memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemoryGap {
    /// The engine has no `SharedArrayBuffer` (Safari's engine can be so).
    NoSharedArrayBuffer,
    /// It refused to make a shared `WebAssembly.Memory`.
    NoSharedWasmMemory,
}

/// The outcome of the service-worker route to cross-origin isolation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoiStatus {
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
    /// Each status with the word `www/coi.js` sets in `globalThis.coiStatus`
    /// (a blocked registration adds its error: `blocked: …`). The banner's
    /// `data-reason` is this word too, so tests read what the script said.
    const WORDS: [(CoiStatus, &'static str); 8] = [
        (CoiStatus::Isolated, "isolated"),
        (CoiStatus::Pending, "registering"),
        (CoiStatus::Disabled, "disabled"),
        (CoiStatus::Insecure, "insecure"),
        (CoiStatus::Unsupported, "no-service-worker"),
        (CoiStatus::Refused, "refused"),
        (CoiStatus::Blocked, "blocked"),
        (CoiStatus::Unknown, "unknown"),
    ];

    pub(crate) fn parse(status: Option<&str>) -> Self {
        let word = status.map(|s| s.split(':').next().unwrap_or(s));
        Self::WORDS.iter().find(|(_, w)| Some(*w) == word).map_or(CoiStatus::Unknown, |(c, _)| *c)
    }

    /// The word coi.js uses for this status.
    pub(crate) fn word(self) -> &'static str {
        Self::WORDS.iter().find(|(c, _)| *c == self).map_or("unknown", |(_, w)| w)
    }
}

impl MemoryGap {
    /// Its name in the banner's `data-reason`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            MemoryGap::NoSharedArrayBuffer => "no-shared-array-buffer",
            MemoryGap::NoSharedWasmMemory => "no-shared-wasm-memory",
        }
    }
}

/// A value shared between the state and the components that show it,
/// compared by pointer: one finished report is never copied nor compared
/// field by field on a re-render.
#[derive(Debug, Default)]
pub(crate) struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub(crate) fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The run in progress (its own small state: updated several times a
/// second, it must not copy anything else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Running {
    pub(crate) model: Model,
    pub(crate) workers: usize,
    pub(crate) done: usize,
    pub(crate) total: usize,
    /// Runs still queued after this one (Run-all, sweep).
    pub(crate) queued: usize,
}

/// A run that ended without a report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunFailure {
    pub(crate) model: Model,
    pub(crate) workload: Workload,
    pub(crate) error: RunError,
}

/// One line of the results table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResultRow {
    pub(crate) id: usize,
    pub(crate) outcome: Result<Shared<RunReport>, Shared<RunFailure>>,
}

impl ResultRow {
    pub(crate) fn report(&self) -> Option<&RunReport> {
        self.outcome.as_ref().ok().map(|r| &**r)
    }
}

/// Every finished run, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct History {
    pub(crate) rows: Vec<ResultRow>,
}

impl History {
    pub(crate) fn report(&self, id: usize) -> Option<&Shared<RunReport>> {
        self.rows.iter().find(|r| r.id == id).and_then(|r| r.outcome.as_ref().ok())
    }

    pub(crate) fn reports(&self) -> impl DoubleEndedIterator<Item = &RunReport> {
        self.rows.iter().filter_map(ResultRow::report)
    }

    /// Wall time of the latest sequential run of the same workload.
    pub(crate) fn baseline_ms(&self, workload: &Workload) -> Option<f64> {
        self.reports().rev().find(|r| r.model == Model::Sequential && r.workload == *workload).map(|r| r.wall_ms)
    }

    /// This run's speedup over the latest sequential run of its workload.
    pub(crate) fn speedup_of(&self, report: &RunReport) -> Option<f64> {
        self.baseline_ms(&report.workload).and_then(|b| speedup(b, report.wall_ms))
    }
}

/// A group of runs started by one click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BatchKind {
    Single,
    All,
    Sweep(Model),
    /// Every model at every CPU share of mixed tasks.
    Crossover,
}

impl BatchKind {
    /// What the lab is busy with while this batch runs.
    pub(crate) fn activity(self) -> Activity {
        match self {
            BatchKind::Single => Activity::Run,
            BatchKind::All => Activity::RunAll,
            BatchKind::Sweep(_) => Activity::Sweep,
            BatchKind::Crossover => Activity::Crossover,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) kind: BatchKind,
    pub(crate) ids: Vec<usize>,
    pub(crate) done: bool,
}

/// The points of a scaling sweep and its Amdahl fit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SweepView {
    pub(crate) model: Model,
    /// (workers, wall ms, speedup over the 1-worker run)
    pub(crate) points: Vec<(usize, f64, f64)>,
    pub(crate) serial_fraction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LabState {
    pub(crate) lang: Lang,
    pub(crate) view: View,
    pub(crate) raw: RawSettings,
    pub(crate) errors: Vec<FieldError>,
    /// What the lab is busy with (mirrors `web::runner::Lab::busy`).
    pub(crate) busy: Option<Activity>,
    pub(crate) history: Shared<History>,
    /// Runs drawn on the timeline, compared on one time scale.
    pub(crate) shown: Vec<usize>,
    pub(crate) batch: Option<Batch>,
    pub(crate) env: EnvInfo,
    /// The worker count was chosen — typed, or carried by a link or a
    /// claim — rather than left at the core count: a measurement of the
    /// cores must not change it.
    pub(crate) workers_chosen: bool,
    /// The code of the views but the tour (and of what runs a model),
    /// loaded apart in a release build.
    pub(crate) code: LabCode,
    /// The page has been idle since its first view: the lab's code may be
    /// fetched ahead (`fetch_ahead`).
    idle: bool,
    next_id: usize,
}

pub(crate) enum Action {
    SetLang(Lang),
    SetView(View),
    /// "Open in the lab" on a claim: its settings in the form, the lab shown.
    /// (Boxed, as is a finished run: every other action is small.)
    OpenInLab(Box<RawSettings>, View),
    /// `www/coi.js` reported a new isolation status.
    SetCoi(CoiStatus),
    /// The page measured how many cores it really gets.
    CoresMeasured(usize),
    /// A text field or a choice changed: (field, new text).
    Edit(Field, String),
    /// The crash checkbox was ticked or cleared.
    SetCrash(bool),
    SetWorkload(WorkloadKind),
    Invalid(Vec<FieldError>),
    /// The lab became busy (with what) or idle.
    Busy(Option<Activity>),
    BatchStarted(BatchKind),
    Finished(Box<Result<RunReport, RunFailure>>),
    BatchDone,
    /// Adds the run to the compared timelines, or removes it.
    Toggle(usize),
    /// Something happened to the lab's code.
    Code(CodeEvent),
    Clear,
}

/// Most runs compared on the timelines at once, to keep them readable.
const MAX_SHOWN: usize = 6;

impl LabState {
    pub(crate) fn new(env: EnvInfo, lang: Lang) -> Self {
        let mut raw = RawSettings::defaults(env.cores());
        if !env.isolated {
            raw.lab.model = Model::Processes.id().to_owned();
        }
        LabState {
            lang,
            view: View::Tour,
            raw,
            errors: Vec::new(),
            busy: None,
            history: Shared::default(),
            shown: Vec::new(),
            batch: None,
            env,
            workers_chosen: false,
            // All here, unless the page says it is loaded apart (`ui::app`).
            code: LabCode::Ready,
            idle: false,
            next_id: 1,
        }
    }

    /// Shows `view`; one drawn by the lab's code asks for it.
    pub(crate) fn show(&mut self, view: View) {
        self.view = view;
        if view.needs_lab_code() {
            self.code = self.code.on(CodeEvent::Needed);
        }
    }

    /// Fetches the lab's code ahead once the page is idle — unless
    /// `www/coi.js` is about to reload it for isolation (GitHub Pages' first
    /// visit): that page is gone in a moment, and the fetch would only
    /// compete with the reloaded one's.
    fn fetch_ahead(&mut self) {
        if self.idle && self.env.coi != CoiStatus::Pending {
            self.code = self.code.on(CodeEvent::Idle);
        }
    }

    /// The runs on the timeline, oldest first.
    pub(crate) fn shown_reports(&self) -> Vec<Shared<RunReport>> {
        self.shown.iter().filter_map(|&id| self.history.report(id).cloned()).collect()
    }

    /// The verdict of the last finished Run-all.
    pub(crate) fn verdict(&self) -> Option<RunAllVerdict> {
        let b = self.batch.as_ref().filter(|b| b.done && b.kind == BatchKind::All)?;
        let reports: Vec<&RunReport> = b.ids.iter().filter_map(|&id| self.history.report(id).map(|r| &**r)).collect();
        judge(&reports)
    }

    /// The crossover map of the last (or running) crossover batch.
    pub(crate) fn crossover(&self) -> Option<Crossover> {
        let b = self.batch.as_ref().filter(|b| b.kind == BatchKind::Crossover)?;
        let reports: Vec<&RunReport> = b.ids.iter().filter_map(|&id| self.history.report(id).map(|r| &**r)).collect();
        crossover::analyze(&reports)
    }

    /// SHA-256 rounds per ms this page measured for mixed tasks, if a mixed
    /// run has happened.
    pub(crate) fn calibration(&self) -> Option<u32> {
        self.history.reports().rev().find_map(|r| r.workload.mix.map(|m| m.rounds_per_ms)).filter(|&r| r > 0)
    }

    /// The points of the last (or running) sweep.
    pub(crate) fn sweep(&self) -> Option<SweepView> {
        let b = self.batch.as_ref()?;
        let BatchKind::Sweep(model) = b.kind else {
            return None;
        };
        let runs: Vec<&RunReport> = b.ids.iter().filter_map(|&id| self.history.report(id).map(|r| &**r)).collect();
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
        // Copies the settings and a few pointers, never a report.
        let mut s = (*self).clone();
        match action {
            Action::SetLang(lang) => s.lang = lang,
            Action::SetView(view) => s.show(view),
            Action::OpenInLab(raw, view) => {
                s.raw = *raw;
                s.workers_chosen = true;
                s.errors.clear();
                s.show(view);
            }
            Action::Code(CodeEvent::Idle) => {
                s.idle = true;
                s.fetch_ahead();
            }
            Action::Code(event) => s.code = s.code.on(event),
            Action::SetCoi(coi) => {
                s.env.coi = coi;
                s.fetch_ahead();
            }
            Action::CoresMeasured(n) => {
                // The worker count still at the default the browser's figure
                // gave follows the measurement; a count the reader chose (or
                // a link carried) stays.
                s.env.core_count.measured = Some(n);
                if !s.workers_chosen {
                    s.raw.lab.workers = default_workers(s.env.cores()).to_string();
                }
            }
            // An edited field's old message no longer applies; the others
            // stay until the next run checks them again.
            Action::Edit(field, value) => {
                s.workers_chosen |= field == Field::Workers;
                if InterpForm::starts_a_new_game(field) {
                    s.raw.interp.schedule.clear();
                    s.errors.retain(|e| e.field != Field::Schedule);
                }
                s.raw.set(field, value);
                s.errors.retain(|e| e.field != field);
            }
            Action::SetCrash(on) => {
                s.raw.lab.set_crash(on);
                s.errors.retain(|e| e.field != Field::Crash);
            }
            Action::SetWorkload(kind) => {
                s.raw = s.raw.clone().with_workload(kind);
                s.errors.clear();
            }
            Action::Invalid(errors) => s.errors = errors,
            Action::Busy(busy) => s.busy = busy,
            Action::BatchStarted(kind) => {
                s.errors.clear();
                s.batch = Some(Batch { kind, ids: Vec::new(), done: false });
                // A comparison batch starts a fresh comparison; single runs
                // add to the one on screen.
                if kind != BatchKind::Single {
                    s.shown.clear();
                }
            }
            Action::Finished(outcome) => {
                let outcome = *outcome;
                let id = s.next_id;
                s.next_id += 1;
                if outcome.is_ok() {
                    s.shown.push(id);
                    if s.shown.len() > MAX_SHOWN {
                        s.shown.remove(0);
                    }
                }
                if let Some(b) = &mut s.batch {
                    b.ids.push(id);
                }
                // A mixed run's rate was measured here because the form left
                // it blank: write it in, so the link now names the work.
                if let Ok(r) = &outcome {
                    let measured = r.workload.mix.map(|m| m.rounds_per_ms).filter(|&x| x > 0);
                    if let Some(rate) = measured.filter(|_| s.raw.lab.rate.trim().is_empty()) {
                        s.raw.lab.rate = rate.to_string();
                    }
                }
                let outcome = outcome.map(Shared::new).map_err(Shared::new);
                let mut history = (*s.history).clone();
                history.rows.push(ResultRow { id, outcome });
                s.history = Shared::new(history);
            }
            Action::BatchDone => {
                if let Some(b) = &mut s.batch {
                    b.done = true;
                }
            }
            Action::Toggle(id) => {
                if let Some(i) = s.shown.iter().position(|&x| x == id) {
                    s.shown.remove(i);
                } else if s.history.report(id).is_some() {
                    s.shown.push(id);
                }
            }
            Action::Clear => {
                s.history = Shared::default();
                s.shown.clear();
                s.batch = None;
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests;
