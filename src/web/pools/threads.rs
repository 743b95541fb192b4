//! The page's handle on the shared-memory thread pool: one thread-host
//! worker (see `thread_host`) that owns a rayon pool of N threads.
//!
//! wasm-bindgen-rayon builds rayon's *global* pool once per wasm instance,
//! so a pool of another size means a new host; the host is kept and reused
//! while the thread count stays the same, like a long-lived
//! `ThreadPoolExecutor`. Each run is followed by an
//! `engine::pools::thread::HostRun`; this file only moves messages.

use crate::web::clock::now_ms;
use crate::web::features::shared_memory;
use crate::web::pools::messaging::{within_start_deadline, Tagged, WorkerLink};
use crate::web::runner::CancelSignal;
use engine::analysis::moving_data::DataPart;
use engine::analysis::report::RunData;
use engine::error::{Failure, RunError, Unavailable};
use engine::pools::process::START_TIMEOUT_MS;
use engine::pools::protocol::{build_id, HostReply, HostRequest};
use engine::pools::thread::{thread_start_timeout_ms, HostResult, HostRun, HostStep, THREAD_START_ATTEMPTS};
use engine::python::bytecode::real::{RealResult, RealRun};
use engine::python::deadlock::{Outcome, Variant, ACQUIRE_TIMEOUT_MS};
use engine::python::race::{RaceMode, RaceResult};
use engine::work::workload::Task;
use engine::Strategy;
use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::future::Fuse;
use futures::{select, FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;

/// Where trunk puts the host's loader (`data-loader-shim`).
const HOST_URL: &str = "./thread_host_loader.js";

type Link = WorkerLink<HostRequest, HostReply>;

pub(crate) struct ThreadPool {
    link: Link,
    inbox: UnboundedReceiver<Tagged<HostReply>>,
    threads: usize,
    /// The host's wasm memory after the last run, in bytes.
    memory: u64,
}

/// How one start of a thread host ended, short of an error.
enum Attempt {
    Ready(ThreadPool),
    /// It loaded, but its threads did not come up in time.
    Stalled(RunError),
}

/// A finished job on the pool, and whether the pool can be used again.
pub(crate) struct HostOutcome<T> {
    pub(crate) result: Result<T, RunError>,
    pub(crate) reusable: bool,
}

impl ThreadPool {
    /// Starts a host with `threads` threads; returns it and its start-up
    /// time. Refused at once where shared memory does not work. The host
    /// must load within `START_TIMEOUT_MS` and start its threads within
    /// `thread_start_timeout_ms(threads)`: a wasm that fails to compile
    /// inside a worker raises nothing the page can hear.
    /// Cancel stops the wait (the host is then terminated).
    pub(crate) async fn start(threads: usize, cancel: &mut CancelSignal) -> Result<(Self, f64), RunError> {
        shared_memory().require()?;
        let t0 = now_ms();
        let mut attempt = 1;
        loop {
            let once = Self::start_once(threads).fuse();
            futures::pin_mut!(once);
            let outcome = select! {
                r = once => r?,
                _ = cancel.fired().fuse() => return Err(RunError::Cancelled),
            };
            match outcome {
                Attempt::Ready(pool) => return Ok((pool, now_ms() - t0)),
                Attempt::Stalled(e) if attempt >= THREAD_START_ATTEMPTS => return Err(e),
                // The host loaded but its threads never came up: a fresh
                // host (the stalled one was dropped, so terminated).
                Attempt::Stalled(_) => attempt += 1,
            }
        }
    }

    /// One start: the host must load within `START_TIMEOUT_MS` (else an
    /// error), then start its threads within `thread_start_timeout_ms`
    /// (else `Stalled`, and the host is terminated).
    async fn start_once(threads: usize) -> Result<Attempt, RunError> {
        let (link, mut inbox) = within_start_deadline(START_TIMEOUT_MS, Self::load()).await?;
        link.send(&HostRequest::Init { threads }).map_err(|detail| RunError::from(Failure::Messaging { detail }))?;
        let ready = async {
            loop {
                match inbox.next().await {
                    Some((_, Ok(HostReply::Ready { threads, memory }))) => return Ok((threads, memory)),
                    Some((_, Ok(HostReply::Failed { error, .. }))) => return Err(error),
                    Some((_, Ok(_))) => continue,
                    Some((_, Err(e))) => return Err(RunError::from(Unavailable::WorkerLoad { detail: e })),
                    None => return Err(Failure::WorkerClosed.into()),
                }
            }
        };
        match within_start_deadline(thread_start_timeout_ms(threads), ready).await {
            Ok((threads, memory)) => Ok(Attempt::Ready(ThreadPool { link, inbox, threads, memory })),
            Err(e @ RunError::Unavailable(Unavailable::StartTimeout { .. })) => Ok(Attempt::Stalled(e)),
            Err(e) => Err(e),
        }
    }

    /// Starts the host worker and waits for it to say it has loaded.
    async fn load() -> Result<(Link, UnboundedReceiver<Tagged<HostReply>>), RunError> {
        let (tx, mut inbox) = unbounded();
        let link =
            WorkerLink::spawn(HOST_URL, 0, tx).map_err(|detail| RunError::from(Unavailable::WorkerStart { detail }))?;
        let load = |detail: String| RunError::from(Unavailable::WorkerLoad { detail });
        match inbox.next().await {
            Some((_, Ok(HostReply::Loaded { build, .. }))) if build != build_id() => {
                Err(Unavailable::OtherBuild { page: build_id().into(), worker: build }.into())
            }
            Some((_, Ok(HostReply::Loaded { shared: true, .. }))) => Ok((link, inbox)),
            Some((_, Ok(HostReply::Loaded { shared: false, .. }))) => Err(Unavailable::MemoryNotShared.into()),
            Some((_, Ok(other))) => Err(load(format!("unexpected first message {}", other.kind()))),
            Some((_, Err(e))) => Err(load(e)),
            None => Err(Failure::WorkerClosed.into()),
        }
    }

    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    pub(crate) fn memory(&self) -> u64 {
        self.memory
    }

    /// The race demo on this pool's threads (milliseconds of work).
    pub(crate) async fn race(&mut self, mode: RaceMode, per_thread: u64) -> Result<RaceResult, RunError> {
        self.link
            .send(&HostRequest::Race { mode, per_thread })
            .map_err(|detail| RunError::from(Failure::Messaging { detail }))?;
        loop {
            match self.inbox.next().await {
                Some((_, Ok(HostReply::RaceDone { result }))) => return Ok(result),
                Some((_, Ok(HostReply::Failed { error, .. }))) => return Err(error),
                Some((_, Ok(_))) => {}
                Some((_, Err(detail))) => return Err(Failure::Messaging { detail }.into()),
                None => return Err(Failure::WorkerClosed.into()),
            }
        }
    }

    /// Runs `tasks`; `progress` gets the count of finished tasks. If
    /// `cancel` fires, the host's cancel flag is raised and the run ends as
    /// soon as every thread has noticed it.
    pub(crate) async fn run(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        strategy: Strategy,
        gil_interval_ms: Option<f64>,
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
    ) -> HostOutcome<RunData> {
        let request = HostRequest::Run { run_id, tasks, strategy, gil_interval_ms };
        let HostOutcome { result, reusable } = self.job(run_id, request, progress, cancel).await;
        let result = result.and_then(|r| match r {
            HostResult::Ran { data, memory } => {
                self.memory = memory;
                Ok(data)
            }
            _ => Err(mismatch()),
        });
        HostOutcome { result, reusable }
    }

    /// The convoy on this pool's first `cpu_threads + 1` threads: the I/O
    /// thread's time per wait.
    pub(crate) async fn convoy(
        &mut self,
        run_id: u64,
        cpu_threads: usize,
        waits: usize,
        wait_ms: u64,
        gil_interval_ms: Option<f64>,
        cancel: &mut CancelSignal,
    ) -> HostOutcome<Vec<f64>> {
        let request = HostRequest::Convoy { run_id, cpu_threads, waits, wait_ms, gil_interval_ms };
        let HostOutcome { result, reusable } = self.job(run_id, request, &|_| {}, cancel).await;
        let result = result.and_then(|r| match r {
            HostResult::Convoy(samples) => Ok(samples),
            _ => Err(mismatch()),
        });
        HostOutcome { result, reusable }
    }

    /// Moving data with threads: every thread sums its slice of one array
    /// in the host's shared memory.
    pub(crate) async fn sum_shared(
        &mut self,
        run_id: u64,
        len: u64,
        cancel: &mut CancelSignal,
    ) -> HostOutcome<Vec<DataPart>> {
        let HostOutcome { result, reusable } =
            self.job(run_id, HostRequest::SumShared { run_id, len }, &|_| {}, cancel).await;
        let result = result.and_then(|r| match r {
            HostResult::Summed(parts) => Ok(parts),
            _ => Err(mismatch()),
        });
        HostOutcome { result, reusable }
    }

    /// The deadlock demo's `variant` on two of this pool's threads.
    pub(crate) async fn deadlock(
        &mut self,
        run_id: u64,
        variant: Variant,
        watchdog_ms: u64,
        cancel: &mut CancelSignal,
    ) -> HostOutcome<Outcome> {
        let request = HostRequest::Deadlock { run_id, variant, watchdog_ms, acquire_timeout_ms: ACQUIRE_TIMEOUT_MS };
        let HostOutcome { result, reusable } = self.job(run_id, request, &|_| {}, cancel).await;
        let result = result.and_then(|r| match r {
            HostResult::Deadlock(outcome) => Ok(outcome),
            _ => Err(mismatch()),
        });
        HostOutcome { result, reusable }
    }

    /// A scenario run for real on the pool's threads (see
    /// `python::bytecode::real`).
    pub(crate) async fn real_race(
        &mut self,
        run_id: u64,
        run: RealRun,
        cancel: &mut CancelSignal,
    ) -> HostOutcome<RealResult> {
        let HostOutcome { result, reusable } =
            self.job(run_id, HostRequest::RealRace { run_id, run }, &|_| {}, cancel).await;
        let result = result.and_then(|r| match r {
            HostResult::RealRace(r) => Ok(r),
            _ => Err(mismatch()),
        });
        HostOutcome { result, reusable }
    }

    /// Posts `request` and follows the job to its end (see `HostRun`).
    async fn job(
        &mut self,
        run_id: u64,
        request: HostRequest,
        progress: &dyn Fn(usize),
        cancel: &mut CancelSignal,
    ) -> HostOutcome<HostResult> {
        let mut run = HostRun::new(run_id);
        let mut step = match self.link.send(&request) {
            Ok(()) => HostStep::Wait,
            Err(detail) => run.on_lost(Some(detail)),
        };
        let mut deadline: Fuse<TimeoutFuture> = Fuse::terminated();
        loop {
            match step {
                HostStep::Wait => {}
                HostStep::Progress(done) => progress(done),
                HostStep::Send { request, deadline_ms } => {
                    if let Err(detail) = self.link.send(&request) {
                        step = run.on_lost(Some(detail));
                        continue;
                    }
                    deadline = TimeoutFuture::new(deadline_ms).fuse();
                }
                HostStep::Done { result, pool_broken } => return HostOutcome { result, reusable: !pool_broken },
            }
            step = select! {
                reply = self.inbox.next() => match reply {
                    Some((_, Ok(reply))) => run.on_reply(reply),
                    Some((_, Err(detail))) => run.on_lost(Some(detail)),
                    None => run.on_lost(None),
                },
                _ = cancel.fired().fuse() => run.on_cancel(),
                _ = deadline => run.on_deadline(),
            };
        }
    }
}

/// A reply of the wrong kind for the job (never, by construction).
fn mismatch() -> RunError {
    Failure::Messaging { detail: "the thread host answered a job with another's result".into() }.into()
}
