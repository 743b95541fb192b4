//! The jobs a process pool can be given — tasks, the event loop, the
//! count, calibration, the convoy, moving data, a memory report, the
//! interleavings counted — each
//! starting from an idle pool of loaded workers and returning the commands
//! that hand the job out. How the replies are taken in is `super`'s.

use super::*;
use crate::python::bytecode::explore::cells;

impl ProcessPoolBook {
    /// Runs `tasks` on every worker of the pool with `strategy`; a queue
    /// run's chunks reach the workers by `delivery`.
    pub fn run_tasks(
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
    pub fn run_event_loop(&mut self, run_id: u64, tasks: Vec<Task>, now: f64) -> Vec<PoolCommand> {
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
    pub fn count(&mut self, per_worker: u64, now: f64) -> Vec<PoolCommand> {
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
    pub fn calibrate(&mut self) -> Vec<PoolCommand> {
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
    pub fn convoy(
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
    pub fn sum_own(&mut self, run_id: u64, len: u64) -> Vec<PoolCommand> {
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
    pub fn sum_given(&mut self, run_id: u64, chunks: &[std::ops::Range<u64>], whole: bool) -> Vec<PoolCommand> {
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
    pub fn memory_report(&mut self) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        if self.slots.is_empty() || self.slots.iter().any(|s| !s.loaded) {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        }
        self.job = Job::Memory { left: self.slots.len(), bytes: vec![0; self.slots.len()] };
        self.slots.iter().map(|s| PoolCommand::Send(s.id, ProcRequest::Memory)).collect()
    }

    /// Counts every interleaving of every scenario in the first worker
    /// (CPU work the page's main thread must never do); a progress command
    /// per cell, the end with all of them.
    pub fn explore(&mut self, threads: usize, iterations: i64) -> Vec<PoolCommand> {
        if let Some(busy) = self.busy() {
            return busy;
        }
        let Some(first) = self.slots.first().filter(|s| s.loaded) else {
            return vec![PoolCommand::End(JobEnd::Failed(RunError::Failed(Failure::WorkerClosed)))];
        };
        let cmd = PoolCommand::Send(first.id, ProcRequest::Explore { threads, iterations });
        self.job = Job::Explore { left: cells().count(), cells: Vec::new() };
        vec![cmd]
    }
}
