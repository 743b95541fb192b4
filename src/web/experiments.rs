//! The tour's experiments: for each claim, the runs it needs on the lab's
//! pools (through the tour's `BusyGuard`), folded into that claim's
//! measurements. What to run is sized by `engine::tour::claims::Sizes`; what the
//! measurements mean is judged by the engine's verdict functions.

use crate::web::clock::{now_ms, page_hidden};
use crate::web::runner::BusyGuard;
use engine::analysis::moving_data::{DataModel, MoveMode};
use engine::analysis::report::RunReport;
use engine::error::Failure;
use engine::python::convoy::{ConvoyModel, ConvoySettings};
use engine::python::deadlock::{Outcome, Variant};
use engine::python::race::RaceMode;
use engine::settings::{Field, RawSettings};
use engine::tour::claims::{
    self, AsyncioLoop, Calibration, Claim, ConvoyCheck, CrashCheck, CrashEnd, DataCheck, DeadlockCheck, GilCpu,
    IoThreads, Measured, MemoryCheck, MixedCheck, PoolCheck, ProcessSweep, RaceLock, Sizes, Uneven, QUEUE,
};
use engine::tour::export::ClaimResult;
use engine::work::workload::Mix;
use engine::{Model, RunError, Settings, Strategy};
use std::cell::Cell;
use std::rc::Rc;

/// What the experiments need to know about the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TourEnv {
    pub(crate) cores: usize,
    pub(crate) isolated: bool,
}

/// The calibration run: a small sequential primes count.
pub(crate) async fn calibrate(guard: &mut BusyGuard) -> Result<Calibration, RunError> {
    let s = claims::settings(Calibration::workload(), Model::Sequential, 1, QUEUE);
    let r = guard.run(s, &|_, _| {}).await?;
    Ok(Calibration { size: s.workload.size, wall_ms: r.wall_ms })
}

/// Notes whether the tab is hidden at any moment while it lives.
struct HiddenWatch {
    seen: Rc<Cell<bool>>,
    _listener: Option<gloo_events::EventListener>,
}

impl HiddenWatch {
    fn new() -> Self {
        let seen = Rc::new(Cell::new(page_hidden()));
        let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let seen = seen.clone();
            gloo_events::EventListener::new(&doc, "visibilitychange", move |_| {
                if page_hidden() {
                    seen.set(true);
                }
            })
        });
        HiddenWatch { seen, _listener: listener }
    }

    fn seen(&self) -> bool {
        self.seen.get() || page_hidden()
    }
}

/// One claim's experiment in progress: the guard, the steps taken so far.
struct Bench<'a> {
    guard: &'a mut BusyGuard,
    progress: &'a dyn Fn(usize, usize),
    steps: usize,
    done: usize,
    hidden: HiddenWatch,
}

impl Bench<'_> {
    fn step(&mut self) {
        self.done += 1;
        (self.progress)(self.done.min(self.steps), self.steps);
    }

    /// One run that must complete.
    async fn run(&mut self, s: Settings) -> Result<RunReport, RunError> {
        let r = self.guard.run(s, &|_, _| {}).await?;
        self.step();
        if r.hidden {
            self.hidden.seen.set(true);
        }
        Ok(r)
    }

    async fn wall(&mut self, s: Settings) -> Result<f64, RunError> {
        Ok(self.run(s).await?.wall_ms)
    }

    /// A run with the crash switch on: how it ended.
    async fn crash(&mut self, s: Settings) -> Result<CrashEnd, RunError> {
        let end = match self.guard.run(Settings { crash: true, ..s }, &|_, _| {}).await {
            Ok(r) => CrashEnd::Partial { done: r.outcomes.len(), failed: r.failures.len() },
            Err(RunError::Cancelled) => return Err(RunError::Cancelled),
            Err(RunError::Failed(Failure::ThreadPanicked { .. } | Failure::ProcessDied { .. })) => {
                CrashEnd::WholeRunFailed
            }
            Err(_) => CrashEnd::Other,
        };
        self.step();
        Ok(end)
    }
}

/// Steps (runs) of each claim's experiment, for its progress bar.
fn steps(claim: Claim, sizes: &Sizes, isolated: bool) -> usize {
    match claim {
        Claim::GilCpu => 3 + usize::from(isolated),
        Claim::ProcessesCores => 2 + 2 * 2,
        Claim::CpuCount => 2 + 2 * counts(sizes.cores).len(),
        Claim::IoThreads => 3,
        Claim::AsyncioLoop => 3,
        Claim::Memory => 1,
        Claim::DataTransfer => 2 + usize::from(isolated),
        Claim::Pool => 1,
        Claim::RaceLock => 2,
        Claim::Deadlock => 2,
        Claim::Crash => 2,
        Claim::Uneven => 3,
        Claim::Mixed => 3 * claims::MIXED_SHARES.len(),
        Claim::Convoy => 4,
    }
}

/// Claim 3's process counts: 1, the cores, twice the cores.
fn counts(cores: usize) -> Vec<usize> {
    let mut v = vec![1, cores, 2 * cores];
    v.dedup();
    v
}

/// Runs `claim`'s experiment and judges it. `progress` gets (steps done,
/// steps in all).
pub(crate) async fn run_claim(
    claim: Claim,
    guard: &mut BusyGuard,
    env: TourEnv,
    cal: &Calibration,
    progress: &dyn Fn(usize, usize),
) -> Result<ClaimResult, RunError> {
    let sizes = Sizes::new(cal, env.cores);
    let started = now_ms();
    let steps = steps(claim, &sizes, env.isolated);
    progress(0, steps);
    let mut b = Bench { guard, progress, steps, done: 0, hidden: HiddenWatch::new() };
    let (measured, settings) = measure(claim, &mut b, env, &sizes).await?;
    let hidden = b.hidden.seen();
    Ok(ClaimResult::judge(measured, env.cores, hidden, settings, now_ms() - started))
}

async fn measure(
    claim: Claim,
    b: &mut Bench<'_>,
    env: TourEnv,
    sizes: &Sizes,
) -> Result<(Measured, RawSettings), RunError> {
    use claims::settings as at;
    let cores = sizes.cores;
    let n = cores.max(2);
    let raw = |s: &Settings| claims::raw_for(s, env.cores);
    let seq = at(sizes.cpu, Model::Sequential, 1, QUEUE);
    Ok(match claim {
        Claim::GilCpu => {
            let gil = at(sizes.cpu, Model::GilThreads, n, QUEUE);
            let sequential_ms = b.wall(seq).await?;
            let gil_ms = b.wall(gil).await?;
            let free_ms =
                if env.isolated { Some(b.wall(Settings { model: Model::Threads, ..gil }).await?) } else { None };
            let sequential_again_ms = b.wall(seq).await?;
            (Measured::GilCpu(GilCpu { workers: n, sequential_ms, sequential_again_ms, gil_ms, free_ms }), raw(&gil))
        }
        Claim::ProcessesCores | Claim::CpuCount => {
            let list = if claim == Claim::CpuCount { counts(cores) } else { vec![cores, 2 * cores] };
            let sequential_ms = b.wall(seq).await?;
            let mut points = Vec::new();
            for &w in &list {
                let s = at(sizes.cpu, Model::Processes, w, QUEUE);
                let first = b.wall(s).await?;
                points.push((w, first.min(b.wall(s).await?)));
            }
            let sequential_again_ms = b.wall(seq).await?;
            let sweep = ProcessSweep { cores, sequential_ms, sequential_again_ms, points };
            let main = raw(&at(sizes.cpu, Model::Processes, cores, QUEUE));
            if claim == Claim::CpuCount {
                (Measured::CpuCount(sweep), main)
            } else {
                (Measured::ProcessesCores(sweep), main)
            }
        }
        Claim::IoThreads => {
            let (few, many) = (sizes.io_few(), sizes.io_many());
            let sequential_ms = b.wall(at(sizes.io, Model::Sequential, 1, QUEUE)).await?;
            let few_ms = b.wall(at(sizes.io, Model::GilThreads, few, QUEUE)).await?;
            let lots = at(sizes.io, Model::GilThreads, many, QUEUE);
            let many_ms = b.wall(lots).await?;
            let m = IoThreads {
                tasks: sizes.io.tasks,
                latency_ms: sizes.io.size,
                sequential_ms,
                few,
                few_ms,
                many,
                many_ms,
            };
            (Measured::IoThreads(m), raw(&lots))
        }
        Claim::AsyncioLoop => {
            let sequential_ms = b.wall(at(sizes.io, Model::Sequential, 1, QUEUE)).await?;
            let io = b.run(at(sizes.io, Model::Asyncio, 1, QUEUE)).await?;
            let mixed = at(sizes.mixed(claims::ASYNC_MIXED_MS, 8, claims::ASYNC_MIXED_CPU), Model::Asyncio, 1, QUEUE);
            let cpu = b.run(mixed).await?;
            let m = AsyncioLoop {
                tasks: sizes.io.tasks,
                latency_ms: sizes.io.size,
                sequential_ms,
                asyncio_ms: io.wall_ms,
                io_blocked_ms: io.loop_blocked_ms.unwrap_or(0.0),
                cpu_ms_per_task: claims::ASYNC_MIXED_MS as f64 * f64::from(claims::ASYNC_MIXED_CPU) / 100.0,
                cpu_blocked_ms: cpu.loop_blocked_ms.unwrap_or(0.0),
            };
            (Measured::AsyncioLoop(m), raw(&mixed))
        }
        Claim::RaceLock => {
            let unlocked = b.guard.race(Some(RaceMode::Unsynchronized), n, claims::RACE_PER_WORKER).await?;
            b.step();
            let locked = b.guard.race(Some(RaceMode::Mutex), n, claims::RACE_PER_WORKER).await?;
            b.step();
            let m = RaceLock {
                workers: n,
                expected: unlocked.expected,
                lost_unlocked: unlocked.lost(),
                lost_locked: locked.lost(),
            };
            let mut r = RawSettings::defaults(env.cores);
            r.set(Field::Workers, n.to_string());
            (Measured::RaceLock(m), r)
        }
        Claim::Deadlock => {
            let watchdog = claims::DEADLOCK_WATCHDOG_MS;
            let mut ends = Vec::new();
            for variant in [Variant::OppositeOrders, Variant::GlobalOrder] {
                let out = b.guard.deadlock(variant, watchdog).await?;
                b.step();
                ends.push(match out {
                    Outcome::Finished { ms, .. } => (false, ms),
                    Outcome::Deadlocked { after_ms, .. } => (true, after_ms),
                });
            }
            let m = DeadlockCheck {
                watchdog_ms: watchdog,
                opposite_deadlocked: ends[0].0,
                opposite_ms: ends[0].1,
                ordered_deadlocked: ends[1].0,
                ordered_ms: ends[1].1,
            };
            let mut r = RawSettings::defaults(env.cores);
            r.set(Field::Watchdog, watchdog.to_string());
            (Measured::Deadlock(m), r)
        }
        Claim::Crash => {
            let procs = at(sizes.crash, Model::Processes, n, QUEUE);
            let processes = b.crash(procs).await?;
            let threads = if env.isolated {
                b.crash(at(sizes.crash, Model::Threads, n, QUEUE)).await?
            } else {
                b.step();
                CrashEnd::Other
            };
            let m = CrashCheck { tasks: sizes.crash.tasks, processes, threads };
            (Measured::Crash(m), raw(&Settings { crash: true, ..procs }))
        }
        Claim::Uneven => {
            let queue = at(sizes.uneven, Model::Processes, n, QUEUE);
            let stat = Settings { strategy: Strategy::Static, ..queue };
            let q = b.run(queue).await?;
            let s = b.run(stat).await?;
            let q2 = b.run(queue).await?;
            let m = Uneven {
                workers: n,
                queue_ms: q.wall_ms,
                queue_again_ms: q2.wall_ms,
                static_ms: s.wall_ms,
                queue_idle: (claims::idle_share(&q) + claims::idle_share(&q2)) / 2.0,
                static_idle: claims::idle_share(&s),
            };
            (Measured::Uneven(m), raw(&stat))
        }
        Claim::Mixed => {
            // The work rate goes into the settings (and so the export), so
            // "Open in the lab" repeats exactly this work.
            let rate = b.guard.rounds_per_ms().await?;
            let mixed = |share| {
                let mut w = sizes.mixed(claims::MIXED_TASK_MS, 4 * n, share);
                w.mix = w.mix.map(|m| Mix { rounds_per_ms: rate, ..m });
                w
            };
            let mut shares = Vec::new();
            let mut main = None;
            for share in claims::MIXED_SHARES {
                let w = mixed(share);
                let gil = at(w, Model::GilThreads, n, QUEUE);
                let q = b.wall(at(w, Model::Sequential, 1, QUEUE)).await?;
                let g = b.wall(gil).await?;
                let p = b.wall(Settings { model: Model::Processes, ..gil }).await?;
                shares.push((share, q, g, p));
                if share == 50 {
                    main = Some(gil);
                }
            }
            let main = main.unwrap_or_else(|| at(mixed(50), Model::GilThreads, n, QUEUE));
            (Measured::Mixed(MixedCheck { workers: n, shares }), raw(&main))
        }
        Claim::Memory => {
            let points = b.guard.measure_memory(&[1, n]).await?;
            b.step();
            let (one, many) = match (points.first(), points.last()) {
                (Some(a), Some(z)) if points.len() == 2 => (a, z),
                _ => return Err(Failure::Messaging { detail: "memory points missing".into() }.into()),
            };
            let m = MemoryCheck {
                workers: many.workers,
                one_process: one.process_total(),
                processes: many.process_total(),
                one_thread: one.threads,
                threads: many.threads,
            };
            (Measured::Memory(m), RawSettings::defaults(env.cores))
        }
        Claim::DataTransfer => {
            let mib = claims::DATA_MIB;
            let sequential = b.guard.move_data(DataModel::Sequential, mib, n).await?;
            b.step();
            let shared = if env.isolated {
                let r = b.guard.move_data(DataModel::Processes(MoveMode::Shared), mib, n).await?;
                b.step();
                Some(r)
            } else {
                None
            };
            // The copy last: the garbage it leaves must not slow the others.
            let copy = b.guard.move_data(DataModel::Processes(MoveMode::Copy), mib, n).await?;
            b.step();
            let m = DataCheck {
                mib,
                workers: n,
                sequential_ms: sequential.wall_ms(),
                copy_ms: copy.wall_ms(),
                copy_move_ms: copy.moving_ms(),
                shared_ms: shared.as_ref().map(|r| r.wall_ms()),
                shared_move_ms: shared.as_ref().map(|r| r.moving_ms()),
            };
            let mut r = RawSettings::defaults(env.cores);
            r.set(Field::Payload, mib.to_string());
            (Measured::DataTransfer(m), r)
        }
        Claim::Pool => {
            let c = b.guard.start_costs(3).await?;
            b.step();
            let m = PoolCheck {
                workers: n,
                spawn_ms: c.spawn_ms,
                forkserver_ms: c.forkserver_ms,
                reused_ms: c.reused_ms,
                per_task_ms: c.per_task_processes_ms(claims::POOL_TASKS, n),
                pool_ms: c.pool_ms(claims::POOL_TASKS, n),
            };
            (Measured::Pool(m), RawSettings::defaults(env.cores))
        }
        Claim::Convoy => {
            let settings = ConvoySettings {
                max_cpu_threads: 1,
                waits: claims::CONVOY_WAITS,
                wait_ms: 1,
                switch_interval_ms: engine::python::gil::DEFAULT_SWITCH_INTERVAL_MS,
            };
            let mut medians = Vec::new();
            for model in [ConvoyModel::GilThreads, ConvoyModel::FreeThreads] {
                for cpu in 0..=1 {
                    let run = b.guard.convoy(model, cpu, settings).await?;
                    b.step();
                    medians.push(run.stats().map_or(0.0, |s| s.median_ms));
                }
            }
            let m = ConvoyCheck {
                wait_ms: settings.wait_ms,
                switch_interval_ms: settings.switch_interval_ms,
                gil_alone_ms: medians[0],
                gil_beside_ms: medians[1],
                free_alone_ms: medians[2],
                free_beside_ms: medians[3],
            };
            let mut r = RawSettings::defaults(env.cores);
            r.set(Field::CpuThreads, "1".into());
            r.set(Field::Waits, settings.waits.to_string());
            r.set(Field::Wait, settings.wait_ms.to_string());
            r.set(Field::Interval, settings.switch_interval_ms.to_string());
            (Measured::Convoy(m), r)
        }
    })
}
