//! Claim: for I/O-bound work threads help, even far more threads than cores.

use super::*;

/// Claim 4: threads (as many as cores, at least 2) must be at least this
/// much faster than sequential…
pub const IO_MIN_SPEEDUP: f64 = 1.5;
/// …and far more threads at least this much faster again.
pub const IO_MANY_GAIN: f64 = 2.0;

/// Waits on threads under the GIL: a few (the core count) and many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IoThreads {
    pub tasks: usize,
    pub latency_ms: u64,
    pub sequential_ms: f64,
    pub few: usize,
    pub few_ms: f64,
    pub many: usize,
    pub many_ms: f64,
}

impl IoThreads {
    pub fn few_speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.few_ms)
    }

    pub fn many_speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.many_ms)
    }
}

pub fn judge_io_threads(m: &IoThreads, env: Conditions) -> Verdict {
    let holds = m.few_speedup() >= IO_MIN_SPEEDUP && m.many_speedup() >= IO_MANY_GAIN * m.few_speedup();
    judged(Claim::IoThreads, env, None, holds)
}

impl IoThreads {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("seq", WallMs, SEQ, Some(1), m.sequential_ms),
            fig("few", WallMs, GIL, Some(m.few), m.few_ms),
            fig("many", WallMs, GIL, Some(m.many), m.many_ms),
            fig("few-x", Speedup, GIL, Some(m.few), m.few_speedup()),
            fig("many-x", Speedup, GIL, Some(m.many), m.many_speedup()),
        ]
    }
}
