//! Messages between the page and its workers. They travel as bytes through
//! `postMessage`: the process model must share nothing but messages (apart
//! from the one task counter of a queue run on an isolated page, as a
//! `Pool`'s workers share one task pipe).
//!
//! The bytes are postcard's, not JSON text: a worker then needs no JSON at
//! all, and decoding is small code. That took a third off each worker's
//! wasm and 24 KB gzip off the page's (process worker 68 → 44 KB, thread
//! host 98 → 74 KB), and a message is a fraction of the size. Devtools
//! shows the bytes; the page's JSON export shows what they carried.
//!
//! postcard writes a variant's number, not its name, so `Loaded` must stay
//! the first variant of both replies: a worker of another build must still
//! be understood when it says which build it is (`build_id`), whatever
//! else changed. A test pins those bytes.

use crate::analysis::moving_data::DataPart;
use crate::analysis::report::{RunData, TaskFailure, TaskOutcome};
use crate::error::RunError;
use crate::model::Strategy;
use crate::python::bytecode::explore::CountCell;
use crate::python::bytecode::real::{RealResult, RealRun};
use crate::python::deadlock::{Outcome, Variant};
use crate::python::race::{RaceMode, RaceResult};
use crate::work::workload::Task;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Page → thread host (the worker that owns the rayon pool).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HostRequest {
    /// Start a pool of this many threads.
    Init { threads: usize },
    /// Run these tasks on the pool; with `gil_interval_ms`, under a GIL
    /// with that switch interval.
    Run { run_id: u64, tasks: Vec<Task>, strategy: Strategy, gil_interval_ms: Option<f64> },
    /// Stop the current run at the next check of the cancel flag.
    Cancel,
    /// Every pool thread adds 1 to one shared counter `per_thread` times.
    Race { mode: RaceMode, per_thread: u64 },
    /// The convoy effect: pool thread 0 makes `waits` blocking waits of
    /// `wait_ms` while threads 1..=`cpu_threads` spin; under a GIL with
    /// that switch interval when `gil_interval_ms` is set.
    Convoy { run_id: u64, cpu_threads: usize, waits: usize, wait_ms: u64, gil_interval_ms: Option<f64> },
    /// The moving-data run for threads: the host makes the array of `len`
    /// elements in its shared memory, then every pool thread sums its
    /// slice in place.
    SumShared { run_id: u64, len: u64 },
    /// Two pool threads take two locks the way `variant` says; a watchdog
    /// declares a deadlock when one wait-for cycle stands `watchdog_ms`.
    Deadlock { run_id: u64, variant: Variant, watchdog_ms: u64, acquire_timeout_ms: u64 },
    /// Inside the interpreter: the scenario on `run.threads` pool threads,
    /// for real (see `python::bytecode::real`).
    RealRace { run_id: u64, run: RealRun },
}

/// The id of this build, shared by the page and both workers (`build.rs`).
/// Worker files keep their names across builds, so each side says which
/// build it is and the page refuses a worker of another.
pub fn build_id() -> &'static str {
    // black_box keeps the id one string in the data section: otherwise the
    // optimizer folds `id == BUILD` into integer constants, and a copy of
    // dist restamped with another id (tests/e2e/update.test.mjs) would
    // still compare against the old one.
    std::hint::black_box(env!("LAB_BUILD_ID"))
}

/// Thread host → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HostReply {
    /// The wasm module is loaded; `shared` says whether its memory is a
    /// `SharedArrayBuffer` (true threads) or not; `build` is its build id.
    Loaded {
        shared: bool,
        build: String,
    },
    /// The pool is up; `memory`: bytes of the host's shared wasm memory.
    Ready {
        threads: usize,
        memory: u64,
    },
    Progress {
        run_id: u64,
        done: usize,
    },
    Finished {
        run_id: u64,
        data: RunData,
        /// Bytes of the host's shared wasm memory after the run.
        memory: u64,
    },
    Cancelled {
        run_id: u64,
    },
    RaceDone {
        result: RaceResult,
    },
    /// The I/O thread's time for each of its waits, in ms.
    ConvoyDone {
        run_id: u64,
        samples: Vec<f64>,
    },
    DeadlockDone {
        run_id: u64,
        outcome: Outcome,
    },
    /// Each thread's slice of the moving-data run.
    Summed {
        run_id: u64,
        parts: Vec<DataPart>,
    },
    RealRaceDone {
        run_id: u64,
        result: RealResult,
    },
    /// The run `run_id` (or, with None, the host itself) failed.
    Failed {
        run_id: Option<u64>,
        error: RunError,
    },
}

impl HostReply {
    /// The reply's name, for an error message about one that came out of
    /// turn (not `{:?}`: that would put the Debug code of every run's data
    /// into the page, about 4 KB of its gzip).
    pub fn kind(&self) -> &'static str {
        match self {
            HostReply::Loaded { .. } => "Loaded",
            HostReply::Ready { .. } => "Ready",
            HostReply::Progress { .. } => "Progress",
            HostReply::Finished { .. } => "Finished",
            HostReply::Cancelled { .. } => "Cancelled",
            HostReply::RaceDone { .. } => "RaceDone",
            HostReply::ConvoyDone { .. } => "ConvoyDone",
            HostReply::DeadlockDone { .. } => "DeadlockDone",
            HostReply::Summed { .. } => "Summed",
            HostReply::RealRaceDone { .. } => "RealRaceDone",
            HostReply::Failed { .. } => "Failed",
        }
    }
}

/// The shared counter of a `Pull` run (an `Int32Array` over a
/// `SharedArrayBuffer`): the next task number, which workers take with
/// `Atomics.add`…
pub const COUNTER_NEXT: u32 = 0;
/// …and how many tasks have finished, which the page reads for its
/// progress bar: no message, so no wake-up of the page while workers run.
pub const COUNTER_DONE: u32 = 1;
/// Slots of the counter.
pub const COUNTER_SLOTS: u32 = 2;

/// Page → process worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProcRequest {
    /// Run these tasks one after another, replying after each.
    Batch { run_id: u64, worker: usize, tasks: Vec<Task> },
    /// A queue run without a round trip per task: run `first` (a crashed
    /// worker's leftovers), then take `chunk` task numbers at a time from
    /// the shared counter sent as this message's payload, until it passes
    /// the end of `tasks`; say what was taken (`Took`, or `Done::took`)
    /// before running it, and count each finished task in the counter's
    /// [`COUNTER_DONE`] slot. Tasks and results still travel as messages,
    /// sent when the worker runs out of tasks (or by its panic hook).
    Pull { run_id: u64, worker: usize, tasks: Vec<Task>, chunk: usize, first: Vec<usize> },
    /// Run these tasks as one asyncio event loop would: all started at
    /// once, CPU parts blocking the loop. Replies with every outcome and
    /// the longest the loop was blocked.
    EventLoop { run_id: u64, tasks: Vec<Task> },
    /// Count to `n` in this process's own memory and send the count back.
    Count { n: u64 },
    /// Measure how much SHA-256 work one millisecond holds here.
    Calibrate,
    /// The convoy's I/O loop in a process of its own: `waits` blocking
    /// waits of `wait_ms`, each timed.
    IoLoop { run_id: u64, waits: usize, wait_ms: u64 },
    /// A convoy CPU loop in a process of its own: spin for `ms`.
    Spin { run_id: u64, ms: f64 },
    /// Moving data, sequentially: make the array of `len` elements in this
    /// process's own memory, then sum it (nothing moves).
    SumOwn { run_id: u64, len: u64 },
    /// Moving data, in processes: sum the elements `offset..offset+len`
    /// the page sent with this message (its payload: the chunk itself, or
    /// the whole shared array). `sent_at` is when the page began to send.
    SumGiven { run_id: u64, worker: usize, offset: u64, len: u64, sent_at: f64, whole: bool },
    /// How many bytes this process's wasm memory holds.
    Memory,
    /// Count every interleaving of every scenario (`explore::cells`) for
    /// `threads` threads of `iterations` each; a reply per cell.
    Explore { threads: usize, iterations: i64 },
}

/// Process worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProcReply {
    /// The wasm module is loaded; `build` is its build id.
    Loaded {
        build: String,
    },
    Done {
        run_id: u64,
        outcome: TaskOutcome,
        /// Bytes of this process's wasm memory.
        memory: u64,
        /// In a `Pull` run: the task numbers this worker took from the
        /// shared counter after this task, and runs next.
        took: Option<Range<usize>>,
    },
    /// In a `Pull` run: the first task numbers this worker took.
    Took {
        run_id: u64,
        tasks: Range<usize>,
    },
    /// Several replies in the order they were made: a `Pull` run sends
    /// what it has when it runs out of tasks, not a message per task.
    Many {
        replies: Vec<ProcReply>,
    },
    LoopDone {
        run_id: u64,
        outcomes: Vec<TaskOutcome>,
        /// Coroutines that raised instead of returning.
        failures: Vec<TaskFailure>,
        blocked_ms: f64,
    },
    Counted {
        n: u64,
        ms: f64,
    },
    Calibrated {
        rounds_per_ms: u32,
    },
    /// The I/O loop's waits, in ms, and whether they were truly blocking
    /// (`Atomics.wait`, on an isolated page) or timers (clamped to ≥ 4 ms
    /// once nested).
    IoLoopDone {
        run_id: u64,
        samples: Vec<f64>,
        blocking: bool,
    },
    Spun {
        run_id: u64,
    },
    Summed {
        run_id: u64,
        part: DataPart,
    },
    /// This process's wasm memory, in bytes.
    Memory {
        bytes: u64,
    },
    /// One cell of an `Explore`.
    Explored {
        cell: CountCell,
    },
    /// Sent by the panic hook just before the worker dies.
    Crashed {
        message: String,
    },
    /// A request could not be read. (A page of another build is no cause:
    /// postcard carries no field names, so another build's request may
    /// read as a wrong but valid one; the page never sends a worker a
    /// request before its `Loaded` says it is of the page's build.)
    Unreadable {
        detail: String,
    },
}

/// Encodes a message as the bytes sent through `postMessage` (postcard:
/// variant numbers and fields in order, lengths as varints). Serializing
/// these plain types cannot fail (every sequence knows its length); were
/// it to, the empty message is refused as unreadable by the other side.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    postcard::to_allocvec(msg).unwrap_or_default()
}

/// Decodes a message, with the reason when it is not one of ours.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    match postcard::take_from_bytes(bytes) {
        Ok((msg, [])) => Ok(msg),
        Ok((_, rest)) => Err(format!("unreadable message: {} bytes too many", rest.len())),
        Err(e) => Err(format!("unreadable message: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::workload::{Plan, Workload, WorkloadKind};

    /// Every build reads `Loaded` from every other build: variant 0, then
    /// its fields in order (a string is its length, then its bytes).
    #[test]
    fn loaded_is_the_same_bytes_in_every_build() {
        assert_eq!(encode(&ProcReply::Loaded { build: "ab".into() }), vec![0, 2, b'a', b'b']);
        assert_eq!(encode(&HostReply::Loaded { shared: true, build: "ab".into() }), vec![0, 1, 2, b'a', b'b']);
        assert_eq!(decode::<ProcReply>(&[0, 2, b'a', b'b']), Ok(ProcReply::Loaded { build: "ab".into() }));
    }

    #[test]
    fn messages_round_trip() {
        let tasks = Workload { kind: WorkloadKind::Primes, size: 100, tasks: 3, plan: Plan::Uneven, mix: None }.tasks();
        let req =
            HostRequest::Run { run_id: 7, tasks, strategy: Strategy::Dynamic { chunk: 2 }, gil_interval_ms: Some(5.0) };
        assert_eq!(decode::<HostRequest>(&encode(&req)), Ok(req));
        let p = ProcRequest::Batch { run_id: 1, worker: 0, tasks: vec![] };
        assert_eq!(decode::<ProcRequest>(&encode(&p)), Ok(p));
        assert!(decode::<ProcReply>(&[200, 1]).is_err());
        assert!(decode::<ProcReply>(&[0, 1, b'x', 7]).is_err(), "bytes left over");
        assert!(decode::<ProcReply>(&[]).is_err());
    }
}
