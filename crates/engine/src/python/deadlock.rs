//! Deadlock: two threads, two locks, taken in opposite orders — and the two
//! classic fixes, one global lock order and `acquire(timeout=…)` with retry.
//!
//! The locks here are real (a `Mutex` and a `Condvar`, parked while they
//! wait) but they also say who holds them and who waits for which, so a
//! watchdog can draw the wait-for graph and find its cycle. A lock that
//! waits "forever" still looks at a cancel flag, which is how the page
//! recovers the pool afterwards; a deadlocked CPython process has no such
//! way out and must be killed.

use crate::error::Cancelled;
use crate::python::schedule::WorkerEnv;
use serde::{Deserialize, Serialize};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

crate::named_enum! {
    /// How the two threads take the two locks.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Variant {
        /// Thread 1 takes A then B, thread 2 takes B then A: they deadlock.
        OppositeOrders = "opposite",
        /// Fix 1: both take A before B.
        GlobalOrder = "ordered",
        /// Fix 2: opposite orders, but the second lock is taken with a timeout;
        /// on timeout a thread lets go of the first, backs off, and retries.
        TimeoutRetry = "timeout",
    }
}

/// The two locks' names, for messages and the picture.
pub const LOCK_NAMES: [&str; 2] = ["A", "B"];

/// How long each thread holds its first lock before it reaches for the
/// second: long enough that the other thread surely has its own first lock.
pub const HOLD_MS: u64 = 10;

/// The timeout of the second fix's `acquire(timeout=…)`: a few times the
/// time a thread holds its first lock, well under any watchdog timeout.
pub const ACQUIRE_TIMEOUT_MS: u64 = 30;

/// Who holds each lock and which lock each thread waits for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitFor {
    /// `holders[lock]`: the thread holding it.
    pub holders: Vec<Option<usize>>,
    /// `waiting[thread]`: the lock it is blocked on.
    pub waiting: Vec<Option<usize>>,
}

impl WaitFor {
    /// A cycle of threads each waiting for a lock the next one holds
    /// (thread → lock → holder → …), listed from its lowest thread; None
    /// when no thread is stuck in one.
    pub fn cycle(&self) -> Option<Vec<usize>> {
        let next = |t: usize| -> Option<usize> {
            self.holders.get(self.waiting.get(t).copied().flatten()?).copied().flatten()
        };
        for start in 0..self.waiting.len() {
            let mut path = vec![start];
            let mut at = start;
            while let Some(n) = next(at) {
                if n == start {
                    return Some(path);
                }
                if path.contains(&n) {
                    break;
                }
                path.push(n);
                at = n;
            }
        }
        None
    }
}

/// Two locks that report who holds and who waits.
#[derive(Debug)]
pub struct LockTable {
    state: Mutex<WaitFor>,
    changed: Condvar,
}

/// Why `LockTable::acquire` gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcquireError {
    /// The timeout passed (only with a timeout).
    TimedOut,
    /// The run was cancelled (the watchdog's recovery).
    Cancelled,
}

/// How often a waiting thread looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(5);

impl LockTable {
    pub fn new(threads: usize) -> Self {
        LockTable {
            state: Mutex::new(WaitFor { holders: vec![None; LOCK_NAMES.len()], waiting: vec![None; threads] }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, WaitFor> {
        // The table stays coherent even if a holder panicked.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What the watchdog sees now.
    pub fn snapshot(&self) -> WaitFor {
        self.lock().clone()
    }

    /// `lock.acquire()` (no timeout) or `lock.acquire(timeout=…)`.
    pub fn acquire(
        &self,
        me: usize,
        lock: usize,
        timeout_ms: Option<u64>,
        env: &dyn WorkerEnv,
    ) -> Result<(), AcquireError> {
        let deadline = timeout_ms.map(|t| env.now_ms() + t as f64);
        let mut st = self.lock();
        st.waiting[me] = Some(lock);
        let result = loop {
            if st.holders[lock].is_none() {
                st.holders[lock] = Some(me);
                break Ok(());
            }
            if env.cancelled() {
                break Err(AcquireError::Cancelled);
            }
            let wait = match deadline {
                Some(d) => {
                    let left = d - env.now_ms();
                    if left <= 0.0 {
                        break Err(AcquireError::TimedOut);
                    }
                    CANCEL_POLL.min(Duration::from_secs_f64(left / 1000.0))
                }
                None => CANCEL_POLL,
            };
            st = self.changed.wait_timeout(st, wait).unwrap_or_else(|e| e.into_inner()).0;
        };
        st.waiting[me] = None;
        result
    }

    pub fn release(&self, me: usize, lock: usize) {
        let mut st = self.lock();
        if st.holders[lock] == Some(me) {
            st.holders[lock] = None;
            self.changed.notify_all();
        }
    }

    /// Lets go of whatever `me` still holds (after a cancel).
    pub fn release_all(&self, me: usize) {
        for lock in 0..LOCK_NAMES.len() {
            self.release(me, lock);
        }
    }
}

/// What one thread did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadReport {
    /// Times it let go of its first lock after a timeout and tried again.
    pub retries: u32,
}

/// Thread `me` (0 or 1) of `variant`: take two locks, "transfer" while
/// holding both, let go. `acquire_timeout_ms` is the fix's timeout.
pub fn run_thread(
    table: &LockTable,
    me: usize,
    variant: Variant,
    acquire_timeout_ms: u64,
    env: &dyn WorkerEnv,
) -> Result<ThreadReport, Cancelled> {
    let (first, second) = match (variant, me) {
        (Variant::GlobalOrder, _) | (_, 0) => (0, 1),
        _ => (1, 0),
    };
    let timeout = (variant == Variant::TimeoutRetry).then_some(acquire_timeout_ms);
    let mut retries = 0;
    let result = loop {
        if table.acquire(me, first, None, env).is_err() {
            break Err(Cancelled);
        }
        // Some work under the first lock: the other thread takes its own.
        if env.block_ms(HOLD_MS).is_err() {
            break Err(Cancelled);
        }
        match table.acquire(me, second, timeout, env) {
            Ok(()) => {
                table.release(me, second);
                table.release(me, first);
                break Ok(ThreadReport { retries });
            }
            Err(AcquireError::Cancelled) => break Err(Cancelled),
            Err(AcquireError::TimedOut) => {
                // Let go, back off — each thread for a different time, so
                // they do not meet again in lockstep (a livelock) — retry.
                table.release(me, first);
                retries += 1;
                if env.block_ms(2 + 3 * me as u64).is_err() {
                    break Err(Cancelled);
                }
            }
        }
    };
    table.release_all(me);
    result
}

/// How a run of one variant ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// Both threads finished.
    Finished { ms: f64, retries: Vec<u32> },
    /// The watchdog saw the same wait-for cycle for its whole timeout; the
    /// threads were then cancelled and the pool recovered.
    Deadlocked { after_ms: f64, wait_for: WaitFor, cycle: Vec<usize> },
}

/// The watchdog's state: when the current cycle was first seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Watchdog {
    since: Option<(f64, Vec<usize>)>,
}

impl Watchdog {
    /// Looks at `snapshot` at time `now`: Some(cycle) once the same cycle
    /// has stood for `timeout_ms`. A cycle that dissolves (a timed acquire
    /// gave up) starts the count again.
    pub fn check(&mut self, snapshot: &WaitFor, now: f64, timeout_ms: f64) -> Option<Vec<usize>> {
        match snapshot.cycle() {
            None => {
                self.since = None;
                None
            }
            Some(cycle) => match &self.since {
                Some((t0, c)) if *c == cycle => (now - t0 >= timeout_ms).then_some(cycle),
                _ => {
                    self.since = Some((now, cycle));
                    None
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::schedule::native::NativeEnv;
    use std::sync::atomic::Ordering;
    use std::time::Instant;

    #[test]
    fn a_cycle_in_the_wait_for_graph_is_found() {
        // Thread 0 holds A, waits for B; thread 1 holds B, waits for A.
        let stuck = WaitFor { holders: vec![Some(0), Some(1)], waiting: vec![Some(1), Some(0)] };
        assert_eq!(stuck.cycle(), Some(vec![0, 1]));
        // Thread 1 waits for A, but thread 0 is not waiting: no cycle.
        let queue = WaitFor { holders: vec![Some(0), None], waiting: vec![None, Some(0)] };
        assert_eq!(queue.cycle(), None);
        // A thread waiting for a free lock is about to get it.
        let free = WaitFor { holders: vec![None, Some(1)], waiting: vec![Some(0), Some(0)] };
        assert_eq!(free.cycle(), None);
        assert_eq!(WaitFor::default().cycle(), None);
    }

    #[test]
    fn the_watchdog_waits_its_timeout_and_forgets_dissolved_cycles() {
        let stuck = WaitFor { holders: vec![Some(0), Some(1)], waiting: vec![Some(1), Some(0)] };
        let mut dog = Watchdog::default();
        assert_eq!(dog.check(&stuck, 0.0, 100.0), None);
        assert_eq!(dog.check(&stuck, 60.0, 100.0), None);
        assert_eq!(dog.check(&WaitFor::default(), 70.0, 100.0), None);
        assert_eq!(dog.check(&stuck, 80.0, 100.0), None, "the count started again");
        assert_eq!(dog.check(&stuck, 180.0, 100.0), Some(vec![0, 1]));
    }

    /// Runs `variant` on two OS threads with a watchdog of `timeout_ms`.
    fn run(variant: Variant, timeout_ms: f64) -> (Result<Vec<ThreadReport>, Cancelled>, Option<Vec<usize>>, f64) {
        let env = NativeEnv::default();
        let table = LockTable::new(2);
        let t0 = Instant::now();
        let mut seen = None;
        let results = std::thread::scope(|s| {
            let (env, table) = (&env, &table);
            let threads: Vec<_> = (0..2).map(|me| s.spawn(move || run_thread(table, me, variant, 30, env))).collect();
            let mut dog = Watchdog::default();
            while !threads.iter().all(|t| t.is_finished()) {
                if let Some(cycle) = dog.check(&table.snapshot(), env.now_ms(), timeout_ms) {
                    seen = Some(cycle);
                    env.cancel.store(true, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            threads.into_iter().map(|t| t.join().unwrap_or(Err(Cancelled))).collect::<Result<Vec<_>, _>>()
        });
        (results, seen, t0.elapsed().as_secs_f64() * 1000.0)
    }

    #[test]
    fn opposite_orders_deadlock_and_the_watchdog_recovers() {
        let (result, cycle, ms) = run(Variant::OppositeOrders, 150.0);
        assert_eq!(cycle, Some(vec![0, 1]));
        assert_eq!(result, Err(Cancelled));
        // Detected after its timeout (plus the 10 ms each thread holds
        // its first lock), and not much later.
        assert!((150.0..1_000.0).contains(&ms), "{ms} ms");
    }

    #[test]
    fn both_fixes_finish() {
        let (ordered, cycle, _) = run(Variant::GlobalOrder, 150.0);
        assert_eq!(cycle, None);
        assert_eq!(ordered.map(|r| r.len()), Ok(2));
        let (retried, cycle, _) = run(Variant::TimeoutRetry, 150.0);
        assert_eq!(cycle, None, "a timed acquire gives up before the watchdog fires");
        let reports = retried.unwrap_or_default();
        assert_eq!(reports.len(), 2);
        assert!(reports.iter().any(|r| r.retries > 0), "opposite orders met at least once: {reports:?}");
    }
}
