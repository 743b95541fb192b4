//! The process pool's bookkeeping, as a state machine: which workers exist
//! and which have loaded, which tasks each was sent and has not answered,
//! replacing a worker that crashed mid-task, dropping late replies of
//! replaced or cancelled workers, and the end of each job.
//!
//! A queue run reaches idle workers one of two ways (`Delivery`): the page
//! sends the next chunk once a worker has answered its last (a round trip
//! per chunk), or, on an isolated page, the workers take the next task
//! numbers from one shared counter themselves and say what they took, as a
//! `multiprocessing.Pool`'s workers read their next task from one shared
//! pipe. Either way the book knows which tasks each worker holds, so a
//! crash loses exactly the task that was running.
//!
//! Events go in (`PoolEvent`: what a worker said, or Cancel), commands come
//! out (`PoolCommand`: spawn, terminate, send, progress, end of job).
//! `web::pools::processes` carries the commands out with real Web Workers and
//! feeds back what they say; nothing here touches the browser, so every
//! path — crash mid-run, cancel mid-run, late replies, reuse — is tested
//! natively.

use crate::analysis::moving_data::DataPart;
use crate::analysis::report::{RunData, TaskFailure, TaskOutcome};
use crate::error::{CrashCause, Failure, RunError, Unavailable};
use crate::model::Strategy;
use crate::pools::protocol::{build_id, ProcReply, ProcRequest};
use crate::python::bytecode::explore::CountCell;
use crate::python::race::RaceResult;
use crate::python::schedule::TaskSource;
use crate::work::workload::Task;
use std::collections::VecDeque;

mod jobs;

/// A worker's id, unique for the page's lifetime: a replacement never
/// shares one with the worker it replaces, so late replies of a dead or
/// terminated worker are recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkerId(pub usize);

/// What happened, as the adapter saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum PoolEvent {
    /// Worker `id` sent a message.
    Reply(WorkerId, ProcReply),
    /// Worker `id` raised an error event (it died), or its message could
    /// not be read: the browser's words.
    Died(WorkerId, String),
    /// The browser refused to start worker `id`.
    SpawnFailed(WorkerId, String),
    /// A message to worker `id` could not be posted.
    SendFailed(WorkerId, String),
    /// The reader pressed Cancel.
    Cancel,
    /// Time passed: the adapter's timer for [`ProcessPoolBook::deadline`].
    Tick,
}

/// How long a start may go without progress before the pool gives up, in
/// ms. A worker whose script is missing fires an error event, but one whose
/// wasm fails to compile only rejects a promise inside the worker, which
/// the page never hears of: without a deadline a run would wait at "0 of N
/// tasks" for ever. A cold worker loads in well under a second even on a
/// phone; 8 s leaves room for a slow one and keeps the message inside the
/// ten seconds a reader will wait. It counts from the last worker that
/// loaded, not from the spawn: 32 workers loading at once on 2 cores take
/// longer than one, and are not stuck while they keep arriving.
pub const START_TIMEOUT_MS: f64 = 8_000.0;

/// How a queue run (`Strategy::Dynamic`) gets tasks to idle workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The page sends each worker its next chunk when it has answered the
    /// last: a round trip per chunk.
    Messages,
    /// Every worker is sent the task list once, with a shared counter (the
    /// adapter's payload 0), and takes its next chunk itself. Needs shared
    /// memory, so an isolated page.
    SharedCounter,
}

/// What the adapter must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum PoolCommand {
    /// Start a fresh worker under this id.
    Spawn(WorkerId),
    /// Terminate this worker; it is no longer part of the pool.
    Terminate(WorkerId),
    /// Post this request to this worker.
    Send(WorkerId, ProcRequest),
    /// Post this request with chunk number `.2` of the data the adapter
    /// holds as its payload (set `sent_at` to the moment of sending).
    SendData(WorkerId, ProcRequest, usize),
    /// Tasks finished (or lost) so far in the current run.
    Progress(usize),
    /// The current job is over.
    End(JobEnd),
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEnd {
    /// Every worker has loaded; starting the new ones took this long.
    Started {
        startup_ms: f64,
    },
    /// A run of tasks (or an event loop) finished.
    Ran(RunData),
    /// The race demo's counts are in.
    Counted(RaceResult),
    /// SHA-256 rounds per millisecond in a worker.
    Calibrated(u32),
    /// The convoy's I/O loop: its waits (ms), and whether they blocked.
    Convoy {
        samples: Vec<f64>,
        blocking: bool,
    },
    /// Each worker's part of a moving-data run.
    Summed(Vec<DataPart>),
    /// Each worker's wasm memory, in bytes, in pool order.
    Memory(Vec<u64>),
    /// Every cell of the interleavings table, in order.
    Explored(Vec<CountCell>),
    Failed(RunError),
}

impl JobEnd {
    /// The end's name, for an error message about one of the wrong kind
    /// (not `{:?}`, which would put the Debug code of every run's data into
    /// the page).
    pub fn kind(&self) -> &'static str {
        match self {
            JobEnd::Started { .. } => "Started",
            JobEnd::Ran(_) => "Ran",
            JobEnd::Counted(_) => "Counted",
            JobEnd::Calibrated(_) => "Calibrated",
            JobEnd::Convoy { .. } => "Convoy",
            JobEnd::Summed(_) => "Summed",
            JobEnd::Memory(_) => "Memory",
            JobEnd::Explored(_) => "Explored",
            JobEnd::Failed(_) => "Failed",
        }
    }
}

#[derive(Debug)]
struct Slot {
    id: WorkerId,
    loaded: bool,
    /// When it was spawned (for [`START_TIMEOUT_MS`]).
    spawned_at: f64,
    /// Bytes of this worker's wasm memory, as it last reported.
    memory: u64,
    /// The panic message the worker sent just before it died.
    last_words: Option<String>,
}

#[derive(Debug)]
struct TaskJob {
    run_id: u64,
    tasks: Vec<Task>,
    source: TaskSource,
    /// Per slot: tasks sent and not answered yet, in order; the front one
    /// is the task the worker is running.
    pending: Vec<VecDeque<usize>>,
    delivery: Delivery,
    /// Tasks a worker takes at a time from a shared counter.
    chunk: usize,
    outcomes: Vec<TaskOutcome>,
    failures: Vec<TaskFailure>,
    started_at: f64,
}

#[derive(Debug)]
enum Job {
    Idle,
    Starting { since: f64 },
    Tasks(TaskJob),
    EventLoop { run_id: u64, started_at: f64 },
    Count { per_worker: u64, left: usize, counted: u64, started_at: f64 },
    Calibrate,
    Convoy { run_id: u64, left: usize, samples: Option<(Vec<f64>, bool)> },
    Data { run_id: u64, left: usize, parts: Vec<DataPart> },
    Memory { left: usize, bytes: Vec<u64> },
    Explore { left: usize, cells: Vec<CountCell> },
}

/// The pool's books. One job at a time: start workers, run tasks, run an
/// event loop, or count for the race demo.
#[derive(Debug)]
pub struct ProcessPoolBook {
    slots: Vec<Slot>,
    next_id: usize,
    job: Job,
    /// When a worker last said it had loaded: a start that keeps making
    /// progress is not stuck (see [`START_TIMEOUT_MS`]).
    last_loaded_at: f64,
}

impl Default for ProcessPoolBook {
    fn default() -> Self {
        ProcessPoolBook { slots: Vec::new(), next_id: 0, job: Job::Idle, last_loaded_at: f64::NEG_INFINITY }
    }
}

impl ProcessPoolBook {
    /// Whether no job is under way: a pool left midway through one (its
    /// driver dropped) holds workers with half a job and cannot be reused.
    pub fn is_idle(&self) -> bool {
        matches!(self.job, Job::Idle)
    }

    /// Live workers (loaded or loading).
    pub fn size(&self) -> usize {
        self.slots.len()
    }

    /// The largest wasm memory a worker reported, in bytes.
    pub fn memory(&self) -> u64 {
        self.slots.iter().map(|s| s.memory).max().unwrap_or(0)
    }

    fn fresh_slot(&mut self, now: f64) -> Slot {
        let id = WorkerId(self.next_id);
        self.next_id += 1;
        Slot { id, loaded: false, spawned_at: now, memory: 0, last_words: None }
    }

    /// When the adapter must send a [`PoolEvent::Tick`]: [`START_TIMEOUT_MS`]
    /// after the later of the oldest loading worker's spawn and the last
    /// worker that loaded, while a job waits on a worker. `None` when
    /// nothing is waiting for a worker to load.
    pub fn deadline(&self) -> Option<f64> {
        if matches!(self.job, Job::Idle) {
            return None;
        }
        let oldest = self.slots.iter().filter(|s| !s.loaded).map(|s| s.spawned_at).reduce(f64::min)?;
        Some(oldest.max(self.last_loaded_at) + START_TIMEOUT_MS)
    }

    fn slot_of(&self, id: WorkerId) -> Option<usize> {
        self.slots.iter().position(|s| s.id == id)
    }

    /// Ends the job with `error`, terminating every worker (as
    /// `pool.terminate()` does): the next job starts fresh ones.
    fn abort(&mut self, error: RunError) -> Vec<PoolCommand> {
        let mut cmds: Vec<PoolCommand> = self.slots.drain(..).map(|s| PoolCommand::Terminate(s.id)).collect();
        let had_job = !matches!(self.job, Job::Idle);
        self.job = Job::Idle;
        if had_job {
            cmds.push(PoolCommand::End(JobEnd::Failed(error)));
        }
        cmds
    }

    fn busy(&self) -> Option<Vec<PoolCommand>> {
        (!self.is_idle()).then(|| {
            vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::Messaging {
                detail: "the process pool is already busy".into(),
            })))]
        })
    }

    /// Makes the pool exactly `n` workers: extra ones are terminated, new
    /// ones spawned. Ends with `Started` once every worker has loaded.
    pub fn ensure(&mut self, n: usize, now: f64) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        let n = n.max(1);
        let mut cmds: Vec<PoolCommand> =
            self.slots.drain(n.min(self.slots.len())..).map(|s| PoolCommand::Terminate(s.id)).collect();
        while self.slots.len() < n {
            let slot = self.fresh_slot(now);
            cmds.push(PoolCommand::Spawn(slot.id));
            self.slots.push(slot);
        }
        if self.slots.iter().all(|s| s.loaded) {
            cmds.push(PoolCommand::End(JobEnd::Started { startup_ms: 0.0 }));
        } else {
            self.job = Job::Starting { since: now };
        }
        cmds
    }

    /// One more convoy reply; the end once all are in.
    fn convoy_reply(&mut self, run_id: u64, io: Option<(Vec<f64>, bool)>) -> Vec<PoolCommand> {
        let Job::Convoy { run_id: current, left, samples } = &mut self.job else { return Vec::new() };
        if *current != run_id {
            return Vec::new();
        }
        *left -= 1;
        if io.is_some() {
            *samples = io;
        }
        if *left > 0 {
            return Vec::new();
        }
        let (samples, blocking) = samples.take().unwrap_or_default();
        self.job = Job::Idle;
        vec![PoolCommand::End(JobEnd::Convoy { samples, blocking })]
    }

    /// Takes in what happened; returns what to do.
    pub fn handle(&mut self, event: PoolEvent, now: f64) -> Vec<PoolCommand> {
        match event {
            PoolEvent::Cancel => self.abort(RunError::Cancelled),
            PoolEvent::Tick => match self.deadline() {
                Some(at) if now >= at => {
                    let seconds = (START_TIMEOUT_MS / 1000.0).round() as u64;
                    self.abort(RunError::Unavailable(Unavailable::StartTimeout { seconds }))
                }
                _ => Vec::new(),
            },
            PoolEvent::SpawnFailed(_, detail) => self.abort(RunError::Unavailable(Unavailable::WorkerStart { detail })),
            PoolEvent::SendFailed(_, detail) => self.abort(RunError::Failed(Failure::Messaging { detail })),
            PoolEvent::Died(id, detail) => match self.slot_of(id) {
                Some(w) => self.died(w, detail, now),
                // A worker already replaced or terminated.
                None => Vec::new(),
            },
            PoolEvent::Reply(id, reply) => match self.slot_of(id) {
                Some(w) => self.reply(w, reply, now),
                None => Vec::new(),
            },
        }
    }

    fn reply(&mut self, w: usize, reply: ProcReply, now: f64) -> Vec<PoolCommand> {
        match reply {
            ProcReply::Loaded { build } if build != build_id() => {
                self.abort(RunError::Unavailable(Unavailable::OtherBuild { page: build_id().into(), worker: build }))
            }
            ProcReply::Loaded { .. } => self.loaded(w, now),
            ProcReply::Crashed { message } => {
                self.slots[w].last_words = Some(message);
                Vec::new()
            }
            ProcReply::Unreadable { detail } => self.abort(RunError::Failed(Failure::Messaging { detail })),
            ProcReply::Done { run_id, outcome, memory, took } => {
                self.slots[w].memory = self.slots[w].memory.max(memory);
                self.took(w, run_id, took);
                self.done(w, run_id, outcome, now)
            }
            ProcReply::Took { run_id, tasks } => {
                self.took(w, run_id, Some(tasks));
                Vec::new()
            }
            ProcReply::Many { replies } => replies.into_iter().flat_map(|r| self.reply(w, r, now)).collect(),
            ProcReply::LoopDone { run_id, outcomes, failures, blocked_ms } => match self.job {
                Job::EventLoop { run_id: current, started_at } if current == run_id => {
                    self.job = Job::Idle;
                    let data =
                        RunData { started_at, finished_at: now, outcomes, failures, loop_blocked_ms: Some(blocked_ms) };
                    vec![
                        PoolCommand::Progress(data.outcomes.len() + data.failures.len()),
                        PoolCommand::End(JobEnd::Ran(data)),
                    ]
                }
                _ => Vec::new(),
            },
            ProcReply::Calibrated { rounds_per_ms } => match self.job {
                Job::Calibrate => {
                    self.job = Job::Idle;
                    vec![PoolCommand::End(JobEnd::Calibrated(rounds_per_ms))]
                }
                _ => Vec::new(),
            },
            ProcReply::IoLoopDone { run_id, samples, blocking } => self.convoy_reply(run_id, Some((samples, blocking))),
            ProcReply::Spun { run_id } => self.convoy_reply(run_id, None),
            ProcReply::Summed { run_id, part } => match &mut self.job {
                Job::Data { run_id: current, left, parts } if *current == run_id => {
                    parts.push(part);
                    *left -= 1;
                    if *left > 0 {
                        return Vec::new();
                    }
                    let parts = std::mem::take(parts);
                    self.job = Job::Idle;
                    vec![PoolCommand::End(JobEnd::Summed(parts))]
                }
                _ => Vec::new(),
            },
            ProcReply::Explored { cell } => match &mut self.job {
                Job::Explore { left, cells } => {
                    cells.push(cell);
                    *left -= 1;
                    if *left > 0 {
                        return vec![PoolCommand::Progress(cells.len())];
                    }
                    let cells = std::mem::take(cells);
                    self.job = Job::Idle;
                    vec![PoolCommand::Progress(cells.len()), PoolCommand::End(JobEnd::Explored(cells))]
                }
                _ => Vec::new(),
            },
            ProcReply::Memory { bytes } => match &mut self.job {
                Job::Memory { left, bytes: all } => {
                    all[w] = bytes;
                    self.slots[w].memory = bytes;
                    *left -= 1;
                    if *left > 0 {
                        return Vec::new();
                    }
                    let all = std::mem::take(all);
                    self.job = Job::Idle;
                    vec![PoolCommand::End(JobEnd::Memory(all))]
                }
                _ => Vec::new(),
            },
            ProcReply::Counted { n, .. } => match &mut self.job {
                Job::Count { per_worker, left, counted, started_at } => {
                    *counted += n;
                    *left -= 1;
                    if *left > 0 {
                        return Vec::new();
                    }
                    let workers = self.slots.len();
                    let result = RaceResult {
                        mode: None,
                        workers,
                        expected: *per_worker * workers as u64,
                        counted: *counted,
                        ms: now - *started_at,
                    };
                    self.job = Job::Idle;
                    vec![PoolCommand::End(JobEnd::Counted(result))]
                }
                _ => Vec::new(),
            },
        }
    }

    fn loaded(&mut self, w: usize, now: f64) -> Vec<PoolCommand> {
        self.slots[w].loaded = true;
        self.last_loaded_at = now;
        match &mut self.job {
            Job::Starting { since } => {
                if self.slots.iter().all(|s| s.loaded) {
                    let startup_ms = now - *since;
                    self.job = Job::Idle;
                    return vec![PoolCommand::End(JobEnd::Started { startup_ms })];
                }
                Vec::new()
            }
            // A replacement for a crashed worker: give it the dead one's
            // unanswered tasks, or the next chunk of the queue (with a
            // shared counter, it then takes chunks itself).
            Job::Tasks(job) => {
                if job.pending[w].is_empty() && job.delivery == Delivery::Messages {
                    if let Some(range) = job.source.next_chunk() {
                        job.pending[w].extend(range);
                    }
                }
                send_pending(&self.slots[w], w, job).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Worker `w` took these task numbers from the shared counter. (Its
    /// messages arrive in order, so they are booked before their results.)
    fn took(&mut self, w: usize, run_id: u64, tasks: Option<std::ops::Range<usize>>) {
        let Job::Tasks(job) = &mut self.job else { return };
        if let Some(tasks) = tasks.filter(|_| job.run_id == run_id && job.delivery == Delivery::SharedCounter) {
            // Never past the end, whatever a worker says.
            job.pending[w].extend(tasks.start.min(job.tasks.len())..tasks.end.min(job.tasks.len()));
        }
    }

    fn done(&mut self, w: usize, run_id: u64, outcome: TaskOutcome, now: f64) -> Vec<PoolCommand> {
        let Job::Tasks(job) = &mut self.job else { return Vec::new() };
        // A reply of an earlier run, or of a task this worker was not given.
        let Some(at) = job.pending[w].iter().position(|&t| t == outcome.task).filter(|_| job.run_id == run_id) else {
            return Vec::new();
        };
        job.pending[w].remove(at);
        job.outcomes.push(outcome);
        let mut cmds = vec![PoolCommand::Progress(job.outcomes.len() + job.failures.len())];
        if job.pending[w].is_empty() && job.delivery == Delivery::Messages {
            if let Some(range) = job.source.next_chunk() {
                job.pending[w].extend(range);
                cmds.extend(send_pending(&self.slots[w], w, job));
            }
        }
        if let Some(data) = finished(job, now) {
            self.job = Job::Idle;
            cmds.push(PoolCommand::End(JobEnd::Ran(data)));
        }
        cmds
    }

    fn died(&mut self, w: usize, detail: String, now: f64) -> Vec<PoolCommand> {
        let slot = &mut self.slots[w];
        let cause = match slot.last_words.take() {
            Some(message) => CrashCause::from_panic(&message),
            None => CrashCause::Died { detail: detail.clone() },
        };
        if !slot.loaded {
            return self.abort(RunError::Unavailable(Unavailable::WorkerLoad { detail }));
        }
        match &mut self.job {
            // A worker that takes its tasks from the shared counter sends
            // what it took when it runs out; a panic sends it first
            // (its last words), but a worker that died without a word may
            // have taken tasks nobody knows of. The run cannot end then:
            // stop it, as `ProcessPoolExecutor` raises `BrokenProcessPool`.
            Job::Tasks(job) if job.delivery == Delivery::SharedCounter && matches!(cause, CrashCause::Died { .. }) => {
                self.abort(RunError::Failed(Failure::ProcessDied { worker: w, detail }))
            }
            Job::Tasks(job) => {
                // The worker died: its running task is lost, the rest of its
                // queue goes to a fresh worker (as `multiprocessing.Pool`
                // replaces a dead worker), the others' results are kept.
                let Some(lost) = job.pending[w].pop_front() else {
                    return self.abort(RunError::Failed(Failure::ProcessDied { worker: w, detail }));
                };
                job.failures.push(TaskFailure { task: lost, worker: w, cause });
                let done = job.outcomes.len() + job.failures.len();
                let old = self.slots[w].id;
                let fresh = self.fresh_slot(now);
                let mut cmds =
                    vec![PoolCommand::Progress(done), PoolCommand::Terminate(old), PoolCommand::Spawn(fresh.id)];
                self.slots[w] = fresh;
                if let Job::Tasks(job) = &mut self.job {
                    if let Some(data) = finished(job, now) {
                        // The lost task was the last one: the run is over,
                        // the replacement keeps loading for the next run.
                        self.job = Job::Idle;
                        cmds.push(PoolCommand::End(JobEnd::Ran(data)));
                    }
                }
                cmds
            }
            Job::EventLoop { .. } => self.abort(RunError::Failed(Failure::EventLoopDied { cause })),
            Job::Idle => {
                // Died between jobs: drop it; the next `ensure` replaces it.
                let id = self.slots.remove(w).id;
                vec![PoolCommand::Terminate(id)]
            }
            Job::Starting { .. }
            | Job::Count { .. }
            | Job::Calibrate
            | Job::Convoy { .. }
            | Job::Data { .. }
            | Job::Memory { .. }
            | Job::Explore { .. } => self.abort(RunError::Failed(Failure::ProcessDied { worker: w, detail })),
        }
    }
}

/// What `slot` is sent to start on, if it can take it now (a loading
/// replacement gets it when it has loaded): the batch of its pending tasks,
/// or, with a shared counter, the task list, its pending tasks to run first
/// and the counter (payload 0).
fn send_pending(slot: &Slot, w: usize, job: &TaskJob) -> Option<PoolCommand> {
    if !slot.loaded {
        return None;
    }
    let run_id = job.run_id;
    match job.delivery {
        Delivery::Messages if job.pending[w].is_empty() => None,
        Delivery::Messages => {
            let tasks = job.pending[w].iter().map(|&i| job.tasks[i]).collect();
            Some(PoolCommand::Send(slot.id, ProcRequest::Batch { run_id, worker: w, tasks }))
        }
        Delivery::SharedCounter => {
            let first = job.pending[w].iter().copied().collect();
            let pull = ProcRequest::Pull { run_id, worker: w, tasks: job.tasks.clone(), chunk: job.chunk, first };
            Some(PoolCommand::SendData(slot.id, pull, 0))
        }
    }
}

/// The run's data once every task has answered or crashed.
fn finished(job: &mut TaskJob, now: f64) -> Option<RunData> {
    (job.outcomes.len() + job.failures.len() >= job.tasks.len()).then(|| RunData {
        started_at: job.started_at,
        finished_at: now,
        outcomes: std::mem::take(&mut job.outcomes),
        failures: std::mem::take(&mut job.failures),
        loop_blocked_ms: None,
    })
}

#[cfg(test)]
mod tests;
