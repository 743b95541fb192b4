//! The reader's settings: raw text as typed in the page, validated into a
//! `Settings` with one clear message per bad field. The limits keep every
//! run inside the wasm memory limit and short enough to never feel frozen.
//!
//! Each field of the form is a [`Field`]; its `id()` is at once the input's
//! `id`/`name`, the `data-testid` suffix and the URL query key, so those
//! names are spelled in exactly one place.

use crate::engine::convoy::ConvoySettings;
use crate::engine::error::{FieldError, Problem};
use crate::engine::gil::DEFAULT_SWITCH_INTERVAL_MS;
use crate::engine::model::{Model, Strategy};
use crate::engine::workload::{Mix, Plan, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};

/// Most threads or processes a run may use. Far above any core count we
/// expect, so oversubscription can be shown, but bounded: each worker is a
/// Web Worker with its own stack and (for processes) its own wasm memory.
pub(crate) const MAX_WORKERS: u64 = 64;
/// Most tasks in a run: each task is a message and a bar on the timeline.
pub(crate) const MAX_TASKS: u64 = 10_000;
/// Most simulated I/O tasks: asyncio starts them all at once, so this caps
/// how many timers (and, for threads, blocked waits) are alive together.
///
/// It is a cap on concurrency, not on duration: the duration is held by
/// [`MAX_ESTIMATED_SECONDS`], which counts the waits one after another (the
/// sequential model). With the 120 s limit, 2,000 tasks may wait at most
/// 60 ms each, and a 10 s wait (the top of [`size_bounds`]) allows at most
/// 12 tasks; both caps still bind somewhere, so both stay.
pub(crate) const MAX_IO_TASKS: u64 = 2_000;
/// Longest run we accept, estimated single-threaded (the sequential model,
/// waits included), in seconds.
pub(crate) const MAX_ESTIMATED_SECONDS: f64 = 120.0;
/// Bounds and default of a mixed task's CPU share, in percent.
pub(crate) const CPU_PERCENT_BOUNDS: (u64, u64) = (0, 100);
pub(crate) const DEFAULT_CPU_PERCENT: u64 = 50;
/// Bounds of a mixed task's work rate: SHA-256 rounds per ms of its CPU
/// part. A desktop core computes about 4,000 in wasm, a phone's a quarter
/// of that; the bounds leave room both ways. Left blank, the page measures
/// this machine's rate before the first mixed run and writes it into the
/// form and the link, so the link then names the work, not the machine.
pub(crate) const RATE_BOUNDS: (u64, u64) = (100, 1_000_000);
/// The convoy view. CPU threads beside the one I/O thread: 0 to 8 (the
/// thread pool then has up to 9 threads, one per model at a time).
pub(crate) const CONVOY_THREADS_BOUNDS: (u64, u64) = (0, 8);
pub(crate) const DEFAULT_CONVOY_THREADS: u64 = 2;
/// Waits of the I/O thread: enough for a median and a p95, few enough that
/// the worst case (8 threads, 20 ms switch interval) still ends in time.
pub(crate) const WAITS_BOUNDS: (u64, u64) = (10, 2_000);
pub(crate) const DEFAULT_WAITS: u64 = 100;
/// One wait of the I/O thread, in ms (Beazley's script sleeps 1 ms).
pub(crate) const WAIT_MS_BOUNDS: (u64, u64) = (1, 50);
pub(crate) const DEFAULT_WAIT_MS: u64 = 1;

/// The deadlock demo's watchdog timeout, in ms: from well above the fix's
/// 30 ms acquire timeout (so the fix is never mistaken for a deadlock) to
/// ten seconds.
pub(crate) const WATCHDOG_BOUNDS: (u64, u64) = (100, 10_000);
pub(crate) const DEFAULT_WATCHDOG_MS: u64 = 500;

/// Moving data: array sizes in MiB. During a run by copy the array lives
/// up to four times at once — the page's chunks, its shared copy, the
/// buffers made for a transfer, and the copies the workers receive — so
/// 128 MiB keeps the tab around half a GiB, far inside Chromium's 4 GiB per
/// tab, and the threads' array far inside the host's 1 GiB wasm memory.
pub(crate) const PAYLOAD_BOUNDS: (u64, u64) = (1, 128);
pub(crate) const DEFAULT_PAYLOAD_MIB: u64 = 32;
pub(crate) const DEFAULT_SWEEP_MIB: (u64, u64) = (1, 64);

/// The default worker count on `cores` cores: one per core, within bounds.
pub(crate) fn default_workers(cores: usize) -> usize {
    cores.clamp(1, MAX_WORKERS as usize)
}

/// Default queue chunk: one task at a time, the classic worker loop.
pub(crate) const DEFAULT_CHUNK: u64 = 1;
/// Inclusive bounds of the queue chunk size. A chunk larger than the run is
/// allowed (one worker then takes everything), hence the task cap.
pub(crate) const CHUNK_BOUNDS: (u64, u64) = (1, MAX_TASKS);

/// Inclusive bounds of `size` for each workload.
///
/// For I/O the size is the latency of one task in ms. 10 s is already a
/// very slow network call; longer single waits teach nothing more, and the
/// run as a whole is further bounded by [`MAX_ESTIMATED_SECONDS`].
pub(crate) fn size_bounds(kind: WorkloadKind) -> (u64, u64) {
    match kind {
        WorkloadKind::Primes => (10, 50_000_000),
        WorkloadKind::SumRange => (1, 4_000_000_000),
        WorkloadKind::Sha256 => (1, 20_000_000),
        WorkloadKind::Mandelbrot => (8, 4_000),
        WorkloadKind::SleepIo => (0, 10_000),
        // A mixed task's whole length, wait and CPU part together.
        WorkloadKind::Mixed => (1, 10_000),
    }
}

/// Inclusive bounds of `tasks` for a workload of `size`, or of any valid
/// size when `size` is `None` (not typed yet, or invalid).
///
/// Validation and the form's hint both call this, so the hint can never
/// promise a count that validation then refuses:
/// - I/O: at most [`MAX_IO_TASKS`];
/// - workloads that cut the range `0..size` into pieces: at most one task
///   per item of the range, hence at most `size` (the largest valid size
///   while `size` is unknown);
/// - SHA-256: every task hashes at least once whatever the size, so only
///   [`MAX_TASKS`] applies.
pub(crate) fn task_bounds(kind: WorkloadKind, size: Option<u64>) -> (u64, u64) {
    let hi = if kind.waits() {
        MAX_IO_TASKS
    } else if kind.splits_range() {
        let (_, size_hi) = size_bounds(kind);
        MAX_TASKS.min(size.unwrap_or(size_hi))
    } else {
        MAX_TASKS
    };
    // `max(1)`: the bounds stay well-formed even for a size of 0, which no
    // range workload accepts anyway.
    (1, hi.max(1))
}

/// One field of the settings form.
///
/// Serialized by its id (`"size"`, …), as `FieldError.field` was before it
/// was typed, so reports and messages keep their shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Field {
    Workload,
    Size,
    Tasks,
    Plan,
    Model,
    Workers,
    Strategy,
    Chunk,
    Interval,
    Crash,
    /// The CPU share of a mixed task, in percent.
    Cpu,
    /// A mixed task's work rate: SHA-256 rounds per ms of its CPU part.
    Rate,
    /// The convoy view: CPU-bound threads beside the I/O thread (at most).
    CpuThreads,
    /// The convoy view: how many short waits the I/O thread makes.
    Waits,
    /// The convoy view: the length of one wait, in ms.
    Wait,
    /// The deadlock demo: how long a wait-for cycle must stand, in ms.
    Watchdog,
    /// Moving data: the array's size, in MiB.
    Payload,
    /// Moving data: the payload sweep's smallest and largest array, MiB.
    SweepFrom,
    SweepTo,
}

impl Field {
    /// Every field, in the order of the form (and of the URL query).
    pub(crate) const ALL: [Field; 19] = [
        Field::Workload,
        Field::Size,
        Field::Tasks,
        Field::Plan,
        Field::Model,
        Field::Workers,
        Field::Strategy,
        Field::Chunk,
        Field::Interval,
        Field::Crash,
        Field::Cpu,
        Field::Rate,
        Field::CpuThreads,
        Field::Waits,
        Field::Wait,
        Field::Watchdog,
        Field::Payload,
        Field::SweepFrom,
        Field::SweepTo,
    ];

    /// The stable name of the field: the input's `id` and `name`, the
    /// suffix of its `data-testid` (`input-…`, `error-…`) and its URL query
    /// key. Shared links and the end-to-end tests depend on these: never
    /// rename one.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Field::Workload => "workload",
            Field::Size => "size",
            Field::Tasks => "tasks",
            Field::Plan => "plan",
            Field::Model => "model",
            Field::Workers => "workers",
            Field::Strategy => "strategy",
            Field::Chunk => "chunk",
            Field::Interval => "interval",
            Field::Crash => "crash",
            Field::Cpu => "cpu",
            Field::Rate => "rate",
            Field::CpuThreads => "cputhreads",
            Field::Waits => "waits",
            Field::Wait => "wait",
            Field::Watchdog => "watchdog",
            Field::Payload => "payload",
            Field::SweepFrom => "sweepfrom",
            Field::SweepTo => "sweepto",
        }
    }

    pub(crate) fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.id() == id)
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
pub(crate) struct RawSettings {
    pub(crate) workload: String,
    pub(crate) size: String,
    pub(crate) tasks: String,
    pub(crate) plan: String,
    pub(crate) model: String,
    pub(crate) workers: String,
    pub(crate) strategy: String,
    pub(crate) chunk: String,
    /// The GIL's switch interval in ms (`sys.setswitchinterval` × 1000).
    pub(crate) interval: String,
    /// Whether one task should crash.
    pub(crate) crash: bool,
    /// Mixed tasks: the CPU share in percent.
    #[serde(default)]
    pub(crate) cpu: String,
    /// Mixed tasks: SHA-256 rounds per ms of CPU (blank: measure here).
    #[serde(default)]
    pub(crate) rate: String,
    /// The convoy view: CPU-bound threads (the view measures 0 up to this).
    #[serde(default)]
    pub(crate) cpu_threads: String,
    /// The convoy view: number of waits of the I/O thread.
    #[serde(default)]
    pub(crate) waits: String,
    /// The convoy view: length of each wait in ms.
    #[serde(default)]
    pub(crate) wait: String,
    /// The deadlock demo's watchdog timeout in ms.
    #[serde(default)]
    pub(crate) watchdog: String,
    /// Moving data: array size and payload sweep bounds, in MiB.
    #[serde(default)]
    pub(crate) payload: String,
    #[serde(default)]
    pub(crate) sweep_from: String,
    #[serde(default)]
    pub(crate) sweep_to: String,
    /// A crash value from a link that is neither on nor off. Kept (not
    /// dropped) so `validate` reports it like any other bad field, and so
    /// the link is written back as it came until the reader fixes it.
    #[serde(default)]
    bad_crash: Option<String>,
}

impl RawSettings {
    /// Defaults for a machine with `cores` logical cores.
    pub(crate) fn defaults(cores: usize) -> Self {
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
    pub(crate) fn with_workload(mut self, kind: WorkloadKind) -> Self {
        self.workload = kind.id().to_owned();
        self.size = kind.default_size().to_string();
        self.tasks = kind.default_tasks().to_string();
        self
    }

    /// The text of `field`, as the form and the URL show it. The crash
    /// switch reads "1" or "0" (or the rejected text from a link).
    pub(crate) fn get(&self, field: Field) -> &str {
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
    pub(crate) fn set(&mut self, field: Field, value: String) {
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
    pub(crate) fn set_crash(&mut self, on: bool) {
        self.crash = on;
        self.bad_crash = None;
    }

    /// The bounds the tasks field accepts with the workload and size as
    /// typed right now: what the form's hint shows (see [`task_bounds`]).
    // Only the form (wasm) and the tests call it: native builds see no user.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn task_bounds(&self) -> (u64, u64) {
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
    pub(crate) fn to_query(&self) -> Vec<(&'static str, String)> {
        Field::ALL
            .into_iter()
            .filter(|&f| f != Field::Crash || self.crash || self.bad_crash.is_some())
            .map(|f| (f.id(), self.get(f).to_owned()))
            .collect()
    }

    /// Settings from a link: known keys override `self`, others are
    /// ignored. Values stay text; `validate` judges them like typed input.
    pub(crate) fn with_query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
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
    pub(crate) fn work_differences(&self, other: &RawSettings) -> Vec<Field> {
        const WORK: [Field; 6] = [Field::Workload, Field::Size, Field::Tasks, Field::Plan, Field::Cpu, Field::Rate];
        let norm = |t: &str| t.trim().chars().filter(|c| !matches!(c, '_' | ',' | ' ')).collect::<String>();
        let mixed = |r: &RawSettings| r.workload.trim() == WorkloadKind::Mixed.id();
        WORK.into_iter()
            // The CPU share and rate only define mixed work.
            .filter(|&f| !matches!(f, Field::Cpu | Field::Rate) || mixed(self) || mixed(other))
            .filter(|&f| norm(self.get(f)) != norm(other.get(f)))
            .collect()
    }

    pub(crate) fn validate(&self) -> Result<Settings, Vec<FieldError>> {
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
    pub(crate) fn validate_payload(&self) -> Result<u64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = PAYLOAD_BOUNDS;
        parse_bounded(&self.payload, Field::Payload, lo, hi, &mut errors).ok_or(errors)
    }

    /// Moving data: the payload sweep's bounds (MiB), smallest first.
    pub(crate) fn validate_sweep(&self) -> Result<(u64, u64), Vec<FieldError>> {
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
    pub(crate) fn validate_watchdog(&self) -> Result<u64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = WATCHDOG_BOUNDS;
        parse_bounded(&self.watchdog, Field::Watchdog, lo, hi, &mut errors).ok_or(errors)
    }

    /// The convoy view's settings (and the shared switch interval).
    pub(crate) fn validate_convoy(&self) -> Result<ConvoySettings, Vec<FieldError>> {
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
pub(crate) const INTERVAL_BOUNDS_MS: (f64, f64) = (0.1, 1000.0);

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
pub(crate) struct Settings {
    pub(crate) workload: Workload,
    pub(crate) model: Model,
    pub(crate) workers: usize,
    pub(crate) strategy: Strategy,
    /// GIL switch interval (only the GIL model uses it).
    pub(crate) switch_interval_ms: f64,
    /// Make the middle task crash.
    pub(crate) crash: bool,
}

impl Settings {
    /// The same settings for another model (Run-all).
    pub(crate) fn for_model(self, model: Model) -> Self {
        Settings { model, ..self }
    }

    /// Workers this run really uses: one for the single-worker models.
    pub(crate) fn effective_workers(&self) -> usize {
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
    pub(crate) fn uses_process_workers(&self) -> bool {
        match self.model {
            Model::Sequential | Model::Processes => true,
            Model::Asyncio => !self.workload.kind.is_io(),
            Model::Threads | Model::GilThreads => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::workload::TaskKind;

    fn raw() -> RawSettings {
        RawSettings::defaults(2)
    }

    fn field_errors(r: &RawSettings) -> Vec<Field> {
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
            assert_eq!(errs[0].field, Field::Size);
            assert!(errs[0].message().contains(needle), "{text}: {}", errs[0].message());
        }
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut r = raw();
        r.tasks = "0".into();
        r.workers = "1000".into();
        r.chunk = "x".into();
        assert_eq!(field_errors(&r), vec![Field::Tasks, Field::Workers, Field::Chunk]);
    }

    #[test]
    fn too_many_tasks_for_the_range() {
        let mut r = raw().with_workload(WorkloadKind::Mandelbrot);
        r.size = "10".into();
        r.tasks = "11".into();
        assert_eq!(field_errors(&r), vec![Field::Tasks]);
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
            assert_eq!(field_errors(&r), vec![Field::Interval], "{bad}");
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
        assert_eq!(field_errors(&odd), vec![Field::Size]);
    }

    #[test]
    fn unknown_choices_are_reported() {
        let mut r = raw();
        r.model = "fibers".into();
        r.strategy = "random".into();
        assert_eq!(field_errors(&r), vec![Field::Model, Field::Strategy]);
    }

    #[test]
    fn payload_and_sweep_bounds_hold() {
        let mut r = raw();
        assert_eq!(r.validate_payload(), Ok(DEFAULT_PAYLOAD_MIB));
        r.payload = "129".into();
        assert_eq!(r.validate_payload().unwrap_err()[0].field, Field::Payload);
        r.sweep_from = "16".into();
        r.sweep_to = "4".into();
        let e = r.validate_sweep().unwrap_err();
        assert_eq!((e[0].field, &e[0].problem), (Field::SweepTo, &Problem::TooSmall { lo: "16".into() }));
        r.sweep_to = "200".into();
        assert_eq!(r.validate_sweep().unwrap_err()[0].field, Field::SweepTo);
        r.sweep_to = "64".into();
        assert_eq!(r.validate_sweep(), Ok((16, 64)));
        r.watchdog = "50".into();
        assert_eq!(r.validate_watchdog().unwrap_err()[0].field, Field::Watchdog);
    }

    #[test]
    fn field_ids_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_id(f.id()), Some(f));
            // Serialized by id, as the untyped field name was.
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.id()));
        }
        let ids: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
        assert_eq!(
            ids,
            [
                "workload",
                "size",
                "tasks",
                "plan",
                "model",
                "workers",
                "strategy",
                "chunk",
                "interval",
                "crash",
                "cpu",
                "rate",
                "cputhreads",
                "waits",
                "wait",
                "watchdog",
                "payload",
                "sweepfrom",
                "sweepto"
            ]
        );
        assert_eq!(Field::from_id("lang"), None);
        assert_eq!(Field::from_id("Size"), None);
    }

    #[test]
    fn which_runs_need_process_workers() {
        let s = raw().validate().expect("valid");
        let io = RawSettings { workload: "io".into(), size: "10".into(), tasks: "4".into(), ..raw() };
        let io = io.validate().expect("valid");
        let uses = |m: Model, s: Settings| s.for_model(m).uses_process_workers();
        assert!(uses(Model::Sequential, s) && uses(Model::Processes, s) && uses(Model::Asyncio, s));
        assert!(!uses(Model::Threads, s) && !uses(Model::GilThreads, s));
        assert!(!uses(Model::Asyncio, io), "asyncio's waits run on the page");
        assert!(uses(Model::Processes, io));
    }

    #[test]
    fn same_link_same_tasks() {
        // The work of a run is a function of its settings alone: a mixed
        // link with its rate gives the same tasks however often it is read.
        let link = "workload=mixed&size=20&cpu=50&tasks=16&workers=2&model=processes&rate=4200";
        let read = || {
            let pairs = link.split('&').filter_map(|kv| kv.split_once('='));
            raw().with_query(pairs).validate().expect("valid").workload.tasks()
        };
        let first = read();
        assert_eq!(first, read());
        assert!(first.iter().all(|t| matches!(t.kind, TaskKind::Mixed { rounds: 42_000, wait_ms: 10, .. })));
        // Blank: to be measured here (the runner fills it in, the page
        // writes it back into the link).
        let mut r = raw().with_workload(WorkloadKind::Mixed);
        r.rate = String::new();
        assert_eq!(r.validate().expect("valid").workload.mix.map(|m| m.rounds_per_ms), Some(0));
        // Out of bounds: refused with the field's message, nothing run.
        r.rate = "12".into();
        assert_eq!(r.validate().map(|_| ()).unwrap_err()[0].field, Field::Rate);
    }

    /// The answer of the mixed link the e2e tests open in every engine
    /// (`tests/e2e/startup.test.mjs`, `engines.test.mjs`): pinned here, so
    /// a page that answers otherwise did other work.
    pub(crate) const MIXED_LINK: &str = "workload=mixed&size=20&cpu=50&tasks=16&workers=2&model=processes&rate=3000";
    pub(crate) const MIXED_LINK_ANSWER: u64 = 17_928_666_068_893_293_783;

    #[test]
    fn the_mixed_link_answer_is_pinned() {
        let pairs = MIXED_LINK.split('&').filter_map(|kv| kv.split_once('='));
        let w = raw().with_query(pairs).validate().expect("valid").workload;
        let never = || false;
        let answer = w.combine(w.tasks().iter().map(|t| t.compute(&never).expect("not cancelled")));
        assert_eq!(answer, MIXED_LINK_ANSWER);
    }

    #[test]
    fn a_rate_far_above_the_machines_is_refused_as_too_slow() {
        // 10 s of CPU a task at a desktop's rate is fine; at 100 times that
        // rate the same link would run for hours, so it is refused.
        let mut r = raw().with_workload(WorkloadKind::Mixed);
        r.size = "10000".into();
        r.tasks = "1".into();
        r.cpu = "100".into();
        r.rate = "4000".into();
        assert!(r.validate().is_ok());
        r.rate = "400000".into();
        let errors = r.validate().map(|_| ()).unwrap_err();
        assert!(matches!(errors[0].problem, Problem::TooSlow { .. }), "{errors:?}");
    }

    #[test]
    fn work_differences_name_the_fields_that_change_the_work() {
        let a = raw().with_workload(WorkloadKind::Mixed);
        let mut b = a.clone();
        b.workers = "7".into();
        b.model = "gil".into();
        assert!(a.work_differences(&b).is_empty(), "how a run runs is not its work");
        b.size = format!(" {} ", a.size);
        assert!(a.work_differences(&b).is_empty());
        b.rate = "4000".into();
        b.tasks = "3".into();
        assert_eq!(a.work_differences(&b), vec![Field::Tasks, Field::Rate]);
        // The rate means nothing for primes.
        let p = raw();
        let mut q = p.clone();
        q.rate = "4000".into();
        assert!(p.work_differences(&q).is_empty());
    }

    #[test]
    fn get_and_set_reach_every_field() {
        for f in Field::ALL {
            let mut r = raw();
            // A value every field can hold: "1" is also "on" for the switch.
            r.set(f, "1".into());
            assert_eq!(r.get(f), "1", "{f:?}");
            for other in Field::ALL.into_iter().filter(|&o| o != f) {
                assert_eq!(r.get(other), raw().get(other), "setting {f:?} changed {other:?}");
            }
        }
        let mut r = raw();
        r.set(Field::Size, " 12,345 ".into());
        assert_eq!(r.size, " 12,345 ");
        assert_eq!(r.get(Field::Crash), "0");
        r.set(Field::Crash, "on".into());
        assert!(r.crash);
        r.set(Field::Crash, "false".into());
        assert!(!r.crash);
    }

    #[test]
    fn defaults_come_from_the_engine_constants() {
        let r = raw();
        assert_eq!(r.interval.parse::<f64>().unwrap(), DEFAULT_SWITCH_INTERVAL_MS);
        assert_eq!(r.chunk, DEFAULT_CHUNK.to_string());
        assert!(!r.crash);
    }

    #[test]
    fn query_round_trip_with_crash_on_and_off() {
        for on in [true, false] {
            let mut r = raw();
            r.set_crash(on);
            let q = r.to_query();
            assert_eq!(q.iter().any(|(k, v)| *k == "crash" && v == "1"), on);
            // Off is left out of the link altogether.
            assert_eq!(q.iter().any(|(k, _)| *k == "crash"), on);
            let back = raw().with_query(q.iter().map(|(k, v)| (*k, v.as_str())));
            assert_eq!(back, r);
            assert_eq!(back.validate().unwrap().crash, on);
        }
        // Every spelling of on and off a link may carry.
        for (text, on) in [("1", true), ("on", true), ("true", true), (" ON ", true)].into_iter().chain([
            ("", false),
            ("0", false),
            ("off", false),
            ("false", false),
        ]) {
            let r = raw().with_query([("crash", text)]);
            assert_eq!(r.validate().unwrap().crash, on, "{text:?}");
        }
    }

    #[test]
    fn a_bad_crash_value_is_reported_on_its_field() {
        let r = raw().with_query([("crash", "maybe")]);
        let errs = r.validate().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, Field::Crash);
        assert_eq!(errs[0].problem, Problem::Unknown { text: "maybe".into() });
        assert_eq!(errs[0].to_string(), "crash: unknown choice “maybe”");
        // The link keeps the bad value until the reader settles the switch.
        assert!(r.to_query().contains(&("crash", "maybe".to_owned())));
        let mut fixed = r.clone();
        fixed.set_crash(true);
        assert!(fixed.validate().unwrap().crash);
        let mut fixed = r;
        fixed.set(Field::Crash, "0".into());
        assert!(!fixed.validate().unwrap().crash);
    }

    fn io(tasks: u64, latency_ms: u64) -> RawSettings {
        let mut r = raw().with_workload(WorkloadKind::SleepIo);
        r.tasks = tasks.to_string();
        r.size = latency_ms.to_string();
        r
    }

    #[test]
    fn io_runs_count_their_waits() {
        // 2,000 waits of 10 s one after another: about 5.5 hours.
        let errs = io(2000, 10_000).validate().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, Field::Size);
        assert_eq!(errs[0].problem, Problem::TooSlow { seconds: 20_000, limit: 120 });
        // Just over the limit, and the uneven plan waits as long in total.
        let mut r = io(121, 1000);
        assert_eq!(field_errors(&r), vec![Field::Size]);
        r.plan = Plan::Uneven.id().into();
        assert_eq!(field_errors(&r), vec![Field::Size]);
        // The defaults (20 × 50 ms) and 100 × 1 s = 100 s pass.
        raw().with_workload(WorkloadKind::SleepIo).validate().unwrap();
        let s = io(100, 1000).validate().unwrap();
        assert_eq!((s.workload.tasks, s.workload.size), (100, 1000));
        // Each cap still binds somewhere under the time limit.
        io(MAX_IO_TASKS, 60).validate().unwrap();
        io(12, 10_000).validate().unwrap();
    }

    #[test]
    fn cpu_estimates_are_unchanged() {
        for (kind, size, tasks, ns) in [
            (WorkloadKind::SumRange, 1000, 4, 500.0),
            (WorkloadKind::Sha256, 1000, 4, 250_000.0),
            (WorkloadKind::Mandelbrot, 100, 4, 600_000.0),
        ] {
            let w = Workload { kind, size, tasks, plan: Plan::Uniform, mix: None };
            assert_eq!(w.cost_estimate_ns(), ns, "{kind:?}");
            // The number of tasks does not change the CPU work.
            assert_eq!(Workload { tasks: 16, ..w }.cost_estimate_ns(), ns, "{kind:?}");
        }
        let mut r = raw().with_workload(WorkloadKind::SumRange);
        r.size = "4000000000".into();
        assert!(r.validate().is_ok(), "4e9 additions ≈ 2 s");
    }

    #[test]
    fn task_bounds_agree_with_validation() {
        for kind in WorkloadKind::ALL {
            let mut r = raw().with_workload(kind);
            let (lo, hi) = r.task_bounds();
            assert_eq!(lo, 1);
            if !kind.is_io() {
                // A size that allows the largest count and keeps the run
                // short, so only the count is judged.
                r.size = hi.to_string();
            }
            let (lo, hi) = r.task_bounds();
            for (tasks, ok) in [(lo - 1, false), (lo, true), (hi, true), (hi + 1, false)] {
                r.tasks = tasks.to_string();
                let refused = field_errors_or_none(&r).is_some_and(|f| f.contains(&Field::Tasks));
                assert_eq!(!refused, ok, "{kind:?} with {tasks} tasks (bounds {lo} – {hi})");
            }
        }
        assert_eq!(io(2000, 1).task_bounds(), (1, 2000));
        io(2000, 1).validate().unwrap();
        assert_eq!(field_errors(&io(2001, 1)), vec![Field::Tasks]);
        // Range workloads: at most one task per item, and the hint follows
        // the size as typed (or any valid size while it is invalid).
        let mut m = raw().with_workload(WorkloadKind::Mandelbrot);
        m.size = "10".into();
        assert_eq!(m.task_bounds(), (1, 10));
        m.size = "lots".into();
        assert_eq!(m.task_bounds(), (1, 4000));
        assert_eq!(raw().task_bounds(), (1, MAX_TASKS));
        assert_eq!(raw().with_workload(WorkloadKind::Sha256).task_bounds(), (1, MAX_TASKS));
    }

    fn field_errors_or_none(r: &RawSettings) -> Option<Vec<Field>> {
        r.validate().err().map(|errs| errs.into_iter().map(|e| e.field).collect())
    }
}
