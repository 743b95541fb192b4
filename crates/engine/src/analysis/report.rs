//! What a run produced: per-task outcomes on a timeline (with the state of
//! each stretch of time), the combined answer, and the derived statistics
//! (wall time, speedup, per-worker busy time).

use crate::error::CrashCause;
use crate::model::{Model, Strategy};
use crate::settings::Settings;
use crate::work::workload::{Task, Workload};
use serde::{Deserialize, Serialize};

/// What a worker was doing during a stretch of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegmentState {
    Computing,
    WaitingIo,
    WaitingGil,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub state: SegmentState,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// One finished task: who ran it, when, and what it returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskOutcome {
    pub task: usize,
    pub worker: usize,
    pub size: u64,
    pub start_ms: f64,
    pub end_ms: f64,
    pub value: u64,
    pub segments: Vec<Segment>,
}

impl TaskOutcome {
    /// The outcome of `task` run on `worker`, from its timeline segments
    /// (start and end are the first segment's start and the last's end).
    pub fn new(task: &Task, worker: usize, value: u64, segments: Vec<Segment>) -> Self {
        TaskOutcome {
            task: task.id,
            worker,
            size: task.size(),
            start_ms: segments.first().map_or(0.0, |s| s.start_ms),
            end_ms: segments.last().map_or(0.0, |s| s.end_ms),
            value,
            segments,
        }
    }

    /// An outcome spent in one state from `start_ms` to `end_ms`.
    #[cfg(test)]
    pub fn single(task: &Task, worker: usize, value: u64, state: SegmentState, start_ms: f64, end_ms: f64) -> Self {
        Self::new(task, worker, value, vec![Segment { state, start_ms, end_ms }])
    }

    /// Shifts every time by `-origin`, turning absolute clock readings into
    /// milliseconds since the run started.
    pub fn rebase(&mut self, origin: f64) {
        self.start_ms -= origin;
        self.end_ms -= origin;
        for s in &mut self.segments {
            s.start_ms -= origin;
            s.end_ms -= origin;
        }
    }
}

/// A task that crashed instead of returning, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFailure {
    pub task: usize,
    pub worker: usize,
    pub cause: CrashCause,
}

/// The raw data of a finished run, as a pool hands it over: clock readings
/// on the page's shared time axis (see `web::clock`), the tasks that
/// returned and those that crashed. `RunReport::new` turns it into a report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RunData {
    pub started_at: f64,
    pub finished_at: f64,
    pub outcomes: Vec<TaskOutcome>,
    pub failures: Vec<TaskFailure>,
    /// For asyncio: the longest the event loop went without turning (ms).
    pub loop_blocked_ms: Option<f64>,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub model: Model,
    pub strategy: Option<Strategy>,
    pub workload: Workload,
    pub workers: usize,
    /// Time to start the pool for this run (0 when it was already running).
    pub startup_ms: f64,
    /// Wall time of the work itself, from first dispatch to last result.
    pub wall_ms: f64,
    pub answer: u64,
    /// Outcomes with times relative to the start of the run.
    pub outcomes: Vec<TaskOutcome>,
    /// For asyncio: the longest the event loop went without running (ms).
    pub loop_blocked_ms: Option<f64>,
    /// Tasks that crashed; the answer then covers the others only.
    #[serde(default)]
    pub failures: Vec<TaskFailure>,
    /// Whether the page was hidden during the run: browsers throttle
    /// background tabs, so its times are not real measurements.
    #[serde(default)]
    pub hidden: bool,
}

impl RunReport {
    /// The report of a run of `settings` whose pool took `startup_ms` to
    /// start: times become relative to the run's start, outcomes are put in
    /// task order and folded into the answer.
    pub fn new(settings: &Settings, startup_ms: f64, data: RunData) -> Self {
        let RunData { started_at, finished_at, mut outcomes, failures, loop_blocked_ms } = data;
        for o in &mut outcomes {
            o.rebase(started_at);
        }
        let outcomes = crate::order::by_key(outcomes, |o| o.task as u64);
        let workload = settings.workload;
        let answer = workload.combine(outcomes.iter().map(|o| o.value));
        RunReport {
            model: settings.model,
            strategy: settings.model.uses_strategy().then_some(settings.strategy),
            workload,
            workers: settings.effective_workers(),
            startup_ms,
            wall_ms: (finished_at - started_at).max(0.0),
            answer,
            outcomes,
            loop_blocked_ms,
            failures,
            hidden: false,
        }
    }

    /// Whether every task returned (the answer is complete).
    pub fn complete(&self) -> bool {
        self.failures.is_empty()
    }

    /// Whether the answer matches the known one (None when none is known).
    pub fn answer_checks(&self) -> Option<bool> {
        if !self.complete() {
            return None;
        }
        self.workload.expected_answer().map(|a| a == self.answer)
    }

    /// Number of lanes on the timeline: the highest worker index + 1.
    pub fn lanes(&self) -> usize {
        self.outcomes.iter().map(|o| o.worker + 1).max().unwrap_or(0).max(self.workers)
    }
}

/// The runs as CSV, one line per run, for spreadsheets.
pub fn to_csv<'a>(reports: impl IntoIterator<Item = &'a RunReport>) -> String {
    let mut out = String::from(
        "model,workload,size,tasks,plan,workers,strategy,wall_ms,startup_ms,answer,answer_checks,loop_blocked_ms\n",
    );
    for r in reports {
        let strategy = r.strategy.map(|s| s.title()).unwrap_or_default();
        let checks = r.answer_checks().map(|b| b.to_string()).unwrap_or_default();
        let blocked = r.loop_blocked_ms.map(|b| format!("{b:.3}")).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},\"{}\",{:.3},{:.3},{},{},{}\n",
            r.model.id(),
            r.workload.kind.id(),
            r.workload.size,
            r.workload.tasks,
            r.workload.plan.id(),
            r.workers,
            strategy,
            r.wall_ms,
            r.startup_ms,
            r.answer,
            checks,
            blocked
        ));
    }
    out
}

/// `baseline / wall`, or None when either is unusable.
pub fn speedup(baseline_ms: f64, wall_ms: f64) -> Option<f64> {
    (baseline_ms > 0.0 && wall_ms > 0.0).then(|| baseline_ms / wall_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::RawSettings;
    use crate::work::workload::{Plan, WorkloadKind};

    fn outcome(task: usize, worker: usize, start: f64, end: f64, value: u64) -> TaskOutcome {
        TaskOutcome {
            task,
            worker,
            size: 1,
            start_ms: start,
            end_ms: end,
            value,
            segments: vec![Segment { state: SegmentState::Computing, start_ms: start, end_ms: end }],
        }
    }

    fn settings(model: Model) -> Settings {
        let mut s = RawSettings::defaults(2).validate().unwrap_or_else(|e| panic!("{e:?}"));
        s.model = model;
        s.workload = Workload { kind: WorkloadKind::SleepIo, size: 10, tasks: 2, plan: Plan::Uniform, mix: None };
        s
    }

    #[test]
    fn new_rebases_sorts_and_combines() {
        let data = RunData {
            started_at: 1000.0,
            finished_at: 1012.0,
            outcomes: vec![outcome(1, 0, 1001.0, 1011.0, 2), outcome(0, 0, 1000.5, 1010.5, 1)],
            loop_blocked_ms: Some(0.5),
            ..RunData::default()
        };
        let r = RunReport::new(&settings(Model::Asyncio), 0.0, data);
        assert_eq!(r.wall_ms, 12.0);
        assert_eq!(r.answer, 3);
        assert_eq!(r.answer_checks(), Some(true));
        assert_eq!(r.outcomes[0].task, 0);
        assert_eq!(r.outcomes[0].start_ms, 0.5);
        assert_eq!(r.outcomes[1].segments[0].end_ms, 11.0);
        assert_eq!(r.loop_blocked_ms, Some(0.5));
        // asyncio has one worker and no allocation strategy.
        assert_eq!((r.workers, r.strategy), (1, None));
    }

    #[test]
    fn a_run_with_failures_is_partial() {
        let data = RunData {
            outcomes: vec![outcome(0, 0, 0.0, 1.0, 1)],
            failures: vec![TaskFailure { task: 1, worker: 1, cause: CrashCause::CrashSwitch { task: 1 } }],
            ..RunData::default()
        };
        let r = RunReport::new(&settings(Model::Processes), 3.0, data);
        assert!(!r.complete());
        assert_eq!(r.answer_checks(), None);
        assert_eq!(r.workers, 2);
        assert!(r.strategy.is_some());
    }

    #[test]
    fn csv_has_a_header_and_a_line_per_run() {
        let mut s = settings(Model::Processes);
        s.strategy = Strategy::Dynamic { chunk: 2 };
        let data = RunData { started_at: 0.0, finished_at: 12.5, ..RunData::default() };
        let r = RunReport::new(&s, 5.0, data);
        let csv = to_csv([&r, &r]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("model,workload,size"));
        assert_eq!(lines[1], "processes,io,10,2,uniform,2,\"shared queue, chunk 2\",12.500,5.000,0,false,");
    }

    #[test]
    fn speedup_needs_two_usable_times() {
        assert_eq!(speedup(100.0, 50.0), Some(2.0));
        assert_eq!(speedup(100.0, 0.0), None);
    }
}
