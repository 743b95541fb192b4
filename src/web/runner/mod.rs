//! Runs one model on one workload, end to end, and owns "busy".
//!
//! The `Lab` owns the page's pools for the whole session: the sequential
//! worker, the process pool and the thread host are started on first use
//! and reused, so start-up cost is paid (and reported) once.
//!
//! It is also the one owner of "busy": a run, a Run-all, a sweep or the
//! race demo first takes a `BusyGuard` (`Lab::begin`) and holds it to the
//! end. Only a guard can run anything, `begin` refuses while one is held,
//! the page's reducer hears every change (`Lab::observe`), and Cancel stops
//! whatever holds the guard.

use crate::web::asyncio;
use crate::web::clock::{after_paint, now_ms, page_hidden};
use crate::web::features::shared_memory;
use crate::web::memory;
use crate::web::page_data::PageData;
use crate::web::pools::processes::ProcessPool;
use crate::web::pools::start;
use crate::web::pools::threads::ThreadPool;
use engine::analysis::costs::{MemoryPoint, StartCosts};
use engine::analysis::moving_data::{self, DataModel, DataRun, MoveMode};
use engine::analysis::report::{RunData, RunReport};
use engine::cores;
use engine::error::RunError;
use engine::python::bytecode::explore::CountCell;
use engine::python::bytecode::real::{RealResult, RealRun};
use engine::python::convoy::{ConvoyModel, ConvoyRun, ConvoySettings};
use engine::python::deadlock::{Outcome, Variant};
use engine::python::race::{RaceMode, RaceResult};
use engine::work::workload::{Plan, Workload};
use engine::WorkloadKind;
use engine::{Activity, Model, Settings, Strategy};
use futures::channel::oneshot;
use futures::future::{Either, Fuse, FusedFuture};
use futures::FutureExt;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

mod lease;
use lease::{ProcessLease, ThreadLease};

/// Fires once when the reader presses Cancel (or the guard is dropped).
pub(crate) struct CancelSignal {
    rx: Fuse<oneshot::Receiver<()>>,
}

impl CancelSignal {
    /// Resolves when Cancel is pressed; never again after that.
    pub(crate) async fn fired(&mut self) {
        let _ = (&mut self.rx).await;
    }

    /// Whether Cancel was pressed already.
    pub(crate) fn is_fired(&self) -> bool {
        self.rx.is_terminated()
    }
}

/// How long a terminated thread pool's workers take to be gone.
const LINGER_MS: u32 = 2_000;

/// How the page's one core probe ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    Measured(usize),
    Failed,
}

/// Who is told when the lab becomes busy or idle.
type Observer = Rc<dyn Fn(Option<Activity>)>;

/// The page's pools and who is using them.
#[derive(Default)]
pub(crate) struct Lab {
    /// One process for the sequential model (and asyncio's CPU loop).
    single: RefCell<Option<ProcessPool>>,
    processes: RefCell<Option<ProcessPool>>,
    threads: RefCell<Option<ThreadPool>>,
    busy: Cell<Option<Activity>>,
    cancel: RefCell<Option<oneshot::Sender<()>>>,
    observer: RefCell<Option<Observer>>,
    next_run: Cell<u64>,
    /// SHA-256 rounds per ms, measured once for mixed tasks.
    rounds_per_ms: Cell<Option<u32>>,
    /// The cores the page really gets, measured once (`engine::cores`).
    cores: Cell<Option<Probe>>,
    /// The parent's array of the moving-data runs.
    page_data: RefCell<Option<PageData>>,
}

thread_local! {
    static LAB: Rc<Lab> = Rc::new(Lab::default());
}

/// The page's one `Lab`.
pub(crate) fn lab() -> Rc<Lab> {
    LAB.with(|l| l.clone())
}

/// Live counters of the pools, for the page and the leak tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PoolStats {
    /// Live process workers (sequential + process pool).
    pub(crate) process_workers: usize,
    /// Threads of the live thread pool (0 when none).
    pub(crate) thread_pool_threads: usize,
    /// Wasm memory of the page, the thread host, and the largest process.
    pub(crate) page_memory: u64,
    pub(crate) host_memory: u64,
    pub(crate) process_memory: u64,
}

/// The right to use the lab's pools, held for the whole of one activity.
pub(crate) struct BusyGuard {
    lab: Rc<Lab>,
    cancel: CancelSignal,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.lab.cancel.borrow_mut().take();
        self.lab.busy.set(None);
        self.lab.notify();
    }
}

impl Lab {
    /// Takes the lab for `activity`, or says it is busy.
    pub(crate) fn begin(self: &Rc<Self>, activity: Activity) -> Result<BusyGuard, RunError> {
        if self.busy.get().is_some() {
            return Err(RunError::Busy);
        }
        let (tx, rx) = oneshot::channel();
        *self.cancel.borrow_mut() = Some(tx);
        self.busy.set(Some(activity));
        self.notify();
        Ok(BusyGuard { lab: self.clone(), cancel: CancelSignal { rx: rx.fuse() } })
    }

    /// Tells `observer` of every change of `busy` from now on.
    pub(crate) fn observe(&self, observer: Observer) {
        *self.observer.borrow_mut() = Some(observer);
    }

    fn notify(&self) {
        let observer = self.observer.borrow().clone();
        if let Some(f) = observer {
            f(self.busy.get());
        }
    }

    /// Asks whatever is running to stop. Returns whether anything was.
    pub(crate) fn cancel(&self) -> bool {
        match self.cancel.borrow_mut().take() {
            Some(tx) => tx.send(()).is_ok(),
            None => false,
        }
    }

    pub(crate) fn stats(&self) -> PoolStats {
        let size = |p: &RefCell<Option<ProcessPool>>| p.borrow().as_ref().map_or(0, ProcessPool::size);
        let mem = |p: &RefCell<Option<ProcessPool>>| p.borrow().as_ref().map_or(0, ProcessPool::memory);
        PoolStats {
            process_workers: size(&self.single) + size(&self.processes),
            thread_pool_threads: self.threads.borrow().as_ref().map_or(0, ThreadPool::threads),
            page_memory: crate::web::clock::wasm_memory_bytes(),
            host_memory: self.threads.borrow().as_ref().map_or(0, ThreadPool::memory),
            process_memory: mem(&self.single).max(mem(&self.processes)),
        }
    }

    /// Takes the thread pool out of the lab if it has `workers` threads, or
    /// starts one (terminating a pool of another size first). Returns it
    /// with its start-up time (0 when reused).
    async fn thread_pool(&self, workers: usize, cancel: &mut CancelSignal) -> Result<(ThreadLease<'_>, f64), RunError> {
        shared_memory().require()?;
        let current = self.threads.borrow_mut().take();
        let (pool, startup) = match current {
            Some(p) if p.threads() == workers => (p, 0.0),
            other => {
                drop(other);
                ThreadPool::start(workers, cancel).await?
            }
        };
        Ok((ThreadLease::new(&self.threads, pool), startup))
    }

    fn next_run_id(&self) -> u64 {
        let id = self.next_run.get() + 1;
        self.next_run.set(id);
        id
    }
}

/// `work`'s output, or `None` if Cancel is pressed first (or was already).
///
/// A free function, not a method of [`BusyGuard`]: the tour awaits the
/// lab's code with it, and `BusyGuard`'s methods are in that code
/// (scripts/lab_split.py moves them with the runner); this one and
/// [`CancelSignal`] stay with the tour.
pub(crate) async fn unless_cancelled<T>(
    guard: &mut BusyGuard,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    if guard.cancel.is_fired() {
        return None;
    }
    let fired = guard.cancel.fired();
    futures::pin_mut!(work, fired);
    match futures::future::select(work, fired).await {
        Either::Left((out, _)) => Some(out),
        Either::Right(_) => None,
    }
}

impl BusyGuard {
    /// Whether Cancel was pressed during this activity.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.is_fired()
    }

    /// The race demo: `mode` on `workers` threads, or (mode `None`) on
    /// `workers` processes, each adding `per_worker`.
    pub(crate) async fn race(
        &mut self,
        mode: Option<RaceMode>,
        workers: usize,
        per_worker: u64,
    ) -> Result<RaceResult, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        let lab = self.lab.clone();
        match mode {
            None => {
                let mut pool = ProcessLease::take(&lab.processes);
                pool.ensure(workers, &mut self.cancel).await?;
                pool.count(per_worker, &mut self.cancel).await
            }
            Some(mode) => {
                // Milliseconds of work on the host: not cancellable midway.
                let (mut lease, _) = lab.thread_pool(workers, &mut self.cancel).await?;
                let result = lease.pool().race(mode, per_worker).await;
                lease.keep_if(result.is_ok());
                result
            }
        }
    }

    /// Inside the interpreter: every interleaving of every scenario for
    /// `threads` threads of `iterations` each, counted in the sequential
    /// worker (never on the page's main thread).
    pub(crate) async fn explore(
        &mut self,
        threads: usize,
        iterations: i64,
        progress: &dyn Fn(usize),
    ) -> Result<Vec<CountCell>, RunError> {
        let lab = self.lab.clone();
        let mut pool = ProcessLease::take(&lab.single);
        pool.ensure(1, &mut self.cancel).await?;
        pool.explore(threads, iterations, progress, &mut self.cancel).await
    }

    /// Inside the interpreter: `run` for real on the thread host.
    pub(crate) async fn real_race(&mut self, run: RealRun) -> Result<RealResult, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        let lab = self.lab.clone();
        let (mut lease, _) = lab.thread_pool(run.threads, &mut self.cancel).await?;
        let id = lab.next_run_id();
        let outcome = lease.pool().real_race(id, run, &mut self.cancel).await;
        lease.keep_if(outcome.reusable);
        outcome.result
    }

    /// SHA-256 rounds per millisecond on this machine: measured once in a
    /// worker (the warm sequential one), then kept for the page's life, so
    /// every mixed run of the session does the same work.
    pub(crate) async fn rounds_per_ms(&mut self) -> Result<u32, RunError> {
        if let Some(r) = self.lab.rounds_per_ms.get() {
            return Ok(r);
        }
        let lab = self.lab.clone();
        let mut pool = ProcessLease::take(&lab.single);
        pool.ensure(1, &mut self.cancel).await?;
        let r = pool.calibrate(&mut self.cancel).await?;
        lab.rounds_per_ms.set(Some(r));
        Ok(r)
    }

    /// The cores this page really gets (see `engine::cores`), measured
    /// once per page load on fresh processes and then kept; `reported` is
    /// the browser's figure, which sets how many copies the probe runs.
    /// `Ok(None)`: the probe failed earlier in this load (it is not tried
    /// again: go by the browser's figure). The probe's processes are let go
    /// afterwards, so the next run's start-up is its own, not the probe's.
    pub(crate) async fn measure_cores(&mut self, reported: usize) -> Result<Option<usize>, RunError> {
        match self.lab.cores.get() {
            Some(Probe::Measured(n)) => return Ok(Some(n)),
            Some(Probe::Failed) => return Ok(None),
            None => {}
        }
        let lab = self.lab.clone();
        let width = cores::probe_width(reported);
        let mut pool = ProcessPool::default();
        let result = async {
            pool.ensure(width, &mut self.cancel).await?;
            // Span of the tasks' own clocks (first start to last end): what
            // the workers did, without the page's messaging around it.
            let span = |d: &RunData| {
                let start = d.outcomes.iter().map(|o| o.start_ms).fold(f64::INFINITY, f64::min);
                let end = d.outcomes.iter().map(|o| o.end_ms).fold(f64::NEG_INFINITY, f64::max);
                end - start
            };
            // A first round of all the copies warms every worker's kernel;
            // then rounds until `cores::another_round` says enough.
            let (mut alone, mut together) = (f64::INFINITY, f64::INFINITY);
            let (mut rounds, mut since) = (0, None);
            while cores::another_round(rounds, since.map_or(0.0, |t0| now_ms() - t0)) {
                let id = lab.next_run_id();
                let all = pool.run(id, cores::probe_tasks(width), Strategy::Static, &|_| {}, &mut self.cancel).await?;
                let id = lab.next_run_id();
                let one = pool.run(id, cores::probe_tasks(1), Strategy::Static, &|_| {}, &mut self.cancel).await?;
                if since.is_some() {
                    together = together.min(span(&all));
                    alone = alone.min(span(&one));
                    rounds += 1;
                } else {
                    since = Some(now_ms());
                }
            }
            cores::measured_cores(width, alone, together).ok_or_else(|| {
                RunError::Failed(engine::error::Failure::Messaging {
                    detail: format!("the core probe read no time (alone {alone} ms, together {together} ms)"),
                })
            })
        }
        .await;
        drop(pool);
        match result {
            Ok(n) => {
                lab.cores.set(Some(Probe::Measured(n)));
                Ok(Some(n))
            }
            // Cancel is the reader's: the probe runs again next time.
            Err(RunError::Cancelled) => Err(RunError::Cancelled),
            Err(e) => {
                lab.cores.set(Some(Probe::Failed));
                Err(e)
            }
        }
    }

    /// An array of `mib` MiB summed by `model` on `workers` workers (one for
    /// sequential): the fastest of `moving_data::REPEATS` runs.
    pub(crate) async fn move_data(&mut self, model: DataModel, mib: u64, workers: usize) -> Result<DataRun, RunError> {
        let mut runs = Vec::with_capacity(moving_data::REPEATS);
        self.settle().await?;
        for _ in 0..moving_data::REPEATS {
            runs.push(self.move_data_once(model, mib, workers).await?);
        }
        DataRun::fastest(runs).ok_or(RunError::Cancelled)
    }

    /// One moving-data run.
    async fn move_data_once(&mut self, model: DataModel, mib: u64, workers: usize) -> Result<DataRun, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        if model.needs_shared_memory() {
            shared_memory().require()?;
        }
        let lab = self.lab.clone();
        let run_id = lab.next_run_id();
        let len = moving_data::elements(mib);
        let parts = match model {
            DataModel::Sequential => {
                let mut pool = ProcessLease::take(&lab.single);
                pool.ensure(1, &mut self.cancel).await?;
                pool.sum_own(run_id, len, &mut self.cancel).await?
            }
            DataModel::Threads => {
                let (mut lease, _) = lab.thread_pool(workers, &mut self.cancel).await?;
                let outcome = lease.pool().sum_shared(run_id, len, &mut self.cancel).await;
                lease.keep_if(outcome.reusable);
                outcome.result?
            }
            DataModel::Processes(mode) => {
                let chunks = moving_data::chunks(len, workers);
                let shared = shared_memory().available();
                // The parent's array (made once, not timed), and this mode's
                // payloads (a transfer needs fresh buffers: made here, also
                // before the clock starts).
                let fits = lab.page_data.borrow().as_ref().is_some_and(|d| d.fits(len, &chunks, shared));
                if !fits {
                    lab.page_data.borrow_mut().take();
                    let made = PageData::make(len, &chunks, shared).await?;
                    *lab.page_data.borrow_mut() = Some(made);
                }
                let payloads = lab.page_data.borrow().as_ref().map(|d| d.payloads(mode)).unwrap_or_default();
                let mut pool = ProcessLease::take(&lab.processes);
                pool.ensure(workers, &mut self.cancel).await?;
                pool.sum_given(run_id, &chunks, mode == MoveMode::Shared, &payloads, &mut self.cancel).await?
            }
        };
        // From the moment the parent has its data (and starts sending, or
        // summing) to the last sum.
        let started_at = parts.iter().map(|p| p.sent_at).fold(f64::INFINITY, f64::min);
        let finished_at = parts.iter().map(|p| p.finished_at).fold(f64::NEG_INFINITY, f64::max);
        let workers = if model == DataModel::Sequential { 1 } else { workers };
        Ok(DataRun { model, mib, workers, started_at, finished_at, parts })
    }

    /// The memory of `n` processes and of a pool of `n` threads, for each
    /// `n` of `counts`. All the processes are measured first, with no
    /// thread pool alive: the browser's count waits for every worker of the
    /// page to answer, and idle pool threads are parked in `Atomics.wait`
    /// (even a just-terminated pool's can linger a while). The sequential
    /// worker is let go too, so the processes counted are the pool's.
    pub(crate) async fn measure_memory(&mut self, counts: &[usize]) -> Result<Vec<MemoryPoint>, RunError> {
        let lab = self.lab.clone();
        // Start from no workers at all, then only grow (`counts` ascending):
        // a terminated worker leaves a moment later (a second or so,
        // measured here), and the browser's count would wait for it until
        // it gave up.
        let single = lab.single.borrow_mut().take().is_some_and(|p| p.size() > 0);
        let threads = lab.threads.borrow_mut().take().is_some();
        let procs = lab.processes.borrow_mut().take().is_some_and(|p| p.size() > 0);
        if single || threads || procs {
            gloo_timers::future::TimeoutFuture::new(LINGER_MS).await;
        }
        let mut counts = counts.to_vec();
        counts.sort_unstable();
        let mut processes = Vec::new();
        for &n in &counts {
            if self.cancelled() {
                return Err(RunError::Cancelled);
            }
            let wasm = {
                let mut pool = ProcessLease::take(&lab.processes);
                match pool.ensure(n, &mut self.cancel).await {
                    Ok(_) => pool.memory_report(&mut self.cancel).await,
                    Err(e) => Err(e),
                }
            };
            let browser = if memory::can_measure() { memory::measure().await.ok() } else { None };
            processes.push((n, wasm?, browser));
        }
        let mut points = Vec::new();
        for (n, wasm, browser) in processes {
            // The threads: their one shared wasm memory, which holds every
            // thread's stack too.
            let threads_wasm = if shared_memory().available() {
                let (mut lease, _) = lab.thread_pool(n, &mut self.cancel).await?;
                lease.keep_if(true);
                Some(lease.pool().memory())
            } else {
                None
            };
            points.push(MemoryPoint::new(n, wasm, threads_wasm, browser));
        }
        Ok(points)
    }

    /// The start cost of a process by each method: `repeats` fresh starts
    /// spawned, as many handed the compiled module, and as many round trips
    /// of a trivial task on the warm pool — medians.
    pub(crate) async fn start_costs(&mut self, repeats: usize) -> Result<StartCosts, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        let module = start::compile_module().await?;
        let (mut spawn, mut fork) = (Vec::new(), Vec::new());
        for _ in 0..repeats {
            if self.cancelled() {
                return Err(RunError::Cancelled);
            }
            spawn.push(start::start_once(None).await?);
            fork.push(start::start_once(Some(&module)).await?);
        }
        let lab = self.lab.clone();
        let mut pool = ProcessLease::take(&lab.processes);
        let size = pool.size();
        pool.ensure(size.max(1), &mut self.cancel).await?;
        let mut reuse = Vec::new();
        let trivial = Workload { kind: WorkloadKind::SumRange, size: 1, tasks: 1, plan: Plan::Uniform, mix: None };
        for _ in 0..repeats * 4 {
            let id = lab.next_run_id();
            let data = pool.run(id, trivial.tasks(), Strategy::Dynamic { chunk: 1 }, &|_| {}, &mut self.cancel).await?;
            reuse.push(data.finished_at - data.started_at);
        }
        Ok(StartCosts::new(&spawn, &fork, &reuse))
    }

    /// The deadlock demo's `variant` on two pool threads, with a watchdog
    /// of `watchdog_ms`. A deadlock is an outcome, not an error: the
    /// watchdog cancels the stuck acquires and the pool is kept.
    pub(crate) async fn deadlock(&mut self, variant: Variant, watchdog_ms: u64) -> Result<Outcome, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        let lab = self.lab.clone();
        let run_id = lab.next_run_id();
        // Any pool of two threads or more will do: no need for a new one.
        let current = lab.threads.borrow().as_ref().map_or(0, ThreadPool::threads);
        let (mut lease, _) = lab.thread_pool(current.max(2), &mut self.cancel).await?;
        let outcome = lease.pool().deadlock(run_id, variant, watchdog_ms, &mut self.cancel).await;
        lease.keep_if(outcome.reusable);
        outcome.result
    }

    /// One convoy measurement: `model` with `cpu_threads` CPU loops beside
    /// the I/O loop. The pools are sized for the view's largest count, so
    /// they are started once for the whole view.
    pub(crate) async fn convoy(
        &mut self,
        model: ConvoyModel,
        cpu_threads: usize,
        settings: ConvoySettings,
    ) -> Result<ConvoyRun, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        self.settle().await?;
        let lab = self.lab.clone();
        let run_id = lab.next_run_id();
        let size = settings.max_cpu_threads + 1;
        let (waits, wait_ms) = (settings.waits, settings.wait_ms);
        let (samples, blocking) = match model {
            ConvoyModel::GilThreads | ConvoyModel::FreeThreads => {
                let gil = (model == ConvoyModel::GilThreads).then_some(settings.switch_interval_ms);
                let (mut lease, _) = lab.thread_pool(size, &mut self.cancel).await?;
                let outcome = lease.pool().convoy(run_id, cpu_threads, waits, wait_ms, gil, &mut self.cancel).await;
                lease.keep_if(outcome.reusable);
                (outcome.result?, true)
            }
            ConvoyModel::Processes => {
                let mut pool = ProcessLease::take(&lab.processes);
                pool.ensure(size, &mut self.cancel).await?;
                pool.convoy(run_id, cpu_threads, waits, wait_ms, &mut self.cancel).await?
            }
        };
        Ok(ConvoyRun {
            model,
            cpu_threads,
            wait_ms,
            switch_interval_ms: settings.switch_interval_ms,
            samples,
            blocking,
        })
    }

    /// Waits for the page to draw what it shows before a run's clock
    /// starts (`clock::after_paint`), unless Cancel comes first.
    async fn settle(&mut self) -> Result<(), RunError> {
        let paint = after_paint().fuse();
        futures::pin_mut!(paint);
        futures::select! {
            _ = paint => Ok(()),
            _ = self.cancel.fired().fuse() => Err(RunError::Cancelled),
        }
    }

    /// Runs `settings.model`; `progress` gets (tasks done, tasks total).
    pub(crate) async fn run(
        &mut self,
        mut settings: Settings,
        progress: &dyn Fn(usize, usize),
    ) -> Result<RunReport, RunError> {
        if self.cancelled() {
            return Err(RunError::Cancelled);
        }
        // Mixed tasks need this machine's calibration first.
        if let Some(mix) = settings.workload.mix.as_mut().filter(|m| m.rounds_per_ms == 0) {
            mix.rounds_per_ms = self.rounds_per_ms().await?;
        }
        // A hidden tab's timers are throttled (to once a second or less):
        // note any moment the page spent hidden so the run is flagged.
        let hidden = Rc::new(Cell::new(page_hidden()));
        let watch = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let hidden = hidden.clone();
            gloo_events::EventListener::new(&doc, "visibilitychange", move |_| {
                if page_hidden() {
                    hidden.set(true);
                }
            })
        });
        let total = settings.workload.tasks;
        progress(0, total);
        self.settle().await?;
        let result = self.run_model(settings, &|done| progress(done, total)).await;
        drop(watch);
        result.map(|(startup_ms, data)| {
            let mut report = RunReport::new(&settings, startup_ms, data);
            report.hidden = hidden.get() || page_hidden();
            report
        })
    }

    /// Runs the model; returns its pool's start-up time and the run's data.
    async fn run_model(&mut self, settings: Settings, progress: &dyn Fn(usize)) -> Result<(f64, RunData), RunError> {
        let lab = self.lab.clone();
        let run_id = lab.next_run_id();
        let workload = settings.workload;
        let tasks = if settings.crash { workload.tasks_with_crash() } else { workload.tasks() };
        let workers = settings.effective_workers();
        let cancel = &mut self.cancel;
        match settings.model {
            // Sequential is one process given every task as one batch.
            Model::Sequential | Model::Processes => {
                let (slot, strategy) = if settings.model == Model::Sequential {
                    (&lab.single, Strategy::Dynamic { chunk: tasks.len().max(1) })
                } else {
                    (&lab.processes, settings.strategy)
                };
                let mut pool = ProcessLease::take(slot);
                let startup = pool.ensure(workers, cancel).await?;
                Ok((startup, pool.run(run_id, tasks, strategy, progress, cancel).await?))
            }
            Model::Threads | Model::GilThreads => {
                let (mut lease, startup) = lab.thread_pool(workers, cancel).await?;
                let gil = (settings.model == Model::GilThreads).then_some(settings.switch_interval_ms);
                let outcome = lease.pool().run(run_id, tasks, settings.strategy, gil, progress, cancel).await;
                lease.keep_if(outcome.reusable);
                Ok((startup, outcome.result?))
            }
            // Waits overlap on the page's own event loop.
            Model::Asyncio if workload.kind.is_io() => {
                let total = tasks.len();
                let run = asyncio::gather(tasks, asyncio::io_answer).fuse();
                futures::pin_mut!(run);
                futures::select! {
                    data = run => {
                        progress(total);
                        Ok((0.0, data))
                    }
                    _ = cancel.fired().fuse() => Err(RunError::Cancelled),
                }
            }
            // CPU work would block the page's loop: run that loop in a worker.
            Model::Asyncio => {
                let mut pool = ProcessLease::take(&lab.single);
                let startup = pool.ensure(1, cancel).await?;
                Ok((startup, pool.run_event_loop(run_id, tasks, progress, cancel).await?))
            }
        }
    }
}
