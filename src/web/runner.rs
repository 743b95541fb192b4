//! Runs one model on one workload, end to end, and returns its report.
//!
//! The `Lab` owns the page's pools for the whole session: the sequential
//! worker, the process pool and the thread host are started on first use
//! and reused, so start-up cost is paid (and reported) once.

use crate::engine::error::RunError;
use crate::engine::race::{RaceMode, RaceResult};
use crate::engine::report::RunReport;
use crate::engine::{Model, Settings, Strategy};
use crate::web::asyncio;
use crate::web::clock::{cross_origin_isolated, page_hidden};
use crate::web::process_pool::ProcessPool;
use crate::web::thread_pool::ThreadPool;
use futures::channel::oneshot;
use futures::FutureExt;
use std::cell::{Cell, RefCell};

/// The page's pools and the cancel switch of the run in progress.
#[derive(Default)]
pub struct Lab {
    /// One process for the sequential model (and asyncio's CPU loop).
    single: RefCell<Option<ProcessPool>>,
    processes: RefCell<Option<ProcessPool>>,
    threads: RefCell<Option<ThreadPool>>,
    cancel: RefCell<Option<oneshot::Sender<()>>>,
    next_run: Cell<u64>,
}

thread_local! {
    static LAB: std::rc::Rc<Lab> = std::rc::Rc::new(Lab::default());
}

/// The page's one `Lab`.
pub fn lab() -> std::rc::Rc<Lab> {
    LAB.with(|l| l.clone())
}

/// Live counters of the pools, for the page and the leak tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolStats {
    /// Live process workers (sequential + process pool).
    pub process_workers: usize,
    /// Threads of the live thread pool (0 when none).
    pub thread_pool_threads: usize,
    /// Wasm memory of the page, the thread host, and the largest process.
    pub page_memory: u64,
    pub host_memory: u64,
    pub process_memory: u64,
}

impl Lab {
    pub fn is_running(&self) -> bool {
        self.cancel.borrow().is_some()
    }

    /// Asks the run in progress to stop. Returns whether one was running.
    pub fn cancel(&self) -> bool {
        match self.cancel.borrow_mut().take() {
            Some(tx) => tx.send(()).is_ok(),
            None => false,
        }
    }

    pub fn stats(&self) -> PoolStats {
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
    /// with its start-up time (0 when reused); the caller puts it back.
    async fn thread_pool(&self, workers: usize) -> Result<(ThreadPool, f64), RunError> {
        let current = self.threads.borrow_mut().take();
        match current {
            Some(p) if p.threads() == workers => Ok((p, 0.0)),
            other => {
                drop(other);
                ThreadPool::start(workers).await
            }
        }
    }

    /// The race demo: `mode` on `workers` threads, or (mode `None`) on
    /// `workers` processes, each adding `per_worker`.
    pub async fn race(&self, mode: Option<RaceMode>, workers: usize, per_worker: u64) -> Result<RaceResult, RunError> {
        if self.is_running() {
            return Err(RunError::Busy);
        }
        match mode {
            None => {
                let mut pool = self.processes.borrow_mut().take().unwrap_or_default();
                let result = async {
                    pool.ensure(workers).await?;
                    pool.count(per_worker).await
                }
                .await;
                *self.processes.borrow_mut() = Some(pool);
                result
            }
            Some(mode) => {
                if !cross_origin_isolated() {
                    return Err(RunError::Unavailable("threads need a cross-origin isolated page".into()));
                }
                let (mut pool, _) = self.thread_pool(workers).await?;
                let result = pool.race(mode, per_worker).await;
                if result.is_ok() {
                    *self.threads.borrow_mut() = Some(pool);
                }
                result
            }
        }
    }

    /// Runs `settings.model`; `progress` gets (tasks done, tasks total).
    pub async fn run(&self, settings: Settings, progress: &dyn Fn(usize, usize)) -> Result<RunReport, RunError> {
        if self.is_running() {
            return Err(RunError::Busy);
        }
        let (tx, rx) = oneshot::channel();
        *self.cancel.borrow_mut() = Some(tx);
        let mut cancel = rx.fuse();
        // A hidden tab's timers are throttled (to once a second or less):
        // note any moment the page spent hidden so the run is flagged.
        let hidden = std::rc::Rc::new(Cell::new(page_hidden()));
        let watch = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let hidden = hidden.clone();
            gloo_events::EventListener::new(&doc, "visibilitychange", move |_| {
                if page_hidden() {
                    hidden.set(true);
                }
            })
        });
        let mut result = self.run_inner(settings, progress, &mut cancel).await;
        drop(watch);
        if let Ok(r) = &mut result {
            r.hidden = hidden.get() || page_hidden();
        }
        self.cancel.borrow_mut().take();
        result
    }

    async fn run_inner(
        &self,
        settings: Settings,
        progress: &dyn Fn(usize, usize),
        cancel: &mut futures::future::Fuse<oneshot::Receiver<()>>,
    ) -> Result<RunReport, RunError> {
        let run_id = self.next_run.get() + 1;
        self.next_run.set(run_id);
        let workload = settings.workload;
        let tasks = if settings.crash { workload.tasks_with_crash() } else { workload.tasks() };
        let total = tasks.len();
        let report_progress = |done: usize| progress(done, total);
        progress(0, total);
        let workers = settings.effective_workers();
        match settings.model {
            // Sequential is one process given every task as one batch.
            Model::Sequential | Model::Processes => {
                let sequential = settings.model == Model::Sequential;
                let (slot, strategy) = if sequential {
                    (&self.single, Strategy::Dynamic { chunk: tasks.len().max(1) })
                } else {
                    (&self.processes, settings.strategy)
                };
                let mut pool = slot.borrow_mut().take().unwrap_or_default();
                let result = async {
                    let startup = pool.ensure(workers).await?;
                    let (t0, t1, outcomes, failures) =
                        pool.run(run_id, &tasks, workers, strategy, &report_progress, cancel).await?;
                    let shown_strategy = (!sequential).then_some(strategy);
                    let mut r = RunReport::assemble(
                        settings.model,
                        shown_strategy,
                        workload,
                        workers,
                        startup,
                        t0,
                        t1,
                        outcomes,
                    );
                    r.failures = failures;
                    Ok(r)
                }
                .await;
                *slot.borrow_mut() = Some(pool);
                result
            }
            Model::Threads | Model::GilThreads => {
                if !cross_origin_isolated() {
                    return Err(RunError::Unavailable(
                        "threads need shared memory, which the browser only allows on a cross-origin isolated page"
                            .into(),
                    ));
                }
                let (mut pool, startup) = self.thread_pool(workers).await?;
                let gil = (settings.model == Model::GilThreads).then_some(settings.switch_interval_ms);
                let result = pool.run(run_id, tasks, settings.strategy, gil, &report_progress, cancel).await;
                match result {
                    Ok((t0, t1, outcomes)) => {
                        *self.threads.borrow_mut() = Some(pool);
                        Ok(RunReport::assemble(
                            settings.model,
                            Some(settings.strategy),
                            workload,
                            workers,
                            startup,
                            t0,
                            t1,
                            outcomes,
                        ))
                    }
                    // The pool is fine after a cancel; after a failure it
                    // may hold stuck threads, so it is dropped.
                    Err(RunError::Cancelled) => {
                        *self.threads.borrow_mut() = Some(pool);
                        Err(RunError::Cancelled)
                    }
                    Err(e) => Err(e),
                }
            }
            Model::Asyncio => {
                if workload.kind.is_io() {
                    let run = asyncio::gather(tasks).fuse();
                    futures::pin_mut!(run);
                    let mut cancel = cancel;
                    futures::select! {
                        (t0, t1, outcomes, failures, blocked) = run => {
                            report_progress(total);
                            let mut r = RunReport::assemble(Model::Asyncio, None, workload, 1, 0.0, t0, t1, outcomes);
                            r.loop_blocked_ms = Some(blocked);
                            r.failures = failures;
                            Ok(r)
                        }
                        _ = cancel => Err(RunError::Cancelled),
                    }
                } else {
                    let mut pool = self.single.borrow_mut().take().unwrap_or_default();
                    let result = async {
                        let startup = pool.ensure(1).await?;
                        let ((t0, t1, outcomes), blocked) = pool.run_event_loop(run_id, tasks, cancel).await?;
                        report_progress(total);
                        let mut r = RunReport::assemble(Model::Asyncio, None, workload, 1, startup, t0, t1, outcomes);
                        r.loop_blocked_ms = Some(blocked);
                        Ok(r)
                    }
                    .await;
                    *self.single.borrow_mut() = Some(pool);
                    result
                }
            }
        }
    }
}
