//! Claim: a pool avoids paying the start of a process for every task.

use super::*;

/// Start costs (ms) and the overheads of [`POOL_TASKS`] tasks run one new
/// process each against on a pool of `workers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolCheck {
    pub workers: usize,
    pub spawn_ms: f64,
    pub forkserver_ms: f64,
    pub reused_ms: f64,
    pub per_task_ms: f64,
    pub pool_ms: f64,
}

/// Tasks of claim 12's comparison.
pub const POOL_TASKS: usize = 16;
/// Claim 12 holds when the pool's overhead for [`POOL_TASKS`] tasks is at
/// most this share of a process per task's.
pub const POOL_MAX_SHARE: f64 = 0.5;

pub fn judge_pool(m: &PoolCheck, env: Conditions) -> Verdict {
    let holds = m.reused_ms < m.spawn_ms && m.pool_ms <= POOL_MAX_SHARE * m.per_task_ms;
    judged(Claim::Pool, env, None, holds)
}

impl PoolCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("spawn", WallMs, PRO, Some(1), m.spawn_ms),
            fig("forkserver", WallMs, PRO, Some(1), m.forkserver_ms),
            fig("reused", WallMs, PRO, Some(1), m.reused_ms),
            fig("per-task", WallMs, PRO, Some(m.workers), m.per_task_ms),
            fig("pool", WallMs, PRO, Some(m.workers), m.pool_ms),
        ]
    }
}
