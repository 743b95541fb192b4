//! Moving data: the classic `Pool.map(sum, chunks)` over a real array of
//! numbers, and what it costs to get each chunk to the worker that sums it.
//!
//! - Sequential: one worker owns the array and sums it (nothing moves).
//! - Threads: the array lives in the one shared memory; every thread sums
//!   its slice in place (nothing moves).
//! - Processes: the page (the parent) owns the array and sends each worker
//!   its chunk — by **copy** (structured clone, like pickling through a
//!   `multiprocessing.Queue`), by **transfer** (ownership handed over, no
//!   copy), or through **shared memory** (one `SharedArrayBuffer`, like
//!   `multiprocessing.shared_memory`).
//!
//! The values are a fixed function of the index, so every variant sums the
//! same array and must print the same answer, known in closed form.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How a chunk reaches a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoveMode {
    Copy,
    Transfer,
    Shared,
}

/// Who sums the array, and how the data gets there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataModel {
    Sequential,
    Threads,
    Processes(MoveMode),
}

impl DataModel {
    /// In the order the page runs them: the copies last, so the garbage
    /// they leave in the workers (collected at the next message) cannot
    /// slow the ways that make none.
    pub const ALL: [DataModel; 5] = [
        DataModel::Sequential,
        DataModel::Processes(MoveMode::Shared),
        DataModel::Threads,
        DataModel::Processes(MoveMode::Transfer),
        DataModel::Processes(MoveMode::Copy),
    ];

    /// The page and its tests name them so.
    pub fn id(self) -> &'static str {
        match self {
            DataModel::Sequential => "sequential",
            DataModel::Threads => "threads",
            DataModel::Processes(MoveMode::Copy) => "copy",
            DataModel::Processes(MoveMode::Transfer) => "transfer",
            DataModel::Processes(MoveMode::Shared) => "shared",
        }
    }

    /// Whether it needs a cross-origin isolated page (shared memory).
    pub fn needs_shared_memory(self) -> bool {
        matches!(self, DataModel::Threads | DataModel::Processes(MoveMode::Shared))
    }
}

/// Bytes of one element (`u32`).
pub const ELEMENT_BYTES: u64 = 4;
/// One mebibyte, the unit of the size field.
pub const MIB: u64 = 1 << 20;

/// The element at `i`: `(i × 2654435761) mod 1000`. 2654435761 is prime
/// to 1000, so every run of 1000 indices holds each of 0…999 once.
pub fn value(i: u64) -> u32 {
    (i.wrapping_mul(2_654_435_761) % 1000) as u32
}

/// Fills `buf` with the elements from index `offset` on.
pub fn fill(buf: &mut [u32], offset: u64) {
    for (k, v) in buf.iter_mut().enumerate() {
        *v = value(offset + k as u64);
    }
}

/// `sum(chunk)`, four elements a step into two running totals (twice as
/// fast in wasm as one total, whose every add waits for the last). The
/// kernel a process runs over the shared array, `web/shared_sum.wat`, is
/// this same loop written by hand, so every way of moving data sums at the
/// same speed once the data is there.
///
/// Never inlined: V8 replaces a wasm function's baseline code with
/// optimized code only when it is next called (it has no on-stack
/// replacement for wasm), so a worker warms this very function up, which
/// it could not do were the loop inlined into its message handler.
#[inline(never)]
pub fn sum(buf: &[u32]) -> u64 {
    let mut quads = buf.chunks_exact(4);
    let (mut a, mut b) = (0u64, 0u64);
    for q in &mut quads {
        a += u64::from(q[0]) + u64::from(q[1]);
        b += u64::from(q[2]) + u64::from(q[3]);
    }
    a + b + quads.remainder().iter().map(|&v| u64::from(v)).sum::<u64>()
}

/// The sum of the first `len` elements, without summing them: each full
/// run of 1000 adds 0+1+…+999.
pub fn expected_sum(len: u64) -> u64 {
    let full = len / 1000 * 499_500;
    let rest: u64 = (len / 1000 * 1000..len).map(|i| u64::from(value(i))).sum();
    full + rest
}

/// Elements in an array of `mib` MiB.
pub fn elements(mib: u64) -> u64 {
    mib * MIB / ELEMENT_BYTES
}

/// `n` consecutive chunks covering `0..len` exactly, sizes differing by at
/// most one element.
pub fn chunks(len: u64, n: usize) -> Vec<Range<u64>> {
    let n = n.max(1) as u64;
    (0..n).map(|i| (len * i / n)..(len * (i + 1) / n)).collect()
}

/// What one worker did with its chunk; times on the page's clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DataPart {
    pub worker: usize,
    pub offset: u64,
    pub len: u64,
    /// When the parent started sending the chunk (= `received_at` when
    /// nothing moved).
    pub sent_at: f64,
    /// When the worker had it and began to sum.
    pub received_at: f64,
    pub finished_at: f64,
    pub sum: u64,
}

impl DataPart {
    pub fn moving_ms(&self) -> f64 {
        (self.received_at - self.sent_at).max(0.0)
    }

    pub fn compute_ms(&self) -> f64 {
        (self.finished_at - self.received_at).max(0.0)
    }
}

/// Times each way is run; the page keeps the fastest, as `timeit` reports
/// the best of its repeats: a run of a few milliseconds is easily slowed by
/// whatever else the machine does, never sped up.
pub const REPEATS: usize = 3;

/// A finished data run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataRun {
    pub model: DataModel,
    pub mib: u64,
    pub workers: usize,
    pub started_at: f64,
    pub finished_at: f64,
    pub parts: Vec<DataPart>,
}

impl DataRun {
    /// The fastest of `runs` (see `REPEATS`).
    pub fn fastest(runs: impl IntoIterator<Item = DataRun>) -> Option<DataRun> {
        runs.into_iter().min_by(|a, b| a.wall_ms().total_cmp(&b.wall_ms()))
    }

    pub fn wall_ms(&self) -> f64 {
        (self.finished_at - self.started_at).max(0.0)
    }

    /// The sum of every part: the same for every model.
    pub fn answer(&self) -> u64 {
        self.parts.iter().map(|p| p.sum).sum()
    }

    /// Whether the parts cover the array exactly and sum to the known total.
    pub fn checks(&self) -> bool {
        let len = elements(self.mib);
        let mut ranges: Vec<(u64, u64)> = self.parts.iter().map(|p| (p.offset, p.offset + p.len)).collect();
        ranges.sort_unstable();
        let covered = ranges.first().map_or(len == 0, |r| r.0 == 0)
            && ranges.windows(2).all(|w| w[0].1 == w[1].0)
            && ranges.last().map_or(len == 0, |r| r.1 == len);
        covered && self.answer() == expected_sum(len)
    }

    /// The longest any worker spent receiving its chunk: moving data.
    pub fn moving_ms(&self) -> f64 {
        self.parts.iter().map(DataPart::moving_ms).fold(0.0, f64::max)
    }

    /// The longest any worker spent summing.
    pub fn compute_ms(&self) -> f64 {
        self.parts.iter().map(DataPart::compute_ms).fold(0.0, f64::max)
    }
}

/// Array sizes of a payload sweep: powers of two from `from` to `to` MiB
/// (both included).
pub fn sweep_sizes(from: u64, to: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut m = from.max(1);
    while m < to {
        out.push(m);
        m *= 2;
    }
    out.push(to.max(from));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_array_exactly() {
        for len in [0u64, 1, 7, 1000, 1_048_576, 33_554_431] {
            for n in [1usize, 2, 3, 8, 64] {
                let c = chunks(len, n);
                assert_eq!(c.len(), n);
                assert_eq!(c[0].start, 0);
                assert_eq!(c[n - 1].end, len);
                assert!(c.windows(2).all(|w| w[0].end == w[1].start));
                let (lo, hi) = c.iter().map(|r| r.end - r.start).fold((u64::MAX, 0), |(a, b), s| (a.min(s), b.max(s)));
                assert!(hi - lo <= 1, "{len}/{n}: {lo}..{hi}");
            }
        }
    }

    #[test]
    fn the_known_sum_is_the_real_sum() {
        for len in [0u64, 1, 999, 1000, 1001, 123_457, 1_048_576] {
            let mut buf = vec![0u32; len as usize];
            fill(&mut buf, 0);
            assert_eq!(sum(&buf), expected_sum(len), "{len}");
        }
        // Filling from an offset continues the same array.
        let mut whole = vec![0u32; 5000];
        fill(&mut whole, 0);
        let mut tail = vec![0u32; 2000];
        fill(&mut tail, 3000);
        assert_eq!(&whole[3000..], &tail[..]);
    }

    #[test]
    fn a_run_checks_its_parts() {
        let len = elements(1);
        let parts: Vec<DataPart> = chunks(len, 3)
            .into_iter()
            .enumerate()
            .map(|(w, r)| {
                let mut buf = vec![0u32; (r.end - r.start) as usize];
                fill(&mut buf, r.start);
                DataPart {
                    worker: w,
                    offset: r.start,
                    len: r.end - r.start,
                    sent_at: 0.0,
                    received_at: 2.0 + w as f64,
                    finished_at: 10.0,
                    sum: sum(&buf),
                }
            })
            .collect();
        let mut run = DataRun {
            model: DataModel::Processes(MoveMode::Copy),
            mib: 1,
            workers: 3,
            started_at: 0.0,
            finished_at: 11.0,
            parts,
        };
        assert!(run.checks());
        assert_eq!(run.answer(), expected_sum(len));
        assert_eq!((run.moving_ms(), run.compute_ms(), run.wall_ms()), (4.0, 8.0, 11.0));
        run.parts.pop();
        assert!(!run.checks(), "a missing chunk is noticed");
    }

    #[test]
    fn the_fastest_repeat_is_kept() {
        let run = |started_at: f64, finished_at: f64| DataRun {
            model: DataModel::Sequential,
            mib: 1,
            workers: 1,
            started_at,
            finished_at,
            parts: Vec::new(),
        };
        let best = DataRun::fastest([run(0.0, 9.0), run(20.0, 24.5), run(30.0, 37.0)]);
        assert_eq!(best.map(|r| r.wall_ms()), Some(4.5));
        assert_eq!(DataRun::fastest([]), None);
    }

    #[test]
    fn sweep_sizes_are_powers_of_two_between_the_bounds() {
        assert_eq!(sweep_sizes(1, 64), vec![1, 2, 4, 8, 16, 32, 64]);
        assert_eq!(sweep_sizes(3, 20), vec![3, 6, 12, 20]);
        assert_eq!(sweep_sizes(8, 8), vec![8]);
    }

    #[test]
    fn ids_are_unique() {
        let ids: std::collections::HashSet<&str> = DataModel::ALL.iter().map(|m| m.id()).collect();
        assert_eq!(ids.len(), DataModel::ALL.len());
    }
}
