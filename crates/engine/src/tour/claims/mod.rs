//! The tour's claims: the classic explanations of Python concurrency, each
//! checked by a short experiment and judged from what it measured.
//!
//! Each claim is one entry of [`Claim`] (its stable id, used by permalinks
//! and exports), one measurement struct (a variant of [`Measured`]) and one
//! pure verdict function over it, with its thresholds as named constants
//! here, so the page can state them on the card. Nothing is decided in
//! advance: a claim that does not hold on this machine is shown as such.
//!
//! The experiments themselves (which runs, in what order) live in
//! `crate::web::experiments`; their sizes come from [`Sizes`], computed
//! from one short calibration run so that every card takes a second or two.

use crate::analysis::report::RunReport;
use crate::model::{Model, Strategy};
use crate::settings::{Field, RawSettings, Settings, DEFAULT_CHUNK};
use crate::work::workload::{Mix, Plan, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// One claim of the tour. The order of [`Claim::ALL`] is the tour's order.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum Claim {
        /// With the GIL, CPU-bound threads are no faster than one thread.
        GilCpu = "gil-cpu",
        /// Processes speed CPU-bound work up to the core count, and no further.
        ProcessesCores = "processes-cores",
        /// Use as many processes as cores (`os.cpu_count()`).
        CpuCount = "cpu-count",
        /// For I/O-bound work threads help, even far more threads than cores.
        IoThreads = "io-threads",
        /// asyncio overlaps waits on one thread; a CPU-heavy coroutine blocks it.
        AsyncioLoop = "asyncio-loop",
        /// Threads share one memory; each process has its own.
        Memory = "memory",
        /// Sending data to processes costs more than sharing it.
        DataTransfer = "data-transfer",
        /// Without a lock, shared updates are lost; with one, they are not.
        RaceLock = "race-lock",
        /// Two locks taken in opposite orders can deadlock.
        Deadlock = "deadlock",
        /// A crashing process leaves the others running; a thread does not.
        Crash = "crash",
        /// Uneven tasks: static slices leave cores idle, a queue does not.
        Uneven = "uneven",
        /// A pool avoids paying the start of a process for every task.
        Pool = "pool",
        /// Mixed work: where threads stop being enough and processes take over.
        Mixed = "mixed",
        /// The GIL slows I/O threads that run beside CPU-bound threads.
        Convoy = "convoy",
    }
}

impl Claim {
    /// The claim a `#claim-<id>` fragment points at.
    pub fn from_fragment(fragment: &str) -> Option<Self> {
        Self::from_id(fragment.trim_start_matches('#').strip_prefix("claim-")?)
    }

    /// Whether the verdict needs two cores or more to mean anything.
    pub fn needs_cores(self) -> bool {
        !matches!(
            self,
            Claim::IoThreads
                | Claim::AsyncioLoop
                | Claim::Deadlock
                | Claim::Crash
                | Claim::Memory
                | Claim::DataTransfer
                | Claim::Pool
        )
    }
}

/// Why a measurement cannot settle the claim.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "kebab-case", try_from = "DoubtFields")]
pub enum Doubt {
    /// Fewer than two cores: nothing can run in parallel, so the claim is
    /// not tested (`navigator.hardwareConcurrency`).
    FewCores { cores: usize },
    /// The tab was hidden: browsers throttle it, so times are not real.
    Hidden,
    /// Two runs of the same thing differed by more than [`NOISE_MAX`].
    Noisy { spread: f64 },
    /// The experiment did not behave as either side of the claim expects
    /// (e.g. it ended in an unrelated error).
    Unexpected,
}

/// What the measurements say about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case", try_from = "VerdictFields")]
pub enum Verdict {
    Holds,
    DoesNotHold,
    Inconclusive { doubt: Doubt },
}

// Reading back the internally tagged enums of an export ([`Doubt`],
// [`Verdict`], [`CrashEnd`]): serde's own code for `tag = "…"` reads the
// input into a buffer and then each variant's fields from that buffer, a
// second copy of every reader (7 KB of the page's gzip). These plain
// structs hold the tag and every variant's fields, read once, then checked.
// The `serialize_then_read_every_variant` test keeps them in step with the
// enums.

/// Why a tagged value from an export is not one this page knows.
fn unknown(what: &str, tag: &str) -> String {
    format!("unknown {what} \"{}\"", tag.chars().take(40).collect::<String>())
}

fn needs<T>(field: Option<T>, tag: &str, name: &str) -> Result<T, String> {
    field.ok_or_else(|| format!("\"{tag}\" without \"{name}\""))
}

/// [`Doubt`] as an export holds it.
#[derive(Deserialize)]
struct DoubtFields {
    why: String,
    cores: Option<usize>,
    spread: Option<f64>,
}

impl TryFrom<DoubtFields> for Doubt {
    type Error = String;

    fn try_from(f: DoubtFields) -> Result<Self, String> {
        Ok(match f.why.as_str() {
            "few-cores" => Doubt::FewCores { cores: needs(f.cores, &f.why, "cores")? },
            "hidden" => Doubt::Hidden,
            "noisy" => Doubt::Noisy { spread: needs(f.spread, &f.why, "spread")? },
            "unexpected" => Doubt::Unexpected,
            other => return Err(unknown("doubt", other)),
        })
    }
}

/// [`Verdict`] as an export holds it.
#[derive(Deserialize)]
struct VerdictFields {
    verdict: String,
    doubt: Option<Doubt>,
}

impl TryFrom<VerdictFields> for Verdict {
    type Error = String;

    fn try_from(f: VerdictFields) -> Result<Self, String> {
        Ok(match f.verdict.as_str() {
            "holds" => Verdict::Holds,
            "does-not-hold" => Verdict::DoesNotHold,
            "inconclusive" => Verdict::Inconclusive { doubt: needs(f.doubt, &f.verdict, "doubt")? },
            other => return Err(unknown("verdict", other)),
        })
    }
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::DoesNotHold => "does-not-hold",
            Verdict::Inconclusive { .. } => "inconclusive",
        }
    }

    fn from_bool(holds: bool) -> Self {
        if holds {
            Verdict::Holds
        } else {
            Verdict::DoesNotHold
        }
    }
}

/// How the page ran: what can make a measurement inconclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    /// `navigator.hardwareConcurrency`.
    pub cores: usize,
    /// Whether the tab was hidden at any moment of the experiment.
    pub hidden: bool,
}

/// Two runs of the same thing may differ by at most this share of the
/// faster one; above it the machine was too busy to judge.
pub const NOISE_MAX: f64 = 0.25;

/// `|a − b| / min(a, b)`: how far two runs of the same thing differ.
pub fn spread(a: f64, b: f64) -> f64 {
    let lo = a.min(b);
    if lo > 0.0 {
        (a - b).abs() / lo
    } else {
        f64::INFINITY
    }
}

/// The doubt that comes before any threshold: few cores (where they
/// matter), a hidden tab, or a repeated run that disagreed.
fn doubt(claim: Claim, env: Conditions, repeat: Option<(f64, f64)>) -> Option<Doubt> {
    if claim.needs_cores() && env.cores < 2 {
        return Some(Doubt::FewCores { cores: env.cores });
    }
    if env.hidden {
        return Some(Doubt::Hidden);
    }
    let s = repeat.map(|(a, b)| spread(a, b))?;
    (s > NOISE_MAX).then_some(Doubt::Noisy { spread: s })
}

fn judged(claim: Claim, env: Conditions, repeat: Option<(f64, f64)>, holds: bool) -> Verdict {
    match doubt(claim, env, repeat) {
        Some(doubt) => Verdict::Inconclusive { doubt },
        None => Verdict::from_bool(holds),
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

// ── 1. GIL, CPU-bound ────────────────────────────────────────────────────

/// Claim 1 holds while threads under the GIL stay below this speedup.
pub const GIL_MAX_SPEEDUP: f64 = 1.25;

/// CPU-bound work: sequential (twice, before and after), threads under a
/// GIL, and free threads (where the page allows threads) for contrast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GilCpu {
    pub workers: usize,
    pub sequential_ms: f64,
    pub sequential_again_ms: f64,
    pub gil_ms: f64,
    pub free_ms: Option<f64>,
}

impl GilCpu {
    /// The better of the two sequential runs (as with every point: the
    /// best of two, which a passing background task disturbs least).
    fn baseline(&self) -> f64 {
        self.sequential_ms.min(self.sequential_again_ms)
    }

    pub fn gil_speedup(&self) -> f64 {
        ratio(self.baseline(), self.gil_ms)
    }
}

pub fn judge_gil_cpu(m: &GilCpu, env: Conditions) -> Verdict {
    let repeat = Some((m.sequential_ms, m.sequential_again_ms));
    judged(Claim::GilCpu, env, repeat, m.gil_speedup() < GIL_MAX_SPEEDUP)
}

// ── 2 and 3. Processes and cores ─────────────────────────────────────────

/// Claim 2: on as many processes as cores the speedup must reach this
/// share of the core count (0.7 × 2 = 1.4× on two cores)…
pub const CORES_MIN_EFFICIENCY: f64 = 0.7;
/// …and twice as many processes may add at most this factor on top.
pub const OVERSUBSCRIBED_MAX_GAIN: f64 = 1.15;
/// Claim 3: the core count is right when no other count is faster than
/// it by more than this factor.
pub const COUNT_TOLERANCE: f64 = 1.10;

/// CPU-bound work on processes at several worker counts, against
/// sequential runs before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessSweep {
    pub cores: usize,
    pub sequential_ms: f64,
    pub sequential_again_ms: f64,
    /// (processes, wall ms: the better of two runs), in the order run.
    pub points: Vec<(usize, f64)>,
}

impl ProcessSweep {
    /// The better of the two sequential runs (as with every point: the
    /// best of two, which a passing background task disturbs least).
    fn baseline(&self) -> f64 {
        self.sequential_ms.min(self.sequential_again_ms)
    }

    pub fn wall(&self, workers: usize) -> Option<f64> {
        self.points.iter().find(|p| p.0 == workers).map(|p| p.1)
    }

    pub fn speedup(&self, workers: usize) -> Option<f64> {
        self.wall(workers).map(|w| ratio(self.baseline(), w))
    }
}

pub fn judge_processes_cores(m: &ProcessSweep, env: Conditions) -> Verdict {
    let n = m.cores.max(1);
    let holds = match (m.speedup(n), m.speedup(2 * n)) {
        (Some(at_cores), Some(beyond)) => {
            at_cores >= CORES_MIN_EFFICIENCY * n as f64 && beyond <= at_cores * OVERSUBSCRIBED_MAX_GAIN
        }
        _ => false,
    };
    judged(Claim::ProcessesCores, env, Some((m.sequential_ms, m.sequential_again_ms)), holds)
}

pub fn judge_cpu_count(m: &ProcessSweep, env: Conditions) -> Verdict {
    let best = m.points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let holds = m.wall(m.cores.max(1)).is_some_and(|w| w <= best * COUNT_TOLERANCE);
    judged(Claim::CpuCount, env, Some((m.sequential_ms, m.sequential_again_ms)), holds)
}

// ── 4. Threads for I/O ───────────────────────────────────────────────────

/// Claim 4: threads (as many as cores, at least 2) must be at least this
/// much faster than sequential…
pub const IO_MIN_SPEEDUP: f64 = 1.5;
/// …and far more threads at least this much faster again.
pub const IO_MANY_GAIN: f64 = 2.0;

/// Waits on threads under the GIL: a few (the core count) and many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IoThreads {
    pub tasks: usize,
    pub latency_ms: u64,
    pub sequential_ms: f64,
    pub few: usize,
    pub few_ms: f64,
    pub many: usize,
    pub many_ms: f64,
}

impl IoThreads {
    pub fn few_speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.few_ms)
    }

    pub fn many_speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.many_ms)
    }
}

pub fn judge_io_threads(m: &IoThreads, env: Conditions) -> Verdict {
    let holds = m.few_speedup() >= IO_MIN_SPEEDUP && m.many_speedup() >= IO_MANY_GAIN * m.few_speedup();
    judged(Claim::IoThreads, env, None, holds)
}

// ── 5. asyncio ───────────────────────────────────────────────────────────

/// Claim 5: asyncio must overlap the waits at least this much…
pub const ASYNC_MIN_SPEEDUP: f64 = 4.0;
/// …and with CPU work, the loop must stall for at least this share of one
/// coroutine's CPU part.
pub const ASYNC_MIN_BLOCKED_SHARE: f64 = 0.8;

/// asyncio on waits alone, then on waits followed by CPU work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsyncioLoop {
    pub tasks: usize,
    pub latency_ms: u64,
    pub sequential_ms: f64,
    pub asyncio_ms: f64,
    /// Longest stall of the loop on waits alone.
    pub io_blocked_ms: f64,
    /// CPU part of each coroutine in the second run.
    pub cpu_ms_per_task: f64,
    /// Longest stall of the loop in the second run.
    pub cpu_blocked_ms: f64,
}

impl AsyncioLoop {
    pub fn speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.asyncio_ms)
    }
}

pub fn judge_asyncio(m: &AsyncioLoop, env: Conditions) -> Verdict {
    let holds = m.speedup() >= ASYNC_MIN_SPEEDUP && m.cpu_blocked_ms >= ASYNC_MIN_BLOCKED_SHARE * m.cpu_ms_per_task;
    judged(Claim::AsyncioLoop, env, None, holds)
}

// ── 8. Race ──────────────────────────────────────────────────────────────

/// The race demo without a lock and with one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceLock {
    pub workers: usize,
    pub expected: u64,
    pub lost_unlocked: u64,
    pub lost_locked: u64,
}

/// Holds when the unlocked counter lost at least one update and the locked
/// one none. One core may simply not interleave: no loss there proves
/// nothing.
pub fn judge_race(m: &RaceLock, env: Conditions) -> Verdict {
    if m.lost_unlocked == 0 && env.cores < 2 {
        return Verdict::Inconclusive { doubt: Doubt::FewCores { cores: env.cores } };
    }
    Verdict::from_bool(m.lost_unlocked > 0 && m.lost_locked == 0)
}

// ── 9. Deadlock ──────────────────────────────────────────────────────────

/// The deadlock demo: opposite orders, then one global order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlockCheck {
    pub watchdog_ms: u64,
    pub opposite_deadlocked: bool,
    /// When the watchdog called it, or when both threads finished.
    pub opposite_ms: f64,
    pub ordered_deadlocked: bool,
    pub ordered_ms: f64,
}

/// Holds when opposite orders deadlock and one order does not. Opposite
/// orders that finished prove nothing on one core or a hidden tab, where
/// the two threads may simply not have overlapped.
pub fn judge_deadlock(m: &DeadlockCheck, env: Conditions) -> Verdict {
    if !m.opposite_deadlocked && (env.cores < 2 || env.hidden) {
        let doubt = if env.hidden { Doubt::Hidden } else { Doubt::FewCores { cores: env.cores } };
        return Verdict::Inconclusive { doubt };
    }
    Verdict::from_bool(m.opposite_deadlocked && !m.ordered_deadlocked)
}

// ── 10. Crash ────────────────────────────────────────────────────────────

/// How a run with one crashing task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "end", rename_all = "kebab-case", try_from = "CrashEndFields")]
pub enum CrashEnd {
    /// A report came back: `done` tasks returned, `failed` crashed.
    Partial { done: usize, failed: usize },
    /// The whole run failed (no results at all).
    WholeRunFailed,
    /// Some other error (cancelled, unavailable).
    Other,
}

/// [`CrashEnd`] as an export holds it (see [`DoubtFields`]).
#[derive(Deserialize)]
struct CrashEndFields {
    end: String,
    done: Option<usize>,
    failed: Option<usize>,
}

impl TryFrom<CrashEndFields> for CrashEnd {
    type Error = String;

    fn try_from(f: CrashEndFields) -> Result<Self, String> {
        Ok(match f.end.as_str() {
            "partial" => {
                CrashEnd::Partial { done: needs(f.done, &f.end, "done")?, failed: needs(f.failed, &f.end, "failed")? }
            }
            "whole-run-failed" => CrashEnd::WholeRunFailed,
            "other" => CrashEnd::Other,
            other => return Err(unknown("end", other)),
        })
    }
}

/// One task of the run set to crash, on processes and on threads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrashCheck {
    pub tasks: usize,
    pub processes: CrashEnd,
    pub threads: CrashEnd,
}

pub fn judge_crash(m: &CrashCheck, _env: Conditions) -> Verdict {
    if m.processes == CrashEnd::Other || m.threads == CrashEnd::Other {
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    }
    let processes_keep = m.processes == CrashEnd::Partial { done: m.tasks.saturating_sub(1), failed: 1 };
    Verdict::from_bool(processes_keep && m.threads == CrashEnd::WholeRunFailed)
}

// ── 11. Uneven tasks ─────────────────────────────────────────────────────

/// Claim 11 holds when static slices take at least this much longer.
pub const STATIC_MIN_PENALTY: f64 = 1.10;

/// Uneven tasks on processes: a shared queue (twice) and static slices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uneven {
    pub workers: usize,
    pub queue_ms: f64,
    pub queue_again_ms: f64,
    pub static_ms: f64,
    /// Share of the workers' time spent idle, in [0, 1].
    pub queue_idle: f64,
    pub static_idle: f64,
}

impl Uneven {
    pub fn penalty(&self) -> f64 {
        ratio(self.static_ms, (self.queue_ms + self.queue_again_ms) / 2.0)
    }
}

pub fn judge_uneven(m: &Uneven, env: Conditions) -> Verdict {
    let repeat = Some((m.queue_ms, m.queue_again_ms));
    judged(Claim::Uneven, env, repeat, m.penalty() >= STATIC_MIN_PENALTY)
}

/// The share of the workers' time a run left idle: 1 − busy / (workers ×
/// wall). 0 when every worker computed the whole time.
pub fn idle_share(r: &RunReport) -> f64 {
    let capacity = r.workers.max(1) as f64 * r.wall_ms;
    if capacity <= 0.0 {
        return 0.0;
    }
    let busy: f64 = r.outcomes.iter().map(|o| (o.end_ms - o.start_ms).max(0.0)).sum();
    (1.0 - busy / capacity).clamp(0.0, 1.0)
}

// ── 13. Mixed work ───────────────────────────────────────────────────────

/// Processes "take over" when they beat threads under the GIL by this
/// factor (the crossover map's margin).
pub const TAKEOVER_MARGIN: f64 = crate::analysis::crossover::MARGIN;

/// Mixed tasks at a few CPU shares, on GIL threads and on processes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixedCheck {
    pub workers: usize,
    /// (CPU share %, sequential ms, GIL threads ms, processes ms)
    pub shares: Vec<(u32, f64, f64, f64)>,
}

impl MixedCheck {
    /// How much faster processes are than GIL threads at each share.
    pub fn leads(&self) -> Vec<(u32, f64)> {
        self.shares.iter().map(|&(s, _, g, p)| (s, ratio(g, p))).collect()
    }

    /// The CPU share (interpolated) above which processes lead for good.
    pub fn takeover(&self) -> Option<f64> {
        let pts: Vec<(f64, f64)> = self.leads().into_iter().map(|(s, l)| (f64::from(s), l - TAKEOVER_MARGIN)).collect();
        crate::analysis::crossover::first_crossing(&pts)
    }
}

/// Holds when threads are enough at the lowest share (processes do not
/// lead there) and processes lead from some share on, up to the highest.
pub fn judge_mixed(m: &MixedCheck, env: Conditions) -> Verdict {
    let leads = m.leads();
    let holds = match (leads.first(), leads.last()) {
        (Some(lo), Some(hi)) if leads.len() >= 2 => {
            lo.1 < TAKEOVER_MARGIN && hi.1 >= TAKEOVER_MARGIN && m.takeover().is_some()
        }
        _ => false,
    };
    judged(Claim::Mixed, env, None, holds)
}

// ── 14. Convoy ───────────────────────────────────────────────────────────

/// Claim 14 holds when, beside one CPU-bound thread, the I/O thread's
/// median wait under the GIL is at least this many times longer.
pub const CONVOY_MIN_SLOWDOWN: f64 = 2.0;

/// Median waits of the I/O thread alone and beside one CPU thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvoyCheck {
    pub wait_ms: u64,
    pub switch_interval_ms: f64,
    pub gil_alone_ms: f64,
    pub gil_beside_ms: f64,
    pub free_alone_ms: f64,
    pub free_beside_ms: f64,
}

impl ConvoyCheck {
    pub fn gil_slowdown(&self) -> f64 {
        ratio(self.gil_beside_ms, self.gil_alone_ms)
    }
}

pub fn judge_convoy(m: &ConvoyCheck, env: Conditions) -> Verdict {
    judged(Claim::Convoy, env, None, m.gil_slowdown() >= CONVOY_MIN_SLOWDOWN)
}

// ── 6. Memory per worker ─────────────────────────────────────────────────

/// The memory of one process and of `workers` processes, and of a thread
/// pool of one thread and of `workers` threads (bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryCheck {
    pub workers: usize,
    pub one_process: u64,
    pub processes: u64,
    pub one_thread: Option<u64>,
    pub threads: Option<u64>,
}

/// Claim 6 holds when `workers` processes hold at least this share of
/// `workers` times one process's memory (each has its own copy), while the
/// extra threads together add less than one process does.
pub const MEMORY_COPY_SHARE: f64 = 0.95;

pub fn judge_memory(m: &MemoryCheck, env: Conditions) -> Verdict {
    let (Some(one_thread), Some(threads)) = (m.one_thread, m.threads) else {
        // Threads cannot run on this page: half the claim is untestable.
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    };
    let copies = m.processes as f64 >= MEMORY_COPY_SHARE * m.workers as f64 * m.one_process as f64;
    let shared = threads.saturating_sub(one_thread) < m.one_process;
    judged(Claim::Memory, env, None, m.workers >= 2 && copies && shared)
}

// ── 7. Moving data ───────────────────────────────────────────────────────

/// Sum of an array of `mib` MiB: sequentially, on processes by copy, and
/// (where the page allows shared memory) on processes through shared
/// memory; wall and moving times in ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataCheck {
    pub mib: u64,
    pub workers: usize,
    pub sequential_ms: f64,
    pub copy_ms: f64,
    pub copy_move_ms: f64,
    pub shared_ms: Option<f64>,
    pub shared_move_ms: Option<f64>,
}

/// Claim 7 holds when moving the data by copy takes at least this many
/// times as long as sharing it, and the whole run by copy is the slower.
pub const COPY_MIN_COST: f64 = 2.0;

pub fn judge_data(m: &DataCheck, env: Conditions) -> Verdict {
    let (Some(shared), Some(shared_move)) = (m.shared_ms, m.shared_move_ms) else {
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    };
    let holds = m.copy_move_ms >= COPY_MIN_COST * shared_move.max(0.1) && m.copy_ms > shared;
    judged(Claim::DataTransfer, env, None, holds)
}

// ── 12. A pool saves start-up ────────────────────────────────────────────

/// Start costs (ms) and the overheads of [`POOL_TASKS`] tasks run one new
/// process each against on a pool of `workers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolCheck {
    pub workers: usize,
    pub spawn_ms: f64,
    pub forkserver_ms: f64,
    pub reused_ms: f64,
    pub per_task_ms: f64,
    pub pool_ms: f64,
}

/// Tasks of claim 12's comparison.
pub const POOL_TASKS: usize = 16;
/// Claim 12 holds when the pool's overhead for [`POOL_TASKS`] tasks is at
/// most this share of a process per task's.
pub const POOL_MAX_SHARE: f64 = 0.5;

pub fn judge_pool(m: &PoolCheck, env: Conditions) -> Verdict {
    let holds = m.reused_ms < m.spawn_ms && m.pool_ms <= POOL_MAX_SHARE * m.per_task_ms;
    judged(Claim::Pool, env, None, holds)
}

// ── All claims ───────────────────────────────────────────────────────────

/// What one claim's experiment measured. Written with its claim's id as a
/// `claim` field beside the measurements; read back by [`Measured::read`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "claim", rename_all = "kebab-case")]
pub enum Measured {
    GilCpu(GilCpu),
    ProcessesCores(ProcessSweep),
    CpuCount(ProcessSweep),
    IoThreads(IoThreads),
    AsyncioLoop(AsyncioLoop),
    Memory(MemoryCheck),
    DataTransfer(DataCheck),
    RaceLock(RaceLock),
    Deadlock(DeadlockCheck),
    Crash(CrashCheck),
    Uneven(Uneven),
    Pool(PoolCheck),
    Mixed(MixedCheck),
    Convoy(ConvoyCheck),
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quantity {
    /// Wall time of a run, in ms (drawn as a bar).
    WallMs,
    /// Speedup over sequential (or the stated baseline), ×.
    Speedup,
    /// The I/O thread's median wait, in ms (drawn as a bar).
    MedianWaitMs,
    /// Longest stall of the event loop, in ms (drawn as a bar).
    BlockedMs,
    /// Lost counter updates.
    Lost,
    /// Share of the workers' time spent idle, in %.
    IdlePercent,
    /// Tasks that returned a result.
    Done,
    /// Yes (1) or no (0): deadlocked, whole run failed.
    Flag,
    /// Memory, in MiB.
    Mib,
}

impl Quantity {
    /// Whether a figure of this kind is a time the chart draws as a bar.
    pub fn is_time(self) -> bool {
        matches!(self, Quantity::WallMs | Quantity::MedianWaitMs | Quantity::BlockedMs)
    }
}

/// One number of a claim's result, with what it is about. `slot` names it
/// the same way on every machine (`"p@cores"`, not `"p@8"`), so two
/// exports line up claim by claim and figure by figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub slot: String,
    pub quantity: Quantity,
    pub model: Option<Model>,
    pub workers: Option<usize>,
    /// A detail of the run: the CPU share (mixed), CPU threads (convoy)…
    pub note: Option<String>,
    pub value: f64,
}

fn fig(slot: &str, quantity: Quantity, model: Option<Model>, workers: Option<usize>, value: f64) -> Figure {
    Figure { slot: slot.to_owned(), quantity, model, workers, note: None, value }
}

impl Measured {
    /// `claim`'s measurements from the fields of an export's result (other
    /// fields, `claim` among them, are ignored). Not `derive(Deserialize)`
    /// with `tag = "claim"`: serde reads an internally tagged enum into a
    /// buffer first and then every field type a second time from that
    /// buffer, and this one sits `flatten`ed in each result, buffered once
    /// more. That code was 7 KB of the page's gzip; this match keeps one
    /// reader per struct.
    pub fn read(claim: Claim, fields: &str) -> Result<Measured, serde_json::Error> {
        use serde_json::from_str as read;
        Ok(match claim {
            Claim::GilCpu => Measured::GilCpu(read(fields)?),
            Claim::ProcessesCores => Measured::ProcessesCores(read(fields)?),
            Claim::CpuCount => Measured::CpuCount(read(fields)?),
            Claim::IoThreads => Measured::IoThreads(read(fields)?),
            Claim::AsyncioLoop => Measured::AsyncioLoop(read(fields)?),
            Claim::Memory => Measured::Memory(read(fields)?),
            Claim::DataTransfer => Measured::DataTransfer(read(fields)?),
            Claim::RaceLock => Measured::RaceLock(read(fields)?),
            Claim::Deadlock => Measured::Deadlock(read(fields)?),
            Claim::Crash => Measured::Crash(read(fields)?),
            Claim::Uneven => Measured::Uneven(read(fields)?),
            Claim::Pool => Measured::Pool(read(fields)?),
            Claim::Mixed => Measured::Mixed(read(fields)?),
            Claim::Convoy => Measured::Convoy(read(fields)?),
        })
    }

    pub fn claim(&self) -> Claim {
        match self {
            Measured::GilCpu(_) => Claim::GilCpu,
            Measured::ProcessesCores(_) => Claim::ProcessesCores,
            Measured::CpuCount(_) => Claim::CpuCount,
            Measured::IoThreads(_) => Claim::IoThreads,
            Measured::AsyncioLoop(_) => Claim::AsyncioLoop,
            Measured::Memory(_) => Claim::Memory,
            Measured::DataTransfer(_) => Claim::DataTransfer,
            Measured::Pool(_) => Claim::Pool,
            Measured::RaceLock(_) => Claim::RaceLock,
            Measured::Deadlock(_) => Claim::Deadlock,
            Measured::Crash(_) => Claim::Crash,
            Measured::Uneven(_) => Claim::Uneven,
            Measured::Mixed(_) => Claim::Mixed,
            Measured::Convoy(_) => Claim::Convoy,
        }
    }

    /// The claim's verdict function applied to these measurements.
    pub fn judge(&self, env: Conditions) -> Verdict {
        match self {
            Measured::GilCpu(m) => judge_gil_cpu(m, env),
            Measured::ProcessesCores(m) => judge_processes_cores(m, env),
            Measured::CpuCount(m) => judge_cpu_count(m, env),
            Measured::IoThreads(m) => judge_io_threads(m, env),
            Measured::AsyncioLoop(m) => judge_asyncio(m, env),
            Measured::Memory(m) => judge_memory(m, env),
            Measured::DataTransfer(m) => judge_data(m, env),
            Measured::Pool(m) => judge_pool(m, env),
            Measured::RaceLock(m) => judge_race(m, env),
            Measured::Deadlock(m) => judge_deadlock(m, env),
            Measured::Crash(m) => judge_crash(m, env),
            Measured::Uneven(m) => judge_uneven(m, env),
            Measured::Mixed(m) => judge_mixed(m, env),
            Measured::Convoy(m) => judge_convoy(m, env),
        }
    }

    /// Every number worth showing, in order.
    pub fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let (seq, gil, free, pro, aio) = (
            Some(Model::Sequential),
            Some(Model::GilThreads),
            Some(Model::Threads),
            Some(Model::Processes),
            Some(Model::Asyncio),
        );
        match self {
            Measured::GilCpu(m) => {
                let mut v = vec![
                    fig("seq", WallMs, seq, Some(1), m.baseline()),
                    fig("gil", WallMs, gil, Some(m.workers), m.gil_ms),
                ];
                if let Some(f) = m.free_ms {
                    v.push(fig("free", WallMs, free, Some(m.workers), f));
                }
                v.push(fig("gil-x", Speedup, gil, Some(m.workers), m.gil_speedup()));
                if let Some(f) = m.free_ms {
                    v.push(fig("free-x", Speedup, free, Some(m.workers), ratio(m.baseline(), f)));
                }
                v
            }
            Measured::ProcessesCores(m) | Measured::CpuCount(m) => {
                let slot = |n: usize| match n {
                    1 => "p@1".to_owned(),
                    n if n == m.cores => "p@cores".to_owned(),
                    n if n == 2 * m.cores => "p@2cores".to_owned(),
                    n => format!("p@{n}"),
                };
                let mut v = vec![fig("seq", WallMs, seq, Some(1), m.baseline())];
                v.extend(m.points.iter().map(|&(n, w)| fig(&slot(n), WallMs, pro, Some(n), w)));
                v.extend(
                    m.points
                        .iter()
                        .map(|&(n, w)| fig(&(slot(n) + "-x"), Speedup, pro, Some(n), ratio(m.baseline(), w))),
                );
                v
            }
            Measured::IoThreads(m) => vec![
                fig("seq", WallMs, seq, Some(1), m.sequential_ms),
                fig("few", WallMs, gil, Some(m.few), m.few_ms),
                fig("many", WallMs, gil, Some(m.many), m.many_ms),
                fig("few-x", Speedup, gil, Some(m.few), m.few_speedup()),
                fig("many-x", Speedup, gil, Some(m.many), m.many_speedup()),
            ],
            Measured::AsyncioLoop(m) => vec![
                fig("seq", WallMs, seq, Some(1), m.sequential_ms),
                fig("asyncio", WallMs, aio, Some(1), m.asyncio_ms),
                fig("asyncio-x", Speedup, aio, Some(1), m.speedup()),
                fig("io-blocked", BlockedMs, aio, Some(1), m.io_blocked_ms),
                Figure {
                    note: Some(format!("{:.0}", m.cpu_ms_per_task)),
                    ..fig("cpu-blocked", BlockedMs, aio, Some(1), m.cpu_blocked_ms)
                },
            ],
            Measured::Memory(m) => {
                let mib = |b: u64| b as f64 / (1u64 << 20) as f64;
                let mut v = vec![
                    fig("p@1", Mib, pro, Some(1), mib(m.one_process)),
                    fig("p@n", Mib, pro, Some(m.workers), mib(m.processes)),
                ];
                if let (Some(a), Some(b)) = (m.one_thread, m.threads) {
                    v.push(fig("t@1", Mib, free, Some(1), mib(a)));
                    v.push(fig("t@n", Mib, free, Some(m.workers), mib(b)));
                }
                v
            }
            Measured::DataTransfer(m) => {
                let mut v = vec![
                    fig("seq", WallMs, seq, Some(1), m.sequential_ms),
                    fig("copy", WallMs, pro, Some(m.workers), m.copy_ms),
                    fig("copy-move", WallMs, pro, Some(m.workers), m.copy_move_ms),
                ];
                if let (Some(s), Some(sm)) = (m.shared_ms, m.shared_move_ms) {
                    v.push(fig("shared", WallMs, pro, Some(m.workers), s));
                    v.push(fig("shared-move", WallMs, pro, Some(m.workers), sm));
                }
                v
            }
            Measured::Pool(m) => vec![
                fig("spawn", WallMs, pro, Some(1), m.spawn_ms),
                fig("forkserver", WallMs, pro, Some(1), m.forkserver_ms),
                fig("reused", WallMs, pro, Some(1), m.reused_ms),
                fig("per-task", WallMs, pro, Some(m.workers), m.per_task_ms),
                fig("pool", WallMs, pro, Some(m.workers), m.pool_ms),
            ],
            Measured::RaceLock(m) => vec![
                fig("unlocked", Lost, free, Some(m.workers), m.lost_unlocked as f64),
                fig("locked", Lost, free, Some(m.workers), m.lost_locked as f64),
            ],
            Measured::Deadlock(m) => vec![
                fig("opposite", Flag, free, Some(2), if m.opposite_deadlocked { 1.0 } else { 0.0 }),
                fig("opposite-ms", WallMs, free, Some(2), m.opposite_ms),
                fig("ordered", Flag, free, Some(2), if m.ordered_deadlocked { 1.0 } else { 0.0 }),
                fig("ordered-ms", WallMs, free, Some(2), m.ordered_ms),
            ],
            Measured::Crash(m) => {
                let done = |e: CrashEnd| match e {
                    CrashEnd::Partial { done, .. } => done as f64,
                    _ => 0.0,
                };
                vec![
                    Figure { note: Some(m.tasks.to_string()), ..fig("processes", Done, pro, None, done(m.processes)) },
                    Figure { note: Some(m.tasks.to_string()), ..fig("threads", Done, free, None, done(m.threads)) },
                ]
            }
            Measured::Uneven(m) => vec![
                fig("queue", WallMs, pro, Some(m.workers), (m.queue_ms + m.queue_again_ms) / 2.0),
                fig("static", WallMs, pro, Some(m.workers), m.static_ms),
                fig("queue-idle", IdlePercent, pro, Some(m.workers), m.queue_idle * 100.0),
                fig("static-idle", IdlePercent, pro, Some(m.workers), m.static_idle * 100.0),
                fig("static-x", Speedup, pro, Some(m.workers), m.penalty()),
            ],
            Measured::Mixed(m) => {
                let mut v = Vec::new();
                for &(s, q, g, p) in &m.shares {
                    let note = Some(s.to_string());
                    v.push(Figure {
                        note: note.clone(),
                        ..fig(&format!("gil@{s}"), Speedup, gil, Some(m.workers), ratio(q, g))
                    });
                    v.push(Figure { note, ..fig(&format!("p@{s}"), Speedup, pro, Some(m.workers), ratio(q, p)) });
                }
                v
            }
            Measured::Convoy(m) => vec![
                Figure { note: Some("0".into()), ..fig("gil-alone", MedianWaitMs, gil, None, m.gil_alone_ms) },
                Figure { note: Some("1".into()), ..fig("gil-beside", MedianWaitMs, gil, None, m.gil_beside_ms) },
                Figure { note: Some("0".into()), ..fig("free-alone", MedianWaitMs, free, None, m.free_alone_ms) },
                Figure { note: Some("1".into()), ..fig("free-beside", MedianWaitMs, free, None, m.free_beside_ms) },
            ],
        }
    }

    /// Every number of the measurements is finite and not negative (an
    /// imported file is checked with this).
    pub fn is_sane(&self) -> bool {
        self.figures().iter().all(|f| f.value.is_finite() && f.value >= 0.0)
    }
}

// ── Sizes ────────────────────────────────────────────────────────────────

/// The calibration run: primes below this, in [`CALIBRATION_TASKS`] tasks,
/// sequential.
pub const CALIBRATION_SIZE: u64 = 1_000_000;
pub const CALIBRATION_TASKS: usize = 4;
/// Sequential time each CPU-bound card aims at: long enough to measure a
/// speedup, short enough for a card of about 1–3 s.
pub const CPU_TARGET_MS: f64 = 700.0;
/// The crash card only needs a few tasks to finish.
pub const CRASH_TARGET_MS: f64 = 120.0;
/// I/O cards: tasks of this many ms.
pub const IO_LATENCY_MS: u64 = 20;
/// Mixed tasks of the crossover card, ms each, and its CPU shares.
pub const MIXED_TASK_MS: u64 = 20;
pub const MIXED_SHARES: [u32; 3] = [0, 50, 100];
/// asyncio's CPU run: tasks of this many ms, this much of it computing.
pub const ASYNC_MIXED_MS: u64 = 40;
pub const ASYNC_MIXED_CPU: u32 = 50;
/// Race: increments per thread.
pub const RACE_PER_WORKER: u64 = 10_000_000;
/// Moving data: the array's size, MiB.
pub const DATA_MIB: u64 = 32;
/// Deadlock: the watchdog's timeout.
pub const DEADLOCK_WATCHDOG_MS: u64 = 300;
/// Convoy: waits of 1 ms, this many, at the default switch interval.
pub const CONVOY_WAITS: usize = 40;

/// How fast this machine counts primes: one sequential run's wall time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub size: u64,
    pub wall_ms: f64,
}

fn primes(size: u64, tasks: usize, plan: Plan) -> Workload {
    Workload { kind: WorkloadKind::Primes, size, tasks, plan, mix: None }
}

impl Calibration {
    /// The workload of the calibration run.
    pub fn workload() -> Workload {
        primes(CALIBRATION_SIZE, CALIBRATION_TASKS, Plan::Uniform)
    }

    /// The primes size whose sequential run should take about `target_ms`
    /// here, from the workload's own cost model (bisection), within the
    /// form's bounds.
    pub fn primes_size_for(&self, target_ms: f64) -> u64 {
        let (lo_bound, hi_bound) = crate::settings::size_bounds(WorkloadKind::Primes);
        let measured = primes(self.size, 1, Plan::Uniform).cost_estimate_ns();
        let ns_per_unit = if self.wall_ms > 0.0 && measured > 0.0 { self.wall_ms * 1e6 / measured } else { 1.0 };
        let cost_ms = |n: u64| primes(n, 1, Plan::Uniform).cost_estimate_ns() * ns_per_unit / 1e6;
        let (mut lo, mut hi) = (lo_bound.max(1_000), hi_bound / 10);
        if cost_ms(lo) >= target_ms {
            return lo;
        }
        if cost_ms(hi) <= target_ms {
            return hi;
        }
        while hi - lo > 1_000 {
            let mid = lo + (hi - lo) / 2;
            if cost_ms(mid) < target_ms {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // A round number reads better on the card and in the form.
        (lo / 1_000) * 1_000
    }
}

/// The workloads of the tour on this machine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizes {
    pub cores: usize,
    /// CPU-bound, uniform tasks, enough of them for twice the cores.
    pub cpu: Workload,
    /// CPU-bound, uneven tasks.
    pub uneven: Workload,
    /// A few small tasks, one of which may crash.
    pub crash: Workload,
    /// Waits of [`IO_LATENCY_MS`].
    pub io: Workload,
}

impl Sizes {
    pub fn new(cal: &Calibration, cores: usize) -> Self {
        let cores = cores.clamp(1, 16);
        let tasks = 8 * cores;
        let size = cal.primes_size_for(CPU_TARGET_MS);
        let small = cal.primes_size_for(CRASH_TARGET_MS);
        // Three rounds of the many threads: enough to show they overlap.
        let io_tasks = 3 * io_many(cores);
        Sizes {
            cores,
            cpu: primes(size, tasks, Plan::Uniform),
            // Twice the uneven pattern per worker pair; the queue needs
            // small enough tasks to even the load out.
            uneven: primes(size, tasks, Plan::Uneven),
            crash: primes(small, 8, Plan::Uniform),
            io: Workload {
                kind: WorkloadKind::SleepIo,
                size: IO_LATENCY_MS,
                tasks: io_tasks.min(crate::settings::MAX_IO_TASKS as usize),
                plan: Plan::Uniform,
                mix: None,
            },
        }
    }

    /// Far more I/O threads than cores: 8 per core, 16 to 32.
    pub fn io_many(&self) -> usize {
        io_many(self.cores)
    }

    pub fn io_few(&self) -> usize {
        io_few(self.cores)
    }

    /// Mixed tasks at `share` % CPU (calibrated by the runner).
    pub fn mixed(&self, length_ms: u64, tasks: usize, share: u32) -> Workload {
        Workload {
            kind: WorkloadKind::Mixed,
            size: length_ms,
            tasks,
            plan: Plan::Uniform,
            mix: Some(Mix { cpu_percent: share, rounds_per_ms: 0 }),
        }
    }
}

fn io_many(cores: usize) -> usize {
    (8 * cores).clamp(16, 32)
}

fn io_few(cores: usize) -> usize {
    cores.max(2)
}

/// The settings of one run of the tour.
pub fn settings(workload: Workload, model: Model, workers: usize, strategy: Strategy) -> Settings {
    Settings {
        workload,
        model,
        workers,
        strategy,
        switch_interval_ms: crate::python::gil::DEFAULT_SWITCH_INTERVAL_MS,
        crash: false,
    }
}

/// The shared queue with one task at a time.
pub const QUEUE: Strategy = Strategy::Dynamic { chunk: DEFAULT_CHUNK as usize };

/// The lab form's text for `s` ("Open in the lab"): every field the run
/// used, the others at their defaults for `cores`.
pub fn raw_for(s: &Settings, cores: usize) -> RawSettings {
    let mut raw = RawSettings::defaults(cores).with_workload(s.workload.kind);
    raw.set(Field::Size, s.workload.size.to_string());
    raw.set(Field::Tasks, s.workload.tasks.to_string());
    raw.set(Field::Plan, s.workload.plan.id().to_owned());
    raw.set(Field::Model, s.model.id().to_owned());
    raw.set(Field::Workers, s.workers.to_string());
    raw.set(Field::Strategy, s.strategy.id().to_owned());
    if let Strategy::Dynamic { chunk } = s.strategy {
        raw.set(Field::Chunk, chunk.to_string());
    }
    raw.set(Field::Interval, s.switch_interval_ms.to_string());
    raw.set_crash(s.crash);
    if let Some(mix) = s.workload.mix {
        raw.set(Field::Cpu, mix.cpu_percent.to_string());
        // The work itself, so the claim's run reproduces in the lab and an
        // export says what work it did (0: not measured yet, left blank).
        if mix.rounds_per_ms > 0 {
            raw.set(Field::Rate, mix.rounds_per_ms.to_string());
        }
    }
    raw
}

#[cfg(test)]
mod tests;
