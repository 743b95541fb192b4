//! The lab form: what one run does and how it is run — the work, the
//! model, workers, allocation, the GIL's switch interval, the crash switch
//! — as typed, and its validation into [`Settings`].

use super::*;

/// The lab form exactly as typed: every field is text, nothing is trusted —
/// except the crash switch, a checkbox that can only be on or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabForm {
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
    pub cpu: String,
    /// Mixed tasks: SHA-256 rounds per ms of CPU (blank: measure here).
    pub rate: String,
    /// A crash value from a link that is neither on nor off. Kept (not
    /// dropped) so `validate` reports it like any other bad field, and so
    /// the link is written back as it came until the reader fixes it.
    pub(super) bad_crash: Option<String>,
}

impl LabForm {
    /// Defaults for a machine with `cores` logical cores.
    pub fn defaults(cores: usize) -> Self {
        let kind = WorkloadKind::Primes;
        LabForm {
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
        }
    }

    /// Switches the workload and resets size and task count to its defaults.
    pub fn with_workload(mut self, kind: WorkloadKind) -> Self {
        self.workload = kind.id().to_owned();
        self.size = kind.default_size().to_string();
        self.tasks = kind.default_tasks().to_string();
        self
    }

    /// The text of one of its fields (`None`: another form's). The crash
    /// switch reads "1" or "0" (or the rejected text from a link).
    pub fn text(&self, field: Field) -> Option<&str> {
        Some(match field {
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
            Field::Crash => match (&self.bad_crash, self.crash) {
                (Some(text), _) => text,
                (None, true) => "1",
                (None, false) => "0",
            },
            _ => return None,
        })
    }

    /// Sets one of its fields from text. Text fields take it as is
    /// (`validate` judges it later); the crash switch parses it (see
    /// `parse_switch`) and keeps text it cannot read for `validate` to
    /// report. Another form's field changes nothing.
    pub(super) fn set(&mut self, field: Field, value: String) {
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
            Field::Crash => {
                match parse_switch(&value) {
                    Some(on) => self.set_crash(on),
                    None => self.bad_crash = Some(value),
                }
                return;
            }
            _ => return,
        };
        *slot = value;
    }

    /// Turns the crash switch on or off (the checkbox), which also settles
    /// any unreadable value a link brought.
    pub fn set_crash(&mut self, on: bool) {
        self.crash = on;
        self.bad_crash = None;
    }

    /// Whether the crash switch is written into a link: when on, or when a
    /// link brought a value it cannot read.
    pub(super) fn crash_in_link(&self) -> bool {
        self.crash || self.bad_crash.is_some()
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

    /// The fields that set the work a run does (not how it is run), in
    /// which `self` and `other` differ: two results are only comparable
    /// work for work when this is empty. Compared as the values they
    /// stand for, so `1,000` and `1000` are the same work.
    pub fn work_differences(&self, other: &LabForm) -> Vec<Field> {
        const WORK: [Field; 6] = [Field::Workload, Field::Size, Field::Tasks, Field::Plan, Field::Cpu, Field::Rate];
        let norm = |t: &str| t.trim().chars().filter(|c| !matches!(c, '_' | ',' | ' ')).collect::<String>();
        let mixed = |r: &LabForm| r.workload.trim() == WorkloadKind::Mixed.id();
        WORK.into_iter()
            // The CPU share and rate only define mixed work.
            .filter(|&f| !matches!(f, Field::Cpu | Field::Rate) || mixed(self) || mixed(other))
            .filter(|&f| norm(self.text(f).unwrap_or_default()) != norm(other.text(f).unwrap_or_default()))
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
