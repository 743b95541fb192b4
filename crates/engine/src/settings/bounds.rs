//! The limits and defaults of every setting: how many workers and tasks a
//! run may use, the bounds of each number field, and the bounds that depend
//! on the workload (its size and how many tasks it can be cut into).

use crate::work::workload::WorkloadKind;

/// Most threads or processes a run may use. Far above any core count we
/// expect, so oversubscription can be shown, but bounded: each worker is a
/// Web Worker with its own stack and (for processes) its own wasm memory.
pub const MAX_WORKERS: u64 = 64;
/// Most tasks in a run: each task is a message and a bar on the timeline.
pub const MAX_TASKS: u64 = 10_000;
/// Most simulated I/O tasks: asyncio starts them all at once, so this caps
/// how many timers (and, for threads, blocked waits) are alive together.
///
/// It is a cap on concurrency, not on duration: the duration is held by
/// [`MAX_ESTIMATED_SECONDS`], which counts the waits one after another (the
/// sequential model). With the 120 s limit, 2,000 tasks may wait at most
/// 60 ms each, and a 10 s wait (the top of [`size_bounds`]) allows at most
/// 12 tasks; both caps still bind somewhere, so both stay.
pub const MAX_IO_TASKS: u64 = 2_000;
/// Longest run we accept, estimated single-threaded (the sequential model,
/// waits included), in seconds.
pub const MAX_ESTIMATED_SECONDS: f64 = 120.0;
/// Bounds and default of a mixed task's CPU share, in percent.
pub const CPU_PERCENT_BOUNDS: (u64, u64) = (0, 100);
pub const DEFAULT_CPU_PERCENT: u64 = 50;
/// Bounds of a mixed task's work rate: SHA-256 rounds per ms of its CPU
/// part. A desktop core computes about 4,000 in wasm, a phone's a quarter
/// of that; the bounds leave room both ways. Left blank, the page measures
/// this machine's rate before the first mixed run and writes it into the
/// form and the link, so the link then names the work, not the machine.
pub const RATE_BOUNDS: (u64, u64) = (100, 1_000_000);
/// The convoy view. CPU threads beside the one I/O thread: 0 to 8 (the
/// thread pool then has up to 9 threads, one per model at a time).
pub const CONVOY_THREADS_BOUNDS: (u64, u64) = (0, 8);
pub const DEFAULT_CONVOY_THREADS: u64 = 2;
/// Waits of the I/O thread: enough for a median and a p95, few enough that
/// the worst case (8 threads, 20 ms switch interval) still ends in time.
pub const WAITS_BOUNDS: (u64, u64) = (10, 2_000);
pub const DEFAULT_WAITS: u64 = 100;
/// One wait of the I/O thread, in ms (Beazley's script sleeps 1 ms).
pub const WAIT_MS_BOUNDS: (u64, u64) = (1, 50);
pub const DEFAULT_WAIT_MS: u64 = 1;

/// The deadlock demo's watchdog timeout, in ms: from well above the fix's
/// 30 ms acquire timeout (so the fix is never mistaken for a deadlock) to
/// ten seconds.
pub const WATCHDOG_BOUNDS: (u64, u64) = (100, 10_000);
pub const DEFAULT_WATCHDOG_MS: u64 = 500;

/// Moving data: array sizes in MiB. During a run by copy the array lives
/// up to four times at once — the page's chunks, its shared copy, the
/// buffers made for a transfer, and the copies the workers receive — so
/// 128 MiB keeps the tab around half a GiB, far inside Chromium's 4 GiB per
/// tab, and the threads' array far inside the host's 1 GiB wasm memory.
pub const PAYLOAD_BOUNDS: (u64, u64) = (1, 128);
pub const DEFAULT_PAYLOAD_MIB: u64 = 32;
pub const DEFAULT_SWEEP_MIB: (u64, u64) = (1, 64);

/// Inside the interpreter: 2 to 4 threads (more would not fit side by side
/// on a phone), 1 to 3 loop iterations each — every interleaving of the
/// largest still has few enough states to count (`explore::STATE_BUDGET`),
/// or is refused with a message.
pub const INTERP_THREADS_BOUNDS: (u64, u64) = (2, 4);
pub const INTERP_ITERATIONS_BOUNDS: (u64, u64) = (1, 3);

/// The default worker count on `cores` cores: one per core, within bounds.
pub fn default_workers(cores: usize) -> usize {
    cores.clamp(1, MAX_WORKERS as usize)
}

/// Default queue chunk: one task at a time, the classic worker loop.
pub const DEFAULT_CHUNK: u64 = 1;
/// Inclusive bounds of the queue chunk size. A chunk larger than the run is
/// allowed (one worker then takes everything), hence the task cap.
pub const CHUNK_BOUNDS: (u64, u64) = (1, MAX_TASKS);

/// Inclusive bounds of `size` for each workload.
///
/// For I/O the size is the latency of one task in ms. 10 s is already a
/// very slow network call; longer single waits teach nothing more, and the
/// run as a whole is further bounded by [`MAX_ESTIMATED_SECONDS`].
pub fn size_bounds(kind: WorkloadKind) -> (u64, u64) {
    match kind {
        WorkloadKind::Primes => (10, 50_000_000),
        WorkloadKind::SumRange => (1, 4_000_000_000),
        WorkloadKind::Sha256 => (1, 20_000_000),
        WorkloadKind::Mandelbrot => (8, 4_000),
        WorkloadKind::SleepIo => (0, 10_000),
        // A mixed task's whole length, wait and CPU part together.
        WorkloadKind::Mixed => (1, 10_000),
    }
}

/// Inclusive bounds of `tasks` for a workload of `size`, or of any valid
/// size when `size` is `None` (not typed yet, or invalid).
///
/// Validation and the form's hint both call this, so the hint can never
/// promise a count that validation then refuses:
/// - I/O: at most [`MAX_IO_TASKS`];
/// - workloads that cut the range `0..size` into pieces: at most one task
///   per item of the range, hence at most `size` (the largest valid size
///   while `size` is unknown);
/// - SHA-256: every task hashes at least once whatever the size, so only
///   [`MAX_TASKS`] applies.
pub fn task_bounds(kind: WorkloadKind, size: Option<u64>) -> (u64, u64) {
    let hi = if kind.waits() {
        MAX_IO_TASKS
    } else if kind.splits_range() {
        let (_, size_hi) = size_bounds(kind);
        MAX_TASKS.min(size.unwrap_or(size_hi))
    } else {
        MAX_TASKS
    };
    // `max(1)`: the bounds stay well-formed even for a size of 0, which no
    // range workload accepts anyway.
    (1, hi.max(1))
}
