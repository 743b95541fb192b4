//! A global interpreter lock, modelled on CPython's (Python/ceval_gil.c).
//!
//! - A thread must hold the lock to run CPU work ("bytecode").
//! - A thread that waits longer than the switch interval
//!   (`sys.setswitchinterval`, 5 ms by default) sets a drop request; the
//!   holder sees it at its next check (CPython's "eval breaker"), releases
//!   the lock and does not take it back until another thread has had it
//!   (CPython's FORCE_SWITCHING).
//! - A thread releases the lock around blocking I/O, so waits overlap.
//! - Waiters get the lock in the order they asked for it. CPython's
//!   `drop_gil` signals its condition variable, and glibc's condition
//!   variables wake the longest waiter first; so beside two CPU-bound
//!   threads a woken I/O thread queues behind the other spinner too, which
//!   is what makes the convoy effect grow with the number of threads.
//!
//! Built on std's `Mutex` and `Condvar`, which on wasm with atomics park the
//! thread with `memory.atomic.wait32`, so waiting threads use no CPU.

use crate::error::Cancelled;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// CPython's default switch interval, in milliseconds.
pub const DEFAULT_SWITCH_INTERVAL_MS: f64 = 5.0;

#[derive(Debug, Default)]
struct State {
    holder: Option<usize>,
    /// Incremented on every hand-over, so a waiter can tell whether the
    /// lock changed hands while it slept.
    switches: u64,
    /// Threads waiting for the lock, first come first served.
    queue: std::collections::VecDeque<usize>,
}

#[derive(Debug)]
pub struct Gil {
    state: Mutex<State>,
    changed: Condvar,
    drop_request: AtomicBool,
    interval: Duration,
}

impl Gil {
    pub fn new(interval_ms: f64) -> Self {
        Gil {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            drop_request: AtomicBool::new(false),
            interval: Duration::from_secs_f64(interval_ms.max(0.01) / 1000.0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned GIL only means another thread panicked while holding
        // it; the state itself (a holder id and a counter) stays coherent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the lock for `me`, waiting (parked) in line as long as needed.
    pub fn acquire(&self, me: usize, cancelled: &dyn Fn() -> bool) -> Result<(), Cancelled> {
        let mut st = self.lock();
        st.queue.push_back(me);
        while st.holder.is_some() || st.queue.front() != Some(&me) {
            if cancelled() {
                st.queue.retain(|&t| t != me);
                // The next in line may be free to go now.
                self.changed.notify_all();
                return Err(Cancelled);
            }
            let before = st.switches;
            let (next, timeout) = self.changed.wait_timeout(st, self.interval).unwrap_or_else(|e| e.into_inner());
            st = next;
            if timeout.timed_out() && st.holder.is_some() && st.switches == before {
                // Waited a whole interval without a switch: ask the holder
                // to let go at its next check.
                self.drop_request.store(true, Ordering::Release);
            }
        }
        st.queue.pop_front();
        st.holder = Some(me);
        st.switches += 1;
        self.drop_request.store(false, Ordering::Release);
        self.changed.notify_all();
        Ok(())
    }

    /// Lets go of the lock.
    pub fn release(&self, me: usize) {
        let mut st = self.lock();
        if st.holder == Some(me) {
            st.holder = None;
            self.changed.notify_all();
        }
    }

    /// The thread holding the lock, if any.
    pub fn holder(&self) -> Option<usize> {
        self.lock().holder
    }

    /// Whether another thread asked the holder to let go.
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Acquire)
    }

    /// The holder's check: if a drop was requested, release, wait until
    /// another thread has taken the lock, and queue for it again. Returns
    /// whether the lock changed hands (the caller records the wait).
    pub fn yield_if_requested(&self, me: usize, cancelled: &dyn Fn() -> bool) -> Result<bool, Cancelled> {
        if !self.drop_requested() {
            return Ok(false);
        }
        let mut st = self.lock();
        if st.holder != Some(me) {
            return Ok(false);
        }
        let before = st.switches;
        st.holder = None;
        self.changed.notify_all();
        // FORCE_SWITCHING: do not grab it straight back.
        while st.switches == before {
            if cancelled() {
                return Err(Cancelled);
            }
            if st.queue.is_empty() {
                // Nobody is waiting after all (the waiter went away): keep
                // running rather than stall.
                break;
            }
            let (next, _) = self.changed.wait_timeout(st, self.interval).unwrap_or_else(|e| e.into_inner());
            st = next;
        }
        drop(st);
        self.acquire(me, cancelled)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Instant;

    #[test]
    fn uncontended_acquire_release() {
        let gil = Gil::new(5.0);
        gil.acquire(0, &|| false).unwrap();
        assert!(!gil.drop_requested());
        assert_eq!(gil.yield_if_requested(0, &|| false), Ok(false));
        gil.release(0);
        gil.acquire(1, &|| false).unwrap();
        gil.release(1);
    }

    #[test]
    fn a_waiter_gets_the_lock_after_about_one_interval() {
        let gil = Arc::new(Gil::new(5.0));
        gil.acquire(0, &|| false).unwrap();
        let g = gil.clone();
        let waiter = std::thread::spawn(move || {
            let t = Instant::now();
            g.acquire(1, &|| false).unwrap();
            let waited = t.elapsed();
            g.release(1);
            waited
        });
        // The holder "computes", checking the eval breaker.
        let t = Instant::now();
        let mut switched = false;
        while t.elapsed() < Duration::from_millis(500) {
            if gil.yield_if_requested(0, &|| false).unwrap() {
                switched = true;
                break;
            }
            std::hint::spin_loop();
        }
        gil.release(0);
        let waited = waiter.join().unwrap();
        assert!(switched, "the holder never saw a drop request");
        assert!(waited >= Duration::from_millis(4), "{waited:?}");
        assert!(waited < Duration::from_millis(300), "{waited:?}");
    }

    #[test]
    fn waiters_get_the_lock_first_come_first_served() {
        let gil = Arc::new(Gil::new(5.0));
        gil.acquire(0, &|| false).unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut handles = Vec::new();
        for me in 1..=3 {
            let (g, o) = (gil.clone(), order.clone());
            handles.push(std::thread::spawn(move || {
                g.acquire(me, &|| false).unwrap();
                o.lock().unwrap().push(me);
                g.release(me);
            }));
            // Let each one get in line before the next.
            while gil.lock().queue.len() < me {
                std::thread::yield_now();
            }
        }
        gil.release(0);
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![1, 2, 3]);
    }

    #[test]
    fn acquire_gives_up_when_cancelled() {
        let gil = Gil::new(1.0);
        gil.acquire(0, &|| false).unwrap();
        assert_eq!(gil.acquire(1, &|| true), Err(Cancelled));
    }
}
