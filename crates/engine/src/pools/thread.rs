//! The thread pool's bookkeeping, as state machines, on both sides of the
//! thread host's message channel:
//!
//! - `JobTally`, inside the host: each pool thread runs one worker loop
//!   and reports once; the last report closes the job (outcomes of every
//!   thread, or Cancelled if any loop was cancelled).
//! - `HostRun`, on the page: one run as the page sees it — progress,
//!   the end, a cancel request and its deadline, replies of other runs
//!   dropped.
//!
//! Neither touches the browser (`web::workers::thread_host` and `web::pools::threads`
//! drive them), so both are tested natively.

use crate::analysis::moving_data::DataPart;
use crate::analysis::report::{RunData, TaskOutcome};
use crate::error::{Cancelled, Failure, RunError};
use crate::pools::process::START_TIMEOUT_MS;
use crate::pools::protocol::{HostReply, HostRequest};
use crate::python::bytecode::real::RealResult;
use crate::python::deadlock::Outcome;

/// How long the thread host may take to start `threads` pool threads once
/// it has loaded, in ms. Each thread is a worker that instantiates the
/// shared module, and wasm-bindgen-rayon says nothing until all are up, so
/// the allowance grows with the count: a quarter second a thread beyond
/// the usual deadline (16 threads start in about 0.5 s in Firefox and
/// Chromium here; 12 s leaves a slow phone twenty times that).
pub fn thread_start_timeout_ms(threads: usize) -> f64 {
    START_TIMEOUT_MS + 250.0 * threads as f64
}

/// How many times the page starts a fresh thread host when one loaded but
/// never got its threads up. Firefox ESR 153 leaves about one start in
/// three of 16 threads hanging right after other pools ran (the tour's I/O
/// claim), for good, while a fresh host usually starts at once.
pub const THREAD_START_ATTEMPTS: usize = 3;

/// How long cancelled threads get to notice the flag before the page gives
/// up on them. Threads check it every few milliseconds, so only a stuck
/// pool misses this.
pub const CANCEL_DEADLINE_MS: u32 = 5_000;

/// The end of one job on the pool, as the host tallies it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobTally {
    threads: usize,
    reported: usize,
    outcomes: Vec<TaskOutcome>,
    cancelled: bool,
}

impl JobTally {
    /// A job run by `threads` worker loops.
    pub fn new(threads: usize) -> Self {
        JobTally { threads: threads.max(1), reported: 0, outcomes: Vec::new(), cancelled: false }
    }

    /// One worker loop's result. Returns the job's result once the last
    /// loop has reported; a cancelled loop makes the whole job cancelled.
    pub fn report(
        &mut self,
        result: Result<Vec<TaskOutcome>, Cancelled>,
    ) -> Option<Result<Vec<TaskOutcome>, Cancelled>> {
        if self.reported == self.threads {
            // Already closed: a report too many is ignored.
            return None;
        }
        self.reported += 1;
        match result {
            Ok(v) => self.outcomes.extend(v),
            Err(Cancelled) => self.cancelled = true,
        }
        (self.reported == self.threads).then(|| {
            if self.cancelled {
                Err(Cancelled)
            } else {
                Ok(std::mem::take(&mut self.outcomes))
            }
        })
    }
}

/// What a finished job on the host handed back.
#[derive(Debug, Clone, PartialEq)]
pub enum HostResult {
    /// A run of tasks, and the host's wasm memory after it (bytes).
    Ran { data: RunData, memory: u64 },
    /// The convoy's I/O-thread waits, in ms.
    Convoy(Vec<f64>),
    /// How the deadlock demo's two threads ended.
    Deadlock(Outcome),
    /// Each thread's slice of a moving-data run.
    Summed(Vec<DataPart>),
    /// A scenario run for real.
    RealRace(RealResult),
}

/// What the page does next for a run on the thread host.
#[derive(Debug, Clone, PartialEq)]
pub enum HostStep {
    /// Nothing: keep waiting.
    Wait,
    /// Tasks done so far.
    Progress(usize),
    /// Post this to the host, then wait at most `deadline_ms` for the end.
    Send { request: HostRequest, deadline_ms: u32 },
    /// The run is over; the host is still usable unless `pool_broken`.
    Done { result: Result<HostResult, RunError>, pool_broken: bool },
}

/// One run on the thread host, as the page follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HostRun {
    run_id: u64,
    cancel_sent: bool,
}

impl HostRun {
    pub fn new(run_id: u64) -> Self {
        HostRun { run_id, cancel_sent: false }
    }

    /// A reply from the host. Replies of other runs are dropped.
    pub fn on_reply(&mut self, reply: HostReply) -> HostStep {
        let mine = |r: u64| r == self.run_id;
        match reply {
            HostReply::Progress { run_id, done } if mine(run_id) => HostStep::Progress(done),
            HostReply::Finished { run_id, data, memory } if mine(run_id) => {
                HostStep::Done { result: Ok(HostResult::Ran { data, memory }), pool_broken: false }
            }
            HostReply::ConvoyDone { run_id, samples } if mine(run_id) => {
                HostStep::Done { result: Ok(HostResult::Convoy(samples)), pool_broken: false }
            }
            HostReply::Summed { run_id, parts } if mine(run_id) => {
                HostStep::Done { result: Ok(HostResult::Summed(parts)), pool_broken: false }
            }
            HostReply::DeadlockDone { run_id, outcome } if mine(run_id) => {
                HostStep::Done { result: Ok(HostResult::Deadlock(outcome)), pool_broken: false }
            }
            HostReply::RealRaceDone { run_id, result } if mine(run_id) => {
                HostStep::Done { result: Ok(HostResult::RealRace(result)), pool_broken: false }
            }
            HostReply::Cancelled { run_id } if mine(run_id) => {
                HostStep::Done { result: Err(RunError::Cancelled), pool_broken: false }
            }
            // A failure of this run, or of the host itself: after a panic the
            // pool may hold stuck threads, so it is not reused.
            HostReply::Failed { run_id, error } if run_id.is_none_or(mine) => {
                HostStep::Done { result: Err(error), pool_broken: true }
            }
            _ => HostStep::Wait,
        }
    }

    /// The worker's error event, or its channel closed.
    pub fn on_lost(&mut self, detail: Option<String>) -> HostStep {
        let failure = match detail {
            Some(detail) => Failure::Messaging { detail },
            None => Failure::WorkerClosed,
        };
        HostStep::Done { result: Err(failure.into()), pool_broken: true }
    }

    /// The reader pressed Cancel: ask the host once.
    pub fn on_cancel(&mut self) -> HostStep {
        if self.cancel_sent {
            return HostStep::Wait;
        }
        self.cancel_sent = true;
        HostStep::Send { request: HostRequest::Cancel, deadline_ms: CANCEL_DEADLINE_MS }
    }

    /// The cancel deadline passed without an end: the threads are stuck.
    pub fn on_deadline(&mut self) -> HostStep {
        let seconds = u64::from(CANCEL_DEADLINE_MS / 1000);
        HostStep::Done { result: Err(Failure::StuckAfterCancel { seconds }.into()), pool_broken: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CrashCause;

    fn outcome(task: usize) -> TaskOutcome {
        TaskOutcome { task, worker: 0, size: 1, start_ms: 0.0, end_ms: 1.0, value: 1, segments: Vec::new() }
    }

    #[test]
    fn the_last_thread_closes_the_job() {
        let mut t = JobTally::new(3);
        assert_eq!(t.report(Ok(vec![outcome(0)])), None);
        assert_eq!(t.report(Ok(vec![])), None);
        let all = t.report(Ok(vec![outcome(1), outcome(2)])).unwrap_or_else(|| panic!("not closed"));
        assert_eq!(all.map(|v| v.len()), Ok(3));
        assert_eq!(t.report(Ok(vec![outcome(9)])), None, "a report too many is ignored");
    }

    #[test]
    fn one_cancelled_loop_cancels_the_job() {
        let mut t = JobTally::new(2);
        assert_eq!(t.report(Err(Cancelled)), None);
        assert_eq!(t.report(Ok(vec![outcome(0)])), Some(Err(Cancelled)));
    }

    #[test]
    fn a_run_follows_its_own_replies_only() {
        let mut run = HostRun::new(2);
        assert_eq!(run.on_reply(HostReply::Progress { run_id: 2, done: 3 }), HostStep::Progress(3));
        // A late reply of run 1 (cancelled earlier) is dropped.
        assert_eq!(run.on_reply(HostReply::Cancelled { run_id: 1 }), HostStep::Wait);
        let data = RunData { started_at: 1.0, finished_at: 2.0, ..RunData::default() };
        assert_eq!(run.on_reply(HostReply::Finished { run_id: 1, data: data.clone(), memory: 9 }), HostStep::Wait);
        assert_eq!(
            run.on_reply(HostReply::Finished { run_id: 2, data: data.clone(), memory: 9 }),
            HostStep::Done { result: Ok(HostResult::Ran { data, memory: 9 }), pool_broken: false }
        );
    }

    #[test]
    fn cancel_mid_run_asks_once_then_ends_or_times_out() {
        let mut run = HostRun::new(5);
        assert_eq!(run.on_reply(HostReply::Progress { run_id: 5, done: 1 }), HostStep::Progress(1));
        assert_eq!(run.on_cancel(), HostStep::Send { request: HostRequest::Cancel, deadline_ms: CANCEL_DEADLINE_MS });
        assert_eq!(run.on_cancel(), HostStep::Wait);
        assert_eq!(
            run.on_reply(HostReply::Cancelled { run_id: 5 }),
            HostStep::Done { result: Err(RunError::Cancelled), pool_broken: false }
        );
        let mut stuck = HostRun::new(6);
        stuck.on_cancel();
        assert!(matches!(
            stuck.on_deadline(),
            HostStep::Done {
                result: Err(RunError::Failed(Failure::StuckAfterCancel { seconds: 5 })),
                pool_broken: true
            }
        ));
    }

    #[test]
    fn a_panic_breaks_the_pool() {
        let mut run = HostRun::new(1);
        let error = RunError::Failed(Failure::ThreadPanicked { cause: CrashCause::CrashSwitch { task: 6 } });
        assert_eq!(
            run.on_reply(HostReply::Failed { run_id: Some(1), error: error.clone() }),
            HostStep::Done { result: Err(error), pool_broken: true }
        );
        assert!(matches!(run.on_lost(None), HostStep::Done { pool_broken: true, .. }));
        let mut convoy = HostRun::new(3);
        assert_eq!(
            convoy.on_reply(HostReply::ConvoyDone { run_id: 3, samples: vec![1.0] }),
            HostStep::Done { result: Ok(HostResult::Convoy(vec![1.0])), pool_broken: false }
        );
    }
}
