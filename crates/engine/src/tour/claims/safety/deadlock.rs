//! Claim: two locks taken in opposite orders can deadlock.

use super::*;

/// The deadlock demo: opposite orders, then one global order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlockCheck {
    pub watchdog_ms: u64,
    pub opposite_deadlocked: bool,
    /// When the watchdog called it, or when both threads finished.
    pub opposite_ms: f64,
    pub ordered_deadlocked: bool,
    pub ordered_ms: f64,
}

/// Holds when opposite orders deadlock and one order does not. Opposite
/// orders that finished prove nothing on one core or a hidden tab, where
/// the two threads may simply not have overlapped.
pub fn judge_deadlock(m: &DeadlockCheck, env: Conditions) -> Verdict {
    if !m.opposite_deadlocked && (env.cores < 2 || env.hidden) {
        let doubt = if env.hidden { Doubt::Hidden } else { Doubt::FewCores { cores: env.cores } };
        return Verdict::Inconclusive { doubt };
    }
    Verdict::from_bool(m.opposite_deadlocked && !m.ordered_deadlocked)
}

impl DeadlockCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("opposite", Flag, FREE, Some(2), if m.opposite_deadlocked { 1.0 } else { 0.0 }),
            fig("opposite-ms", WallMs, FREE, Some(2), m.opposite_ms),
            fig("ordered", Flag, FREE, Some(2), if m.ordered_deadlocked { 1.0 } else { 0.0 }),
            fig("ordered-ms", WallMs, FREE, Some(2), m.ordered_ms),
        ]
    }
}
