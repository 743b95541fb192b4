//! The crossover map: mixed tasks run by every model at CPU shares from
//! 0 % (all wait) to 100 % (all compute), each model's speedup over the
//! sequential run of the same share, and where the classic advice turns
//! over — the share above which processes beat threads under the GIL, and
//! the share up to which asyncio is the fastest.

use crate::analysis::report::{speedup, RunReport};
use crate::model::Model;
use crate::work::workload::WorkloadKind;

/// The CPU shares the map sweeps, in percent.
pub const SHARES: [u32; 7] = [0, 5, 10, 25, 50, 75, 100];

/// How much faster one model must be to count as faster: differences
/// within 5 % are run-to-run noise on a busy machine.
pub const MARGIN: f64 = 1.05;

/// One model's speedup at each share it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub model: Model,
    /// (CPU share in percent, speedup over sequential at that share)
    pub points: Vec<(u32, f64)>,
}

impl Curve {
    fn at(&self, share: u32) -> Option<f64> {
        self.points.iter().find(|p| p.0 == share).map(|p| p.1)
    }
}

/// What the map shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// One curve per model that ran (sequential is 1.0 everywhere).
    pub curves: Vec<Curve>,
    /// The share (interpolated between measured ones) above which processes
    /// are faster than threads under the GIL by at least [`MARGIN`]: 0 when
    /// they already are at the lowest share, None when they never are.
    pub processes_overtake: Option<f64>,
    /// The highest share, counted from the lowest, at which asyncio is the
    /// fastest model (by [`MARGIN`]); None when it never is.
    pub asyncio_best_until: Option<u32>,
    /// The fastest model at each share.
    pub winners: Vec<(u32, Model)>,
    pub workers: usize,
}

/// The map of a batch of mixed runs; None until a sequential run and at
/// least one other model share a CPU share.
pub fn analyze(runs: &[&RunReport]) -> Option<Crossover> {
    let mixed: Vec<&RunReport> = runs.iter().copied().filter(|r| r.workload.kind == WorkloadKind::Mixed).collect();
    let share = |r: &RunReport| r.workload.mix.map(|m| m.cpu_percent);
    let baseline =
        |s: u32| mixed.iter().rev().find(|r| r.model == Model::Sequential && share(r) == Some(s)).map(|r| r.wall_ms);
    let curves: Vec<Curve> = Model::ALL
        .iter()
        .map(|&model| {
            let points: Vec<(u32, f64)> = mixed
                .iter()
                .filter(|r| r.model == model && r.complete())
                .filter_map(|r| {
                    let s = share(r)?;
                    Some((s, speedup(baseline(s)?, r.wall_ms)?))
                })
                .collect();
            let mut points = crate::order::by_key(points, |p| u64::from(p.0));
            points.dedup_by_key(|p| p.0);
            Curve { model, points }
        })
        .filter(|c| !c.points.is_empty())
        .collect();
    if curves.iter().filter(|c| c.model != Model::Sequential).count() == 0 {
        return None;
    }
    let curve = |m: Model| curves.iter().find(|c| c.model == m);
    let mut shares: Vec<u32> = curves.iter().flat_map(|c| c.points.iter().map(|p| p.0)).collect();
    shares.sort_unstable();
    shares.dedup();

    let winners: Vec<(u32, Model)> = shares
        .iter()
        .filter_map(|&s| {
            let best = curves.iter().filter_map(|c| Some((c.model, c.at(s)?))).max_by(|a, b| a.1.total_cmp(&b.1))?;
            Some((s, best.0))
        })
        .collect();

    let processes_overtake = match (curve(Model::Processes), curve(Model::GilThreads)) {
        (Some(p), Some(g)) => {
            // Margin by which processes lead, at each share both ran.
            let lead: Vec<(f64, f64)> =
                shares.iter().filter_map(|&s| Some((f64::from(s), p.at(s)? / g.at(s)? - MARGIN))).collect();
            first_crossing(&lead)
        }
        _ => None,
    };

    let asyncio_best_until = curve(Model::Asyncio).and_then(|a| {
        let mut last = None;
        for &s in &shares {
            let Some(mine) = a.at(s) else { continue };
            let others = curves.iter().filter(|c| c.model != Model::Asyncio).filter_map(|c| c.at(s));
            let best_other = others.fold(0.0, f64::max);
            if mine >= best_other * MARGIN {
                last = Some(s);
            } else {
                break;
            }
        }
        last
    });

    let workers = mixed.iter().map(|r| r.workers).max().unwrap_or(1);
    Some(Crossover { curves, processes_overtake, asyncio_best_until, winners, workers })
}

/// Where `y` first turns positive (and stays so from that point on),
/// interpolating linearly between the points around it; the first `x` if
/// `y` is positive from the start, None if it never turns positive for good.
pub fn first_crossing(points: &[(f64, f64)]) -> Option<f64> {
    // The last non-positive point: above it, everything is positive.
    let last_low = points.iter().rposition(|p| p.1 <= 0.0);
    match last_low {
        None => points.first().map(|p| p.0),
        Some(i) if i + 1 == points.len() => None,
        Some(i) => {
            let (x0, y0) = points[i];
            let (x1, y1) = points[i + 1];
            Some(x0 + (x1 - x0) * (-y0) / (y1 - y0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::report::RunData;
    use crate::settings::RawSettings;
    use crate::work::workload::{Mix, Plan, Workload};

    fn run(model: Model, share: u32, wall: f64) -> RunReport {
        let mut s = RawSettings::defaults(2).validate().unwrap_or_else(|e| panic!("{e:?}"));
        s.model = model;
        let mix = Some(Mix { cpu_percent: share, rounds_per_ms: 1000 });
        s.workload = Workload { kind: WorkloadKind::Mixed, size: 20, tasks: 16, plan: Plan::Uniform, mix };
        RunReport::new(&s, 0.0, RunData { started_at: 0.0, finished_at: wall, ..RunData::default() })
    }

    /// Walls (ms) of a 2-core machine: 16 tasks of 20 ms = 320 ms one
    /// after another.
    fn typical() -> Vec<RunReport> {
        let mut v = Vec::new();
        for &s in &SHARES {
            let cpu = 320.0 * f64::from(s) / 100.0;
            let io = 320.0 - cpu;
            v.push(run(Model::Sequential, s, 320.0));
            // Under the GIL only the waits overlap (2 threads).
            v.push(run(Model::GilThreads, s, cpu + io / 2.0));
            v.push(run(Model::Threads, s, 160.0));
            v.push(run(Model::Processes, s, 165.0));
            // asyncio overlaps every wait, runs the CPU parts in turn.
            v.push(run(Model::Asyncio, s, cpu + 20.0 * (1.0 - f64::from(s) / 100.0)));
        }
        v
    }

    #[test]
    fn the_typical_map_turns_over() {
        let runs = typical();
        let refs: Vec<&RunReport> = runs.iter().collect();
        let c = analyze(&refs).unwrap_or_else(|| panic!("no map"));
        assert_eq!(c.curves.len(), 5);
        assert!(c.curves.iter().all(|k| k.points.len() == SHARES.len()));
        // Processes lead GIL threads by > 5 % from a few percent CPU on.
        let x = c.processes_overtake.unwrap_or(f64::NAN);
        assert!(x > 0.0 && x < 10.0, "overtake at {x}");
        // asyncio wins while the CPU parts are small.
        let a = c.asyncio_best_until.unwrap_or(999);
        assert!((10..=25).contains(&a), "asyncio best until {a}");
        assert_eq!(c.winners.first().map(|w| w.1), Some(Model::Asyncio));
        assert!(matches!(c.winners.last().map(|w| w.1), Some(Model::Threads | Model::Processes)));
    }

    #[test]
    fn no_crossing_when_processes_never_lead() {
        let runs: Vec<RunReport> = SHARES
            .iter()
            .flat_map(|&s| {
                [run(Model::Sequential, s, 100.0), run(Model::GilThreads, s, 50.0), run(Model::Processes, s, 52.0)]
            })
            .collect();
        let refs: Vec<&RunReport> = runs.iter().collect();
        let c = analyze(&refs).unwrap_or_else(|| panic!("no map"));
        assert_eq!(c.processes_overtake, None);
        assert_eq!(c.asyncio_best_until, None);
    }

    #[test]
    fn crossing_is_interpolated_and_must_hold() {
        assert_eq!(first_crossing(&[(0.0, 0.1), (10.0, 0.2)]), Some(0.0));
        assert_eq!(first_crossing(&[(0.0, -0.1), (10.0, 0.1)]), Some(5.0));
        // A lead that is lost again does not count.
        assert_eq!(first_crossing(&[(0.0, -0.1), (10.0, 0.1), (20.0, -0.1)]), None);
        assert_eq!(first_crossing(&[]), None);
    }

    #[test]
    fn nothing_to_map_without_a_baseline() {
        let only = [run(Model::Processes, 50, 100.0)];
        assert_eq!(analyze(&only.iter().collect::<Vec<_>>()), None);
    }
}
