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

mod costs;
mod cpu;
mod io;
mod safety;
mod sizes;
pub use costs::*;
pub use cpu::*;
pub use io::*;
pub use safety::*;
pub use sizes::*;

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

// The models a figure can be about.
const SEQ: Option<Model> = Some(Model::Sequential);
const GIL: Option<Model> = Some(Model::GilThreads);
const FREE: Option<Model> = Some(Model::Threads);
const PRO: Option<Model> = Some(Model::Processes);
const AIO: Option<Model> = Some(Model::Asyncio);

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
        match self {
            Measured::GilCpu(m) => m.figures(),
            Measured::ProcessesCores(m) | Measured::CpuCount(m) => m.figures(),
            Measured::IoThreads(m) => m.figures(),
            Measured::AsyncioLoop(m) => m.figures(),
            Measured::Memory(m) => m.figures(),
            Measured::DataTransfer(m) => m.figures(),
            Measured::Pool(m) => m.figures(),
            Measured::RaceLock(m) => m.figures(),
            Measured::Deadlock(m) => m.figures(),
            Measured::Crash(m) => m.figures(),
            Measured::Uneven(m) => m.figures(),
            Measured::Mixed(m) => m.figures(),
            Measured::Convoy(m) => m.figures(),
        }
    }

    /// Every number of the measurements is finite and not negative (an
    /// imported file is checked with this).
    pub fn is_sane(&self) -> bool {
        self.figures().iter().all(|f| f.value.is_finite() && f.value >= 0.0)
    }
}

#[cfg(test)]
mod tests;
