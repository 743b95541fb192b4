//! Claim: threads share one memory; each process has its own.

use super::*;

/// The memory of one process and of `workers` processes, and of a thread
/// pool of one thread and of `workers` threads (bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryCheck {
    pub workers: usize,
    pub one_process: u64,
    pub processes: u64,
    pub one_thread: Option<u64>,
    pub threads: Option<u64>,
}

/// Claim 6 holds when `workers` processes hold at least this share of
/// `workers` times one process's memory (each has its own copy), while the
/// extra threads together add less than one process does.
pub const MEMORY_COPY_SHARE: f64 = 0.95;

pub fn judge_memory(m: &MemoryCheck, env: Conditions) -> Verdict {
    let (Some(one_thread), Some(threads)) = (m.one_thread, m.threads) else {
        // Threads cannot run on this page: half the claim is untestable.
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    };
    let copies = m.processes as f64 >= MEMORY_COPY_SHARE * m.workers as f64 * m.one_process as f64;
    let shared = threads.saturating_sub(one_thread) < m.one_process;
    judged(Claim::Memory, env, None, m.workers >= 2 && copies && shared)
}

impl MemoryCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let mib = |b: u64| b as f64 / (1u64 << 20) as f64;
            let mut v = vec![
                fig("p@1", Mib, PRO, Some(1), mib(m.one_process)),
                fig("p@n", Mib, PRO, Some(m.workers), mib(m.processes)),
            ];
            if let (Some(a), Some(b)) = (m.one_thread, m.threads) {
                v.push(fig("t@1", Mib, FREE, Some(1), mib(a)));
                v.push(fig("t@n", Mib, FREE, Some(m.workers), mib(b)));
            }
            v
        }
    }
}
