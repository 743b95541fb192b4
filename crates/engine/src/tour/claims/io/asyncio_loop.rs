//! Claim: asyncio overlaps waits on one thread, and one CPU-heavy
//! coroutine blocks all the others.

use super::*;

/// Claim 5: asyncio must overlap the waits at least this much…
pub const ASYNC_MIN_SPEEDUP: f64 = 4.0;
/// …and with CPU work, the loop must stall for at least this share of one
/// coroutine's CPU part.
pub const ASYNC_MIN_BLOCKED_SHARE: f64 = 0.8;

/// asyncio on waits alone, then on waits followed by CPU work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsyncioLoop {
    pub tasks: usize,
    pub latency_ms: u64,
    pub sequential_ms: f64,
    pub asyncio_ms: f64,
    /// Longest stall of the loop on waits alone.
    pub io_blocked_ms: f64,
    /// CPU part of each coroutine in the second run.
    pub cpu_ms_per_task: f64,
    /// Longest stall of the loop in the second run.
    pub cpu_blocked_ms: f64,
}

impl AsyncioLoop {
    pub fn speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.asyncio_ms)
    }
}

pub fn judge_asyncio(m: &AsyncioLoop, env: Conditions) -> Verdict {
    let holds = m.speedup() >= ASYNC_MIN_SPEEDUP && m.cpu_blocked_ms >= ASYNC_MIN_BLOCKED_SHARE * m.cpu_ms_per_task;
    judged(Claim::AsyncioLoop, env, None, holds)
}

impl AsyncioLoop {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("seq", WallMs, SEQ, Some(1), m.sequential_ms),
            fig("asyncio", WallMs, AIO, Some(1), m.asyncio_ms),
            fig("asyncio-x", Speedup, AIO, Some(1), m.speedup()),
            fig("io-blocked", BlockedMs, AIO, Some(1), m.io_blocked_ms),
            Figure {
                note: Some(format!("{:.0}", m.cpu_ms_per_task)),
                ..fig("cpu-blocked", BlockedMs, AIO, Some(1), m.cpu_blocked_ms)
            },
        ]
    }
}
