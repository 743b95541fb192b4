//! The verdict after Run-all: from the measured wall times, which model won
//! this workload, by how much, and the numbers the explanation quotes.

use crate::analysis::report::{speedup, RunReport};
use crate::model::Model;

/// What one Run-all showed.
#[derive(Debug, Clone, PartialEq)]
pub struct RunAllVerdict {
    pub io_bound: bool,
    pub winner: Model,
    /// Winner's speedup over sequential.
    pub winner_speedup: f64,
    /// Speedup over sequential of each model that ran (in `Model::ALL` order).
    pub speedups: Vec<(Model, f64)>,
    pub workers: usize,
}

impl RunAllVerdict {
    pub fn speedup_of(&self, model: Model) -> Option<f64> {
        self.speedups.iter().find(|(m, _)| *m == model).map(|(_, s)| *s)
    }
}

/// Judges one batch of runs of the same workload; needs a sequential run.
pub fn judge(reports: &[&RunReport]) -> Option<RunAllVerdict> {
    let seq = reports.iter().find(|r| r.model == Model::Sequential)?;
    let speedups: Vec<(Model, f64)> = Model::ALL
        .iter()
        .filter_map(|&m| {
            let r = reports.iter().find(|r| r.model == m && r.workload == seq.workload)?;
            Some((m, speedup(seq.wall_ms, r.wall_ms)?))
        })
        .collect();
    let &(winner, winner_speedup) = speedups.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let workers = reports.iter().map(|r| r.workers).max().unwrap_or(1);
    Some(RunAllVerdict { io_bound: seq.workload.kind.is_io(), winner, winner_speedup, speedups, workers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::report::RunData;
    use crate::settings::RawSettings;
    use crate::work::workload::{Plan, Workload, WorkloadKind};

    fn report(model: Model, wall: f64, kind: WorkloadKind) -> RunReport {
        let mut s = RawSettings::defaults(2).validate().unwrap_or_else(|e| panic!("{e:?}"));
        s.model = model;
        s.workload = Workload { kind, size: 10, tasks: 2, plan: Plan::Uniform, mix: None };
        RunReport::new(&s, 0.0, RunData { started_at: 0.0, finished_at: wall, ..RunData::default() })
    }

    #[test]
    fn the_fastest_model_wins() {
        let k = WorkloadKind::Primes;
        let reports = [
            report(Model::Sequential, 1000.0, k),
            report(Model::GilThreads, 1010.0, k),
            report(Model::Threads, 520.0, k),
            report(Model::Processes, 500.0, k),
            report(Model::Asyncio, 1000.0, k),
        ];
        let v = judge(&reports.iter().collect::<Vec<_>>()).unwrap();
        assert_eq!(v.winner, Model::Processes);
        assert_eq!(v.winner_speedup, 2.0);
        assert!(!v.io_bound);
        assert!(v.speedup_of(Model::GilThreads).unwrap() < 1.0);
        assert_eq!(v.speedups.len(), 5);
    }

    #[test]
    fn no_sequential_no_verdict() {
        assert_eq!(judge(&[&report(Model::Threads, 10.0, WorkloadKind::SleepIo)]), None);
    }
}
