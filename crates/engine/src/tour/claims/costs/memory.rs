//! Claim: threads share one memory; each process has its own.

use super::*;
use crate::analysis::costs::MemoryPoint;
use crate::error::Failure;

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

/// The claim: threads share one memory; each process has its own.
pub struct MemoryClaim;

impl ClaimSpec for MemoryClaim {
    type Measured = MemoryCheck;
    const NEEDS_CORES: bool = false;

    fn asks(setup: &Setup) -> Vec<Ask> {
        vec![Ask::needs(Job::Memory { counts: vec![1, setup.pair()] })]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<MemoryCheck>, RunError> {
        let points = a.take::<Vec<MemoryPoint>>()?;
        let (Some(one), Some(many), 2) = (points.first(), points.last(), points.len()) else {
            return Err(Failure::Messaging { detail: "memory points missing".into() }.into());
        };
        let measured = MemoryCheck {
            workers: many.workers,
            one_process: one.process_total(),
            processes: many.process_total(),
            one_thread: one.threads,
            threads: many.threads,
        };
        Ok(Folded { measured, settings: setup.defaults() })
    }

    fn judge(m: &MemoryCheck, env: Conditions) -> Verdict {
        judge_memory(m, env)
    }

    fn figures(m: &MemoryCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "Threads share one memory; each process has its own.",
            "스레드는 메모리 하나를 함께 쓰고, 프로세스는 각자 자기 메모리를 가진다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => format!("Starts 1 and {n} processes, and a pool of 1 and {n} threads, and counts their memory (wasm memory, plus each process's JS heap where the browser can count it)."),
            Lang::Ko => format!("프로세스 1개와 {n}개, 스레드 1개와 {n}개짜리 풀을 띄우고 메모리를 셉니다 (wasm 메모리, 그리고 브라우저가 셀 수 있으면 프로세스마다의 JS 힙)."),
        }
    }

    fn rule(lang: Lang, cores: usize) -> String {
        let (n, share) = (cores.max(2), pct(MEMORY_COPY_SHARE));
        match lang {
            Lang::En => format!("Holds if {n} processes use at least {share} of {n} times one process's memory while the extra threads add less than one process does."),
            Lang::Ko => format!("프로세스 {n}개가 프로세스 1개 메모리의 {n}배 중 {share} 이상을 쓰는 반면, 늘어난 스레드들이 더한 메모리는 프로세스 하나보다 적으면 성립."),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = if f.slot.starts_with('p') {
            lang.s("memory, processes", "메모리, 프로세스")
        } else {
            lang.s("memory, thread pool", "메모리, 스레드 풀")
        };
        Some(text.to_owned())
    }
}
