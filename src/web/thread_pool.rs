//! The page's handle on the shared-memory thread pool: one thread-host
//! worker (see `thread_host`) that owns a rayon pool of N threads.
//!
//! wasm-bindgen-rayon builds rayon's *global* pool once per wasm instance,
//! so a pool of another size means a new host; the host is kept and reused
//! while the thread count stays the same, like a long-lived
//! `ThreadPoolExecutor`.

use crate::engine::error::RunError;
use crate::engine::protocol::{HostReply, HostRequest};
use crate::engine::race::{RaceMode, RaceResult};
use crate::engine::report::TaskOutcome;
use crate::engine::workload::Task;
use crate::engine::Strategy;
use crate::web::clock::now_ms;
use crate::web::messaging::{Tagged, WorkerLink};
use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::channel::oneshot;
use futures::future::Fuse;
use futures::{select, FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;

/// Where trunk puts the host's loader (`data-loader-shim`).
const HOST_URL: &str = "./thread_host_loader.js";

pub struct ThreadPool {
    link: WorkerLink<HostRequest, HostReply>,
    inbox: UnboundedReceiver<Tagged<HostReply>>,
    threads: usize,
    /// The host's wasm memory after the last run, in bytes.
    memory: u64,
}

/// Times and outcomes of a finished run: (started_at, finished_at, outcomes).
pub type RunOutput = (f64, f64, Vec<TaskOutcome>);

impl ThreadPool {
    /// Starts a host with `threads` threads; returns it and its start-up time.
    pub async fn start(threads: usize) -> Result<(Self, f64), RunError> {
        let t0 = now_ms();
        let (tx, mut inbox) = unbounded();
        let link = WorkerLink::spawn(HOST_URL, 0, tx).map_err(RunError::Unavailable)?;
        let fail = |m: String| RunError::Unavailable(m);
        match inbox.next().await {
            Some((_, Ok(HostReply::Loaded { shared: true }))) => {}
            Some((_, Ok(HostReply::Loaded { shared: false }))) => {
                return Err(fail("the thread host's memory is not shared (no SharedArrayBuffer)".into()))
            }
            Some((_, Ok(other))) => return Err(fail(format!("unexpected reply {other:?}"))),
            Some((_, Err(e))) => return Err(fail(e)),
            None => return Err(fail("the thread host closed".into())),
        }
        link.send(&HostRequest::Init { threads }).map_err(fail)?;
        loop {
            match inbox.next().await {
                Some((_, Ok(HostReply::Ready { threads }))) => {
                    return Ok((ThreadPool { link, inbox, threads, memory: 0 }, now_ms() - t0));
                }
                Some((_, Ok(HostReply::Failed { message, .. }))) => return Err(fail(message)),
                Some((_, Ok(_))) => continue,
                Some((_, Err(e))) => return Err(fail(e)),
                None => return Err(fail("the thread host closed".into())),
            }
        }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    pub fn memory(&self) -> u64 {
        self.memory
    }

    /// The race demo on this pool's threads.
    pub async fn race(&mut self, mode: RaceMode, per_thread: u64) -> Result<RaceResult, RunError> {
        self.link.send(&HostRequest::Race { mode, per_thread }).map_err(RunError::WorkerFailed)?;
        loop {
            match self.inbox.next().await {
                Some((_, Ok(HostReply::RaceDone { result }))) => return Ok(result),
                Some((_, Ok(HostReply::Failed { message, .. }))) => return Err(RunError::WorkerFailed(message)),
                Some((_, Ok(_))) => {}
                Some((_, Err(e))) => return Err(RunError::WorkerFailed(e)),
                None => return Err(RunError::WorkerFailed("the thread host closed".into())),
            }
        }
    }

    /// Runs `tasks`; `progress` gets the count of finished tasks. If
    /// `cancel` fires, the host's cancel flag is raised and the run ends as
    /// soon as every thread has noticed it.
    pub async fn run(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        strategy: Strategy,
        gil_interval_ms: Option<f64>,
        progress: &dyn Fn(usize),
        cancel: &mut Fuse<oneshot::Receiver<()>>,
    ) -> Result<RunOutput, RunError> {
        self.link
            .send(&HostRequest::Run { run_id, tasks, strategy, gil_interval_ms })
            .map_err(RunError::WorkerFailed)?;
        let mut cancel = cancel;
        let mut deadline: Fuse<TimeoutFuture> = Fuse::terminated();
        loop {
            select! {
                reply = self.inbox.next() => match reply {
                    Some((_, Ok(HostReply::Progress { run_id: r, done }))) if r == run_id => progress(done),
                    Some((_, Ok(HostReply::Finished { run_id: r, started_at, finished_at, outcomes, memory }))) if r == run_id => {
                        self.memory = memory;
                        return Ok((started_at, finished_at, outcomes));
                    }
                    Some((_, Ok(HostReply::Cancelled { run_id: r }))) if r == run_id => return Err(RunError::Cancelled),
                    Some((_, Ok(HostReply::Failed { message, .. }))) => return Err(RunError::WorkerFailed(message)),
                    Some((_, Ok(_))) => {}
                    Some((_, Err(e))) => return Err(RunError::WorkerFailed(e)),
                    None => return Err(RunError::WorkerFailed("the thread host closed".into())),
                },
                _ = cancel => {
                    self.link.send(&HostRequest::Cancel).map_err(RunError::WorkerFailed)?;
                    // Threads check the flag every few ms; if they do not
                    // stop within 5 s something is stuck: give up on them.
                    deadline = TimeoutFuture::new(5_000).fuse();
                }
                _ = deadline => return Err(RunError::WorkerFailed("the threads did not stop after cancel".into())),
            }
        }
    }
}
