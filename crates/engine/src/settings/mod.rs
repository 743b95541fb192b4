//! The reader's settings: raw text as typed in the page, validated into a
//! `Settings` with one clear message per bad field. The limits keep every
//! run inside the wasm memory limit and short enough to never feel frozen.
//!
//! Each field of the form is a [`Field`]; its `id()` is at once the input's
//! `id`/`name`, the `data-testid` suffix and the URL query key, so those
//! names are spelled in exactly one place.

use crate::error::{FieldError, Problem};
use crate::model::{Model, Strategy};
use crate::python::convoy::ConvoySettings;
use crate::python::gil::DEFAULT_SWITCH_INTERVAL_MS;
use crate::work::workload::{Mix, Plan, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};

mod bounds;
pub use bounds::*;

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
    }
}

/// Reads the crash switch from text (a link, or an older link's "on").
/// Case and surrounding spaces do not matter; anything else is `None`, to be
/// reported rather than guessed.
fn parse_switch(text: &str) -> Option<bool> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "1" | "on" | "true" => Some(true),
        "" | "0" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// Settings exactly as typed: every field is text, nothing is trusted —
/// except the crash switch, a checkbox that can only be on or off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSettings {
    pub workload: String,
    pub size: String,
    pub tasks: String,
    pub plan: String,
    pub model: String,
    pub workers: String,
    pub strategy: String,
    pub chunk: String,
    /// The GIL's switch interval in ms (`sys.setswitchinterval` × 1000).
    pub interval: String,
    /// Whether one task should crash.
    pub crash: bool,
    /// Mixed tasks: the CPU share in percent.
    #[serde(default)]
    pub cpu: String,
    /// Mixed tasks: SHA-256 rounds per ms of CPU (blank: measure here).
    #[serde(default)]
    pub rate: String,
    /// The convoy view: CPU-bound threads (the view measures 0 up to this).
    #[serde(default)]
    pub cpu_threads: String,
    /// The convoy view: number of waits of the I/O thread.
    #[serde(default)]
    pub waits: String,
    /// The convoy view: length of each wait in ms.
    #[serde(default)]
    pub wait: String,
    /// The deadlock demo's watchdog timeout in ms.
    #[serde(default)]
    pub watchdog: String,
    /// Moving data: array size and payload sweep bounds, in MiB.
    #[serde(default)]
    pub payload: String,
    #[serde(default)]
    pub sweep_from: String,
    #[serde(default)]
    pub sweep_to: String,
    /// A crash value from a link that is neither on nor off. Kept (not
    /// dropped) so `validate` reports it like any other bad field, and so
    /// the link is written back as it came until the reader fixes it.
    #[serde(default)]
    bad_crash: Option<String>,
}

impl RawSettings {
    /// Defaults for a machine with `cores` logical cores.
    pub fn defaults(cores: usize) -> Self {
        let kind = WorkloadKind::Primes;
        RawSettings {
            workload: kind.id().to_owned(),
            size: kind.default_size().to_string(),
            tasks: kind.default_tasks().to_string(),
            plan: Plan::Uniform.id().to_owned(),
            model: Model::Threads.id().to_owned(),
            workers: default_workers(cores).to_string(),
            strategy: Strategy::Dynamic { chunk: DEFAULT_CHUNK as usize }.id().to_owned(),
            chunk: DEFAULT_CHUNK.to_string(),
            interval: DEFAULT_SWITCH_INTERVAL_MS.to_string(),
            crash: false,
            bad_crash: None,
            cpu: DEFAULT_CPU_PERCENT.to_string(),
            rate: String::new(),
            cpu_threads: DEFAULT_CONVOY_THREADS.to_string(),
            waits: DEFAULT_WAITS.to_string(),
            wait: DEFAULT_WAIT_MS.to_string(),
            watchdog: DEFAULT_WATCHDOG_MS.to_string(),
            payload: DEFAULT_PAYLOAD_MIB.to_string(),
            sweep_from: DEFAULT_SWEEP_MIB.0.to_string(),
            sweep_to: DEFAULT_SWEEP_MIB.1.to_string(),
        }
    }

    /// Switches the workload and resets size and task count to its defaults.
    pub fn with_workload(mut self, kind: WorkloadKind) -> Self {
        self.workload = kind.id().to_owned();
        self.size = kind.default_size().to_string();
        self.tasks = kind.default_tasks().to_string();
        self
    }

    /// The text of `field`, as the form and the URL show it. The crash
    /// switch reads "1" or "0" (or the rejected text from a link).
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Workload => &self.workload,
            Field::Size => &self.size,
            Field::Tasks => &self.tasks,
            Field::Plan => &self.plan,
            Field::Model => &self.model,
            Field::Workers => &self.workers,
            Field::Strategy => &self.strategy,
            Field::Chunk => &self.chunk,
            Field::Interval => &self.interval,
            Field::Cpu => &self.cpu,
            Field::Rate => &self.rate,
            Field::CpuThreads => &self.cpu_threads,
            Field::Waits => &self.waits,
            Field::Wait => &self.wait,
            Field::Watchdog => &self.watchdog,
            Field::Payload => &self.payload,
            Field::SweepFrom => &self.sweep_from,
            Field::SweepTo => &self.sweep_to,
            Field::Crash => match (&self.bad_crash, self.crash) {
                (Some(text), _) => text,
                (None, true) => "1",
                (None, false) => "0",
            },
        }
    }

    /// Sets `field` from text. Text fields take it as is (`validate` judges
    /// it later); the crash switch parses it (see `parse_switch`) and keeps
    /// text it cannot read for `validate` to report.
    pub fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Workload => &mut self.workload,
            Field::Size => &mut self.size,
            Field::Tasks => &mut self.tasks,
            Field::Plan => &mut self.plan,
            Field::Model => &mut self.model,
            Field::Workers => &mut self.workers,
            Field::Strategy => &mut self.strategy,
            Field::Chunk => &mut self.chunk,
            Field::Interval => &mut self.interval,
            Field::Cpu => &mut self.cpu,
            Field::Rate => &mut self.rate,
            Field::CpuThreads => &mut self.cpu_threads,
            Field::Waits => &mut self.waits,
            Field::Wait => &mut self.wait,
            Field::Watchdog => &mut self.watchdog,
            Field::Payload => &mut self.payload,
            Field::SweepFrom => &mut self.sweep_from,
            Field::SweepTo => &mut self.sweep_to,
            Field::Crash => {
                match parse_switch(&value) {
                    Some(on) => self.set_crash(on),
                    None => self.bad_crash = Some(value),
                }
                return;
            }
        };
        *slot = value;
    }

    /// Turns the crash switch on or off (the checkbox), which also settles
    /// any unreadable value a link brought.
    pub fn set_crash(&mut self, on: bool) {
        self.crash = on;
        self.bad_crash = None;
    }

    /// The bounds the tasks field accepts with the workload and size as
    /// typed right now: what the form's hint shows (see [`task_bounds`]).
    pub fn task_bounds(&self) -> (u64, u64) {
        let kind = WorkloadKind::from_id(self.workload.trim()).unwrap_or(WorkloadKind::Primes);
        let (lo, hi) = size_bounds(kind);
        // The size's own problems are reported under the size field; here
        // an invalid size only means "any size".
        let size = parse_bounded(&self.size, Field::Size, lo, hi, &mut Vec::new());
        task_bounds(kind, size)
    }

    /// The settings as URL query pairs, for a shareable link. The crash
    /// switch is written as `crash=1` when on and left out when off, so an
    /// ordinary link does not mention it.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        Field::ALL
            .into_iter()
            .filter(|&f| f != Field::Crash || self.crash || self.bad_crash.is_some())
            .map(|f| (f.id(), self.get(f).to_owned()))
            .collect()
    }

    /// Settings from a link: known keys override `self`, others are
    /// ignored. Values stay text; `validate` judges them like typed input.
    pub fn with_query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (key, value) in pairs {
            if let Some(field) = Field::from_id(key) {
                // A link is untrusted: keep a short prefix, enough for any
                // valid value and for a readable message about a bad one.
                self.set(field, value.chars().take(64).collect());
            }
        }
        self
    }

    /// The fields that set the work a run does (not how it is run), in
    /// which `self` and `other` differ: two results are only comparable
    /// work for work when this is empty. Compared as the values they
    /// stand for, so `1,000` and `1000` are the same work.
    pub fn work_differences(&self, other: &RawSettings) -> Vec<Field> {
        const WORK: [Field; 6] = [Field::Workload, Field::Size, Field::Tasks, Field::Plan, Field::Cpu, Field::Rate];
        let norm = |t: &str| t.trim().chars().filter(|c| !matches!(c, '_' | ',' | ' ')).collect::<String>();
        let mixed = |r: &RawSettings| r.workload.trim() == WorkloadKind::Mixed.id();
        WORK.into_iter()
            // The CPU share and rate only define mixed work.
            .filter(|&f| !matches!(f, Field::Cpu | Field::Rate) || mixed(self) || mixed(other))
            .filter(|&f| norm(self.get(f)) != norm(other.get(f)))
            .collect()
    }

    pub fn validate(&self) -> Result<Settings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = WorkloadKind::from_id(self.workload.trim());
        if kind.is_none() {
            errors.push(FieldError::new(Field::Workload, Problem::Unknown { text: self.workload.clone() }));
        }
        let model = Model::from_id(self.model.trim());
        if model.is_none() {
            errors.push(FieldError::new(Field::Model, Problem::Unknown { text: self.model.clone() }));
        }
        let plan = Plan::from_id(self.plan.trim());
        if plan.is_none() {
            errors.push(FieldError::new(Field::Plan, Problem::Unknown { text: self.plan.clone() }));
        }
        let kind_or_default = kind.unwrap_or(WorkloadKind::Primes);
        let (lo, hi) = size_bounds(kind_or_default);
        let size = parse_bounded(&self.size, Field::Size, lo, hi, &mut errors);
        // First the bounds for any size, then (below) those for this size:
        // a count above the size gets its own message, which says why.
        let (lo, hi) = task_bounds(kind_or_default, None);
        let tasks = parse_bounded(&self.tasks, Field::Tasks, lo, hi, &mut errors);
        let workers = parse_bounded(&self.workers, Field::Workers, 1, MAX_WORKERS, &mut errors);
        let (lo, hi) = CHUNK_BOUNDS;
        let chunk = parse_bounded(&self.chunk, Field::Chunk, lo, hi, &mut errors);
        let interval = parse_interval(&self.interval, &mut errors);
        let strategy = match self.strategy.trim() {
            "static" => Some(Strategy::Static),
            "dynamic" => chunk.map(|c| Strategy::Dynamic { chunk: c as usize }),
            other => {
                errors.push(FieldError::new(Field::Strategy, Problem::Unknown { text: other.to_owned() }));
                None
            }
        };
        if let (Some(size), Some(tasks)) = (size, tasks) {
            let (_, max) = task_bounds(kind_or_default, Some(size));
            if tasks > max {
                errors.push(FieldError::new(Field::Tasks, Problem::TooManyTasks { max }));
            }
        }
        if let Some(text) = &self.bad_crash {
            errors.push(FieldError::new(Field::Crash, Problem::Unknown { text: text.clone() }));
        }
        // The CPU share only means something for mixed tasks; elsewhere a
        // bad value (from a link) waits, unreported, until it is used.
        let mix = if kind == Some(WorkloadKind::Mixed) {
            let (lo, hi) = CPU_PERCENT_BOUNDS;
            let share = parse_bounded(&self.cpu, Field::Cpu, lo, hi, &mut errors);
            // Blank: this machine's rate, measured before the first run (0
            // asks the runner for it). Otherwise the work is the link's.
            let (rlo, rhi) = RATE_BOUNDS;
            let rate = if self.rate.trim().is_empty() {
                Some(0)
            } else {
                parse_bounded(&self.rate, Field::Rate, rlo, rhi, &mut errors)
            };
            match (share, rate) {
                (Some(p), Some(r)) => Some(Some(Mix { cpu_percent: p as u32, rounds_per_ms: r as u32 })),
                _ => None,
            }
        } else {
            Some(None)
        };
        let (
            Some(kind),
            Some(model),
            Some(plan),
            Some(size),
            Some(tasks),
            Some(workers),
            Some(strategy),
            Some(switch_interval_ms),
            Some(mix),
        ) = (kind, model, plan, size, tasks, workers, strategy, interval, mix)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let workload = Workload { kind, size, tasks: tasks as usize, plan, mix };
        let seconds = workload.cost_estimate_ns() / 1e9;
        if seconds > MAX_ESTIMATED_SECONDS {
            // Reported under the size field for every workload, I/O too:
            // the message asks for a smaller size, and for I/O the size is
            // the latency, one of the two factors of tasks × latency. The
            // tasks field already has its own cap and message; the size
            // field is where the estimate's unit (time) is typed.
            return Err(vec![FieldError::new(
                Field::Size,
                Problem::TooSlow { seconds: seconds.round() as u64, limit: MAX_ESTIMATED_SECONDS as u64 },
            )]);
        }
        Ok(Settings { workload, model, workers: workers as usize, strategy, switch_interval_ms, crash: self.crash })
    }
}

impl RawSettings {
    /// Moving data: the array size (MiB) of a single run.
    pub fn validate_payload(&self) -> Result<u64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = PAYLOAD_BOUNDS;
        parse_bounded(&self.payload, Field::Payload, lo, hi, &mut errors).ok_or(errors)
    }

    /// Moving data: the payload sweep's bounds (MiB), smallest first.
    pub fn validate_sweep(&self) -> Result<(u64, u64), Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = PAYLOAD_BOUNDS;
        let from = parse_bounded(&self.sweep_from, Field::SweepFrom, lo, hi, &mut errors);
        let to = parse_bounded(&self.sweep_to, Field::SweepTo, lo, hi, &mut errors);
        match (from, to) {
            (Some(f), Some(t)) if t >= f => Ok((f, t)),
            (Some(f), Some(_)) => Err(vec![FieldError::new(Field::SweepTo, Problem::TooSmall { lo: f.to_string() })]),
            _ => Err(errors),
        }
    }

    /// The deadlock demo's watchdog timeout in ms.
    pub fn validate_watchdog(&self) -> Result<u64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = WATCHDOG_BOUNDS;
        parse_bounded(&self.watchdog, Field::Watchdog, lo, hi, &mut errors).ok_or(errors)
    }

    /// The convoy view's settings (and the shared switch interval).
    pub fn validate_convoy(&self) -> Result<ConvoySettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = CONVOY_THREADS_BOUNDS;
        let threads = parse_bounded(&self.cpu_threads, Field::CpuThreads, lo, hi, &mut errors);
        let (lo, hi) = WAITS_BOUNDS;
        let waits = parse_bounded(&self.waits, Field::Waits, lo, hi, &mut errors);
        let (lo, hi) = WAIT_MS_BOUNDS;
        let wait = parse_bounded(&self.wait, Field::Wait, lo, hi, &mut errors);
        let interval = parse_interval(&self.interval, &mut errors);
        let (Some(threads), Some(waits), Some(wait), Some(interval)) = (threads, waits, wait, interval) else {
            return Err(errors);
        };
        let settings = ConvoySettings {
            max_cpu_threads: threads as usize,
            waits: waits as usize,
            wait_ms: wait,
            switch_interval_ms: interval,
        };
        let seconds = settings.worst_case_ms() / 1000.0;
        if seconds > MAX_ESTIMATED_SECONDS {
            let limit = MAX_ESTIMATED_SECONDS as u64;
            return Err(vec![FieldError::new(
                Field::Waits,
                Problem::TooSlow { seconds: seconds.round() as u64, limit },
            )]);
        }
        Ok(settings)
    }
}

/// Parses a whole number in `lo..=hi`, pushing a reader-facing message on
/// failure. Accepts `_`, `,` and spaces as digit separators (2,000,000).
fn parse_bounded(text: &str, field: Field, lo: u64, hi: u64, errors: &mut Vec<FieldError>) -> Option<u64> {
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

fn parse_interval(text: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
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
