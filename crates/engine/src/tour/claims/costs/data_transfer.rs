//! Claim: sending data to processes costs more than sharing it.

use super::*;

/// Sum of an array of `mib` MiB: sequentially, on processes by copy, and
/// (where the page allows shared memory) on processes through shared
/// memory; wall and moving times in ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataCheck {
    pub mib: u64,
    pub workers: usize,
    pub sequential_ms: f64,
    pub copy_ms: f64,
    pub copy_move_ms: f64,
    pub shared_ms: Option<f64>,
    pub shared_move_ms: Option<f64>,
}

/// Claim 7 holds when moving the data by copy takes at least this many
/// times as long as sharing it, and the whole run by copy is the slower.
pub const COPY_MIN_COST: f64 = 2.0;

pub fn judge_data(m: &DataCheck, env: Conditions) -> Verdict {
    let (Some(shared), Some(shared_move)) = (m.shared_ms, m.shared_move_ms) else {
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    };
    let holds = m.copy_move_ms >= COPY_MIN_COST * shared_move.max(0.1) && m.copy_ms > shared;
    judged(Claim::DataTransfer, env, None, holds)
}

impl DataCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let mut v = vec![
                fig("seq", WallMs, SEQ, Some(1), m.sequential_ms),
                fig("copy", WallMs, PRO, Some(m.workers), m.copy_ms),
                fig("copy-move", WallMs, PRO, Some(m.workers), m.copy_move_ms),
            ];
            if let (Some(s), Some(sm)) = (m.shared_ms, m.shared_move_ms) {
                v.push(fig("shared", WallMs, PRO, Some(m.workers), s));
                v.push(fig("shared-move", WallMs, PRO, Some(m.workers), sm));
            }
            v
        }
    }
}
