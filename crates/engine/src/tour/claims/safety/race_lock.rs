//! Claim: without a lock shared updates are lost; with one they are not.

use super::*;

/// The race demo without a lock and with one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceLock {
    pub workers: usize,
    pub expected: u64,
    pub lost_unlocked: u64,
    pub lost_locked: u64,
}

/// Holds when the unlocked counter lost at least one update and the locked
/// one none. One core may simply not interleave: no loss there proves
/// nothing.
pub fn judge_race(m: &RaceLock, env: Conditions) -> Verdict {
    if m.lost_unlocked == 0 && env.cores < 2 {
        return Verdict::Inconclusive { doubt: Doubt::FewCores { cores: env.cores } };
    }
    Verdict::from_bool(m.lost_unlocked > 0 && m.lost_locked == 0)
}

impl RaceLock {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("unlocked", Lost, FREE, Some(m.workers), m.lost_unlocked as f64),
            fig("locked", Lost, FREE, Some(m.workers), m.lost_locked as f64),
        ]
    }
}
