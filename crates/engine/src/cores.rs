//! How many cores the page really gets: a measurement, not the browser's
//! word. `navigator.hardwareConcurrency` is a hint that browsers bend —
//! WebKit clamps it for fingerprinting (it says 4 on a 2-core machine;
//! Safari gives fixed values on Macs and iPhones) — and a machine that is
//! busy with other work gives the page fewer cores than it has.
//!
//! The probe runs one fixed CPU job alone, then `k` copies of it at once on
//! `k` separate workers (processes: they share nothing, so nothing but the
//! cores can hold them back). If the cores are there, the copies take as
//! long as one; if only `c < k` are, they take `k / c` times as long. So
//! `k × alone ÷ together` is the parallelism the page got, and its rounded
//! value is the core count every claim and default is sized from.
//!
//! Only the plan and the arithmetic live here; `web::runner` runs it.

use crate::work::workload::{Task, TaskKind};

/// Most copies the probe starts: far above the core counts of phones and
/// laptops, and a cap on the workers (each with its own wasm memory) that
/// one probe may start.
pub const MAX_PROBE: usize = 16;

/// The fixed job: primes below this by trial division. About 25 ms on a
/// desktop core and 100 ms on a phone's, long enough that a worker's
/// start-up jitter (a few ms) is small beside it.
pub const PROBE_PRIMES_BELOW: u64 = 400_000;

/// Rounds of (alone, together) the probe takes after its warm-up round:
/// at least [`PROBE_ROUNDS`], then more until [`PROBE_MIN_MS`] have passed,
/// at most [`PROBE_MAX_ROUNDS`]. Each figure keeps the best of its rounds,
/// since interruptions only ever make a round slower. Firefox and WebKit
/// tier their wasm up on background threads for a while after fresh
/// workers start, and those threads take a core from whichever round they
/// overlap: with 2 rounds, and again with 5, the tour's first probe read 1
/// core in both engines on an idle 2-core machine now and then (and WebKit
/// once 3). So the probe lasts long enough for rounds after the compiler.
pub const PROBE_ROUNDS: usize = 5;
pub const PROBE_MAX_ROUNDS: usize = 24;
pub const PROBE_MIN_MS: f64 = 1_500.0;

/// Whether the probe takes another round: `rounds` measured so far, since
/// `elapsed_ms` of measuring.
pub fn another_round(rounds: usize, elapsed_ms: f64) -> bool {
    rounds < PROBE_ROUNDS || (rounds < PROBE_MAX_ROUNDS && elapsed_ms < PROBE_MIN_MS)
}

/// The core count the page uses: what it measured, once it has, else what
/// the browser says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cores {
    /// `navigator.hardwareConcurrency` (at least 1).
    pub reported: usize,
    /// What the probe found, once it ran.
    pub measured: Option<usize>,
}

impl Cores {
    pub fn reported(reported: usize) -> Self {
        Cores { reported: reported.max(1), measured: None }
    }

    /// The count to size work from.
    pub fn usable(self) -> usize {
        self.measured.unwrap_or(self.reported).max(1)
    }
}

/// How many copies the probe runs at once when the browser reports
/// `reported` cores: at least 2 (a report of 1 may be a clamp too), at most
/// [`MAX_PROBE`]. A probe cannot find more cores than copies it runs, so a
/// browser that reports fewer cores than it has is believed.
pub fn probe_width(reported: usize) -> usize {
    reported.clamp(2, MAX_PROBE)
}

/// `copies` identical CPU tasks (ids 0, 1, …): the probe's job, each the
/// same work, so any difference in their times is the machine's.
pub fn probe_tasks(copies: usize) -> Vec<Task> {
    (0..copies)
        .map(|id| Task { id, weight: 1, kind: TaskKind::Primes { lo: 0, hi: PROBE_PRIMES_BELOW }, crash: false })
        .collect()
}

/// The parallelism measured: `copies` jobs that each take `alone_ms` by
/// themselves took `together_ms` from the first start to the last end.
/// `None` for a reading that is not a time.
pub fn parallelism(copies: usize, alone_ms: f64, together_ms: f64) -> Option<f64> {
    let ok = |t: f64| t.is_finite() && t > 0.0;
    (ok(alone_ms) && ok(together_ms)).then(|| copies as f64 * alone_ms / together_ms)
}

/// The core count from a probe of `copies` jobs: the parallelism rounded
/// (1.9 on two cores is two cores held back by the page's own work), and
/// never more than the copies that ran nor less than one.
pub fn measured_cores(copies: usize, alone_ms: f64, together_ms: f64) -> Option<usize> {
    let p = parallelism(copies, alone_ms, together_ms)?;
    Some((p.round() as usize).clamp(1, copies.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cores_behind_a_browser_that_says_four() {
        // WebKit on this machine: 4 copies of a 25 ms job take 50 ms.
        let k = probe_width(4);
        assert_eq!(k, 4);
        assert_eq!(measured_cores(k, 25.0, 50.0), Some(2));
        // Noise around it still reads as two.
        assert_eq!(measured_cores(k, 25.0, 54.0), Some(2));
        assert_eq!(measured_cores(k, 25.0, 46.0), Some(2));
    }

    #[test]
    fn all_cores_free_and_one_core_only() {
        assert_eq!(measured_cores(8, 25.0, 26.0), Some(8));
        assert_eq!(measured_cores(2, 25.0, 50.0), Some(1));
        // Faster together than alone (a slow first round): capped.
        assert_eq!(measured_cores(2, 25.0, 10.0), Some(2));
        // Far slower than serial (a busy machine): still at least one.
        assert_eq!(measured_cores(2, 25.0, 500.0), Some(1));
    }

    #[test]
    fn readings_that_are_not_times_are_refused() {
        assert_eq!(measured_cores(2, 0.0, 10.0), None);
        assert_eq!(measured_cores(2, 10.0, f64::NAN), None);
        assert_eq!(parallelism(2, -1.0, 10.0), None);
    }

    #[test]
    fn the_probe_is_bounded_and_its_copies_are_equal() {
        assert_eq!(probe_width(1), 2);
        assert_eq!(probe_width(64), MAX_PROBE);
        let tasks = probe_tasks(3);
        assert_eq!(tasks.len(), 3);
        assert!(tasks.iter().all(|t| t.kind == tasks[0].kind && t.weight == 1));
        assert_eq!(tasks.iter().map(|t| t.id).collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn the_probe_takes_its_rounds_then_its_time_then_stops() {
        assert!(another_round(0, 10_000.0), "at least PROBE_ROUNDS");
        assert!(another_round(PROBE_ROUNDS, 100.0), "more while the time is short");
        assert!(!another_round(PROBE_ROUNDS, PROBE_MIN_MS));
        assert!(!another_round(PROBE_MAX_ROUNDS, 0.0), "bounded on a fast machine");
    }

    #[test]
    fn the_usable_count_prefers_the_measurement() {
        let c = Cores::reported(4);
        assert_eq!(c.usable(), 4);
        assert_eq!(Cores { measured: Some(2), ..c }.usable(), 2);
        assert_eq!(Cores::reported(0).usable(), 1);
    }
}
