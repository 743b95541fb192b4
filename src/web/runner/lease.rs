//! Leases: a pool taken out of the `Lab` for one job and given back when
//! the job is over — the one place the lab's jobs take and put back a pool.

use crate::web::pools::processes::ProcessPool;
use crate::web::pools::threads::ThreadPool;
use std::cell::RefCell;

/// A process pool out of its slot in the lab for one job: taken when the
/// lease is made, put back when it ends, whatever the job's outcome, so the
/// pool and its warm workers are kept across runs. The one place the jobs
/// below take a process pool and give it back. Not generic (nor is
/// [`ThreadLease`]): a generic take-and-put helper cost the page 3.2 KB of
/// wasm, one copy per job.
pub(super) struct ProcessLease<'a> {
    slot: &'a RefCell<Option<ProcessPool>>,
    pool: ProcessPool,
}

impl<'a> ProcessLease<'a> {
    #[inline(never)]
    pub(super) fn take(slot: &'a RefCell<Option<ProcessPool>>) -> Self {
        ProcessLease { slot, pool: slot.borrow_mut().take().unwrap_or_default() }
    }
}

impl Drop for ProcessLease<'_> {
    /// Back into the lab — unless a job was left midway (its future
    /// dropped): then its workers hold half a job, and the pool is dropped,
    /// which terminates them; the next job starts a fresh one.
    // One copy, called from every job's future (each await point of each
    // job would otherwise inline its own).
    #[inline(never)]
    fn drop(&mut self) {
        let pool = std::mem::take(&mut self.pool);
        if pool.is_idle() {
            *self.slot.borrow_mut() = Some(pool);
        }
    }
}

impl std::ops::Deref for ProcessLease<'_> {
    type Target = ProcessPool;
    fn deref(&self) -> &ProcessPool {
        &self.pool
    }
}

impl std::ops::DerefMut for ProcessLease<'_> {
    fn deref_mut(&mut self) -> &mut ProcessPool {
        &mut self.pool
    }
}

/// The thread pool out of the lab for one job (see [`ProcessLease`]). It
/// goes back only when the job said the pool can be used again
/// ([`ThreadLease::keep_if`]): after a panic the host may hold stuck
/// threads, and a dropped pool is terminated, so the next job starts a
/// fresh one.
pub(super) struct ThreadLease<'a> {
    slot: &'a RefCell<Option<ThreadPool>>,
    pool: Option<ThreadPool>,
    keep: bool,
}

impl<'a> ThreadLease<'a> {
    /// A pool just taken out of `slot` (or started for it).
    pub(super) fn new(slot: &'a RefCell<Option<ThreadPool>>, pool: ThreadPool) -> Self {
        ThreadLease { slot, pool: Some(pool), keep: false }
    }

    pub(super) fn keep_if(&mut self, reusable: bool) {
        self.keep = reusable;
    }

    /// The pool. Always there: only `drop` takes it out.
    pub(super) fn pool(&mut self) -> &mut ThreadPool {
        self.pool.as_mut().unwrap_or_else(|| unreachable!("a thread lease holds its pool until it ends"))
    }
}

impl Drop for ThreadLease<'_> {
    #[inline(never)]
    fn drop(&mut self) {
        if self.keep {
            *self.slot.borrow_mut() = self.pool.take();
        }
    }
}
