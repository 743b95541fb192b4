//! Claim: the GIL slows I/O threads that run beside CPU-bound threads.

use super::*;

/// Claim 14 holds when, beside one CPU-bound thread, the I/O thread's
/// median wait under the GIL is at least this many times longer.
pub const CONVOY_MIN_SLOWDOWN: f64 = 2.0;

/// Median waits of the I/O thread alone and beside one CPU thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvoyCheck {
    pub wait_ms: u64,
    pub switch_interval_ms: f64,
    pub gil_alone_ms: f64,
    pub gil_beside_ms: f64,
    pub free_alone_ms: f64,
    pub free_beside_ms: f64,
}

impl ConvoyCheck {
    pub fn gil_slowdown(&self) -> f64 {
        ratio(self.gil_beside_ms, self.gil_alone_ms)
    }
}

pub fn judge_convoy(m: &ConvoyCheck, env: Conditions) -> Verdict {
    judged(Claim::Convoy, env, None, m.gil_slowdown() >= CONVOY_MIN_SLOWDOWN)
}

impl ConvoyCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            Figure { note: Some("0".into()), ..fig("gil-alone", MedianWaitMs, GIL, None, m.gil_alone_ms) },
            Figure { note: Some("1".into()), ..fig("gil-beside", MedianWaitMs, GIL, None, m.gil_beside_ms) },
            Figure { note: Some("0".into()), ..fig("free-alone", MedianWaitMs, FREE, None, m.free_alone_ms) },
            Figure { note: Some("1".into()), ..fig("free-beside", MedianWaitMs, FREE, None, m.free_beside_ms) },
        ]
    }
}
