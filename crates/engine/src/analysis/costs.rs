//! What a process costs: the memory each model uses as its worker count
//! grows, and what starting a process costs by each start method — with
//! the break-even of "a new process per task" against a pool.

use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// How the memory figures were obtained.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum MemoryMethod {
        /// `performance.measureUserAgentSpecificMemory()`: everything the
        /// browser attributes to each worker (wasm memory, JS heap, code).
        UaSpecific = "ua-specific",
        /// Only the wasm memories the workers report (JS heaps not included).
        Wasm = "wasm",
    }
}

/// What the browser attributed, per kind of worker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BrowserMemory {
    /// One entry per process worker.
    pub processes: Vec<u64>,
    /// The thread host and its pool threads together (when none is
    /// parked: see `web::memory`).
    pub threads: u64,
}

/// The memory of `workers` processes and of a pool of `workers` threads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryPoint {
    pub workers: usize,
    pub method: MemoryMethod,
    /// Bytes of each process.
    pub per_process: Vec<u64>,
    /// Bytes of the whole thread pool's one shared wasm memory (every
    /// thread's stack is in it), when threads can run here.
    pub threads: Option<u64>,
    /// Each process's wasm memory alone, as it reports it.
    pub process_wasm: Vec<u64>,
}

impl MemoryPoint {
    /// From the workers' own wasm figures plus, where the browser could
    /// attribute them, each process's JS heap. (Chromium's per-worker
    /// figure leaves the wasm memory out — measured here: 0.4 MiB for a
    /// worker whose wasm memory alone is 1.1 MiB — so the two are added.)
    pub fn new(workers: usize, wasm: Vec<u64>, threads_wasm: Option<u64>, browser: Option<BrowserMemory>) -> Self {
        match browser.filter(|b| b.processes.len() == wasm.len()) {
            Some(b) => MemoryPoint {
                workers,
                method: MemoryMethod::UaSpecific,
                per_process: wasm.iter().zip(&b.processes).map(|(w, heap)| w + heap).collect(),
                threads: threads_wasm,
                process_wasm: wasm,
            },
            None => MemoryPoint {
                workers,
                method: MemoryMethod::Wasm,
                per_process: wasm.clone(),
                threads: threads_wasm,
                process_wasm: wasm,
            },
        }
    }

    pub fn process_total(&self) -> u64 {
        self.per_process.iter().sum()
    }

    /// The median process.
    pub fn one_process(&self) -> u64 {
        let mut v = self.per_process.clone();
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    }

    /// Whether each process's own wasm memory is inside the browser's
    /// figure for it (it should be: the figure is everything the worker
    /// holds).
    pub fn wasm_included(&self) -> bool {
        let (mut a, mut b) = (self.per_process.clone(), self.process_wasm.clone());
        a.sort_unstable();
        b.sort_unstable();
        a.len() == b.len() && a.iter().zip(&b).all(|(total, wasm)| total >= wasm)
    }
}

/// The start cost of a process by each method, in ms (medians).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartCosts {
    pub spawn_ms: f64,
    pub forkserver_ms: f64,
    pub reused_ms: f64,
    pub spawn_samples: Vec<f64>,
    pub forkserver_samples: Vec<f64>,
    pub reused_samples: Vec<f64>,
}

/// The median of `v` (0 when empty).
pub fn median(v: &[f64]) -> f64 {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    crate::order::sort_f64(&mut s);
    match s.len() {
        0 => 0.0,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

impl StartCosts {
    pub fn new(spawn: &[f64], forkserver: &[f64], reused: &[f64]) -> Self {
        StartCosts {
            spawn_ms: median(spawn),
            forkserver_ms: median(forkserver),
            reused_ms: median(reused),
            spawn_samples: spawn.to_vec(),
            forkserver_samples: forkserver.to_vec(),
            reused_samples: reused.to_vec(),
        }
    }

    /// Overhead of `tasks` tasks run one new process each (`Process(target=…)`
    /// per task, `workers` at a time): every task pays a start.
    pub fn per_task_processes_ms(&self, tasks: usize, workers: usize) -> f64 {
        let rounds = tasks.div_ceil(workers.max(1));
        rounds as f64 * self.spawn_ms
    }

    /// Overhead of the same tasks on a pool of `workers`: the pool starts
    /// once (its workers in parallel), then each task costs a round trip.
    pub fn pool_ms(&self, tasks: usize, workers: usize) -> f64 {
        let rounds = tasks.div_ceil(workers.max(1));
        self.spawn_ms + rounds as f64 * self.reused_ms
    }

    /// The smallest task count from which the pool costs less.
    pub fn break_even(&self, workers: usize) -> Option<usize> {
        (1..=10_000).find(|&k| self.pool_ms(k, workers) < self.per_task_processes_ms(k, workers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_figures_are_preferred_and_checked_against_wasm() {
        let b = BrowserMemory { processes: vec![9_000_000, 9_100_000], threads: 12_000_000 };
        let p = MemoryPoint::new(2, vec![1_200_000, 1_200_000], Some(5_000_000), Some(b));
        assert_eq!(p.method, MemoryMethod::UaSpecific);
        assert_eq!(p.process_total(), 20_500_000);
        assert_eq!(p.threads, Some(5_000_000));
        assert!(p.wasm_included());
        // Without the browser's figure (or an incomplete one): wasm only.
        let w = MemoryPoint::new(2, vec![1, 2], None, Some(BrowserMemory { processes: vec![5], threads: 0 }));
        assert_eq!((w.method, w.process_total(), w.threads), (MemoryMethod::Wasm, 3, None));
    }

    #[test]
    fn a_pool_breaks_even_after_a_few_tasks() {
        let c = StartCosts::new(&[40.0, 50.0, 45.0], &[10.0], &[0.2, 0.3]);
        assert_eq!((c.spawn_ms, c.forkserver_ms, c.reused_ms), (45.0, 10.0, 0.25));
        assert_eq!(c.per_task_processes_ms(4, 2), 90.0);
        assert_eq!(c.pool_ms(4, 2), 45.5);
        // One round of tasks costs the same start either way; from the
        // second round on, the pool wins.
        assert_eq!(c.break_even(2), Some(3));
        assert_eq!(median(&[]), 0.0);
    }
}
