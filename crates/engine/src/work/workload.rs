//! Workloads with a known, checkable answer, and how each is cut into tasks.
//!
//! A workload is a job of a given `size` split into `tasks` pieces, either of
//! equal weight or of uneven weight (the pattern 2,4,6,8,1,3,5,7 repeated).
//! Tasks are plain data, so they can cross a `postMessage` to a process
//! worker unchanged, and every model runs exactly the same tasks: that is
//! why every model must print the same answer.

use crate::error::Cancelled;
use crate::work::kernels;
use serde::{Deserialize, Serialize};

/// Weights of the uneven plan, cycled: long and short tasks interleaved so
/// static chunking visibly leaves one worker with the heavy end.
pub const UNEVEN_PATTERN: [u64; 8] = [2, 4, 6, 8, 1, 3, 5, 7];

/// Iteration cap of the Mandelbrot kernel.
pub const MANDELBROT_MAX_ITER: u32 = 500;

crate::named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum WorkloadKind {
        /// Count the primes below `size` by trial division (CPU-bound).
        Primes = "primes",
        /// `sum(range(size))` in chunks, the classic `Pool.map` example (CPU-bound).
        SumRange = "sum",
        /// `size` SHA-256 hashes spread over chained tasks (CPU-bound).
        Sha256 = "sha256",
        /// A `size`×`size` Mandelbrot image, a band of rows per task (CPU-bound).
        Mandelbrot = "mandelbrot",
        /// Each task waits `size` milliseconds, like a network call (I/O-bound).
        SleepIo = "io",
        /// Each task first waits (fetch a page), then computes (parse it): a
        /// task of `size` ms of which a chosen share is CPU work.
        Mixed = "mixed",
    }
}

impl WorkloadKind {
    pub fn is_io(self) -> bool {
        matches!(self, WorkloadKind::SleepIo)
    }

    /// Whether its tasks wait (all I/O tasks, and mixed ones): their size is
    /// a time in ms, and asyncio starts them all at once.
    pub fn waits(self) -> bool {
        matches!(self, WorkloadKind::SleepIo | WorkloadKind::Mixed)
    }

    /// Whether the tasks cut the range `0..size` into consecutive pieces
    /// (numbers, rows), so a run cannot have more tasks than `size`. SHA-256
    /// tasks hash at least once each and I/O tasks each wait `size` ms, so
    /// neither is limited by the size.
    pub fn splits_range(self) -> bool {
        matches!(self, WorkloadKind::Primes | WorkloadKind::SumRange | WorkloadKind::Mandelbrot)
    }

    pub fn default_size(self) -> u64 {
        match self {
            WorkloadKind::Primes => 2_000_000,
            WorkloadKind::SumRange => 200_000_000,
            WorkloadKind::Sha256 => 1_000_000,
            WorkloadKind::Mandelbrot => 1000,
            WorkloadKind::SleepIo => 50,
            WorkloadKind::Mixed => 20,
        }
    }

    pub fn default_tasks(self) -> usize {
        match self {
            WorkloadKind::SleepIo => 20,
            _ => 16,
        }
    }
}

crate::named_enum! {
    /// How task weights are chosen.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Plan {
        Uniform = "uniform",
        Uneven = "uneven",
    }
}

impl Plan {
    pub fn weight(self, index: usize) -> u64 {
        match self {
            Plan::Uniform => 1,
            Plan::Uneven => UNEVEN_PATTERN[index % UNEVEN_PATTERN.len()],
        }
    }
}

/// The CPU side of a mixed workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mix {
    /// Share of each task spent computing, in percent; the rest is a wait.
    pub cpu_percent: u32,
    /// SHA-256 rounds this machine computes in one millisecond (measured
    /// once by the page, see `web::runner`), so that "5 ms of CPU" means
    /// the same work in every model. 0 until measured.
    pub rounds_per_ms: u32,
}

/// A validated workload: kind, size, number of tasks and plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    pub kind: WorkloadKind,
    pub size: u64,
    pub tasks: usize,
    pub plan: Plan,
    /// Only for `WorkloadKind::Mixed`.
    #[serde(default)]
    pub mix: Option<Mix>,
}

/// What one task computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskKind {
    Primes {
        lo: u64,
        hi: u64,
    },
    Sum {
        lo: u64,
        hi: u64,
    },
    Sha256 {
        seed: u64,
        rounds: u64,
    },
    Mandelbrot {
        side: u64,
        row_lo: u64,
        row_hi: u64,
    },
    Sleep {
        ms: u64,
    },
    /// Wait `wait_ms`, then compute `rounds` SHA-256 rounds from `seed`.
    Mixed {
        wait_ms: u64,
        seed: u64,
        rounds: u64,
    },
}

/// One unit of work: its index in the plan, its relative weight, and what
/// to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: usize,
    pub weight: u64,
    pub kind: TaskKind,
    /// Set by the "crash one task" toggle: the task panics instead of
    /// computing, to show what a crash does to each model.
    #[serde(default)]
    pub crash: bool,
}

impl Task {
    /// A mixed task that computes `rounds` rounds from `seed` and waits for
    /// nothing: what the calibration times.
    pub fn mixed_probe(seed: u64, rounds: u64) -> Task {
        Task { id: 0, weight: 1, kind: TaskKind::Mixed { wait_ms: 0, seed, rounds }, crash: false }
    }

    /// Size shown on hover: the range length, hash count, rows or ms.
    pub fn size(&self) -> u64 {
        match self.kind {
            TaskKind::Primes { lo, hi } | TaskKind::Sum { lo, hi } => hi - lo,
            TaskKind::Sha256 { rounds, .. } => rounds,
            TaskKind::Mandelbrot { row_lo, row_hi, .. } => row_hi - row_lo,
            TaskKind::Sleep { ms } => ms,
            TaskKind::Mixed { rounds, .. } => rounds,
        }
    }

    pub fn is_io(&self) -> bool {
        matches!(self.kind, TaskKind::Sleep { .. })
    }

    /// Whether the task computes (after its wait, if it has one).
    pub fn has_cpu(&self) -> bool {
        match self.kind {
            TaskKind::Sleep { .. } => false,
            TaskKind::Mixed { rounds, .. } => rounds > 0,
            _ => true,
        }
    }

    /// Runs the task's CPU kernel. Sleep tasks are not CPU work: each model
    /// waits for them its own way (blocking, or awaiting a timer), so here
    /// they return their value without waiting.
    pub fn compute(&self, cancelled: &dyn Fn() -> bool) -> Result<u64, Cancelled> {
        if self.crash {
            panic!("{}", crate::error::CrashCause::CrashSwitch { task: self.id });
        }
        match self.kind {
            TaskKind::Primes { lo, hi } => kernels::count_primes(lo, hi, cancelled),
            TaskKind::Sum { lo, hi } => kernels::sum_range(lo, hi, cancelled),
            TaskKind::Sha256 { seed, rounds } => kernels::sha256_chain(seed, rounds, cancelled),
            TaskKind::Mandelbrot { side, row_lo, row_hi } => {
                kernels::mandelbrot_rows(side, row_lo, row_hi, MANDELBROT_MAX_ITER, cancelled)
            }
            TaskKind::Sleep { .. } => Ok(self.io_value()),
            // The response of the wait plus what parsing it computed.
            TaskKind::Mixed { seed, rounds, .. } => {
                let parsed = if rounds > 0 { kernels::sha256_chain_fine(seed, rounds, cancelled)? } else { 0 };
                Ok(parsed.wrapping_add(self.io_value()))
            }
        }
    }

    /// The "response" of a simulated I/O call: its task number, 1-based, so
    /// the answer of K calls is K(K+1)/2.
    pub fn io_value(&self) -> u64 {
        self.id as u64 + 1
    }

    /// The wait of the task, in milliseconds: all of a simulated I/O task,
    /// the first part of a mixed one. Each model waits its own way
    /// (blocking, or awaiting a timer) before calling `compute`.
    pub fn wait_ms(&self) -> Option<u64> {
        match self.kind {
            TaskKind::Sleep { ms } => Some(ms),
            TaskKind::Mixed { wait_ms, .. } => (wait_ms > 0).then_some(wait_ms),
            _ => None,
        }
    }
}

impl Workload {
    /// Cuts `0..size` into `tasks` consecutive pieces proportional to weight.
    fn boundaries(&self) -> Vec<u64> {
        let weights: Vec<u64> = (0..self.tasks).map(|i| self.plan.weight(i)).collect();
        let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let mut acc: u128 = 0;
        let mut bounds = Vec::with_capacity(self.tasks + 1);
        bounds.push(0);
        for w in weights {
            acc += u128::from(w);
            // acc ≤ total, so the quotient ≤ size and fits in u64.
            bounds.push((u128::from(self.size) * acc / total) as u64);
        }
        bounds
    }

    /// The tasks of this workload, in plan order.
    pub fn tasks(&self) -> Vec<Task> {
        let bounds = self.boundaries();
        let mean_weight = {
            let sum: u64 = (0..self.tasks).map(|i| self.plan.weight(i)).sum();
            sum as f64 / self.tasks.max(1) as f64
        };
        (0..self.tasks)
            .map(|id| {
                let weight = self.plan.weight(id);
                let (lo, hi) = (bounds[id], bounds[id + 1]);
                let kind = match self.kind {
                    WorkloadKind::Primes => TaskKind::Primes { lo, hi },
                    WorkloadKind::SumRange => TaskKind::Sum { lo, hi },
                    WorkloadKind::Sha256 => TaskKind::Sha256 { seed: id as u64, rounds: (hi - lo).max(1) },
                    WorkloadKind::Mandelbrot => TaskKind::Mandelbrot { side: self.size, row_lo: lo, row_hi: hi },
                    WorkloadKind::SleepIo => TaskKind::Sleep {
                        // Uneven waits keep the same mean latency.
                        ms: ((self.size as f64) * weight as f64 / mean_weight).round() as u64,
                    },
                    WorkloadKind::Mixed => {
                        let mix = self.mix.unwrap_or(Mix { cpu_percent: 0, rounds_per_ms: 0 });
                        let (wait_ms, rounds) = mixed_parts(self.size as f64 * weight as f64 / mean_weight, mix);
                        TaskKind::Mixed { wait_ms, seed: id as u64, rounds }
                    }
                };
                Task { id, weight, kind, crash: false }
            })
            .collect()
    }

    /// The tasks with the one in the middle set to crash.
    pub fn tasks_with_crash(&self) -> Vec<Task> {
        let mut tasks = self.tasks();
        let middle = tasks.len() / 2;
        if let Some(t) = tasks.get_mut(middle) {
            t.crash = true;
        }
        tasks
    }

    /// Folds the tasks' values into the run's answer. Every fold here is
    /// commutative, so the order tasks finish in cannot change the answer.
    pub fn combine(&self, values: impl IntoIterator<Item = u64>) -> u64 {
        match self.kind {
            WorkloadKind::Sha256 => values.into_iter().fold(0, |a, v| a ^ v),
            _ => values.into_iter().fold(0, u64::wrapping_add),
        }
    }

    /// The answer worked out without running the tasks, where a formula
    /// exists: lets the page and the tests check a run's result.
    pub fn expected_answer(&self) -> Option<u64> {
        match self.kind {
            WorkloadKind::SumRange => {
                let n = u128::from(self.size);
                Some((n * n.saturating_sub(1) / 2) as u64)
            }
            WorkloadKind::SleepIo => {
                let k = self.tasks as u64;
                Some(k * (k + 1) / 2)
            }
            WorkloadKind::Primes => match self.size {
                1_000_000 => Some(78_498),
                2_000_000 => Some(148_933),
                5_000_000 => Some(348_513),
                10_000_000 => Some(664_579),
                _ => None,
            },
            _ => None,
        }
    }

    /// Estimated wall time of the run on one worker (the sequential model),
    /// used to refuse runs that would take minutes. Units: roughly
    /// nanoseconds on a laptop core.
    ///
    /// CPU workloads count their wasm work, whatever the number of tasks.
    /// I/O counts its waits: they cost no CPU, but the sequential model
    /// waits them one after another, `tasks × latency` (the uneven plan
    /// keeps the mean latency, so the same total). Counting them as free
    /// let a 2,000 × 10 s run (5.5 hours) through.
    pub fn cost_estimate_ns(&self) -> f64 {
        let n = self.size as f64;
        match self.kind {
            // Σ √k / ln k over k < n, about (2/3) n^1.5 / ln n divisions.
            WorkloadKind::Primes => 0.6 * n.powf(1.5) / n.max(3.0).ln() * 1.5,
            WorkloadKind::SumRange => n * 0.5,
            WorkloadKind::Sha256 => n * SHA256_ROUND_NS,
            WorkloadKind::Mandelbrot => n * n * 60.0,
            // Waits one after another.
            WorkloadKind::SleepIo => self.tasks as f64 * n * 1e6,
            // The waits, plus the CPU parts at the rounds they really
            // compute: a link's rate sets the work, not the time, so a rate
            // far above this machine's must not pass as a short run.
            WorkloadKind::Mixed => {
                let mix = self.mix.unwrap_or(Mix { cpu_percent: 0, rounds_per_ms: 0 });
                let share = f64::from(mix.cpu_percent.min(100)) / 100.0;
                let cpu_ms = n * share;
                let cpu_ns = match mix.rounds_per_ms {
                    // To be measured here: about its nominal length.
                    0 => cpu_ms * 1e6,
                    rate => cpu_ms * f64::from(rate) * SHA256_ROUND_NS,
                };
                self.tasks as f64 * (n * (1.0 - share) * 1e6 + cpu_ns)
            }
        }
    }
}

/// One SHA-256 round, in ns, for run-length estimates: a desktop core's
/// speed in wasm (about 4,000 rounds a millisecond).
const SHA256_ROUND_NS: f64 = 250.0;

/// Splits a mixed task of `length_ms` into its wait, rounded to whole ms
/// (the unit every model's timer takes), and the SHA-256 rounds of its CPU
/// share, exact: 0 % never computes and 100 % never waits.
fn mixed_parts(length_ms: f64, mix: Mix) -> (u64, u64) {
    let share = f64::from(mix.cpu_percent.min(100)) / 100.0;
    let wait_ms = (length_ms * (1.0 - share)).round().max(0.0);
    let cpu_ms = length_ms * share;
    (wait_ms as u64, (cpu_ms * f64::from(mix.rounds_per_ms)).round() as u64)
}

/// Small tasks of every CPU kernel, for warming a fresh worker up.
///
/// Browsers first run wasm through a baseline compiler and swap in
/// optimized code only for *later calls* of a hot function (V8 has no
/// on-stack replacement for wasm), so a worker's first task would run slow
/// code for its whole length and make whichever model ran first look worse
/// (measured here: a first sequential run 15–30% slower than the next).
/// Workers run these through the very code path real tasks take, at start-up.
pub fn warm_up_tasks() -> Vec<Task> {
    let kinds = [
        TaskKind::Primes { lo: 0, hi: 4_000 },
        TaskKind::Sum { lo: 0, hi: 40_000 },
        TaskKind::Sha256 { seed: 1, rounds: 40 },
        TaskKind::Mandelbrot { side: 48, row_lo: 0, row_hi: 3 },
        TaskKind::Mixed { wait_ms: 0, seed: 1, rounds: 40 },
    ];
    (0..12).flat_map(|_| kinds).enumerate().map(|(id, kind)| Task { id, weight: 1, kind, crash: false }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> bool {
        false
    }

    fn run_all(w: &Workload) -> u64 {
        w.combine(w.tasks().iter().map(|t| t.compute(&never).unwrap()))
    }

    #[test]
    fn tasks_partition_the_range_exactly() {
        for plan in [Plan::Uniform, Plan::Uneven] {
            let w = Workload { kind: WorkloadKind::Primes, size: 1_000_000, tasks: 13, plan, mix: None };
            let tasks = w.tasks();
            assert_eq!(tasks.len(), 13);
            let mut expect_lo = 0;
            for t in &tasks {
                let TaskKind::Primes { lo, hi } = t.kind else { panic!() };
                assert_eq!(lo, expect_lo);
                assert!(hi >= lo);
                expect_lo = hi;
            }
            assert_eq!(expect_lo, 1_000_000);
            assert_eq!(run_all(&w), 78_498);
        }
    }

    #[test]
    fn uneven_plan_follows_the_pattern() {
        let w = Workload { kind: WorkloadKind::SumRange, size: 3600, tasks: 8, plan: Plan::Uneven, mix: None };
        let sizes: Vec<u64> = w.tasks().iter().map(Task::size).collect();
        assert_eq!(sizes, vec![200, 400, 600, 800, 100, 300, 500, 700]);
        assert_eq!(run_all(&w), w.expected_answer().unwrap());
    }

    #[test]
    fn io_plan_keeps_mean_latency() {
        let w = Workload { kind: WorkloadKind::SleepIo, size: 45, tasks: 8, plan: Plan::Uneven, mix: None };
        let total: u64 = w.tasks().iter().filter_map(Task::wait_ms).sum();
        assert_eq!(total, 45 * 8);
        assert_eq!(run_all(&w), 36);
        assert_eq!(w.expected_answer(), Some(36));
    }

    #[test]
    fn answer_does_not_depend_on_order() {
        let w = Workload { kind: WorkloadKind::Sha256, size: 5000, tasks: 7, plan: Plan::Uneven, mix: None };
        let mut values: Vec<u64> = w.tasks().iter().map(|t| t.compute(&never).unwrap()).collect();
        let forward = w.combine(values.clone());
        values.reverse();
        assert_eq!(forward, w.combine(values));
    }

    #[test]
    fn the_calibration_probe_computes_exactly_its_rounds() {
        // The page times this probe to size every mixed task: it must do
        // the rounds it is given and wait for nothing.
        let probe = Task::mixed_probe(7, 2_000);
        assert_eq!(probe.wait_ms(), None);
        let chain = kernels::sha256_chain_fine(7, 2_000, &never).unwrap();
        assert_eq!(probe.compute(&never), Ok(chain.wrapping_add(1)));
        assert_ne!(Task::mixed_probe(7, 2_001).compute(&never), probe.compute(&never));
    }

    #[test]
    fn known_prime_counts_are_right() {
        for size in [1_000_000u64, 2_000_000] {
            let w = Workload { kind: WorkloadKind::Primes, size, tasks: 4, plan: Plan::Uniform, mix: None };
            assert_eq!(Some(run_all(&w)), w.expected_answer());
        }
    }

    #[test]
    #[should_panic(expected = "task 2 crashed")]
    fn the_crash_switch_panics_the_middle_task() {
        let w = Workload { kind: WorkloadKind::Primes, size: 1000, tasks: 5, plan: Plan::Uniform, mix: None };
        let tasks = w.tasks_with_crash();
        assert_eq!(tasks.iter().filter(|t| t.crash).count(), 1);
        let _ = tasks[2].compute(&|| false);
    }

    fn mixed(size: u64, tasks: usize, plan: Plan, cpu_percent: u32) -> Workload {
        let mix = Some(Mix { cpu_percent, rounds_per_ms: 1000 });
        Workload { kind: WorkloadKind::Mixed, size, tasks, plan, mix }
    }

    #[test]
    fn a_mixed_task_waits_then_computes_its_share() {
        let tasks = mixed(20, 4, Plan::Uniform, 25).tasks();
        for t in &tasks {
            assert_eq!(t.kind, TaskKind::Mixed { wait_ms: 15, seed: t.id as u64, rounds: 5000 });
            assert_eq!(t.wait_ms(), Some(15));
            assert!(t.has_cpu());
        }
        // 0 %: all wait, no CPU; 100 %: no wait.
        let io = mixed(20, 2, Plan::Uniform, 0).tasks();
        assert!(io.iter().all(|t| t.wait_ms() == Some(20) && !t.has_cpu()));
        let cpu = mixed(20, 2, Plan::Uniform, 100).tasks();
        assert!(cpu.iter().all(|t| t.wait_ms().is_none() && t.size() == 20_000));
    }

    #[test]
    fn mixed_tasks_keep_the_task_length_at_every_share() {
        for pct in [0, 5, 10, 25, 33, 50, 75, 90, 100] {
            for plan in [Plan::Uniform, Plan::Uneven] {
                let w = mixed(30, 8, plan, pct);
                let total_ms: f64 = w
                    .tasks()
                    .iter()
                    .map(|t| {
                        let TaskKind::Mixed { wait_ms, rounds, .. } = t.kind else { panic!() };
                        wait_ms as f64 + rounds as f64 / 1000.0
                    })
                    .sum();
                // Waits are whole ms: at most half a ms off per task.
                assert!((total_ms - 240.0).abs() <= 8.0 * 0.5, "{pct}% {plan:?}: {total_ms}");
            }
        }
    }

    #[test]
    fn a_mixed_answer_counts_both_parts_and_ignores_order() {
        let w = mixed(10, 5, Plan::Uneven, 50);
        let values: Vec<u64> = w.tasks().iter().map(|t| t.compute(&never).unwrap()).collect();
        let io_only: u64 = w.combine(mixed(10, 5, Plan::Uneven, 0).tasks().iter().map(|t| t.compute(&never).unwrap()));
        assert_eq!(io_only, 15, "the waits' responses: 1 + 2 + … + 5");
        assert_ne!(w.combine(values.iter().copied()), io_only);
        let mut reversed = values.clone();
        reversed.reverse();
        assert_eq!(w.combine(values), w.combine(reversed));
        // 5 tasks of 5 ms waiting and 5,000 rounds, at a desktop's 250 ns a
        // round: 5 × (5 + 1.25) ms. The estimate follows the work.
        assert_eq!(w.cost_estimate_ns(), 5.0 * (5.0 + 1.25) * 1e6);
        let measured_here = Workload { mix: Some(Mix { cpu_percent: 50, rounds_per_ms: 0 }), ..w };
        assert_eq!(measured_here.cost_estimate_ns(), 50.0 * 1e6, "a rate still to measure: the nominal length");
    }

    #[test]
    fn ids_round_trip() {
        for k in WorkloadKind::ALL {
            assert_eq!(WorkloadKind::from_id(k.id()), Some(k));
        }
        assert_eq!(Plan::from_id("uneven"), Some(Plan::Uneven));
        assert_eq!(WorkloadKind::from_id("nope"), None);
    }
}
