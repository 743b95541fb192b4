//! The convoy effect (David Beazley, "Understanding the Python GIL";
//! python/cpython#52194, bpo-7946, never fixed): an I/O thread that makes
//! short blocking waits beside CPU-bound threads. Each time it wakes it
//! must win the GIL back from a thread that never lets go on its own, so
//! it queues a whole switch interval, wait after wait.
//!
//! Nothing here computes the slowdown: the I/O loop and the CPU loops run
//! for real, through the GIL model's own mechanism (drop request after a
//! switch interval, the holder's eval breaker, forced switching), and the
//! I/O thread times what each wait really cost. The same loops run on the
//! thread host in the browser and on native threads in the tests.

use crate::error::Cancelled;
use crate::python::gil::Gil;
use crate::python::schedule::{eval_breaker, WorkerEnv};
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the convoy view measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConvoySettings {
    /// The view measures beside 0, 1, … up to this many CPU-bound threads.
    pub max_cpu_threads: usize,
    /// Waits the I/O thread makes per measurement.
    pub waits: usize,
    /// Length of one wait (`time.sleep(0.001)` is 1 ms).
    pub wait_ms: u64,
    /// The GIL's switch interval.
    pub switch_interval_ms: f64,
}

impl ConvoySettings {
    /// A generous bound on how long the whole view takes: every model,
    /// every count, every wait costing a wait plus two switch intervals.
    pub fn worst_case_ms(&self) -> f64 {
        let per_wait = self.wait_ms as f64 + 2.0 * self.switch_interval_ms;
        let measurements = ConvoyModel::ALL.len() * (self.max_cpu_threads + 1);
        measurements as f64 * self.waits as f64 * per_wait
    }

    /// The CPU threads beside the I/O thread of each measurement: 0 … max.
    pub fn counts(&self) -> std::ops::RangeInclusive<usize> {
        0..=self.max_cpu_threads
    }
}

crate::named_enum! {
    /// Where the I/O loop and the CPU loops run.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ConvoyModel {
        /// Threads of one process, under the GIL.
        GilThreads = "gil",
        /// The same threads without a GIL (free-threaded CPython).
        FreeThreads = "threads",
        /// The I/O loop in a process of its own, each CPU loop in another.
        Processes = "processes",
    }
}

/// The I/O thread: `waits` blocking waits of `wait_ms`, each timed from
/// the call until the thread runs Python code again (under a GIL: holding
/// it again). Sets `done` at the end so the CPU threads stop. Returns the
/// time of every wait, in ms.
pub fn io_loop(
    env: &dyn WorkerEnv,
    gil: Option<&Gil>,
    me: usize,
    waits: usize,
    wait_ms: u64,
    done: &AtomicBool,
) -> Result<Vec<f64>, Cancelled> {
    let cancelled = || env.cancelled();
    let result = (|| {
        if let Some(g) = gil {
            // A running Python thread holds the GIL.
            g.acquire(me, &cancelled)?;
        }
        let mut samples = Vec::with_capacity(waits);
        for _ in 0..waits {
            let t0 = env.now_ms();
            if let Some(g) = gil {
                // time.sleep drops the GIL…
                g.release(me);
            }
            env.block_ms(wait_ms)?;
            if let Some(g) = gil {
                // …and the woken thread must win it back.
                g.acquire(me, &cancelled)?;
            }
            samples.push(env.now_ms() - t0);
        }
        Ok(samples)
    })();
    if let Some(g) = gil {
        g.release(me);
    }
    done.store(true, Ordering::Release);
    result
}

/// Iterations of `x += 1` between two eval-breaker checks (a few µs).
pub const SPIN_STRIDE: u64 = 2_000;

/// A CPU-bound thread: `while not done: x += 1`, holding the GIL when there
/// is one and handing it over only when asked (the eval breaker). Returns
/// how many times it added.
pub fn cpu_loop(env: &dyn WorkerEnv, gil: Option<&Gil>, me: usize, done: &AtomicBool) -> Result<u64, Cancelled> {
    let cancelled = || env.cancelled();
    let result = (|| {
        if let Some(g) = gil {
            g.acquire(me, &cancelled)?;
        }
        let mut x: u64 = 0;
        while !done.load(Ordering::Acquire) {
            for _ in 0..SPIN_STRIDE {
                x = black_box(x) + 1;
            }
            let stop = match gil {
                Some(g) => eval_breaker(g, me, env, |_, _| {}),
                None => env.cancelled(),
            };
            if stop {
                return Err(Cancelled);
            }
        }
        Ok(x)
    })();
    if let Some(g) = gil {
        g.release(me);
    }
    result
}

/// A summary of the I/O thread's waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitStats {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

impl WaitStats {
    /// Median, 95th percentile (nearest rank) and maximum; None without
    /// samples.
    pub fn of(samples: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        crate::order::sort_f64(&mut sorted);
        let n = sorted.len();
        let median_ms = crate::analysis::costs::median(&sorted);
        let rank = ((0.95 * n as f64).ceil() as usize).clamp(1, n);
        Some(WaitStats { median_ms, p95_ms: sorted[rank - 1], max_ms: sorted[n - 1] })
    }
}

/// One measurement: the I/O thread's waits beside `cpu_threads` CPU loops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvoyRun {
    pub model: ConvoyModel,
    pub cpu_threads: usize,
    pub wait_ms: u64,
    pub switch_interval_ms: f64,
    pub samples: Vec<f64>,
    /// Whether the waits really blocked. Processes on a page that is not
    /// cross-origin isolated can only await timers, which browsers clamp.
    pub blocking: bool,
}

impl ConvoyRun {
    pub fn stats(&self) -> Option<WaitStats> {
        WaitStats::of(&self.samples)
    }
}

/// How much slower each wait got beside CPU threads than alone: the
/// median of `run` over the median of the same model's run with no CPU
/// thread (None without that run).
pub fn slowdown(runs: &[ConvoyRun], run: &ConvoyRun) -> Option<f64> {
    let alone = runs.iter().find(|r| r.model == run.model && r.cpu_threads == 0)?.stats()?.median_ms;
    let this = run.stats()?.median_ms;
    (alone > 0.0).then(|| this / alone)
}

/// A histogram of `samples` in `bins` equal bins from 0 to `top` ms (the
/// last bin takes everything above): for the page's small strip.
pub fn histogram(samples: &[f64], bins: usize, top: f64) -> Vec<usize> {
    let bins = bins.max(1);
    let mut counts = vec![0; bins];
    for &s in samples {
        let i = if top > 0.0 { ((s / top) * bins as f64).floor() as usize } else { 0 };
        counts[i.min(bins - 1)] += 1;
    }
    counts
}

/// Native runs of the convoy on OS threads, for the tests and the
/// benchmark's native reference.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::*;
    use crate::python::schedule::native::NativeEnv;

    /// One measurement on `cpu_threads + 1` OS threads.
    pub fn measure(cpu_threads: usize, waits: usize, wait_ms: u64, gil: Option<&Gil>) -> Result<Vec<f64>, Cancelled> {
        let env = NativeEnv::default();
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            let (env, done) = (&env, &done);
            let spinners: Vec<_> = (1..=cpu_threads).map(|me| s.spawn(move || cpu_loop(env, gil, me, done))).collect();
            // Let the CPU threads take the GIL first, as in Beazley's script.
            std::thread::sleep(std::time::Duration::from_millis(5));
            let samples = io_loop(env, gil, 0, waits, wait_ms, done);
            for h in spinners {
                let _ = h.join();
            }
            samples
        })
    }
}

#[cfg(test)]
mod tests {
    use super::native::measure;
    use super::*;

    fn median(samples: &[f64]) -> f64 {
        WaitStats::of(samples).map(|s| s.median_ms).unwrap_or(f64::NAN)
    }

    #[test]
    fn stats_are_the_usual_ones() {
        let s = WaitStats::of(&[5.0, 1.0, 3.0, 2.0, 4.0]).unwrap_or_else(|| panic!("no stats"));
        assert_eq!((s.median_ms, s.p95_ms, s.max_ms), (3.0, 5.0, 5.0));
        assert_eq!(WaitStats::of(&[1.0, 2.0]).map(|s| s.median_ms), Some(1.5));
        let many: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(WaitStats::of(&many).map(|s| s.p95_ms), Some(95.0));
        assert_eq!(WaitStats::of(&[]), None);
        assert_eq!(histogram(&[0.5, 1.5, 1.7, 99.0], 4, 4.0), vec![1, 2, 0, 1]);
    }

    #[test]
    fn slowdown_is_against_the_same_model_alone() {
        let run = |model, cpu_threads, v: f64| ConvoyRun {
            model,
            cpu_threads,
            wait_ms: 1,
            switch_interval_ms: 5.0,
            samples: vec![v; 3],
            blocking: true,
        };
        let runs = vec![
            run(ConvoyModel::GilThreads, 0, 1.1),
            run(ConvoyModel::GilThreads, 1, 6.6),
            run(ConvoyModel::FreeThreads, 1, 1.2),
        ];
        assert!((slowdown(&runs, &runs[1]).unwrap_or(0.0) - 6.0).abs() < 1e-9);
        assert_eq!(slowdown(&runs, &runs[2]), None, "no free-thread run alone");
    }

    #[test]
    fn the_gil_makes_every_wait_queue_for_a_switch_interval() {
        // Beazley's script: 1 ms sleeps beside one spinning thread.
        let gil = Gil::new(5.0);
        let alone = median(&measure(0, 40, 1, Some(&gil)).unwrap_or_default());
        let gil = Gil::new(5.0);
        let beside_one = median(&measure(1, 40, 1, Some(&gil)).unwrap_or_default());
        // Woken, the I/O thread waits one interval (5 ms) for the drop
        // request to be honoured: about 6 ms a wait instead of about 1.
        assert!(beside_one >= 3.0 * alone, "alone {alone:.2} ms, beside one {beside_one:.2} ms");
        assert!(beside_one >= 5.0, "beside one {beside_one:.2} ms");
        // A shorter interval shortens the queue.
        let quick = Gil::new(1.0);
        let short = median(&measure(1, 40, 1, Some(&quick)).unwrap_or_default());
        assert!(short < beside_one, "1 ms interval {short:.2} vs 5 ms {beside_one:.2}");
    }

    #[test]
    fn without_a_gil_waits_are_not_slowed() {
        let alone = median(&measure(0, 40, 1, None).unwrap_or_default());
        let beside_one = median(&measure(1, 40, 1, None).unwrap_or_default());
        assert!(beside_one < 1.5 * alone + 0.3, "alone {alone:.2} ms, beside one {beside_one:.2} ms");
    }

    #[test]
    fn a_waiting_thread_holds_no_lock_and_a_woken_one_queues() {
        use crate::python::schedule::native::NativeEnv;
        let env = NativeEnv::default();
        let gil = Gil::new(5.0);
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            let spinner = s.spawn(|| cpu_loop(&env, Some(&gil), 1, &done));
            std::thread::sleep(std::time::Duration::from_millis(5));
            // While the I/O thread sleeps the spinner runs: it holds the
            // lock, so nobody waiting could hold it.
            assert_eq!(gil.holder(), Some(1));
            let samples = io_loop(&env, Some(&gil), 0, 5, 2, &done).unwrap_or_default();
            assert!(spinner.join().is_ok());
            assert_eq!(samples.len(), 5);
            // Each woken wait queued for the lock: well past its 2 ms.
            assert!(median(&samples) > 4.0, "{samples:?}");
        });
        assert_eq!(gil.holder(), None, "both threads let go at the end");
    }
}
