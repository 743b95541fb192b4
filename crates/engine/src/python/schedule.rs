//! Work allocation and the worker loop every threaded model runs.
//!
//! `TaskSource` decides which task a worker runs next: a fixed strided slice
//! (static) or the next chunk of a shared queue (dynamic). `worker_loop`
//! drains a source on one worker, timing each task through a `WorkerEnv`, so
//! the same loop runs on rayon threads in the browser and in native tests.

use crate::analysis::report::{Segment, SegmentState, TaskOutcome};
use crate::error::Cancelled;
use crate::model::Strategy;
use crate::python::gil::Gil;
use crate::work::workload::Task;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a worker needs from the platform.
pub trait WorkerEnv: Sync {
    /// Milliseconds on a clock shared by every worker of the run.
    fn now_ms(&self) -> f64;
    /// Blocks this worker for `ms` (a blocking I/O call); returns early with
    /// `Cancelled` if the run is cancelled meanwhile.
    fn block_ms(&self, ms: u64) -> Result<(), Cancelled>;
    /// Whether the reader cancelled the run.
    fn cancelled(&self) -> bool;
}

/// Hands out task indices to `workers` workers.
#[derive(Debug)]
pub struct TaskSource {
    len: usize,
    workers: usize,
    strategy: Strategy,
    next: AtomicUsize,
}

impl TaskSource {
    pub fn new(strategy: Strategy, len: usize, workers: usize) -> Self {
        let strategy = match strategy {
            Strategy::Dynamic { chunk } => Strategy::Dynamic { chunk: chunk.max(1) },
            s => s,
        };
        TaskSource { len, workers: workers.max(1), strategy, next: AtomicUsize::new(0) }
    }

    /// The tasks a static strategy gives `worker`: `worker, worker+N, …`.
    pub fn static_slice(&self, worker: usize) -> Vec<usize> {
        (worker..self.len).step_by(self.workers).collect()
    }

    /// The next chunk of the shared queue, or None when it is empty.
    pub fn next_chunk(&self) -> Option<std::ops::Range<usize>> {
        let chunk = match self.strategy {
            Strategy::Dynamic { chunk } => chunk,
            Strategy::Static => return None,
        };
        let start = self.next.fetch_add(chunk, Ordering::Relaxed);
        (start < self.len).then(|| start..(start + chunk).min(self.len))
    }

    /// Every task index `worker` will run, in order, pulling lazily from the
    /// shared queue for the dynamic strategy.
    pub fn for_each(&self, worker: usize, mut f: impl FnMut(usize) -> Result<(), Cancelled>) -> Result<(), Cancelled> {
        match self.strategy {
            Strategy::Static => {
                for i in self.static_slice(worker) {
                    f(i)?;
                }
            }
            Strategy::Dynamic { .. } => {
                while let Some(range) = self.next_chunk() {
                    for i in range {
                        f(i)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Runs one task on the calling worker and times it. CPU tasks compute;
/// I/O tasks block for their latency. With a GIL, CPU work only runs while
/// holding it, and the time spent queueing for it is recorded. `held`:
/// whether this worker holds the GIL now (it keeps it when the task ends,
/// as a pool's Python thread does; see [`worker_loop`]).
pub fn run_task(
    task: &Task,
    worker: usize,
    env: &dyn WorkerEnv,
    gil: Option<&Gil>,
    held: &mut bool,
) -> Result<TaskOutcome, Cancelled> {
    match gil {
        None => run_free(task, worker, env),
        Some(gil) => {
            let result = run_under_gil(task, worker, env, gil, held);
            if result.is_err() && *held {
                // Cancelled: never leave the lock held.
                gil.release(worker);
                *held = false;
            }
            result
        }
    }
}

fn run_free(task: &Task, worker: usize, env: &dyn WorkerEnv) -> Result<TaskOutcome, Cancelled> {
    let mut segments = Vec::new();
    let start = env.now_ms();
    if let Some(ms) = task.wait_ms() {
        env.block_ms(ms)?;
        segments.push(Segment { state: SegmentState::WaitingIo, start_ms: start, end_ms: env.now_ms() });
    }
    let value = if task.has_cpu() {
        let start = env.now_ms();
        let v = task.compute(&|| env.cancelled())?;
        segments.push(Segment { state: SegmentState::Computing, start_ms: start, end_ms: env.now_ms() });
        v
    } else {
        // Nothing to compute: the wait's response.
        task.compute(&|| false)?
    };
    if segments.is_empty() {
        segments.push(Segment { state: SegmentState::WaitingIo, start_ms: start, end_ms: env.now_ms() });
    }
    Ok(TaskOutcome::new(task, worker, value, segments))
}

/// The segments of one task, closed as the worker changes state.
struct Track<'a> {
    env: &'a dyn WorkerEnv,
    mark: f64,
    segments: Vec<Segment>,
}

impl Track<'_> {
    /// Ends the current stretch, labelled `state`, now.
    fn close(&mut self, state: SegmentState) {
        let now = self.env.now_ms();
        // Hand-overs shorter than a microsecond are not worth a segment.
        if now - self.mark > 0.001 || self.segments.is_empty() {
            self.segments.push(Segment { state, start_ms: self.mark, end_ms: now });
        }
        self.mark = now;
    }
}

/// CPython's eval breaker, for a thread holding the GIL: called every few
/// microseconds of CPU work, it says whether to stop (cancelled) and, if
/// another thread asked for the lock, hands it over and queues for it
/// again; `switched(before, after)` hears how long that took.
pub fn eval_breaker(gil: &Gil, worker: usize, env: &dyn WorkerEnv, mut switched: impl FnMut(f64, f64)) -> bool {
    if env.cancelled() {
        return true;
    }
    if gil.drop_requested() {
        let before = env.now_ms();
        match gil.yield_if_requested(worker, &|| env.cancelled()) {
            Ok(true) => switched(before, env.now_ms()),
            Ok(false) => {}
            Err(Cancelled) => return true,
        }
    }
    false
}

/// A task under the GIL: a Python thread holds the lock to run, drops it
/// around its blocking wait (`time.sleep`, a socket read:
/// Py_BEGIN_ALLOW_THREADS) and, woken, must win it back — queueing through
/// the switch interval like any other thread — before it computes.
///
/// Between two tasks the thread keeps the lock: it runs the pool's own
/// Python code (`work_queue.get()` returns at once while items remain, then
/// the next call), which lets go only where it checks the eval breaker —
/// here, once at the task's start. (The model used to release the lock
/// after every task and queue for it again: a thread that had just
/// computed then waited behind every other waiter's CPU burst before it
/// could even start its next wait. Mixed work at 10 % CPU on 8 GIL threads
/// ran at 0.66–0.82 of CPython's speedup in every benchmark run; natively
/// 4.60× against CPython's 5.8–6.85×, and 5.65× with the lock kept.)
fn run_under_gil(
    task: &Task,
    worker: usize,
    env: &dyn WorkerEnv,
    gil: &Gil,
    held: &mut bool,
) -> Result<TaskOutcome, Cancelled> {
    let cancelled = || env.cancelled();
    let track = RefCell::new(Track { env, mark: env.now_ms(), segments: Vec::new() });
    let switched = |before: f64, after: f64| {
        let mut t = track.borrow_mut();
        let mark = t.mark;
        if before > mark {
            t.segments.push(Segment { state: SegmentState::Computing, start_ms: mark, end_ms: before });
        }
        t.segments.push(Segment { state: SegmentState::WaitingGil, start_ms: before, end_ms: after });
        t.mark = after;
    };
    if *held {
        if eval_breaker(gil, worker, env, switched) {
            return Err(Cancelled);
        }
    } else {
        gil.acquire(worker, &cancelled)?;
        *held = true;
        track.borrow_mut().close(SegmentState::WaitingGil);
    }
    if let Some(ms) = task.wait_ms() {
        gil.release(worker);
        *held = false;
        env.block_ms(ms)?;
        track.borrow_mut().close(SegmentState::WaitingIo);
        gil.acquire(worker, &cancelled)?;
        *held = true;
        track.borrow_mut().close(SegmentState::WaitingGil);
    }
    let value = if task.has_cpu() {
        let check = || eval_breaker(gil, worker, env, switched);
        let v = task.compute(&check)?;
        track.borrow_mut().close(SegmentState::Computing);
        v
    } else {
        task.compute(&|| false)?
    };
    let segments = track.into_inner().segments;
    Ok(TaskOutcome::new(task, worker, value, segments))
}

/// Drains `source` on worker `worker`, returning the outcomes it produced.
pub fn worker_loop(
    worker: usize,
    tasks: &[Task],
    source: &TaskSource,
    env: &dyn WorkerEnv,
    gil: Option<&Gil>,
    mut on_done: impl FnMut(&TaskOutcome),
) -> Result<Vec<TaskOutcome>, Cancelled> {
    let mut out = Vec::new();
    // Whether this worker holds the GIL: taken at its first task, kept
    // from one task to the next (see `run_under_gil`), let go at the end.
    let mut held = false;
    let result = source.for_each(worker, |i| {
        if env.cancelled() {
            return Err(Cancelled);
        }
        let outcome = run_task(&tasks[i], worker, env, gil, &mut held)?;
        on_done(&outcome);
        out.push(outcome);
        Ok(())
    });
    if let (Some(gil), true) = (gil, held) {
        gil.release(worker);
    }
    result.map(|()| out)
}

/// A `WorkerEnv` on native threads (std clock, `thread::sleep`), used by
/// the native benchmark and the tests.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::time::{Duration, Instant};

    pub struct NativeEnv {
        pub origin: Instant,
        pub cancel: AtomicBool,
    }

    impl Default for NativeEnv {
        fn default() -> Self {
            NativeEnv { origin: Instant::now(), cancel: AtomicBool::new(false) }
        }
    }

    impl WorkerEnv for NativeEnv {
        fn now_ms(&self) -> f64 {
            self.origin.elapsed().as_secs_f64() * 1000.0
        }
        fn block_ms(&self, ms: u64) -> Result<(), Cancelled> {
            std::thread::sleep(Duration::from_millis(ms));
            if self.cancelled() {
                Err(Cancelled)
            } else {
                Ok(())
            }
        }
        fn cancelled(&self) -> bool {
            self.cancel.load(Ordering::Relaxed)
        }
    }

    /// Runs `tasks` on a rayon pool of `workers` threads, one worker loop
    /// per thread, exactly as the browser's thread host does.
    pub fn run_pool(
        tasks: &[Task],
        workers: usize,
        strategy: Strategy,
        env: &NativeEnv,
        gil: Option<&Gil>,
    ) -> Result<Vec<TaskOutcome>, Cancelled> {
        let source = TaskSource::new(strategy, tasks.len(), workers);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(workers).build().map_err(|_| Cancelled)?;
        let per_worker = pool.broadcast(|ctx| worker_loop(ctx.index(), tasks, &source, env, gil, |_| {}));
        let mut all = Vec::new();
        for r in per_worker {
            all.extend(r?);
        }
        Ok(all)
    }

    /// The native reference of `scripts/bench.sh`: primes below `limit`
    /// (and below 1,000,000) in `tasks` tasks, sequential and on rayon
    /// pools of 1, 2 and all cores, best of 3, as one JSON object.
    pub fn reference_json(limit: u64, tasks: usize) -> String {
        use crate::work::workload::{Plan, Workload, WorkloadKind};
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let env = NativeEnv::default();
        let best_of = |n: usize, f: &dyn Fn() -> Option<u64>| {
            (0..n)
                .filter_map(|_| {
                    let t = Instant::now();
                    let answer = f()?;
                    Some((t.elapsed().as_secs_f64() * 1000.0, answer))
                })
                .fold((f64::MAX, 0), |a, b| if b.0 < a.0 { b } else { a })
        };
        let best = |f: &dyn Fn() -> Option<u64>| best_of(3, f);
        // One task after another on this thread, the answer combined.
        let sequential =
            |w: &Workload, list: &[Task]| Some(w.combine(list.iter().map(|t| t.compute(&|| false).unwrap_or(0))));
        let row = |size: u64, model: &str, workers: usize, (wall, answer): (f64, u64)| {
            format!(
                "{{\"kernel\":\"primes\",\"size\":{size},\"tasks\":{tasks},\"model\":\"{model}\",\"workers\":{workers},\"wall_ms\":{wall:.3},\"answer\":{answer}}}"
            )
        };
        let mut rows = Vec::new();
        for size in [limit, 1_000_000] {
            let w = Workload { kind: WorkloadKind::Primes, size, tasks, plan: Plan::Uniform, mix: None };
            let list = w.tasks();
            // Sequential: one call after another on this thread.
            let seq = best(&|| sequential(&w, &list));
            rows.push(row(size, "sequential", 1, seq));
            let mut counts: Vec<usize> = vec![1, 2, cores];
            counts.sort_unstable();
            counts.dedup();
            for n in counts {
                let pool = best(&|| {
                    let out = run_pool(&list, n, Strategy::Dynamic { chunk: 1 }, &env, None).ok()?;
                    Some(w.combine(out.iter().map(|o| o.value)))
                });
                rows.push(row(size, "rayon", n, pool));
            }
        }
        let kernels: Vec<String> = KERNEL_JOBS
            .iter()
            .map(|&(kind, size)| {
                let w = Workload { kind, size, tasks, plan: Plan::Uniform, mix: None };
                let list = w.tasks();
                // Best of 5: a loop as tight as `sum` moves by ±12 % from one
                // run to the next on a shared 2-core machine.
                let (wall, answer) = best_of(KERNEL_RUNS, &|| sequential(&w, &list));
                format!(
                    "{{\"kernel\":\"{}\",\"size\":{size},\"tasks\":{tasks},\"wall_ms\":{wall:.3},\"answer\":{answer}}}",
                    kind.id()
                )
            })
            .collect();
        format!(
            "{{\"cores\":{cores},\"kernel_runs\":{KERNEL_RUNS},\"sha_backend\":\"{}\",\"runs\":[{}],\"kernels\":[{}]}}",
            crate::work::kernels::sha256_backend(),
            rows.join(","),
            kernels.join(",")
        )
    }

    /// Runs of each kernel job, natively and on the page; the best counts.
    pub const KERNEL_RUNS: usize = 5;

    /// The benchmark's per-kernel jobs (wasm ÷ native, sequential): each
    /// about half a second natively on the machines this project runs on.
    /// The page runs the same jobs, read from the JSON above, so the two
    /// sides cannot drift apart.
    pub const KERNEL_JOBS: [(crate::work::workload::WorkloadKind, u64); 4] = {
        use crate::work::workload::WorkloadKind::*;
        [(Primes, 5_000_000), (SumRange, 2_000_000_000), (Sha256, 2_000_000), (Mandelbrot, 1_500)]
    };
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::work::workload::{Plan, Workload, WorkloadKind};
    use std::time::Instant;

    pub use super::native::NativeEnv;

    /// Runs `tasks` on `workers` rayon threads, one worker loop per thread.
    pub fn run_native(
        workload: &Workload,
        workers: usize,
        strategy: Strategy,
        env: &NativeEnv,
    ) -> Result<Vec<TaskOutcome>, Cancelled> {
        run_native_gil(workload, workers, strategy, env, None)
    }

    pub fn run_native_gil(
        workload: &Workload,
        workers: usize,
        strategy: Strategy,
        env: &NativeEnv,
        gil: Option<&Gil>,
    ) -> Result<Vec<TaskOutcome>, Cancelled> {
        super::native::run_pool(&workload.tasks(), workers, strategy, env, gil)
    }

    #[test]
    fn static_slices_are_strided_and_cover_everything() {
        let s = TaskSource::new(Strategy::Static, 7, 3);
        assert_eq!(s.static_slice(0), vec![0, 3, 6]);
        assert_eq!(s.static_slice(1), vec![1, 4]);
        assert_eq!(s.static_slice(2), vec![2, 5]);
        assert_eq!(s.next_chunk(), None);
    }

    #[test]
    fn dynamic_queue_hands_out_each_task_once() {
        let s = TaskSource::new(Strategy::Dynamic { chunk: 3 }, 8, 2);
        assert_eq!(s.next_chunk(), Some(0..3));
        assert_eq!(s.next_chunk(), Some(3..6));
        assert_eq!(s.next_chunk(), Some(6..8));
        assert_eq!(s.next_chunk(), None);
        // A zero chunk is treated as one.
        let z = TaskSource::new(Strategy::Dynamic { chunk: 0 }, 2, 2);
        assert_eq!(z.next_chunk(), Some(0..1));
    }

    #[test]
    fn every_strategy_gives_the_same_answer() {
        let w = Workload { kind: WorkloadKind::Primes, size: 300_000, tasks: 16, plan: Plan::Uneven, mix: None };
        let env = NativeEnv::default();
        let seq: u64 = w.combine(w.tasks().iter().map(|t| t.compute(&|| false).unwrap()));
        for strategy in [Strategy::Static, Strategy::Dynamic { chunk: 1 }, Strategy::Dynamic { chunk: 5 }] {
            for workers in [1, 2, 3] {
                let out = run_native(&w, workers, strategy, &env).unwrap();
                assert_eq!(out.len(), 16);
                assert_eq!(w.combine(out.iter().map(|o| o.value)), seq);
                let mut ids: Vec<usize> = out.iter().map(|o| o.task).collect();
                ids.sort();
                assert_eq!(ids, (0..16).collect::<Vec<_>>());
                assert!(out.iter().all(|o| o.worker < workers));
            }
        }
    }

    #[test]
    fn blocking_io_overlaps_across_threads() {
        let w = Workload { kind: WorkloadKind::SleepIo, size: 40, tasks: 8, plan: Plan::Uniform, mix: None };
        let env = NativeEnv::default();
        let t0 = Instant::now();
        let out = run_native(&w, 8, Strategy::Dynamic { chunk: 1 }, &env).unwrap();
        let elapsed = t0.elapsed().as_millis();
        assert_eq!(w.combine(out.iter().map(|o| o.value)), 36);
        // Eight 40 ms waits on eight threads take about 40 ms, not 320 ms.
        assert!(elapsed < 250, "took {elapsed} ms");
        assert!(out.iter().all(|o| o.segments[0].state == SegmentState::WaitingIo));
    }

    /// All segments in `state`, across every worker, as (start, end).
    fn spans(out: &[TaskOutcome], state: SegmentState) -> Vec<(f64, f64, usize)> {
        let mut v: Vec<(f64, f64, usize)> = out
            .iter()
            .flat_map(|o| o.segments.iter().filter(|s| s.state == state).map(move |s| (s.start_ms, s.end_ms, o.worker)))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    }

    #[test]
    fn under_the_gil_only_one_thread_computes_at_a_time() {
        let w = Workload { kind: WorkloadKind::Primes, size: 1_500_000, tasks: 8, plan: Plan::Uniform, mix: None };
        let env = NativeEnv::default();
        let gil = Gil::new(1.0);
        let out = run_native_gil(&w, 3, Strategy::Dynamic { chunk: 1 }, &env, Some(&gil)).unwrap();
        assert_eq!(w.combine(out.iter().map(|o| o.value)), w.expected_answer().unwrap_or(114_155));
        let cpu = spans(&out, SegmentState::Computing);
        for pair in cpu.windows(2) {
            // Computing stretches never overlap (a µs of clock slack).
            assert!(pair[1].0 >= pair[0].1 - 0.01, "overlap: {pair:?}");
        }
        // The threads took turns: the lock changed hands mid-task.
        assert!(!spans(&out, SegmentState::WaitingGil).is_empty());
        let workers: std::collections::HashSet<usize> = cpu.iter().map(|s| s.2).collect();
        assert!(workers.len() > 1);
    }

    /// A pool's Python thread runs the pool's own code between two tasks:
    /// it still holds the GIL when a task ends, and lets go only at an
    /// eval-breaker check or a blocking call — not to queue again behind
    /// every waiter before its next task's wait.
    #[test]
    fn under_the_gil_a_worker_keeps_the_lock_from_one_task_to_the_next() {
        let w = Workload { kind: WorkloadKind::Primes, size: 100_000, tasks: 4, plan: Plan::Uniform, mix: None };
        let (env, gil) = (NativeEnv::default(), Gil::new(5.0));
        let tasks = w.tasks();
        let source = TaskSource::new(Strategy::Dynamic { chunk: 1 }, tasks.len(), 1);
        let mut holders = Vec::new();
        let out = worker_loop(0, &tasks, &source, &env, Some(&gil), |_| holders.push(gil.holder()));
        assert_eq!(out.map(|o| o.len()), Ok(4));
        assert_eq!(holders, vec![Some(0); 4], "the lock changed hands between tasks");
        // …and is let go when the worker runs out of tasks.
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn under_the_gil_io_waits_still_overlap() {
        let w = Workload { kind: WorkloadKind::SleepIo, size: 60, tasks: 6, plan: Plan::Uniform, mix: None };
        let env = NativeEnv::default();
        let gil = Gil::new(5.0);
        let t0 = Instant::now();
        let out = run_native_gil(&w, 6, Strategy::Dynamic { chunk: 1 }, &env, Some(&gil)).unwrap();
        assert!(t0.elapsed().as_millis() < 300, "{:?}", t0.elapsed());
        assert_eq!(w.combine(out.iter().map(|o| o.value)), 21);
        let io = spans(&out, SegmentState::WaitingIo);
        assert!(io.windows(2).any(|p| p[1].0 < p[0].1), "I/O waits did not overlap");
    }

    #[test]
    fn cancel_before_the_start_runs_nothing() {
        let w = Workload { kind: WorkloadKind::Primes, size: 50_000_000, tasks: 4, plan: Plan::Uniform, mix: None };
        let env = NativeEnv::default();
        env.cancel.store(true, Ordering::Relaxed);
        assert_eq!(run_native(&w, 2, Strategy::Static, &env), Err(Cancelled));
    }

    #[test]
    fn cancel_mid_run_stops_every_worker_soon() {
        // About 10 s of work on one core; cancelled 100 ms in.
        let w = Workload { kind: WorkloadKind::Primes, size: 50_000_000, tasks: 64, plan: Plan::Uniform, mix: None };
        for gil in [None, Some(Gil::new(5.0))] {
            let env = NativeEnv::default();
            let t0 = Instant::now();
            let result = std::thread::scope(|s| {
                let run = s.spawn(|| run_native_gil(&w, 2, Strategy::Dynamic { chunk: 1 }, &env, gil.as_ref()));
                std::thread::sleep(std::time::Duration::from_millis(100));
                env.cancel.store(true, Ordering::Relaxed);
                run.join()
            });
            let elapsed = t0.elapsed();
            assert_eq!(result.ok(), Some(Err(Cancelled)), "gil: {}", gil.is_some());
            // Kernels look at the flag every few thousand numbers.
            assert!(elapsed.as_millis() < 2_000, "stopped after {elapsed:?}");
        }
    }

    #[test]
    fn cancel_interrupts_a_blocking_wait() {
        let w = Workload { kind: WorkloadKind::SleepIo, size: 300, tasks: 4, plan: Plan::Uniform, mix: None };
        let env = NativeEnv::default();
        let result = std::thread::scope(|s| {
            let run = s.spawn(|| run_native(&w, 2, Strategy::Dynamic { chunk: 1 }, &env));
            std::thread::sleep(std::time::Duration::from_millis(50));
            env.cancel.store(true, Ordering::Relaxed);
            run.join()
        });
        // The wait in progress ends, and no further task starts.
        assert_eq!(result.ok(), Some(Err(Cancelled)));
    }
}
