//! The race-condition demo: N threads add 1 to one shared counter, M times
//! each. Without synchronization the read-add-write steps of two threads
//! interleave and updates are lost, exactly like `counter += 1` in Python
//! threads (LOAD, ADD, STORE). An atomic add or a mutex makes the count
//! exact. Processes share no counter at all: each counts its own part and
//! the parts are summed.

use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

crate::named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RaceMode {
        /// Load, add, store: two separate steps another thread can slip between.
        Unsynchronized = "unsync",
        /// One indivisible `fetch_add`.
        Atomic = "atomic",
        /// A lock around the read-add-write (`with lock: counter += 1`).
        Mutex = "mutex",
    }
}

/// The shared counter the threads fight over.
#[derive(Debug, Default)]
pub struct SharedCounter {
    plain: AtomicU64,
    locked: Mutex<u64>,
}

impl SharedCounter {
    /// Adds 1, `times` times, the way `mode` says.
    pub fn add(&self, mode: RaceMode, times: u64) {
        match mode {
            RaceMode::Unsynchronized => {
                for _ in 0..times {
                    // Relaxed loads and stores are each atomic (no undefined
                    // behaviour), but the pair is not: the lost update is real.
                    let v = self.plain.load(Ordering::Relaxed);
                    self.plain.store(black_box(v) + 1, Ordering::Relaxed);
                }
            }
            RaceMode::Atomic => {
                for _ in 0..times {
                    self.plain.fetch_add(black_box(1), Ordering::Relaxed);
                }
            }
            RaceMode::Mutex => {
                for _ in 0..times {
                    // A poisoned lock still holds a valid count.
                    let mut g = self.locked.lock().unwrap_or_else(|e| e.into_inner());
                    *g += black_box(1);
                }
            }
        }
    }

    pub fn value(&self, mode: RaceMode) -> u64 {
        match mode {
            RaceMode::Mutex => *self.locked.lock().unwrap_or_else(|e| e.into_inner()),
            _ => self.plain.load(Ordering::SeqCst),
        }
    }
}

/// Outcome of one race.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RaceResult {
    /// `None` for the process model (no shared counter).
    pub mode: Option<RaceMode>,
    pub workers: usize,
    pub expected: u64,
    pub counted: u64,
    pub ms: f64,
}

impl RaceResult {
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.counted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    fn race(mode: RaceMode, threads: usize, each: u64) -> u64 {
        let counter = SharedCounter::default();
        let start = Barrier::new(threads);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    start.wait();
                    counter.add(mode, each);
                });
            }
        });
        counter.value(mode)
    }

    #[test]
    fn synchronized_counts_are_exact() {
        assert_eq!(race(RaceMode::Atomic, 4, 200_000), 800_000);
        assert_eq!(race(RaceMode::Mutex, 4, 50_000), 200_000);
    }

    #[test]
    fn unsynchronized_never_counts_too_many() {
        let n = race(RaceMode::Unsynchronized, 4, 200_000);
        assert!((200_000..=800_000).contains(&n), "{n}");
        // One thread alone loses nothing.
        assert_eq!(race(RaceMode::Unsynchronized, 1, 100_000), 100_000);
    }

    #[test]
    fn lost_is_the_shortfall() {
        let r = RaceResult { mode: None, workers: 2, expected: 10, counted: 7, ms: 1.0 };
        assert_eq!(r.lost(), 3);
    }
}
