//! How big each claim's runs are on this machine: one short calibration
//! run sizes the CPU-bound work so a card takes a second or two, the I/O
//! and mixed tasks have fixed lengths, and the settings of a claim's run
//! as the lab form shows them ("Open in the lab").

use super::*;

/// The calibration run: primes below this, in [`CALIBRATION_TASKS`] tasks,
/// sequential.
pub const CALIBRATION_SIZE: u64 = 1_000_000;
pub const CALIBRATION_TASKS: usize = 4;
/// Sequential time each CPU-bound card aims at: long enough to measure a
/// speedup, short enough for a card of about 1–3 s.
pub const CPU_TARGET_MS: f64 = 700.0;
/// The crash card only needs a few tasks to finish.
pub const CRASH_TARGET_MS: f64 = 120.0;
/// I/O cards: tasks of this many ms.
pub const IO_LATENCY_MS: u64 = 20;
/// Mixed tasks of the crossover card, ms each, and its CPU shares.
pub const MIXED_TASK_MS: u64 = 20;
pub const MIXED_SHARES: [u32; 3] = [0, 50, 100];
/// asyncio's CPU run: tasks of this many ms, this much of it computing.
pub const ASYNC_MIXED_MS: u64 = 40;
pub const ASYNC_MIXED_CPU: u32 = 50;
/// Race: increments per thread.
pub const RACE_PER_WORKER: u64 = 10_000_000;
/// Moving data: the array's size, MiB.
pub const DATA_MIB: u64 = 32;
/// Deadlock: the watchdog's timeout.
pub const DEADLOCK_WATCHDOG_MS: u64 = 300;
/// Convoy: waits of 1 ms, this many, at the default switch interval.
pub const CONVOY_WAITS: usize = 40;

/// How fast this machine counts primes: one sequential run's wall time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub size: u64,
    pub wall_ms: f64,
}

pub(super) fn primes(size: u64, tasks: usize, plan: Plan) -> Workload {
    Workload { kind: WorkloadKind::Primes, size, tasks, plan, mix: None }
}

impl Calibration {
    /// The workload of the calibration run.
    pub fn workload() -> Workload {
        primes(CALIBRATION_SIZE, CALIBRATION_TASKS, Plan::Uniform)
    }

    /// The primes size whose sequential run should take about `target_ms`
    /// here, from the workload's own cost model (bisection), within the
    /// form's bounds.
    pub fn primes_size_for(&self, target_ms: f64) -> u64 {
        let (lo_bound, hi_bound) = crate::settings::size_bounds(WorkloadKind::Primes);
        let measured = primes(self.size, 1, Plan::Uniform).cost_estimate_ns();
        let ns_per_unit = if self.wall_ms > 0.0 && measured > 0.0 { self.wall_ms * 1e6 / measured } else { 1.0 };
        let cost_ms = |n: u64| primes(n, 1, Plan::Uniform).cost_estimate_ns() * ns_per_unit / 1e6;
        let (mut lo, mut hi) = (lo_bound.max(1_000), hi_bound / 10);
        if cost_ms(lo) >= target_ms {
            return lo;
        }
        if cost_ms(hi) <= target_ms {
            return hi;
        }
        while hi - lo > 1_000 {
            let mid = lo + (hi - lo) / 2;
            if cost_ms(mid) < target_ms {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // A round number reads better on the card and in the form.
        (lo / 1_000) * 1_000
    }
}

/// The workloads of the tour on this machine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizes {
    pub cores: usize,
    /// CPU-bound, uniform tasks, enough of them for twice the cores.
    pub cpu: Workload,
    /// CPU-bound, uneven tasks.
    pub uneven: Workload,
    /// A few small tasks, one of which may crash.
    pub crash: Workload,
    /// Waits of [`IO_LATENCY_MS`].
    pub io: Workload,
}

impl Sizes {
    pub fn new(cal: &Calibration, cores: usize) -> Self {
        let cores = cores.clamp(1, 16);
        let tasks = cpu_tasks(cores);
        let size = cal.primes_size_for(CPU_TARGET_MS);
        let small = cal.primes_size_for(CRASH_TARGET_MS);
        Sizes {
            cores,
            cpu: primes(size, tasks, Plan::Uniform),
            // Twice the uneven pattern per worker pair; the queue needs
            // small enough tasks to even the load out.
            uneven: primes(size, tasks, Plan::Uneven),
            crash: primes(small, 8, Plan::Uniform),
            io: Workload {
                kind: WorkloadKind::SleepIo,
                size: IO_LATENCY_MS,
                // Three rounds of the many threads: enough to show they overlap.
                tasks: io_tasks(cores),
                plan: Plan::Uniform,
                mix: None,
            },
        }
    }

    /// Far more I/O threads than cores: 8 per core, 16 to 32.
    pub fn io_many(&self) -> usize {
        io_many(self.cores)
    }

    pub fn io_few(&self) -> usize {
        io_few(self.cores)
    }

    /// Mixed tasks at `share` % CPU (calibrated by the runner).
    pub fn mixed(&self, length_ms: u64, tasks: usize, share: u32) -> Workload {
        Workload {
            kind: WorkloadKind::Mixed,
            size: length_ms,
            tasks,
            plan: Plan::Uniform,
            mix: Some(Mix { cpu_percent: share, rounds_per_ms: 0 }),
        }
    }
}

/// Tasks of the CPU-bound cards: 8 per core (of at most 16).
pub(crate) fn cpu_tasks(cores: usize) -> usize {
    8 * cores.clamp(1, 16)
}

/// Far more I/O threads than cores: 8 per core, 16 to 32.
pub(crate) fn io_many(cores: usize) -> usize {
    (8 * cores).clamp(16, 32)
}

/// Tasks of the I/O cards: three rounds of the many threads.
pub(crate) fn io_tasks(cores: usize) -> usize {
    (3 * io_many(cores)).min(crate::settings::MAX_IO_TASKS as usize)
}

fn io_few(cores: usize) -> usize {
    cores.max(2)
}

/// The settings of one run of the tour.
pub fn settings(workload: Workload, model: Model, workers: usize, strategy: Strategy) -> Settings {
    Settings {
        workload,
        model,
        workers,
        strategy,
        switch_interval_ms: crate::python::gil::DEFAULT_SWITCH_INTERVAL_MS,
        crash: false,
    }
}

/// The shared queue with one task at a time.
pub const QUEUE: Strategy = Strategy::Dynamic { chunk: DEFAULT_CHUNK as usize };

/// The lab form's text for `s` ("Open in the lab"): every field the run
/// used, the others at their defaults for `cores`.
pub fn raw_for(s: &Settings, cores: usize) -> RawSettings {
    let mut raw = RawSettings::defaults(cores).with_workload(s.workload.kind);
    raw.set(Field::Size, s.workload.size.to_string());
    raw.set(Field::Tasks, s.workload.tasks.to_string());
    raw.set(Field::Plan, s.workload.plan.id().to_owned());
    raw.set(Field::Model, s.model.id().to_owned());
    raw.set(Field::Workers, s.workers.to_string());
    raw.set(Field::Strategy, s.strategy.id().to_owned());
    if let Strategy::Dynamic { chunk } = s.strategy {
        raw.set(Field::Chunk, chunk.to_string());
    }
    raw.set(Field::Interval, s.switch_interval_ms.to_string());
    raw.lab.set_crash(s.crash);
    if let Some(mix) = s.workload.mix {
        raw.set(Field::Cpu, mix.cpu_percent.to_string());
        // The work itself, so the claim's run reproduces in the lab and an
        // export says what work it did (0: not measured yet, left blank).
        if mix.rounds_per_ms > 0 {
            raw.set(Field::Rate, mix.rounds_per_ms.to_string());
        }
    }
    raw
}
