//! Claim: with the GIL, CPU-bound threads are no faster than one thread.

use super::*;

/// Claim 1 holds while threads under the GIL stay below this speedup.
pub const GIL_MAX_SPEEDUP: f64 = 1.25;

/// CPU-bound work: sequential (twice, before and after), threads under a
/// GIL, and free threads (where the page allows threads) for contrast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GilCpu {
    pub workers: usize,
    pub sequential_ms: f64,
    pub sequential_again_ms: f64,
    pub gil_ms: f64,
    pub free_ms: Option<f64>,
}

impl GilCpu {
    /// The better of the two sequential runs (as with every point: the
    /// best of two, which a passing background task disturbs least).
    fn baseline(&self) -> f64 {
        self.sequential_ms.min(self.sequential_again_ms)
    }

    pub fn gil_speedup(&self) -> f64 {
        ratio(self.baseline(), self.gil_ms)
    }
}

pub fn judge_gil_cpu(m: &GilCpu, env: Conditions) -> Verdict {
    let repeat = Some((m.sequential_ms, m.sequential_again_ms));
    judged(Claim::GilCpu, env, repeat, m.gil_speedup() < GIL_MAX_SPEEDUP)
}

impl GilCpu {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let mut v = vec![
                fig("seq", WallMs, SEQ, Some(1), m.baseline()),
                fig("gil", WallMs, GIL, Some(m.workers), m.gil_ms),
            ];
            if let Some(f) = m.free_ms {
                v.push(fig("free", WallMs, FREE, Some(m.workers), f));
            }
            v.push(fig("gil-x", Speedup, GIL, Some(m.workers), m.gil_speedup()));
            if let Some(f) = m.free_ms {
                v.push(fig("free-x", Speedup, FREE, Some(m.workers), ratio(m.baseline(), f)));
            }
            v
        }
    }
}
