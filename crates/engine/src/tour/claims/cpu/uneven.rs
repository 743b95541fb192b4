//! Claim: with uneven tasks, static slices leave cores idle and a shared
//! queue does not.

use super::*;

/// Claim 11 holds when static slices take at least this much longer.
pub const STATIC_MIN_PENALTY: f64 = 1.10;

/// Uneven tasks on processes: a shared queue (twice) and static slices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uneven {
    pub workers: usize,
    pub queue_ms: f64,
    pub queue_again_ms: f64,
    pub static_ms: f64,
    /// Share of the workers' time spent idle, in [0, 1].
    pub queue_idle: f64,
    pub static_idle: f64,
}

impl Uneven {
    pub fn penalty(&self) -> f64 {
        ratio(self.static_ms, (self.queue_ms + self.queue_again_ms) / 2.0)
    }
}

pub fn judge_uneven(m: &Uneven, env: Conditions) -> Verdict {
    let repeat = Some((m.queue_ms, m.queue_again_ms));
    judged(Claim::Uneven, env, repeat, m.penalty() >= STATIC_MIN_PENALTY)
}

/// The share of the workers' time a run left idle: 1 − busy / (workers ×
/// wall). 0 when every worker computed the whole time.
pub fn idle_share(r: &RunReport) -> f64 {
    let capacity = r.workers.max(1) as f64 * r.wall_ms;
    if capacity <= 0.0 {
        return 0.0;
    }
    let busy: f64 = r.outcomes.iter().map(|o| (o.end_ms - o.start_ms).max(0.0)).sum();
    (1.0 - busy / capacity).clamp(0.0, 1.0)
}

impl Uneven {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("queue", WallMs, PRO, Some(m.workers), (m.queue_ms + m.queue_again_ms) / 2.0),
            fig("static", WallMs, PRO, Some(m.workers), m.static_ms),
            fig("queue-idle", IdlePercent, PRO, Some(m.workers), m.queue_idle * 100.0),
            fig("static-idle", IdlePercent, PRO, Some(m.workers), m.static_idle * 100.0),
            fig("static-x", Speedup, PRO, Some(m.workers), m.penalty()),
        ]
    }
}
