//! A pool of "processes": separate-memory module workers, each with its own
//! wasm instance, fed tasks by message, like `ProcessPoolExecutor`.
//!
//! The pool is kept between runs (start-up is paid once, and reported
//! separately from work time). Cancel terminates every worker, as
//! `pool.terminate()` does; the next run starts fresh ones. A worker that
//! crashes mid-task is reported, replaced, and given the rest of its work;
//! the other workers' results are kept (`multiprocessing.Pool` replaces dead
//! workers the same way).

use crate::engine::error::RunError;
use crate::engine::protocol::{ProcReply, ProcRequest};
use crate::engine::race::RaceResult;
use crate::engine::report::{TaskFailure, TaskOutcome};
use crate::engine::schedule::TaskSource;
use crate::engine::workload::Task;
use crate::engine::Strategy;
use crate::web::clock::now_ms;
use crate::web::messaging::{Tagged, WorkerLink};
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::channel::oneshot;
use futures::future::Fuse;
use futures::{select, FutureExt, StreamExt};
use std::collections::VecDeque;

/// Where trunk puts the process worker's loader (`data-loader-shim`).
const WORKER_URL: &str = "./process_worker_loader.js";

type Link = WorkerLink<ProcRequest, ProcReply>;

/// One live worker: its link and the unique id its replies are tagged with
/// (a replacement gets a new id, so late replies of a dead worker are
/// recognised and dropped).
struct Slot {
    id: usize,
    link: Link,
}

pub struct ProcessPool {
    slots: Vec<Slot>,
    /// The largest wasm memory a worker reported, in bytes.
    memory: u64,
    next_id: usize,
    tx: UnboundedSender<Tagged<ProcReply>>,
    inbox: UnboundedReceiver<Tagged<ProcReply>>,
    /// Replies that arrived while a replacement worker was starting; the
    /// run loop reads them before the channel.
    stash: VecDeque<Tagged<ProcReply>>,
}

impl Default for ProcessPool {
    fn default() -> Self {
        let (tx, inbox) = unbounded();
        ProcessPool { slots: Vec::new(), memory: 0, next_id: 0, tx, inbox, stash: VecDeque::new() }
    }
}

/// (started_at, finished_at, outcomes, failures)
pub type RunOutput = (f64, f64, Vec<TaskOutcome>, Vec<TaskFailure>);

impl ProcessPool {
    pub fn size(&self) -> usize {
        self.slots.len()
    }

    pub fn memory(&self) -> u64 {
        self.memory
    }

    /// Terminates every worker (cancel, or a failure we cannot recover from).
    pub fn terminate(&mut self) {
        // Dropping a link terminates its worker. Replies still queued from
        // them must not leak into the next run: start a fresh channel.
        *self = ProcessPool::default();
    }

    fn slot_of(&self, id: usize) -> Option<usize> {
        self.slots.iter().position(|s| s.id == id)
    }

    /// Starts a worker with a fresh id (it still has to load).
    fn new_slot(&mut self) -> Result<Slot, RunError> {
        let id = self.next_id;
        self.next_id += 1;
        let link = Link::spawn(WORKER_URL, id, self.tx.clone()).map_err(RunError::Unavailable)?;
        Ok(Slot { id, link })
    }

    /// Replaces the worker in `slot` (dropping the old one terminates it)
    /// and waits until the new one has loaded.
    async fn replace(&mut self, slot: usize) -> Result<(), RunError> {
        let fresh = self.new_slot()?;
        let id = fresh.id;
        self.slots[slot] = fresh;
        self.wait_loaded(&[id]).await
    }

    async fn wait_loaded(&mut self, ids: &[usize]) -> Result<(), RunError> {
        let mut left: Vec<usize> = ids.to_vec();
        while !left.is_empty() {
            match self.inbox.next().await {
                Some((id, Ok(ProcReply::Loaded))) => left.retain(|&x| x != id),
                Some((id, Err(e))) if left.contains(&id) => {
                    self.terminate();
                    return Err(RunError::Unavailable(format!("a process failed to start: {e}")));
                }
                // Other workers keep working meanwhile: keep their replies.
                Some(other) => self.stash.push_back(other),
                None => return Err(RunError::Unavailable("the process pool closed".into())),
            }
        }
        Ok(())
    }

    /// The next reply: stashed ones first.
    async fn next_reply(&mut self) -> Option<Tagged<ProcReply>> {
        match self.stash.pop_front() {
            Some(r) => Some(r),
            None => self.inbox.next().await,
        }
    }

    /// Makes the pool exactly `n` workers; returns the start-up time spent.
    pub async fn ensure(&mut self, n: usize) -> Result<f64, RunError> {
        let t0 = now_ms();
        self.slots.truncate(n);
        let first_new = self.slots.len();
        let mut ids = Vec::new();
        for _ in first_new..n {
            let slot = self.new_slot()?;
            ids.push(slot.id);
            self.slots.push(slot);
        }
        self.wait_loaded(&ids).await?;
        Ok(if first_new == n { 0.0 } else { now_ms() - t0 })
    }

    fn send(&self, slot: usize, req: &ProcRequest) -> Result<(), RunError> {
        self.slots
            .get(slot)
            .ok_or_else(|| RunError::WorkerFailed(format!("no process {slot}")))?
            .link
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
        let workers = workers.min(self.slots.len()).max(1);
        let source = TaskSource::new(strategy, tasks.len(), workers);
        let started_at = now_ms();
        // Task ids sent to each worker and not yet answered, in order: the
        // front one is the task the worker is running.
        let mut pending: Vec<VecDeque<usize>> = vec![VecDeque::new(); workers];
        let dispatch = |pool: &Self, w: usize, ids: Vec<usize>, pending: &mut Vec<VecDeque<usize>>| {
            if ids.is_empty() {
                return Ok(());
            }
            pending[w].extend(ids.iter().copied());
            let batch = ids.into_iter().map(|i| tasks[i]).collect();
            pool.send(w, &ProcRequest::Batch { run_id, worker: w, tasks: batch })
        };
        for w in 0..workers {
            let ids: Vec<usize> = match strategy {
                Strategy::Static => source.static_slice(w),
                Strategy::Dynamic { .. } => source.next_chunk().map(|r| r.collect()).unwrap_or_default(),
            };
            dispatch(self, w, ids, &mut pending)?;
        }
        let mut outcomes = Vec::with_capacity(tasks.len());
        let mut failures: Vec<TaskFailure> = Vec::new();
        let mut last_crash = String::new();
        while outcomes.len() + failures.len() < tasks.len() {
            select! {
                reply = self.next_reply().fuse() => {
                    let Some((id, msg)) = reply else {
                        return Err(RunError::WorkerFailed("the process pool closed".into()));
                    };
                    // Late replies of a replaced worker are dropped.
                    let Some(w) = self.slot_of(id).filter(|&w| w < workers) else { continue };
                    match msg {
                        Ok(ProcReply::Done { run_id: r, outcome, memory }) if r == run_id => {
                            self.memory = self.memory.max(memory);
                            pending[w].retain(|&t| t != outcome.task);
                            outcomes.push(outcome);
                            progress(outcomes.len() + failures.len());
                            if pending[w].is_empty() {
                                if let Some(range) = source.next_chunk() {
                                    dispatch(self, w, range.collect(), &mut pending)?;
                                }
                            }
                        }
                        // The panic hook speaks first; the error event follows.
                        Ok(ProcReply::Crashed { message }) => last_crash = message,
                        Ok(_) => {}
                        Err(event) => {
                            // The worker died: its running task is lost, the
                            // rest of its queue goes to a fresh worker.
                            let Some(lost) = pending[w].pop_front() else {
                                self.terminate();
                                return Err(RunError::WorkerFailed(format!("process {w}: {event}")));
                            };
                            let message = if last_crash.is_empty() { event } else { std::mem::take(&mut last_crash) };
                            failures.push(TaskFailure { task: lost, worker: w, message });
                            progress(outcomes.len() + failures.len());
                            let rest: Vec<usize> = pending[w].drain(..).collect();
                            self.replace(w).await?;
                            let mut rest = rest;
                            if rest.is_empty() {
                                rest = source.next_chunk().map(|r| r.collect()).unwrap_or_default();
                            }
                            dispatch(self, w, rest, &mut pending)?;
                        }
                    }
                },
                _ = cancel => {
                    self.terminate();
                    return Err(RunError::Cancelled);
                }
            }
        }
        Ok((started_at, now_ms(), outcomes, failures))
    }

    /// The race demo's process variant: every process counts `n` in its own
    /// memory; the counts come back by message and are summed here.
    pub async fn count(&mut self, n: u64) -> Result<RaceResult, RunError> {
        let t0 = now_ms();
        for w in 0..self.slots.len() {
            self.send(w, &ProcRequest::Count { n })?;
        }
        let mut counted = 0;
        let mut left = self.slots.len();
        while left > 0 {
            match self.inbox.next().await {
                Some((_, Ok(ProcReply::Counted { n, .. }))) => {
                    counted += n;
                    left -= 1;
                }
                Some((_, Ok(_))) => {}
                Some((_, Err(e))) => {
                    self.terminate();
                    return Err(RunError::WorkerFailed(e));
                }
                None => return Err(RunError::WorkerFailed("the process pool closed".into())),
            }
        }
        let workers = self.slots.len();
        Ok(RaceResult { mode: None, workers, expected: n * workers as u64, counted, ms: now_ms() - t0 })
    }

    /// Runs `tasks` as one asyncio event loop inside process 0.
    pub async fn run_event_loop(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        cancel: &mut Fuse<oneshot::Receiver<()>>,
    ) -> Result<((f64, f64, Vec<TaskOutcome>), f64), RunError> {
        let mut cancel = cancel;
        let started_at = now_ms();
        self.send(0, &ProcRequest::EventLoop { run_id, tasks })?;
        let mut last_crash = String::new();
        loop {
            select! {
                reply = self.inbox.next() => match reply {
                    Some((_, Ok(ProcReply::LoopDone { run_id: r, outcomes, blocked_ms }))) if r == run_id => {
                        return Ok(((started_at, now_ms(), outcomes), blocked_ms));
                    }
                    Some((_, Ok(ProcReply::Crashed { message }))) => last_crash = message,
                    Some((_, Ok(_))) => {}
                    Some((_, Err(e))) => {
                        self.terminate();
                        let why = if last_crash.is_empty() { e } else { last_crash };
                        return Err(RunError::WorkerFailed(format!("the event loop died: {why}")));
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
