//! The reader's settings: raw text as typed in the page, validated into a
//! `Settings` with one clear message per bad field. The limits keep every
//! run inside the wasm memory limit and short enough to never feel frozen.

use crate::engine::error::{FieldError, Problem};
use crate::engine::model::{Model, Strategy};
use crate::engine::workload::{Plan, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};

/// Most threads or processes a run may use. Far above any core count we
/// expect, so oversubscription can be shown, but bounded: each worker is a
/// Web Worker with its own stack and (for processes) its own wasm memory.
pub const MAX_WORKERS: u64 = 64;
/// Most tasks in a run: each task is a message and a bar on the timeline.
pub const MAX_TASKS: u64 = 10_000;
/// Most simulated I/O tasks: asyncio starts them all at once.
pub const MAX_IO_TASKS: u64 = 2_000;
/// Longest run we accept, estimated single-threaded, in seconds.
pub const MAX_ESTIMATED_SECONDS: f64 = 120.0;

/// Inclusive bounds of `size` for each workload.
pub fn size_bounds(kind: WorkloadKind) -> (u64, u64) {
    match kind {
        WorkloadKind::Primes => (10, 50_000_000),
        WorkloadKind::SumRange => (1, 4_000_000_000),
        WorkloadKind::Sha256 => (1, 20_000_000),
        WorkloadKind::Mandelbrot => (8, 4_000),
        WorkloadKind::SleepIo => (0, 10_000),
    }
}

/// Settings exactly as typed: every field is text, nothing is trusted.
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
    /// "on" when one task should crash.
    pub crash: String,
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
            workers: cores.clamp(1, MAX_WORKERS as usize).to_string(),
            strategy: "dynamic".to_owned(),
            chunk: "1".to_owned(),
            interval: "5".to_owned(),
            crash: String::new(),
        }
    }

    /// Switches the workload and resets size and task count to its defaults.
    pub fn with_workload(mut self, kind: WorkloadKind) -> Self {
        self.workload = kind.id().to_owned();
        self.size = kind.default_size().to_string();
        self.tasks = kind.default_tasks().to_string();
        self
    }

    /// The settings as URL query pairs, for a shareable link.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("workload", self.workload.clone()),
            ("size", self.size.clone()),
            ("tasks", self.tasks.clone()),
            ("plan", self.plan.clone()),
            ("model", self.model.clone()),
            ("workers", self.workers.clone()),
            ("strategy", self.strategy.clone()),
            ("chunk", self.chunk.clone()),
            ("interval", self.interval.clone()),
            ("crash", self.crash.clone()),
        ]
    }

    /// Settings from a link: known keys override `self`, others are
    /// ignored. Values stay text; `validate` judges them like typed input.
    pub fn with_query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (key, value) in pairs {
            let value = value.chars().take(64).collect::<String>();
            match key {
                "workload" => self.workload = value,
                "size" => self.size = value,
                "tasks" => self.tasks = value,
                "plan" => self.plan = value,
                "model" => self.model = value,
                "workers" => self.workers = value,
                "strategy" => self.strategy = value,
                "chunk" => self.chunk = value,
                "interval" => self.interval = value,
                "crash" => self.crash = value,
                _ => {}
            }
        }
        self
    }

    pub fn validate(&self) -> Result<Settings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = WorkloadKind::from_id(self.workload.trim());
        if kind.is_none() {
            errors.push(FieldError::new("workload", Problem::Unknown { text: self.workload.clone() }));
        }
        let model = Model::from_id(self.model.trim());
        if model.is_none() {
            errors.push(FieldError::new("model", Problem::Unknown { text: self.model.clone() }));
        }
        let plan = Plan::from_id(self.plan.trim());
        if plan.is_none() {
            errors.push(FieldError::new("plan", Problem::Unknown { text: self.plan.clone() }));
        }
        let kind_or_default = kind.unwrap_or(WorkloadKind::Primes);
        let (lo, hi) = size_bounds(kind_or_default);
        let size = parse_bounded(&self.size, "size", lo, hi, &mut errors);
        let task_cap = if kind_or_default.is_io() { MAX_IO_TASKS } else { MAX_TASKS };
        let tasks = parse_bounded(&self.tasks, "tasks", 1, task_cap, &mut errors);
        let workers = parse_bounded(&self.workers, "workers", 1, MAX_WORKERS, &mut errors);
        let chunk = parse_bounded(&self.chunk, "chunk", 1, MAX_TASKS, &mut errors);
        let interval = parse_interval(&self.interval, &mut errors);
        let strategy = match self.strategy.trim() {
            "static" => Some(Strategy::Static),
            "dynamic" => chunk.map(|c| Strategy::Dynamic { chunk: c as usize }),
            other => {
                errors.push(FieldError::new("strategy", Problem::Unknown { text: other.to_owned() }));
                None
            }
        };
        if let (Some(size), Some(tasks)) = (size, tasks) {
            let divisible = !kind_or_default.is_io() && kind_or_default != WorkloadKind::Sha256;
            if divisible && tasks > size {
                errors.push(FieldError::new("tasks", Problem::TooManyTasks { max: size }));
            }
        }
        let (
            Some(kind),
            Some(model),
            Some(plan),
            Some(size),
            Some(tasks),
            Some(workers),
            Some(strategy),
            Some(switch_interval_ms),
        ) = (kind, model, plan, size, tasks, workers, strategy, interval)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let workload = Workload { kind, size, tasks: tasks as usize, plan };
        let seconds = workload.cost_estimate_ns() / 1e9;
        if seconds > MAX_ESTIMATED_SECONDS {
            return Err(vec![FieldError::new(
                "size",
                Problem::TooSlow { seconds: seconds.round() as u64, limit: MAX_ESTIMATED_SECONDS as u64 },
            )]);
        }
        Ok(Settings {
            workload,
            model,
            workers: workers as usize,
            strategy,
            switch_interval_ms,
            crash: self.crash == "on",
        })
    }
}

/// Parses a whole number in `lo..=hi`, pushing a reader-facing message on
/// failure. Accepts `_`, `,` and spaces as digit separators (2,000,000).
fn parse_bounded(text: &str, field: &str, lo: u64, hi: u64, errors: &mut Vec<FieldError>) -> Option<u64> {
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
    errors.push(FieldError::new("interval", problem));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawSettings {
        RawSettings::defaults(2)
    }

    fn field_errors(r: &RawSettings) -> Vec<String> {
        r.validate().unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn defaults_are_valid() {
        let s = raw().validate().unwrap();
        assert_eq!(s.workers, 2);
        assert_eq!(s.model, Model::Threads);
        assert_eq!(s.workload.kind, WorkloadKind::Primes);
        for kind in WorkloadKind::ALL {
            raw().with_workload(kind).validate().unwrap();
        }
    }

    #[test]
    fn separators_are_accepted() {
        let mut r = raw();
        r.size = " 5,000,000 ".into();
        assert_eq!(r.validate().unwrap().workload.size, 5_000_000);
    }

    #[test]
    fn bad_numbers_get_clear_messages() {
        for (text, needle) in [
            ("", "enter a whole number"),
            ("-5", "negative"),
            ("abc", "not a whole number"),
            ("1e9", "not a whole number"),
            ("99999999999999999999999", "far too large"),
            ("999999999999", "too large"),
        ] {
            let mut r = raw();
            r.size = text.into();
            let errs = r.validate().unwrap_err();
            assert_eq!(errs.len(), 1, "{text}");
            assert_eq!(errs[0].field, "size");
            assert!(errs[0].message().contains(needle), "{text}: {}", errs[0].message());
        }
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut r = raw();
        r.tasks = "0".into();
        r.workers = "1000".into();
        r.chunk = "x".into();
        assert_eq!(field_errors(&r), vec!["tasks", "workers", "chunk"]);
    }

    #[test]
    fn too_many_tasks_for_the_range() {
        let mut r = raw().with_workload(WorkloadKind::Mandelbrot);
        r.size = "10".into();
        r.tasks = "11".into();
        assert_eq!(field_errors(&r), vec!["tasks"]);
    }

    #[test]
    fn runs_that_would_take_minutes_are_refused() {
        let mut r = raw().with_workload(WorkloadKind::Sha256);
        r.size = "20000000".into();
        assert!(r.validate().is_ok(), "20M hashes ≈ 5 s");
        let mut m = raw().with_workload(WorkloadKind::Mandelbrot);
        m.size = "4000".into();
        assert!(m.validate().is_ok());
        let mut p = raw();
        p.size = "50000000".into();
        assert!(p.validate().is_ok());
    }

    #[test]
    fn switch_interval_is_checked() {
        let mut r = raw();
        r.interval = "0.5".into();
        assert_eq!(r.validate().unwrap().switch_interval_ms, 0.5);
        for bad in ["", "0", "-1", "abc", "NaN", "5000"] {
            r.interval = bad.into();
            assert_eq!(field_errors(&r), vec!["interval"], "{bad}");
        }
    }

    #[test]
    fn query_round_trip() {
        let mut r = raw().with_workload(WorkloadKind::SleepIo);
        r.workers = "7".into();
        r.strategy = "static".into();
        let q = r.to_query();
        let back = raw().with_query(q.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, r);
        // Unknown keys are ignored; bad values survive to be reported.
        let odd = raw().with_query([("lang", "ko"), ("size", "-3")]);
        assert_eq!(field_errors(&odd), vec!["size"]);
    }

    #[test]
    fn unknown_choices_are_reported() {
        let mut r = raw();
        r.model = "fibers".into();
        r.strategy = "random".into();
        assert_eq!(field_errors(&r), vec!["model", "strategy"]);
    }
}
