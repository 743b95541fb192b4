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
//! `web::process_pool` carries the commands out with real Web Workers and
//! feeds back what they say; nothing here touches the browser, so every
//! path — crash mid-run, cancel mid-run, late replies, reuse — is tested
//! natively.

use crate::engine::data::DataPart;
use crate::engine::error::{CrashCause, Failure, RunError, Unavailable};
use crate::engine::model::Strategy;
use crate::engine::protocol::{build_id, ProcReply, ProcRequest};
use crate::engine::race::RaceResult;
use crate::engine::report::{RunData, TaskFailure, TaskOutcome};
use crate::engine::schedule::TaskSource;
use crate::engine::workload::Task;
use std::collections::VecDeque;

/// A worker's id, unique for the page's lifetime: a replacement never
/// shares one with the worker it replaces, so late replies of a dead or
/// terminated worker are recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct WorkerId(pub(crate) usize);

/// What happened, as the adapter saw it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PoolEvent {
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
pub(crate) const START_TIMEOUT_MS: f64 = 8_000.0;

/// How a queue run (`Strategy::Dynamic`) gets tasks to idle workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
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
pub(crate) enum PoolCommand {
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
pub(crate) enum JobEnd {
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
    Failed(RunError),
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
}

/// The pool's books. One job at a time: start workers, run tasks, run an
/// event loop, or count for the race demo.
#[derive(Debug)]
pub(crate) struct ProcessPoolBook {
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
    /// Live workers (loaded or loading).
    pub(crate) fn size(&self) -> usize {
        self.slots.len()
    }

    /// The largest wasm memory a worker reported, in bytes.
    pub(crate) fn memory(&self) -> u64 {
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
    pub(crate) fn deadline(&self) -> Option<f64> {
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
        (!matches!(self.job, Job::Idle)).then(|| {
            vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::Messaging {
                detail: "the process pool is already busy".into(),
            })))]
        })
    }

    /// Makes the pool exactly `n` workers: extra ones are terminated, new
    /// ones spawned. Ends with `Started` once every worker has loaded.
    pub(crate) fn ensure(&mut self, n: usize, now: f64) -> Vec<PoolCommand> {
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

    /// Runs `tasks` on every worker of the pool with `strategy`; a queue
    /// run's chunks reach the workers by `delivery`.
    pub(crate) fn run_tasks(
        &mut self,
        run_id: u64,
        tasks: Vec<Task>,
        strategy: Strategy,
        delivery: Delivery,
        now: f64,
    ) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        let workers = self.slots.len();
        if workers == 0 || self.slots.iter().any(|s| !s.loaded) {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        }
        let delivery = match strategy {
            Strategy::Static => Delivery::Messages,
            Strategy::Dynamic { .. } => delivery,
        };
        let mut job = TaskJob {
            run_id,
            source: TaskSource::new(strategy, tasks.len(), workers),
            tasks,
            pending: vec![VecDeque::new(); workers],
            delivery,
            chunk: match strategy {
                Strategy::Dynamic { chunk } => chunk.max(1),
                Strategy::Static => 1,
            },
            outcomes: Vec::new(),
            failures: Vec::new(),
            started_at: now,
        };
        let mut cmds = Vec::new();
        for w in 0..workers {
            if delivery == Delivery::Messages {
                let ids: Vec<usize> = match strategy {
                    Strategy::Static => job.source.static_slice(w),
                    Strategy::Dynamic { .. } => job.source.next_chunk().map(|r| r.collect()).unwrap_or_default(),
                };
                job.pending[w].extend(ids);
            }
            cmds.extend(send_pending(&self.slots[w], w, &job));
        }
        match finished(&mut job, now) {
            Some(data) => cmds.push(PoolCommand::End(JobEnd::Ran(data))),
            None => self.job = Job::Tasks(job),
        }
        cmds
    }

    /// Runs `tasks` as one asyncio event loop inside the first worker.
    pub(crate) fn run_event_loop(&mut self, run_id: u64, tasks: Vec<Task>, now: f64) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        let Some(first) = self.slots.first().filter(|s| s.loaded) else {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        };
        let cmd = PoolCommand::Send(first.id, ProcRequest::EventLoop { run_id, tasks });
        self.job = Job::EventLoop { run_id, started_at: now };
        vec![cmd]
    }

    /// The race demo: every worker counts to `per_worker` in its own memory.
    pub(crate) fn count(&mut self, per_worker: u64, now: f64) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        if self.slots.is_empty() || self.slots.iter().any(|s| !s.loaded) {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        }
        self.job = Job::Count { per_worker, left: self.slots.len(), counted: 0, started_at: now };
        self.slots.iter().map(|s| PoolCommand::Send(s.id, ProcRequest::Count { n: per_worker })).collect()
    }

    /// Measures in the first worker how many SHA-256 rounds a millisecond
    /// holds.
    pub(crate) fn calibrate(&mut self) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        let Some(first) = self.slots.first().filter(|s| s.loaded) else {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        };
        let cmd = PoolCommand::Send(first.id, ProcRequest::Calibrate);
        self.job = Job::Calibrate;
        vec![cmd]
    }

    /// The convoy in processes: the first worker makes `waits` waits of
    /// `wait_ms` while the next `cpu_threads` workers spin for `spin_ms`.
    pub(crate) fn convoy(
        &mut self,
        run_id: u64,
        cpu_threads: usize,
        waits: usize,
        wait_ms: u64,
        spin_ms: f64,
    ) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        if self.slots.len() < cpu_threads + 1 || self.slots.iter().any(|s| !s.loaded) {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        }
        // The spinners first, so they are busy when the waits begin.
        let mut cmds: Vec<PoolCommand> = self.slots[1..=cpu_threads]
            .iter()
            .map(|s| PoolCommand::Send(s.id, ProcRequest::Spin { run_id, ms: spin_ms }))
            .collect();
        cmds.push(PoolCommand::Send(self.slots[0].id, ProcRequest::IoLoop { run_id, waits, wait_ms }));
        self.job = Job::Convoy { run_id, left: cpu_threads + 1, samples: None };
        cmds
    }

    /// Moving data, sequentially: the first worker makes its own array of
    /// `len` elements and sums it.
    pub(crate) fn sum_own(&mut self, run_id: u64, len: u64) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        let Some(first) = self.slots.first().filter(|s| s.loaded) else {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        };
        let cmd = PoolCommand::Send(first.id, ProcRequest::SumOwn { run_id, len });
        self.job = Job::Data { run_id, left: 1, parts: Vec::new() };
        vec![cmd]
    }

    /// Moving data, in processes: worker `w` gets chunk `w` (its payload
    /// from the adapter) and sums elements `chunks[w]`; `whole` when the
    /// payload is the whole (shared) array rather than the chunk alone.
    pub(crate) fn sum_given(&mut self, run_id: u64, chunks: &[std::ops::Range<u64>], whole: bool) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        if self.slots.len() < chunks.len() || self.slots.iter().any(|s| !s.loaded) {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        }
        self.job = Job::Data { run_id, left: chunks.len(), parts: Vec::new() };
        chunks
            .iter()
            .enumerate()
            .map(|(w, r)| {
                let req = ProcRequest::SumGiven {
                    run_id,
                    worker: w,
                    offset: r.start,
                    len: r.end - r.start,
                    sent_at: 0.0,
                    whole,
                };
                PoolCommand::SendData(self.slots[w].id, req, w)
            })
            .collect()
    }

    /// Asks every worker for its wasm memory.
    pub(crate) fn memory_report(&mut self) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        if self.slots.is_empty() || self.slots.iter().any(|s| !s.loaded) {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        }
        self.job = Job::Memory { left: self.slots.len(), bytes: vec![0; self.slots.len()] };
        self.slots.iter().map(|s| PoolCommand::Send(s.id, ProcRequest::Memory)).collect()
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
    pub(crate) fn handle(&mut self, event: PoolEvent, now: f64) -> Vec<PoolCommand> {
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
            | Job::Memory { .. } => self.abort(RunError::Failed(Failure::ProcessDied { worker: w, detail })),
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
mod tests {
    use super::*;
    use crate::engine::report::SegmentState;
    use crate::engine::workload::{Plan, Workload, WorkloadKind};

    fn tasks(n: usize) -> Vec<Task> {
        Workload { kind: WorkloadKind::Primes, size: 1000 * n as u64, tasks: n, plan: Plan::Uniform, mix: None }.tasks()
    }

    fn spawned(cmds: &[PoolCommand]) -> Vec<WorkerId> {
        cmds.iter().filter_map(|c| if let PoolCommand::Spawn(id) = c { Some(*id) } else { None }).collect()
    }

    fn sent(cmds: &[PoolCommand]) -> Vec<(WorkerId, Vec<usize>)> {
        cmds.iter()
            .filter_map(|c| match c {
                PoolCommand::Send(id, ProcRequest::Batch { tasks, .. }) => {
                    Some((*id, tasks.iter().map(|t| t.id).collect()))
                }
                _ => None,
            })
            .collect()
    }

    fn end(cmds: &[PoolCommand]) -> Option<&JobEnd> {
        cmds.iter().find_map(|c| if let PoolCommand::End(e) = c { Some(e) } else { None })
    }

    fn done(task: &Task, run_id: u64) -> ProcReply {
        let outcome = TaskOutcome::single(task, 0, task.id as u64 + 1, SegmentState::Computing, 0.0, 1.0);
        ProcReply::Done { run_id, outcome, memory: 1 << 20, took: None }
    }

    /// A pool of `n` loaded workers and their ids.
    fn started(n: usize) -> (ProcessPoolBook, Vec<WorkerId>) {
        let mut book = ProcessPoolBook::default();
        let cmds = book.ensure(n, 0.0);
        let ids = spawned(&cmds);
        assert_eq!(ids.len(), n);
        assert_eq!(end(&cmds), None);
        let mut last = Vec::new();
        for &id in &ids {
            last = book.handle(PoolEvent::Reply(id, ProcReply::Loaded { build: build_id().into() }), 40.0);
        }
        assert_eq!(end(&last), Some(&JobEnd::Started { startup_ms: 40.0 }));
        (book, ids)
    }

    /// Answers every batch in `cmds` (and those it leads to) until the run
    /// ends; returns the end.
    fn answer_all(book: &mut ProcessPoolBook, run_id: u64, all: &[Task], cmds: Vec<PoolCommand>) -> JobEnd {
        let mut queue: VecDeque<PoolCommand> = cmds.into();
        while let Some(cmd) = queue.pop_front() {
            match cmd {
                PoolCommand::Send(id, ProcRequest::Batch { tasks, .. }) => {
                    for t in tasks {
                        queue.extend(book.handle(PoolEvent::Reply(id, done(&all[t.id], run_id)), 5.0));
                    }
                }
                PoolCommand::End(e) => return e,
                _ => {}
            }
        }
        panic!("the run never ended");
    }

    #[test]
    fn a_run_hands_every_task_out_once_and_ends() {
        let (mut book, ids) = started(2);
        let all = tasks(7);
        let cmds = book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 2 }, Delivery::Messages, 1.0);
        assert_eq!(sent(&cmds), vec![(ids[0], vec![0, 1]), (ids[1], vec![2, 3])]);
        let JobEnd::Ran(data) = answer_all(&mut book, 1, &all, cmds) else { panic!() };
        let mut got: Vec<usize> = data.outcomes.iter().map(|o| o.task).collect();
        got.sort_unstable();
        assert_eq!(got, (0..7).collect::<Vec<_>>());
        assert!(data.failures.is_empty());
        assert_eq!(book.memory(), 1 << 20);
    }

    #[test]
    fn static_slices_are_sent_up_front() {
        let (mut book, ids) = started(3);
        let cmds = book.run_tasks(1, tasks(7), Strategy::Static, Delivery::Messages, 0.0);
        assert_eq!(sent(&cmds), vec![(ids[0], vec![0, 3, 6]), (ids[1], vec![1, 4]), (ids[2], vec![2, 5])]);
    }

    #[test]
    fn a_crash_mid_run_replaces_the_worker_and_keeps_the_rest() {
        let (mut book, ids) = started(2);
        let all = tasks(6);
        let cmds = book.run_tasks(1, all.clone(), Strategy::Static, Delivery::Messages, 0.0);
        assert_eq!(sent(&cmds), vec![(ids[0], vec![0, 2, 4]), (ids[1], vec![1, 3, 5])]);
        // Worker 1 answers task 1, then dies on task 3 after its last words.
        book.handle(PoolEvent::Reply(ids[1], done(&all[1], 1)), 1.0);
        let panic_text = CrashCause::CrashSwitch { task: 3 }.to_string();
        assert!(book.handle(PoolEvent::Reply(ids[1], ProcReply::Crashed { message: panic_text }), 2.0).is_empty());
        let cmds = book.handle(PoolEvent::Died(ids[1], "unreachable".into()), 2.0);
        let fresh = spawned(&cmds);
        assert_eq!(fresh.len(), 1);
        assert!(cmds.contains(&PoolCommand::Terminate(ids[1])));
        assert!(!ids.contains(&fresh[0]));
        assert_eq!(book.size(), 2);
        // Its late error (the browser's second event) changes nothing.
        assert!(book.handle(PoolEvent::Died(ids[1], "again".into()), 2.0).is_empty());
        // The replacement gets the dead worker's unanswered task 5 once loaded.
        let cmds = book.handle(PoolEvent::Reply(fresh[0], ProcReply::Loaded { build: build_id().into() }), 3.0);
        assert_eq!(sent(&cmds), vec![(fresh[0], vec![5])]);
        let mut rest = cmds;
        rest.extend(book.handle(PoolEvent::Reply(ids[0], done(&all[0], 1)), 4.0));
        rest.extend(book.handle(PoolEvent::Reply(ids[0], done(&all[2], 1)), 4.0));
        rest.push(PoolCommand::Send(ids[0], ProcRequest::Batch { run_id: 1, worker: 0, tasks: vec![all[4]] }));
        let JobEnd::Ran(data) = answer_all(&mut book, 1, &all, rest) else { panic!() };
        assert_eq!(data.outcomes.len(), 5);
        assert_eq!(data.failures, vec![TaskFailure { task: 3, worker: 1, cause: CrashCause::CrashSwitch { task: 3 } }]);
    }

    #[test]
    fn a_crash_on_the_last_task_ends_the_run() {
        let (mut book, ids) = started(1);
        let all = tasks(1);
        book.run_tasks(1, all, Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 0.0);
        let cmds = book.handle(PoolEvent::Died(ids[0], "boom".into()), 9.0);
        let Some(JobEnd::Ran(data)) = end(&cmds) else { panic!("{cmds:?}") };
        assert_eq!(data.failures[0].cause, CrashCause::Died { detail: "boom".into() });
        // The replacement loads for the next run.
        assert_eq!(spawned(&cmds).len(), 1);
    }

    #[test]
    fn cancel_mid_run_terminates_everyone_and_late_replies_are_dropped() {
        let (mut book, ids) = started(2);
        let all = tasks(8);
        book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 0.0);
        book.handle(PoolEvent::Reply(ids[0], done(&all[0], 1)), 1.0);
        let cmds = book.handle(PoolEvent::Cancel, 2.0);
        assert_eq!(
            cmds,
            vec![
                PoolCommand::Terminate(ids[0]),
                PoolCommand::Terminate(ids[1]),
                PoolCommand::End(JobEnd::Failed(RunError::Cancelled))
            ]
        );
        assert_eq!(book.size(), 0);
        // A reply still in flight from a terminated worker is dropped.
        assert!(book.handle(PoolEvent::Reply(ids[1], done(&all[1], 1)), 3.0).is_empty());
        // The next run starts fresh workers, with new ids.
        let cmds = book.ensure(2, 4.0);
        let fresh = spawned(&cmds);
        assert!(fresh.iter().all(|id| !ids.contains(id)));
        for &id in &fresh {
            book.handle(PoolEvent::Reply(id, ProcReply::Loaded { build: build_id().into() }), 5.0);
        }
        // A late reply of run 1 that reaches a new worker's id is not
        // possible; one of run 1 from a *live* worker is dropped too.
        let cmds = book.run_tasks(2, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 6.0);
        assert!(book.handle(PoolEvent::Reply(fresh[0], done(&all[0], 1)), 6.5).is_empty());
        let JobEnd::Ran(data) = answer_all(&mut book, 2, &all, cmds) else { panic!() };
        assert_eq!(data.outcomes.len(), 8);
    }

    #[test]
    fn the_pool_is_reused_across_runs() {
        let (mut book, ids) = started(2);
        let all = tasks(4);
        for run_id in 1..=3 {
            let cmds = book.ensure(2, 0.0);
            assert_eq!(cmds, vec![PoolCommand::End(JobEnd::Started { startup_ms: 0.0 })]);
            let cmds = book.run_tasks(run_id, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 0.0);
            assert!(sent(&cmds).iter().all(|(id, _)| ids.contains(id)));
            assert!(matches!(answer_all(&mut book, run_id, &all, cmds), JobEnd::Ran(d) if d.outcomes.len() == 4));
        }
        // Shrinking terminates the extra worker; growing spawns one.
        assert_eq!(
            book.ensure(1, 0.0),
            vec![PoolCommand::Terminate(ids[1]), PoolCommand::End(JobEnd::Started { startup_ms: 0.0 })]
        );
        assert_eq!(spawned(&book.ensure(2, 0.0)).len(), 1);
    }

    #[test]
    fn more_workers_than_tasks_still_ends() {
        let (mut book, _) = started(8);
        let all = tasks(3);
        for strategy in [Strategy::Static, Strategy::Dynamic { chunk: 1 }] {
            let cmds = book.run_tasks(1, all.clone(), strategy, Delivery::Messages, 0.0);
            assert_eq!(sent(&cmds).len(), 3, "idle workers get no empty batch");
            assert!(matches!(answer_all(&mut book, 1, &all, cmds), JobEnd::Ran(d) if d.outcomes.len() == 3));
        }
        let empty = book.run_tasks(2, Vec::new(), Strategy::Static, Delivery::Messages, 0.0);
        assert!(matches!(end(&empty), Some(JobEnd::Ran(d)) if d.outcomes.is_empty()));
    }

    #[test]
    fn a_worker_that_never_loads_fails_the_start_at_its_deadline() {
        let mut book = ProcessPoolBook::default();
        let ids = spawned(&book.ensure(2, 100.0));
        assert_eq!(book.deadline(), Some(100.0 + START_TIMEOUT_MS));
        // One loads; the other stays silent (its wasm failed to compile).
        // The clock restarts at the last load.
        book.handle(PoolEvent::Reply(ids[0], ProcReply::Loaded { build: build_id().into() }), 150.0);
        assert_eq!(book.deadline(), Some(150.0 + START_TIMEOUT_MS));
        // An early tick changes nothing.
        assert!(book.handle(PoolEvent::Tick, 5_000.0).is_empty());
        let cmds = book.handle(PoolEvent::Tick, 150.0 + START_TIMEOUT_MS);
        assert_eq!(end(&cmds), Some(&JobEnd::Failed(RunError::Unavailable(Unavailable::StartTimeout { seconds: 8 }))));
        assert!(cmds.contains(&PoolCommand::Terminate(ids[0])) && cmds.contains(&PoolCommand::Terminate(ids[1])));
        assert_eq!((book.size(), book.deadline()), (0, None));
        // The next start begins afresh.
        assert_eq!(spawned(&book.ensure(1, 20_000.0)).len(), 1);
        assert_eq!(book.deadline(), Some(20_000.0 + START_TIMEOUT_MS));
    }

    #[test]
    fn a_start_that_keeps_loading_workers_is_not_stuck() {
        // 32 workers loading at once on two cores: they arrive one by one,
        // the last long after the first deadline would have passed.
        let mut book = ProcessPoolBook::default();
        let ids = spawned(&book.ensure(32, 0.0));
        let step = START_TIMEOUT_MS / 4.0;
        let mut last = Vec::new();
        for (i, &id) in ids.iter().enumerate() {
            let now = step * (i + 1) as f64;
            assert!(book.handle(PoolEvent::Tick, now).is_empty(), "worker {i} arrives in time");
            last = book.handle(PoolEvent::Reply(id, ProcReply::Loaded { build: build_id().into() }), now);
            if i + 1 < ids.len() {
                assert_eq!(book.deadline(), Some(now + START_TIMEOUT_MS));
            }
        }
        assert!(matches!(end(&last), Some(JobEnd::Started { .. })));
        assert_eq!(book.deadline(), None);
    }

    #[test]
    fn a_replacement_that_never_loads_fails_the_run() {
        let (mut book, ids) = started(2);
        let all = tasks(4);
        book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 50.0);
        assert_eq!(book.deadline(), None, "every worker has loaded");
        let cmds = book.handle(PoolEvent::Died(ids[1], "unreachable".into()), 60.0);
        assert_eq!(spawned(&cmds).len(), 1);
        assert_eq!(book.deadline(), Some(60.0 + START_TIMEOUT_MS));
        let cmds = book.handle(PoolEvent::Tick, 60.0 + START_TIMEOUT_MS);
        assert!(matches!(end(&cmds), Some(JobEnd::Failed(RunError::Unavailable(Unavailable::StartTimeout { .. })))));
    }

    #[test]
    fn an_idle_pool_has_no_deadline() {
        let (book, _) = started(2);
        assert_eq!(book.deadline(), None);
    }

    #[test]
    fn a_worker_that_fails_to_load_fails_the_start() {
        let mut book = ProcessPoolBook::default();
        let ids = spawned(&book.ensure(2, 0.0));
        let cmds = book.handle(PoolEvent::Died(ids[1], "SyntaxError".into()), 1.0);
        assert_eq!(
            end(&cmds),
            Some(&JobEnd::Failed(RunError::Unavailable(Unavailable::WorkerLoad { detail: "SyntaxError".into() })))
        );
        assert_eq!(book.size(), 0);
        let mut book = ProcessPoolBook::default();
        let ids = spawned(&book.ensure(1, 0.0));
        let cmds = book.handle(PoolEvent::SpawnFailed(ids[0], "blocked by CSP".into()), 1.0);
        assert!(matches!(end(&cmds), Some(JobEnd::Failed(RunError::Unavailable(Unavailable::WorkerStart { .. })))));
    }

    #[test]
    fn the_event_loop_and_the_count_jobs() {
        let (mut book, ids) = started(2);
        let cmds = book.run_event_loop(7, tasks(3), 10.0);
        assert!(
            matches!(&cmds[..], [PoolCommand::Send(id, ProcRequest::EventLoop { run_id: 7, .. })] if *id == ids[0])
        );
        let reply = ProcReply::LoopDone { run_id: 7, outcomes: vec![], failures: vec![], blocked_ms: 12.0 };
        let cmds = book.handle(PoolEvent::Reply(ids[0], reply), 30.0);
        let Some(JobEnd::Ran(data)) = end(&cmds) else { panic!() };
        assert_eq!((data.started_at, data.finished_at, data.loop_blocked_ms), (10.0, 30.0, Some(12.0)));
        // A crash inside the loop fails the run with the panic's words.
        book.run_event_loop(8, tasks(3), 0.0);
        book.handle(PoolEvent::Reply(ids[0], ProcReply::Crashed { message: "oops".into() }), 1.0);
        let cmds = book.handle(PoolEvent::Died(ids[0], "unreachable".into()), 1.0);
        let cause = CrashCause::Panic { message: "oops".into() };
        assert_eq!(end(&cmds), Some(&JobEnd::Failed(RunError::Failed(Failure::EventLoopDied { cause }))));

        let (mut book, ids) = started(2);
        assert_eq!(book.count(5, 0.0).len(), 2);
        assert!(book.handle(PoolEvent::Reply(ids[0], ProcReply::Counted { n: 5, ms: 1.0 }), 1.0).is_empty());
        let cmds = book.handle(PoolEvent::Reply(ids[1], ProcReply::Counted { n: 5, ms: 1.0 }), 2.0);
        let Some(JobEnd::Counted(r)) = end(&cmds) else { panic!() };
        assert_eq!((r.expected, r.counted, r.workers), (10, 10, 2));
    }

    #[test]
    fn calibration_and_the_convoy_in_processes() {
        let (mut book, ids) = started(3);
        assert_eq!(book.calibrate(), vec![PoolCommand::Send(ids[0], ProcRequest::Calibrate)]);
        let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Calibrated { rounds_per_ms: 4200 }), 1.0);
        assert_eq!(end(&cmds), Some(&JobEnd::Calibrated(4200)));
        // Two spinners, then the I/O loop in the first process.
        let cmds = book.convoy(9, 2, 50, 1, 300.0);
        assert_eq!(cmds.len(), 3);
        assert!(
            matches!(cmds[2], PoolCommand::Send(id, ProcRequest::IoLoop { run_id: 9, waits: 50, wait_ms: 1 }) if id == ids[0])
        );
        let io = ProcReply::IoLoopDone { run_id: 9, samples: vec![1.1, 1.2], blocking: true };
        assert!(book.handle(PoolEvent::Reply(ids[0], io), 2.0).is_empty());
        assert!(book.handle(PoolEvent::Reply(ids[1], ProcReply::Spun { run_id: 9 }), 3.0).is_empty());
        // A late reply of another run changes nothing.
        assert!(book.handle(PoolEvent::Reply(ids[2], ProcReply::Spun { run_id: 8 }), 3.0).is_empty());
        let cmds = book.handle(PoolEvent::Reply(ids[2], ProcReply::Spun { run_id: 9 }), 4.0);
        assert_eq!(end(&cmds), Some(&JobEnd::Convoy { samples: vec![1.1, 1.2], blocking: true }));
        // Too few processes for the spinners asked for.
        assert!(matches!(end(&book.convoy(10, 3, 50, 1, 300.0)), Some(JobEnd::Failed(_))));
    }

    #[test]
    fn data_and_memory_jobs_collect_every_worker() {
        let (mut book, ids) = started(2);
        let chunks = crate::engine::data::chunks(1000, 2);
        let cmds = book.sum_given(3, &chunks, false);
        assert!(
            matches!(&cmds[1], PoolCommand::SendData(id, ProcRequest::SumGiven { offset: 500, len: 500, .. }, 1) if *id == ids[1])
        );
        let part = |worker, offset| DataPart {
            worker,
            offset,
            len: 500,
            sent_at: 0.0,
            received_at: 1.0,
            finished_at: 2.0,
            sum: 7,
        };
        assert!(book
            .handle(PoolEvent::Reply(ids[1], ProcReply::Summed { run_id: 3, part: part(1, 500) }), 2.0)
            .is_empty());
        // A reply of another run is not counted.
        assert!(book
            .handle(PoolEvent::Reply(ids[0], ProcReply::Summed { run_id: 2, part: part(0, 0) }), 2.0)
            .is_empty());
        let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Summed { run_id: 3, part: part(0, 0) }), 2.0);
        assert!(matches!(end(&cmds), Some(JobEnd::Summed(p)) if p.len() == 2));
        book.memory_report();
        book.handle(PoolEvent::Reply(ids[1], ProcReply::Memory { bytes: 20 }), 3.0);
        let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Memory { bytes: 10 }), 3.0);
        assert_eq!(end(&cmds), Some(&JobEnd::Memory(vec![10, 20])));
        assert_eq!(book.memory(), 20);
    }

    /// The `Pull` requests in `cmds`: (worker, its first tasks, chunk).
    fn pulls(cmds: &[PoolCommand]) -> Vec<(WorkerId, Vec<usize>, usize)> {
        cmds.iter()
            .filter_map(|c| match c {
                PoolCommand::SendData(id, ProcRequest::Pull { first, chunk, tasks, .. }, 0) => {
                    assert_eq!(tasks.len(), 7, "every worker gets the whole task list");
                    Some((*id, first.clone(), *chunk))
                }
                _ => None,
            })
            .collect()
    }

    fn done_then(task: &Task, run_id: u64, took: Option<std::ops::Range<usize>>) -> ProcReply {
        let ProcReply::Done { outcome, memory, .. } = done(task, run_id) else { unreachable!() };
        ProcReply::Done { run_id, outcome, memory, took }
    }

    #[test]
    fn with_a_shared_counter_workers_take_tasks_themselves() {
        let (mut book, ids) = started(2);
        let all = tasks(7);
        let cmds = book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 2 }, Delivery::SharedCounter, 0.0);
        // No chunk is handed out: each worker is sent the list and the
        // counter (payload 0) once, and nothing more is ever sent.
        assert_eq!(pulls(&cmds), vec![(ids[0], vec![], 2), (ids[1], vec![], 2)]);
        assert!(sent(&cmds).is_empty());
        let mut h = |id, reply| book.handle(PoolEvent::Reply(id, reply), 5.0);
        assert!(h(ids[0], ProcReply::Took { run_id: 1, tasks: 0..2 }).is_empty());
        assert!(h(ids[1], ProcReply::Took { run_id: 1, tasks: 2..4 }).is_empty());
        // A claim of another run is not booked.
        assert!(h(ids[1], ProcReply::Took { run_id: 0, tasks: 4..6 }).is_empty());
        let c = h(ids[0], done_then(&all[0], 1, None));
        assert_eq!(c, vec![PoolCommand::Progress(1)], "no round trip: nothing is sent back");
        h(ids[0], done_then(&all[1], 1, Some(4..6)));
        h(ids[1], done_then(&all[2], 1, None));
        h(ids[1], done_then(&all[3], 1, Some(6..8)));
        for t in [4, 5] {
            h(ids[0], done_then(&all[t], 1, None));
        }
        let c = h(ids[1], done_then(&all[6], 1, None));
        let Some(JobEnd::Ran(data)) = end(&c) else { panic!("the run ends: {c:?}") };
        let mut got: Vec<usize> = data.outcomes.iter().map(|o| o.task).collect();
        got.sort_unstable();
        assert_eq!(got, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn with_a_shared_counter_a_crash_loses_only_the_running_task() {
        let (mut book, ids) = started(2);
        let all = tasks(7);
        book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 2 }, Delivery::SharedCounter, 0.0);
        let mut h = |id, reply| book.handle(PoolEvent::Reply(id, reply), 5.0);
        h(ids[0], ProcReply::Took { run_id: 1, tasks: 0..2 });
        h(ids[1], ProcReply::Took { run_id: 1, tasks: 2..4 });
        h(ids[0], done_then(&all[0], 1, None));
        // Worker 0 is running task 1 when it dies.
        h(ids[0], ProcReply::Crashed { message: "panicked at src/engine/workload.rs: crash switch: task 1".into() });
        let cmds = book.handle(PoolEvent::Died(ids[0], "unreachable".into()), 6.0);
        assert!(cmds.contains(&PoolCommand::Terminate(ids[0])));
        let fresh = spawned(&cmds);
        assert_eq!(fresh.len(), 1);
        // Worker 1 goes on taking tasks meanwhile.
        book.handle(PoolEvent::Reply(ids[1], done_then(&all[2], 1, None)), 7.0);
        book.handle(PoolEvent::Reply(ids[1], done_then(&all[3], 1, Some(4..6))), 7.0);
        // The replacement is sent the list and the counter, with nothing of
        // its own to run first (the dead worker's one task was the lost one).
        let cmds = book.handle(PoolEvent::Reply(fresh[0], ProcReply::Loaded { build: build_id().into() }), 8.0);
        assert_eq!(pulls(&cmds), vec![(fresh[0], vec![], 2)]);
        book.handle(PoolEvent::Reply(fresh[0], ProcReply::Took { run_id: 1, tasks: 6..8 }), 9.0);
        book.handle(PoolEvent::Reply(ids[1], done_then(&all[4], 1, None)), 9.0);
        book.handle(PoolEvent::Reply(fresh[0], done_then(&all[6], 1, None)), 9.0);
        let c = book.handle(PoolEvent::Reply(ids[1], done_then(&all[5], 1, None)), 10.0);
        let Some(JobEnd::Ran(data)) = end(&c) else { panic!("the run ends: {c:?}") };
        assert_eq!(data.outcomes.len(), 6);
        assert_eq!(data.failures.len(), 1);
        assert_eq!(data.failures[0].task, 1);
    }

    #[test]
    fn a_crash_with_tasks_taken_hands_the_rest_to_the_replacement() {
        let (mut book, ids) = started(1);
        let all = tasks(7);
        book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 3 }, Delivery::SharedCounter, 0.0);
        book.handle(PoolEvent::Reply(ids[0], ProcReply::Took { run_id: 1, tasks: 0..3 }), 1.0);
        book.handle(PoolEvent::Reply(ids[0], ProcReply::Crashed { message: "task 0 crashed".into() }), 1.5);
        let cmds = book.handle(PoolEvent::Died(ids[0], "unreachable".into()), 2.0);
        let fresh = spawned(&cmds);
        let cmds = book.handle(PoolEvent::Reply(fresh[0], ProcReply::Loaded { build: build_id().into() }), 3.0);
        // Task 0 was running and is lost; 1 and 2 were taken and not begun.
        assert_eq!(pulls(&cmds), vec![(fresh[0], vec![1, 2], 3)]);
    }

    #[test]
    fn replies_sent_together_are_booked_in_order() {
        let (mut book, ids) = started(1);
        let all = tasks(7);
        book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 4 }, Delivery::SharedCounter, 0.0);
        let mut replies = vec![ProcReply::Took { run_id: 1, tasks: 0..4 }];
        replies.extend((0..3).map(|t| done_then(&all[t], 1, None)));
        replies.push(done_then(&all[3], 1, Some(4..7)));
        let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Many { replies }), 1.0);
        assert_eq!(cmds.last(), Some(&PoolCommand::Progress(4)));
        let replies = (4..7).map(|t| done_then(&all[t], 1, None)).collect();
        let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Many { replies }), 2.0);
        assert!(matches!(end(&cmds), Some(JobEnd::Ran(d)) if d.outcomes.len() == 7));
    }

    #[test]
    fn with_a_shared_counter_a_death_without_a_word_breaks_the_run() {
        // It may have taken tasks it never reported: the run could never
        // end, so it stops with an error (`BrokenProcessPool`).
        let (mut book, ids) = started(2);
        book.run_tasks(1, tasks(7), Strategy::Dynamic { chunk: 1 }, Delivery::SharedCounter, 0.0);
        book.handle(PoolEvent::Reply(ids[0], ProcReply::Took { run_id: 1, tasks: 0..1 }), 1.0);
        let cmds = book.handle(PoolEvent::Died(ids[1], "killed".into()), 2.0);
        assert!(matches!(end(&cmds), Some(JobEnd::Failed(RunError::Failed(Failure::ProcessDied { worker: 1, .. })))));
    }

    #[test]
    fn static_slices_never_use_the_counter() {
        let (mut book, _) = started(2);
        let cmds = book.run_tasks(1, tasks(7), Strategy::Static, Delivery::SharedCounter, 0.0);
        assert!(pulls(&cmds).is_empty());
        assert_eq!(sent(&cmds).len(), 2);
    }

    #[test]
    fn one_job_at_a_time() {
        let (mut book, _) = started(1);
        book.run_tasks(1, tasks(2), Strategy::Static, Delivery::Messages, 0.0);
        assert!(matches!(end(&book.count(3, 0.0)), Some(JobEnd::Failed(_))));
    }
}
