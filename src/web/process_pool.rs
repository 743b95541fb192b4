//! A pool of "processes": separate-memory module workers, each with its own
//! wasm instance, fed tasks by message, like `ProcessPoolExecutor`.
//!
//! The pool is kept between runs (start-up is paid once, and reported
//! separately from work time). Cancel terminates every worker, as
//! `pool.terminate()` does; the next run starts fresh ones.

use crate::engine::error::RunError;
use crate::engine::protocol::{ProcReply, ProcRequest};
use crate::engine::report::TaskOutcome;
use crate::engine::schedule::TaskSource;
use crate::engine::workload::Task;
use crate::engine::Strategy;
use crate::web::clock::now_ms;
use crate::web::messaging::{Tagged, WorkerLink};
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::channel::oneshot;
use futures::future::Fuse;
use futures::{select, StreamExt};

/// Where trunk puts the process worker's loader (`data-loader-shim`).
const WORKER_URL: &str = "./process_worker_loader.js";

type Link = WorkerLink<ProcRequest, ProcReply>;

pub struct ProcessPool {
    workers: Vec<Link>,
    tx: UnboundedSender<Tagged<ProcReply>>,
    inbox: UnboundedReceiver<Tagged<ProcReply>>,
}

impl Default for ProcessPool {
    fn default() -> Self {
        let (tx, inbox) = unbounded();
        ProcessPool { workers: Vec::new(), tx, inbox }
    }
}

/// (started_at, finished_at, outcomes)
pub type RunOutput = (f64, f64, Vec<TaskOutcome>);

impl ProcessPool {
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// Terminates every worker (cancel, or a crash we cannot recover from).
    pub fn terminate(&mut self) {
        self.workers.clear();
        // Replies still queued from the terminated workers must not leak
        // into the next run: start a fresh channel.
        *self = ProcessPool::default();
    }

    /// Makes the pool exactly `n` workers; returns the start-up time spent.
    pub async fn ensure(&mut self, n: usize) -> Result<f64, RunError> {
        let t0 = now_ms();
        self.workers.truncate(n);
        let first_new = self.workers.len();
        for tag in first_new..n {
            let link = Link::spawn(WORKER_URL, tag, self.tx.clone()).map_err(RunError::Unavailable)?;
            self.workers.push(link);
        }
        let mut loaded = first_new;
        while loaded < n {
            match self.inbox.next().await {
                Some((_, Ok(ProcReply::Loaded))) => loaded += 1,
                Some((_, Ok(_))) => {}
                Some((w, Err(e))) => {
                    self.terminate();
                    return Err(RunError::Unavailable(format!("process {w} failed to start: {e}")));
                }
                None => return Err(RunError::Unavailable("the process pool closed".into())),
            }
        }
        Ok(if first_new == n { 0.0 } else { now_ms() - t0 })
    }

    fn send(&self, worker: usize, req: &ProcRequest) -> Result<(), RunError> {
        self.workers
            .get(worker)
            .ok_or_else(|| RunError::WorkerFailed(format!("no process {worker}")))?
            .send(req)
            .map_err(RunError::WorkerFailed)
    }

    /// Runs `tasks` on the first `workers` processes.
    pub async fn run(
        &mut self,
        run_id: u64,
        tasks: &[Task],
        workers: usize,
        strategy: Strategy,
        progress: &dyn Fn(usize),
        cancel: &mut Fuse<oneshot::Receiver<()>>,
    ) -> Result<RunOutput, RunError> {
        let mut cancel = cancel;
        let workers = workers.min(self.workers.len()).max(1);
        let source = TaskSource::new(strategy, tasks.len(), workers);
        let started_at = now_ms();
        // Tasks sent to each worker and not yet answered.
        let mut pending = vec![0usize; workers];
        let batch = |ids: Vec<usize>| -> Vec<Task> { ids.into_iter().map(|i| tasks[i]).collect() };
        for (w, slot) in pending.iter_mut().enumerate() {
            let ids: Vec<usize> = match strategy {
                Strategy::Static => source.static_slice(w),
                Strategy::Dynamic { .. } => source.next_chunk().map(|r| r.collect()).unwrap_or_default(),
            };
            if !ids.is_empty() {
                *slot = ids.len();
                self.send(w, &ProcRequest::Batch { run_id, worker: w, tasks: batch(ids) })?;
            }
        }
        let mut outcomes = Vec::with_capacity(tasks.len());
        while outcomes.len() < tasks.len() {
            select! {
                reply = self.inbox.next() => match reply {
                    Some((w, Ok(ProcReply::Done { run_id: r, outcome }))) if r == run_id => {
                        outcomes.push(outcome);
                        progress(outcomes.len());
                        if let Some(p) = pending.get_mut(w) {
                            *p = p.saturating_sub(1);
                            if *p == 0 {
                                if let Some(range) = source.next_chunk() {
                                    *p = range.len();
                                    self.send(w, &ProcRequest::Batch { run_id, worker: w, tasks: batch(range.collect()) })?;
                                }
                            }
                        }
                    }
                    Some((w, Ok(ProcReply::Failed { message, .. }))) => {
                        self.terminate();
                        return Err(RunError::WorkerFailed(format!("process {w}: {message}")));
                    }
                    Some((_, Ok(_))) => {}
                    Some((w, Err(e))) => {
                        self.terminate();
                        return Err(RunError::WorkerFailed(format!("process {w}: {e}")));
                    }
                    None => return Err(RunError::WorkerFailed("the process pool closed".into())),
                },
                _ = cancel => {
                    self.terminate();
                    return Err(RunError::Cancelled);
                }
            }
        }
        Ok((started_at, now_ms(), outcomes))
    }

    /// Runs `tasks` as one asyncio event loop inside process 0.
    pub async fn run_event_loop(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        cancel: &mut Fuse<oneshot::Receiver<()>>,
    ) -> Result<(RunOutput, f64), RunError> {
        let mut cancel = cancel;
        let started_at = now_ms();
        self.send(0, &ProcRequest::EventLoop { run_id, tasks })?;
        loop {
            select! {
                reply = self.inbox.next() => match reply {
                    Some((_, Ok(ProcReply::LoopDone { run_id: r, outcomes, blocked_ms }))) if r == run_id => {
                        return Ok(((started_at, now_ms(), outcomes), blocked_ms));
                    }
                    Some((_, Ok(ProcReply::Failed { message, .. }))) => {
                        self.terminate();
                        return Err(RunError::WorkerFailed(message));
                    }
                    Some((_, Ok(_))) => {}
                    Some((_, Err(e))) => {
                        self.terminate();
                        return Err(RunError::WorkerFailed(e));
                    }
                    None => return Err(RunError::WorkerFailed("the event-loop worker closed".into())),
                },
                _ = cancel => {
                    self.terminate();
                    return Err(RunError::Cancelled);
                }
            }
        }
    }
}
