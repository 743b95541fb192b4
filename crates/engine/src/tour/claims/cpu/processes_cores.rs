//! Claims: processes speed CPU-bound work up to the core count and no
//! further; and use as many processes as cores (`os.cpu_count()`). One
//! sweep of process counts, judged two ways.

use super::*;

/// Claim 2: on as many processes as cores the speedup must reach this
/// share of the core count (0.7 × 2 = 1.4× on two cores)…
pub const CORES_MIN_EFFICIENCY: f64 = 0.7;
/// …and twice as many processes may add at most this factor on top.
pub const OVERSUBSCRIBED_MAX_GAIN: f64 = 1.15;
/// Claim 3: the core count is right when no other count is faster than
/// it by more than this factor.
pub const COUNT_TOLERANCE: f64 = 1.10;

/// CPU-bound work on processes at several worker counts, against
/// sequential runs before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessSweep {
    pub cores: usize,
    pub sequential_ms: f64,
    pub sequential_again_ms: f64,
    /// (processes, wall ms: the better of two runs), in the order run.
    pub points: Vec<(usize, f64)>,
}

impl ProcessSweep {
    /// The better of the two sequential runs (as with every point: the
    /// best of two, which a passing background task disturbs least).
    fn baseline(&self) -> f64 {
        self.sequential_ms.min(self.sequential_again_ms)
    }

    pub fn wall(&self, workers: usize) -> Option<f64> {
        self.points.iter().find(|p| p.0 == workers).map(|p| p.1)
    }

    pub fn speedup(&self, workers: usize) -> Option<f64> {
        self.wall(workers).map(|w| ratio(self.baseline(), w))
    }
}

pub fn judge_processes_cores(m: &ProcessSweep, env: Conditions) -> Verdict {
    let n = m.cores.max(1);
    let holds = match (m.speedup(n), m.speedup(2 * n)) {
        (Some(at_cores), Some(beyond)) => {
            at_cores >= CORES_MIN_EFFICIENCY * n as f64 && beyond <= at_cores * OVERSUBSCRIBED_MAX_GAIN
        }
        _ => false,
    };
    judged(Claim::ProcessesCores, env, Some((m.sequential_ms, m.sequential_again_ms)), holds)
}

pub fn judge_cpu_count(m: &ProcessSweep, env: Conditions) -> Verdict {
    let best = m.points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let holds = m.wall(m.cores.max(1)).is_some_and(|w| w <= best * COUNT_TOLERANCE);
    judged(Claim::CpuCount, env, Some((m.sequential_ms, m.sequential_again_ms)), holds)
}

impl ProcessSweep {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let slot = |n: usize| match n {
                1 => "p@1".to_owned(),
                n if n == m.cores => "p@cores".to_owned(),
                n if n == 2 * m.cores => "p@2cores".to_owned(),
                n => format!("p@{n}"),
            };
            let mut v = vec![fig("seq", WallMs, SEQ, Some(1), m.baseline())];
            v.extend(m.points.iter().map(|&(n, w)| fig(&slot(n), WallMs, PRO, Some(n), w)));
            v.extend(
                m.points.iter().map(|&(n, w)| fig(&(slot(n) + "-x"), Speedup, PRO, Some(n), ratio(m.baseline(), w))),
            );
            v
        }
    }
}
