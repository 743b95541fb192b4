//! The demos' own forms — the convoy view, the deadlock demo, moving data —
//! each as typed and validated on its own.

use super::*;
use crate::python::bytecode::play::{parse_schedule, Play};
use crate::python::bytecode::scenarios::Scenario;
use crate::python::bytecode::Switching;

/// The convoy view's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvoyForm {
    /// CPU-bound threads (the view measures 0 up to this).
    pub cpu_threads: String,
    /// Number of waits of the I/O thread.
    pub waits: String,
    /// Length of each wait in ms.
    pub wait: String,
}

impl ConvoyForm {
    pub fn defaults() -> Self {
        ConvoyForm {
            cpu_threads: DEFAULT_CONVOY_THREADS.to_string(),
            waits: DEFAULT_WAITS.to_string(),
            wait: DEFAULT_WAIT_MS.to_string(),
        }
    }

    pub(super) fn slot(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::CpuThreads => &mut self.cpu_threads,
            Field::Waits => &mut self.waits,
            Field::Wait => &mut self.wait,
            _ => return None,
        })
    }

    /// The text of one of its fields (`None`: another form's).
    pub fn text(&self, field: Field) -> Option<&str> {
        Some(match field {
            Field::CpuThreads => &self.cpu_threads,
            Field::Waits => &self.waits,
            Field::Wait => &self.wait,
            _ => return None,
        })
    }

    /// The convoy's settings, with the switch interval as the lab form has
    /// it (one interval for the page: the convoy shows what it does).
    pub fn validate(&self, interval: &str) -> Result<ConvoySettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = CONVOY_THREADS_BOUNDS;
        let threads = parse_bounded(&self.cpu_threads, Field::CpuThreads, lo, hi, &mut errors);
        let (lo, hi) = WAITS_BOUNDS;
        let waits = parse_bounded(&self.waits, Field::Waits, lo, hi, &mut errors);
        let (lo, hi) = WAIT_MS_BOUNDS;
        let wait = parse_bounded(&self.wait, Field::Wait, lo, hi, &mut errors);
        let interval = parse_interval(interval, &mut errors);
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

/// The deadlock demo's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlockForm {
    /// The watchdog's timeout in ms.
    pub watchdog: String,
}

impl DeadlockForm {
    pub fn defaults() -> Self {
        DeadlockForm { watchdog: DEFAULT_WATCHDOG_MS.to_string() }
    }

    pub(super) fn slot(&mut self, field: Field) -> Option<&mut String> {
        (field == Field::Watchdog).then_some(&mut self.watchdog)
    }

    /// The text of one of its fields (`None`: another form's).
    pub fn text(&self, field: Field) -> Option<&str> {
        (field == Field::Watchdog).then_some(self.watchdog.as_str())
    }

    /// The watchdog timeout in ms.
    pub fn validate(&self) -> Result<u64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = WATCHDOG_BOUNDS;
        parse_bounded(&self.watchdog, Field::Watchdog, lo, hi, &mut errors).ok_or(errors)
    }
}

/// The moving-data form: one array's size and a sweep of sizes, in MiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataForm {
    pub payload: String,
    pub sweep_from: String,
    pub sweep_to: String,
}

impl DataForm {
    pub fn defaults() -> Self {
        DataForm {
            payload: DEFAULT_PAYLOAD_MIB.to_string(),
            sweep_from: DEFAULT_SWEEP_MIB.0.to_string(),
            sweep_to: DEFAULT_SWEEP_MIB.1.to_string(),
        }
    }

    pub(super) fn slot(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::Payload => &mut self.payload,
            Field::SweepFrom => &mut self.sweep_from,
            Field::SweepTo => &mut self.sweep_to,
            _ => return None,
        })
    }

    /// The text of one of its fields (`None`: another form's).
    pub fn text(&self, field: Field) -> Option<&str> {
        Some(match field {
            Field::Payload => &self.payload,
            Field::SweepFrom => &self.sweep_from,
            Field::SweepTo => &self.sweep_to,
            _ => return None,
        })
    }

    /// The array size (MiB) of a single run.
    pub fn validate_payload(&self) -> Result<u64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (lo, hi) = PAYLOAD_BOUNDS;
        parse_bounded(&self.payload, Field::Payload, lo, hi, &mut errors).ok_or(errors)
    }

    /// The sweep's bounds (MiB), smallest first.
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
}

/// Inside the interpreter: the scenario, the switching rule, the threads
/// and iterations, and the schedule played so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpForm {
    pub scenario: String,
    pub rule: String,
    pub threads: String,
    pub iterations: String,
    /// As links write it (`play::schedule_text`); empty before a pick.
    pub schedule: String,
}

impl InterpForm {
    pub fn defaults() -> Self {
        InterpForm {
            scenario: Scenario::Increment.id().to_owned(),
            rule: Switching::Gil.id().to_owned(),
            threads: INTERP_THREADS_BOUNDS.0.to_string(),
            iterations: INTERP_ITERATIONS_BOUNDS.0.to_string(),
            schedule: String::new(),
        }
    }

    pub(super) fn slot(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::Scenario => &mut self.scenario,
            Field::Rule => &mut self.rule,
            Field::Threads => &mut self.threads,
            Field::Iterations => &mut self.iterations,
            Field::Schedule => &mut self.schedule,
            _ => return None,
        })
    }

    /// The text of one of its fields (`None`: another form's).
    pub fn text(&self, field: Field) -> Option<&str> {
        Some(match field {
            Field::Scenario => &self.scenario,
            Field::Rule => &self.rule,
            Field::Threads => &self.threads,
            Field::Iterations => &self.iterations,
            Field::Schedule => &self.schedule,
            _ => return None,
        })
    }

    /// The GIL's switch interval for the real runs, as the lab form has it
    /// (one interval for the page, as in the convoy view).
    pub fn validate_interval(interval: &str) -> Result<f64, Vec<FieldError>> {
        let mut errors = Vec::new();
        parse_interval(interval, &mut errors).ok_or(errors)
    }

    /// Whether editing `field` starts a new game: a schedule fits one
    /// scenario, rule, thread count and iteration count.
    pub fn starts_a_new_game(field: Field) -> bool {
        matches!(field, Field::Scenario | Field::Rule | Field::Threads | Field::Iterations)
    }

    /// The game the form describes, its schedule read but not yet played
    /// (`Play::replay` judges each pick).
    pub fn validate(&self) -> Result<Play, Vec<FieldError>> {
        let mut errors = Vec::new();
        let unknown = |field, text: &str| FieldError::new(field, Problem::Unknown { text: text.trim().to_owned() });
        let scenario = Scenario::from_id(self.scenario.trim());
        if scenario.is_none() {
            errors.push(unknown(Field::Scenario, &self.scenario));
        }
        let switching = Switching::from_id(self.rule.trim());
        if switching.is_none() {
            errors.push(unknown(Field::Rule, &self.rule));
        }
        let (lo, hi) = INTERP_THREADS_BOUNDS;
        let threads = parse_bounded(&self.threads, Field::Threads, lo, hi, &mut errors);
        let (lo, hi) = INTERP_ITERATIONS_BOUNDS;
        let iterations = parse_bounded(&self.iterations, Field::Iterations, lo, hi, &mut errors);
        let picks = threads.map(|t| parse_schedule(&self.schedule, t as usize));
        let picks = match picks {
            Some(Ok(p)) => Some(p),
            Some(Err(problem)) => {
                errors.push(FieldError::new(Field::Schedule, problem));
                None
            }
            None => None,
        };
        match (scenario, switching, threads, iterations, picks) {
            (Some(scenario), Some(switching), Some(threads), Some(iterations), Some(picks)) if errors.is_empty() => {
                Ok(Play { scenario, switching, threads: threads as usize, iterations: iterations as i64, picks })
            }
            _ => Err(errors),
        }
    }
}
