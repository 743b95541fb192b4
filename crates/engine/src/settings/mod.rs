//! The reader's settings: raw text as typed in the page, one form per view
//! (`lab`: the lab form; `views`: the convoy, deadlock and moving-data
//! forms), each validated on its own into typed settings with one clear
//! message per bad field. The limits keep every
//! run inside the wasm memory limit and short enough to never feel frozen.
//!
//! Each field of the form is a [`Field`]; its `id()` is at once the input's
//! `id`/`name`, the `data-testid` suffix and the URL query key, so those
//! names are spelled in exactly one place.

use crate::error::{FieldError, Problem};
use crate::model::{Model, Strategy};
use crate::python::bytecode::play::MAX_STEPS;
use crate::python::convoy::ConvoySettings;
use crate::python::gil::DEFAULT_SWITCH_INTERVAL_MS;
use crate::work::workload::{Mix, Plan, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};

mod bounds;
mod lab;
mod views;
pub use bounds::*;
pub use lab::LabForm;
pub use views::{ConvoyForm, DataForm, DeadlockForm, InterpForm};

crate::named_enum! {
    /// One field of the settings form.
    ///
    /// Its id is the input's `id` and `name`, the suffix of its
    /// `data-testid` (`input-…`, `error-…`) and its URL query key: shared
    /// links and the end-to-end tests depend on it. Serialized by its id
    /// (`"size"`, …), as `FieldError.field` was before it was typed, so
    /// reports and messages keep their shape.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Field {
        Workload = "workload",
        Size = "size",
        Tasks = "tasks",
        Plan = "plan",
        Model = "model",
        Workers = "workers",
        Strategy = "strategy",
        Chunk = "chunk",
        Interval = "interval",
        Crash = "crash",
        /// The CPU share of a mixed task, in percent.
        Cpu = "cpu",
        /// A mixed task's work rate: SHA-256 rounds per ms of its CPU part.
        Rate = "rate",
        /// The convoy view: CPU-bound threads beside the I/O thread (at most).
        CpuThreads = "cputhreads",
        /// The convoy view: how many short waits the I/O thread makes.
        Waits = "waits",
        /// The convoy view: the length of one wait, in ms.
        Wait = "wait",
        /// The deadlock demo: how long a wait-for cycle must stand, in ms.
        Watchdog = "watchdog",
        /// Moving data: the array's size, in MiB.
        Payload = "payload",
        /// Moving data: the payload sweep's smallest and largest array, MiB.
        SweepFrom = "sweepfrom",
        SweepTo = "sweepto",
        /// Inside the interpreter: the scenario the threads run.
        Scenario = "scenario",
        /// Inside the interpreter: where a switch may fall (GIL or free).
        Rule = "rule",
        /// Inside the interpreter: how many threads run the scenario.
        Threads = "threads",
        /// Inside the interpreter: loop iterations per thread.
        Iterations = "iterations",
        /// Inside the interpreter: the schedule played so far.
        Schedule = "schedule",
    }
}

/// Reads the crash switch from text (a link, or an older link's "on").
/// Case and surrounding spaces do not matter; anything else is `None`, to be
/// reported rather than guessed.
pub(super) fn parse_switch(text: &str) -> Option<bool> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "1" | "on" | "true" => Some(true),
        "" | "0" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// Every form of the page: the lab's and the demos'. A link is their union
/// (each field's id is its query key), and so is a claim's "Open in the
/// lab" and an export's record of it. Each form is validated on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Flat", into = "Flat")]
pub struct RawSettings {
    pub lab: LabForm,
    pub convoy: ConvoyForm,
    pub deadlock: DeadlockForm,
    pub data: DataForm,
    pub interp: InterpForm,
}

impl RawSettings {
    /// Defaults for a machine with `cores` logical cores.
    pub fn defaults(cores: usize) -> Self {
        RawSettings {
            lab: LabForm::defaults(cores),
            convoy: ConvoyForm::defaults(),
            deadlock: DeadlockForm::defaults(),
            data: DataForm::defaults(),
            interp: InterpForm::defaults(),
        }
    }

    /// The lab form switched to another workload (see [`LabForm::with_workload`]).
    pub fn with_workload(mut self, kind: WorkloadKind) -> Self {
        self.lab = self.lab.with_workload(kind);
        self
    }

    /// The text of `field`, as its form and the URL show it.
    pub fn get(&self, field: Field) -> &str {
        (self.lab.text(field))
            .or_else(|| self.convoy.text(field))
            .or_else(|| self.deadlock.text(field))
            .or_else(|| self.data.text(field))
            .or_else(|| self.interp.text(field))
            .unwrap_or_default()
    }

    /// Sets `field` from text, in the form it belongs to.
    pub fn set(&mut self, field: Field, value: String) {
        let slot = (self.convoy.slot(field))
            .or_else(|| self.deadlock.slot(field))
            .or_else(|| self.data.slot(field))
            .or_else(|| self.interp.slot(field));
        match slot {
            Some(slot) => *slot = value,
            None => self.lab.set(field, value),
        }
    }

    /// The settings as URL query pairs, for a shareable link. The crash
    /// switch is written as `crash=1` when on and left out when off, so an
    /// ordinary link does not mention it.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        Field::ALL
            .into_iter()
            .filter(|&f| f != Field::Crash || self.lab.crash_in_link())
            .map(|f| (f.id(), self.get(f).to_owned()))
            .collect()
    }

    /// Settings from a link: known keys override `self`, others are
    /// ignored. Values stay text; each form's `validate` judges them like
    /// typed input.
    pub fn with_query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (key, value) in pairs {
            if let Some(field) = Field::from_id(key) {
                // A link is untrusted: keep a short prefix, enough for any
                // valid value and for a readable message about a bad one
                // (a schedule is longer: see `play::MAX_STEPS`).
                let keep = if field == Field::Schedule { 8 * MAX_STEPS } else { 64 };
                self.set(field, value.chars().take(keep).collect());
            }
        }
        self
    }

    /// The fields of the lab form that set the work and differ (see
    /// [`LabForm::work_differences`]).
    pub fn work_differences(&self, other: &RawSettings) -> Vec<Field> {
        self.lab.work_differences(&other.lab)
    }

    /// The lab form's run (see [`LabForm::validate`]).
    pub fn validate(&self) -> Result<Settings, Vec<FieldError>> {
        self.lab.validate()
    }
}

/// [`RawSettings`] as exports have always written it: one flat object of
/// every field (its own struct rather than `serde(flatten)`, whose
/// buffering costs the page several KB of wasm).
#[derive(Serialize, Deserialize)]
struct Flat {
    workload: String,
    size: String,
    tasks: String,
    plan: String,
    model: String,
    workers: String,
    strategy: String,
    chunk: String,
    interval: String,
    crash: bool,
    #[serde(default)]
    cpu: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    cpu_threads: String,
    #[serde(default)]
    waits: String,
    #[serde(default)]
    wait: String,
    #[serde(default)]
    watchdog: String,
    #[serde(default)]
    payload: String,
    #[serde(default)]
    sweep_from: String,
    #[serde(default)]
    sweep_to: String,
    #[serde(default)]
    bad_crash: Option<String>,
    #[serde(default)]
    scenario: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    threads: String,
    #[serde(default)]
    iterations: String,
    #[serde(default)]
    schedule: String,
}

impl From<Flat> for RawSettings {
    fn from(f: Flat) -> Self {
        RawSettings {
            lab: LabForm {
                workload: f.workload,
                size: f.size,
                tasks: f.tasks,
                plan: f.plan,
                model: f.model,
                workers: f.workers,
                strategy: f.strategy,
                chunk: f.chunk,
                interval: f.interval,
                crash: f.crash,
                cpu: f.cpu,
                rate: f.rate,
                bad_crash: f.bad_crash,
            },
            convoy: ConvoyForm { cpu_threads: f.cpu_threads, waits: f.waits, wait: f.wait },
            deadlock: DeadlockForm { watchdog: f.watchdog },
            data: DataForm { payload: f.payload, sweep_from: f.sweep_from, sweep_to: f.sweep_to },
            // An export from before the interpreter view has none of its
            // fields: its defaults then.
            interp: if f.scenario.is_empty() {
                InterpForm::defaults()
            } else {
                InterpForm {
                    scenario: f.scenario,
                    rule: f.rule,
                    threads: f.threads,
                    iterations: f.iterations,
                    schedule: f.schedule,
                }
            },
        }
    }
}

impl From<RawSettings> for Flat {
    fn from(r: RawSettings) -> Self {
        let RawSettings { lab, convoy, deadlock, data, interp } = r;
        Flat {
            workload: lab.workload,
            size: lab.size,
            tasks: lab.tasks,
            plan: lab.plan,
            model: lab.model,
            workers: lab.workers,
            strategy: lab.strategy,
            chunk: lab.chunk,
            interval: lab.interval,
            crash: lab.crash,
            cpu: lab.cpu,
            rate: lab.rate,
            cpu_threads: convoy.cpu_threads,
            waits: convoy.waits,
            wait: convoy.wait,
            watchdog: deadlock.watchdog,
            payload: data.payload,
            sweep_from: data.sweep_from,
            sweep_to: data.sweep_to,
            bad_crash: lab.bad_crash,
            scenario: interp.scenario,
            rule: interp.rule,
            threads: interp.threads,
            iterations: interp.iterations,
            schedule: interp.schedule,
        }
    }
}

/// Parses a whole number in `lo..=hi`, pushing a reader-facing message on
/// failure. Accepts `_`, `,` and spaces as digit separators (2,000,000).
pub(super) fn parse_bounded(text: &str, field: Field, lo: u64, hi: u64, errors: &mut Vec<FieldError>) -> Option<u64> {
    let cleaned: String = text.trim().chars().filter(|c| !matches!(c, '_' | ',' | ' ')).collect();
    let fail = |errors: &mut Vec<FieldError>, problem: Problem| {
        errors.push(FieldError::new(field, problem));
        None
    };
    if cleaned.is_empty() {
        return fail(errors, Problem::Empty { lo: lo.to_string(), hi: hi.to_string() });
    }
    if cleaned.starts_with('-') && cleaned[1..].chars().all(|c| c.is_ascii_digit()) && cleaned.len() > 1 {
        return fail(errors, Problem::Negative { lo: lo.to_string(), hi: hi.to_string() });
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return fail(
            errors,
            Problem::NotANumber { text: text.trim().to_owned(), lo: lo.to_string(), hi: hi.to_string() },
        );
    }
    match cleaned.parse::<u64>() {
        Ok(v) if v < lo => fail(errors, Problem::TooSmall { lo: lo.to_string() }),
        Ok(v) if v > hi => fail(errors, Problem::TooLarge { value: v.to_string(), hi: hi.to_string() }),
        Ok(v) => Some(v),
        Err(_) => fail(errors, Problem::FarTooLarge { hi: hi.to_string() }),
    }
}

/// Bounds of the GIL switch interval, in ms. CPython accepts any positive
/// value; below 0.1 ms the lock does little but change hands.
pub const INTERVAL_BOUNDS_MS: (f64, f64) = (0.1, 1000.0);

pub(super) fn parse_interval(text: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let (lo, hi) = INTERVAL_BOUNDS_MS;
    let t = text.trim();
    let range = Problem::OutOfRange { lo: lo.to_string(), hi: hi.to_string() };
    let problem = match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => return Some(v),
        Ok(v) if v.is_finite() => range,
        _ if t.is_empty() => range,
        _ => Problem::NotANumber { text: t.to_owned(), lo: lo.to_string(), hi: hi.to_string() },
    };
    errors.push(FieldError::new(Field::Interval, problem));
    None
}

/// Validated settings of one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub workload: Workload,
    pub model: Model,
    pub workers: usize,
    pub strategy: Strategy,
    /// GIL switch interval (only the GIL model uses it).
    pub switch_interval_ms: f64,
    /// Make the middle task crash.
    pub crash: bool,
}

impl Settings {
    /// The same settings for another model (Run-all).
    pub fn for_model(self, model: Model) -> Self {
        Settings { model, ..self }
    }

    /// Workers this run really uses: one for the single-worker models.
    pub fn effective_workers(&self) -> usize {
        if self.model.uses_worker_count() {
            self.workers
        } else {
            1
        }
    }

    /// Whether this run needs process workers (separate wasm instances):
    /// sequential and processes always, asyncio when it computes (its
    /// event loop then runs in one); I/O under asyncio runs on the page
    /// and the threads on the thread host.
    pub fn uses_process_workers(&self) -> bool {
        match self.model {
            Model::Sequential | Model::Processes => true,
            Model::Asyncio => !self.workload.kind.is_io(),
            Model::Threads | Model::GilThreads => false,
        }
    }
}

#[cfg(test)]
mod tests;
