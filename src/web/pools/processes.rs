//! A pool of "processes": separate-memory module workers, each with its own
//! wasm instance, fed tasks by message, like `ProcessPoolExecutor`. On an
//! isolated page a queue run's workers take their next task from one shared
//! counter instead of waiting for the page to send it (see
//! `engine::pools::process::Delivery`).
//!
//! This is the thin adapter around `engine::pools::process::ProcessPoolBook`:
//! it starts and terminates the real workers, posts what the book says to
//! post, and feeds every reply (and Cancel) back to it. The pool is kept
//! between runs (start-up is paid once, and reported apart from work);
//! Cancel terminates every worker, as `pool.terminate()` does.

use crate::web::clock::now_ms;
use crate::web::features::shared_memory;
use crate::web::page_data::Payload;
use crate::web::pools::messaging::{Tagged, WorkerLink};
use crate::web::runner::CancelSignal;
use engine::analysis::moving_data::DataPart;
use engine::analysis::report::RunData;
use engine::error::RunError;
use engine::pools::process::{Delivery, JobEnd, PoolCommand, PoolEvent, ProcessPoolBook, WorkerId};
use engine::pools::protocol::{ProcReply, ProcRequest, COUNTER_DONE, COUNTER_SLOTS};
use engine::python::bytecode::explore::CountCell;
use engine::python::race::RaceResult;
use engine::work::workload::Task;
use engine::Strategy;
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::{select, FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

/// Where trunk puts the process worker's loader (`data-loader-shim`).
const WORKER_URL: &str = "./process_worker_loader.js";

/// How often the page reads a `Pull` run's done counter: the page's own
/// timer, about as often as it redraws progress (`PROGRESS_EVERY_MS`).
const POLL_MS: u32 = 100;

type Link = WorkerLink<ProcRequest, ProcReply>;

pub(crate) struct ProcessPool {
    book: ProcessPoolBook,
    links: BTreeMap<WorkerId, Link>,
    tx: UnboundedSender<Tagged<ProcReply>>,
    inbox: UnboundedReceiver<Tagged<ProcReply>>,
}

impl Default for ProcessPool {
    fn default() -> Self {
        let (tx, inbox) = unbounded();
        ProcessPool { book: ProcessPoolBook::default(), links: BTreeMap::new(), tx, inbox }
    }
}

impl ProcessPool {
    /// Whether no job is under way (see `ProcessPoolBook::is_idle`).
    pub(crate) fn is_idle(&self) -> bool {
        self.book.is_idle()
    }

    /// Live workers.
    pub(crate) fn size(&self) -> usize {
        self.book.size()
    }

    /// The largest wasm memory a worker reported, in bytes.
    pub(crate) fn memory(&self) -> u64 {
        self.book.memory()
    }

    /// Makes the pool exactly `n` workers; returns the start-up time spent.
    pub(crate) async fn ensure(&mut self, n: usize, cancel: &mut CancelSignal) -> Result<f64, RunError> {
        let cmds = self.book.ensure(n, now_ms());
        match self.drive(cmds, &[], &|_| {}, cancel).await {
            JobEnd::Started { startup_ms } => Ok(startup_ms),
            other => Err(unexpected(other)),
        }
    }

    /// Runs `tasks` on every worker of the pool with `strategy`.
    pub(crate) async fn run(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        strategy: Strategy,
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
    ) -> Result<RunData, RunError> {
        // Where shared memory works, a queue run needs no round trip per
        // chunk: the workers share one counter of the next task (see
        // `Delivery`). Elsewhere (no isolation, or an engine without
        // SharedArrayBuffer) the page sends each chunk by message.
        // (Static slices are sent as messages: no counter for them.)
        let counter = (shared_memory().available() && matches!(strategy, Strategy::Dynamic { .. }))
            .then(|| js_sys::Int32Array::new(&js_sys::SharedArrayBuffer::new(4 * COUNTER_SLOTS)));
        let (delivery, payloads) = match &counter {
            Some(counter) => (Delivery::SharedCounter, vec![Payload { data: counter.into(), transfer: None }]),
            None => (Delivery::Messages, Vec::new()),
        };
        let cmds = self.book.run_tasks(run_id, tasks, strategy, delivery, now_ms());
        match self.drive_watching(cmds, &payloads, progress, cancel, counter.as_ref()).await {
            JobEnd::Ran(data) => Ok(data),
            other => Err(unexpected(other)),
        }
    }

    /// Runs `tasks` as one asyncio event loop inside the first worker.
    pub(crate) async fn run_event_loop(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
    ) -> Result<RunData, RunError> {
        let cmds = self.book.run_event_loop(run_id, tasks, now_ms());
        match self.drive(cmds, &[], progress, cancel).await {
            JobEnd::Ran(data) => Ok(data),
            other => Err(unexpected(other)),
        }
    }

    /// SHA-256 rounds per millisecond, measured in the first worker.
    pub(crate) async fn calibrate(&mut self, cancel: &mut CancelSignal) -> Result<u32, RunError> {
        let cmds = self.book.calibrate();
        match self.drive(cmds, &[], &|_| {}, cancel).await {
            JobEnd::Calibrated(rounds_per_ms) => Ok(rounds_per_ms),
            other => Err(unexpected(other)),
        }
    }

    /// Every interleaving of every scenario, counted in the first worker
    /// (see `ProcessPoolBook::explore`); `progress` hears the cells done.
    pub(crate) async fn explore(
        &mut self,
        threads: usize,
        iterations: i64,
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
    ) -> Result<Vec<CountCell>, RunError> {
        let cmds = self.book.explore(threads, iterations);
        match self.drive(cmds, &[], progress, cancel).await {
            JobEnd::Explored(cells) => Ok(cells),
            other => Err(unexpected(other)),
        }
    }

    /// The convoy in processes (see `ProcessPoolBook::convoy`): the I/O
    /// loop's waits, and whether they were blocking waits.
    pub(crate) async fn convoy(
        &mut self,
        run_id: u64,
        cpu_threads: usize,
        waits: usize,
        wait_ms: u64,
        cancel: &mut CancelSignal,
    ) -> Result<(Vec<f64>, bool), RunError> {
        // The spinners must outlast the waits even when the processes share
        // too few cores: twice the waits' nominal length, and then some.
        let spin_ms = 2.0 * (waits as f64) * (wait_ms as f64 + 1.0) + 50.0;
        let cmds = self.book.convoy(run_id, cpu_threads, waits, wait_ms, spin_ms);
        match self.drive(cmds, &[], &|_| {}, cancel).await {
            JobEnd::Convoy { samples, blocking } => Ok((samples, blocking)),
            other => Err(unexpected(other)),
        }
    }

    /// Moving data, sequentially: the first worker sums its own array.
    pub(crate) async fn sum_own(
        &mut self,
        run_id: u64,
        len: u64,
        cancel: &mut CancelSignal,
    ) -> Result<Vec<DataPart>, RunError> {
        let cmds = self.book.sum_own(run_id, len);
        match self.drive(cmds, &[], &|_| {}, cancel).await {
            JobEnd::Summed(parts) => Ok(parts),
            other => Err(unexpected(other)),
        }
    }

    /// Moving data, in processes: worker `w` is sent `payloads[w]` and sums
    /// `chunks[w]`.
    pub(crate) async fn sum_given(
        &mut self,
        run_id: u64,
        chunks: &[Range<u64>],
        whole: bool,
        payloads: &[Payload],
        cancel: &mut CancelSignal,
    ) -> Result<Vec<DataPart>, RunError> {
        let cmds = self.book.sum_given(run_id, chunks, whole);
        match self.drive(cmds, payloads, &|_| {}, cancel).await {
            JobEnd::Summed(parts) => Ok(parts),
            other => Err(unexpected(other)),
        }
    }

    /// Every worker's wasm memory, in bytes.
    pub(crate) async fn memory_report(&mut self, cancel: &mut CancelSignal) -> Result<Vec<u64>, RunError> {
        let cmds = self.book.memory_report();
        match self.drive(cmds, &[], &|_| {}, cancel).await {
            JobEnd::Memory(bytes) => Ok(bytes),
            other => Err(unexpected(other)),
        }
    }

    /// The race demo's process variant: every process counts `n` in its own
    /// memory; the counts come back by message and are summed.
    pub(crate) async fn count(&mut self, n: u64, cancel: &mut CancelSignal) -> Result<RaceResult, RunError> {
        let cmds = self.book.count(n, now_ms());
        match self.drive(cmds, &[], &|_| {}, cancel).await {
            JobEnd::Counted(result) => Ok(result),
            other => Err(unexpected(other)),
        }
    }

    /// Carries out the book's commands, feeding it every reply and Cancel,
    /// until it ends the job.
    async fn drive(
        &mut self,
        cmds: Vec<PoolCommand>,
        payloads: &[Payload],
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
    ) -> JobEnd {
        self.drive_watching(cmds, payloads, progress, cancel, None).await
    }

    /// `drive`, also reading the tasks done from a `Pull` run's `counter`
    /// every [`POLL_MS`]: its workers send nothing until they run out of
    /// tasks. Progress only moves forward, whichever source said more.
    async fn drive_watching(
        &mut self,
        cmds: Vec<PoolCommand>,
        payloads: &[Payload],
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
        counter: Option<&js_sys::Int32Array>,
    ) -> JobEnd {
        let shown = std::cell::Cell::new(0);
        let progress = |done: usize| {
            if done > shown.get() {
                shown.set(done);
                progress(done);
            }
        };
        let mut queue: VecDeque<PoolCommand> = cmds.into();
        loop {
            while let Some(cmd) = queue.pop_front() {
                match cmd {
                    PoolCommand::Spawn(id) => match Link::spawn(WORKER_URL, id.0, self.tx.clone()) {
                        Ok(link) => {
                            self.links.insert(id, link);
                        }
                        Err(detail) => queue.extend(self.book.handle(PoolEvent::SpawnFailed(id, detail), now_ms())),
                    },
                    // Dropping a link terminates its worker.
                    PoolCommand::Terminate(id) => drop(self.links.remove(&id)),
                    PoolCommand::Send(id, request) => {
                        let sent = match self.links.get(&id) {
                            Some(link) => link.send(&request),
                            None => Err(format!("no worker {}", id.0)),
                        };
                        if let Err(detail) = sent {
                            queue.extend(self.book.handle(PoolEvent::SendFailed(id, detail), now_ms()));
                        }
                    }
                    PoolCommand::SendData(id, mut request, chunk) => {
                        if let ProcRequest::SumGiven { sent_at, .. } = &mut request {
                            // The clock of moving starts here: a copy is
                            // made while posting.
                            *sent_at = now_ms();
                        }
                        let sent = match (self.links.get(&id), payloads.get(chunk)) {
                            (Some(link), Some(p)) => link.send_with_payload(&request, &p.data, p.transfer.as_ref()),
                            _ => Err(format!("no worker {} or no chunk {chunk}", id.0)),
                        };
                        if let Err(detail) = sent {
                            queue.extend(self.book.handle(PoolEvent::SendFailed(id, detail), now_ms()));
                        }
                    }
                    PoolCommand::Progress(done) => progress(done),
                    PoolCommand::End(end) => {
                        // Whatever else the book said after the end (nothing,
                        // by construction) would be lost: say so in debug.
                        debug_assert!(queue.is_empty(), "commands after End: {queue:?}");
                        return end;
                    }
                }
            }
            let tick = async {
                match counter {
                    Some(_) => TimeoutFuture::new(POLL_MS).await,
                    None => futures::future::pending().await,
                }
            };
            // A worker still loading gets until its deadline (a failed
            // compile inside a worker is never heard of otherwise).
            let deadline_at = self.book.deadline();
            let deadline = async {
                match deadline_at {
                    Some(at) => TimeoutFuture::new((at - now_ms()).clamp(0.0, f64::from(u32::MAX)).ceil() as u32).await,
                    None => futures::future::pending().await,
                }
            };
            let event = select! {
                _ = tick.fuse() => {
                    let done = counter.and_then(|c| js_sys::Atomics::load(c, COUNTER_DONE).ok());
                    progress(done.and_then(|d| usize::try_from(d).ok()).unwrap_or(0));
                    continue;
                }
                _ = deadline.fuse() => PoolEvent::Tick,
                reply = self.inbox.next() => match reply {
                    Some((tag, Ok(reply))) => PoolEvent::Reply(WorkerId(tag), reply),
                    Some((tag, Err(detail))) => PoolEvent::Died(WorkerId(tag), detail),
                    // The pool holds a sender itself, so the channel never closes.
                    None => PoolEvent::Cancel,
                },
                _ = cancel.fired().fuse() => PoolEvent::Cancel,
            };
            queue.extend(self.book.handle(event, now_ms()));
        }
    }
}

/// A job that ended some other way than asked: its error, or (never, by
/// construction of the book) an end of the wrong kind.
fn unexpected(end: JobEnd) -> RunError {
    match end {
        JobEnd::Failed(e) => e,
        other => RunError::Failed(engine::error::Failure::Messaging {
            detail: format!("the process pool ended a job unexpectedly: {}", other.kind()),
        }),
    }
}
