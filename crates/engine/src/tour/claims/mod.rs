//! The tour's claims: the classic explanations of Python concurrency, each
//! checked by a short experiment and judged from what it measured.
//!
//! A claim is one file, grouped by theme (`cpu/`, `io/`, `costs/`,
//! `safety/`): a type implementing [`ClaimSpec`] — the runs it asks for,
//! how their answers fold into its measurement struct, its verdict with
//! its thresholds as named constants (so the page can state them on the
//! card), its figures, and its words in English and Korean — plus one line
//! of the registry (`claims!`, which names its file), which derives [`Claim`] (stable ids, used
//! by permalinks and exports), [`Measured`] and every dispatch over them.
//! Nothing is decided in advance: a claim that does not hold on this
//! machine is shown as such.
//!
//! The runs are sized by [`Sizes`], from one short calibration run so that
//! every card takes a second or two; `crate::tour::experiment` steps
//! through them, and the page's `web::experiments` only carries them out.

use crate::analysis::report::RunReport;
use crate::error::RunError;
use crate::model::{Model, Strategy};
use crate::python::bytecode::explore::{counted, CountCell};
use crate::python::bytecode::real::{RealResult, RealRun};
use crate::python::bytecode::scenarios::Scenario;
use crate::python::bytecode::Switching;
use crate::python::gil::DEFAULT_SWITCH_INTERVAL_MS;
use crate::settings::{Field, RawSettings, Settings, DEFAULT_CHUNK};
use crate::text::{pct, thousands, Lang};
use crate::tour::experiment::{Answers, Ask, Folded, Job, Setup};
use crate::work::workload::{Mix, Plan, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};

/// Everything one claim is, in its own file: what it measures (its
/// `Measured`, a struct of the export), the runs it asks the lab for and
/// how it folds their answers, its verdict with its thresholds, the numbers
/// it shows, and its words in both languages. The registry below lists
/// each claim once; the tour, Check all, the export and its import all go
/// through it.
pub trait ClaimSpec {
    /// What the experiment measured: one entry of an export.
    type Measured: Serialize + serde::de::DeserializeOwned;
    /// Whether the verdict needs two cores or more to mean anything.
    const NEEDS_CORES: bool = true;
    /// Whether a repeated run can make it inconclusive (a busy machine).
    const REPEATS: bool = false;
    /// Whether a hidden tab can make it inconclusive (its times matter).
    const TIMED: bool = true;
    /// Whether "Open" shows the interpreter view (its settings are a
    /// scenario to play) rather than the lab.
    const INTERPRETER: bool = false;

    /// The runs, in order (see `crate::tour::experiment`).
    fn asks(setup: &Setup) -> Vec<Ask>;
    /// The measurements from the answers to [`ClaimSpec::asks`], and the
    /// settings of its main run.
    fn fold(setup: &Setup, answers: &mut Answers) -> Result<Folded<Self::Measured>, RunError>;
    /// The verdict, from the measurements alone.
    fn judge(m: &Self::Measured, env: Conditions) -> Verdict;
    /// Every number worth showing, in order.
    fn figures(m: &Self::Measured) -> Vec<Figure>;

    /// The claim, in one sentence.
    fn sentence(lang: Lang) -> &'static str;
    /// What the experiment runs, with this machine's counts.
    fn what_runs(lang: Lang, cores: usize) -> String;
    /// When it holds, with the thresholds it uses.
    fn rule(lang: Lang, cores: usize) -> String;
    /// What a figure of this claim is (the card's row, the chart's bar);
    /// `None`: a plain wall time or speedup.
    fn label(_lang: Lang, _f: &Figure) -> Option<String> {
        None
    }
}

/// The registry: each line names a claim, its stable id (permalinks,
/// exports) and the type that defines it. The order is the tour's.
macro_rules! claims {
    ($( $(#[$doc:meta])* $name:ident = $id:literal => $module:ident::$spec:ident in $file:literal, )+) => {
        // Each claim's file, declared here so that adding a claim is its
        // file and its registry line; its public items (measurements,
        // thresholds, verdict function) are the module's.
        $(
            #[path = $file]
            mod $module;
            pub use $module::*;
        )+

        crate::named_enum! {
            /// One claim of the tour. The order of [`Claim::ALL`] is the tour's order.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
            pub enum Claim {
                $( $(#[$doc])* $name = $id, )+
            }
        }

        /// What one claim's experiment measured. Written with its claim's
        /// id as a `claim` field beside the measurements; read back by
        /// [`Measured::read`].
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "claim", rename_all = "kebab-case")]
        pub enum Measured {
            $( $name(<$module::$spec as ClaimSpec>::Measured), )+
        }

        impl Claim {
            /// Whether the verdict needs two cores or more to mean anything.
            pub fn needs_cores(self) -> bool {
                match self { $( Claim::$name => <$module::$spec>::NEEDS_CORES, )+ }
            }

            /// Whether a repeated run that disagrees makes it inconclusive.
            pub fn repeats(self) -> bool {
                match self { $( Claim::$name => <$module::$spec>::REPEATS, )+ }
            }

            /// Whether a hidden tab makes it inconclusive.
            pub fn timed(self) -> bool {
                match self { $( Claim::$name => <$module::$spec>::TIMED, )+ }
            }

            /// Whether "Open" shows the interpreter view.
            pub fn interpreter(self) -> bool {
                match self { $( Claim::$name => <$module::$spec>::INTERPRETER, )+ }
            }

            /// The runs of its experiment.
            pub fn asks(self, setup: &Setup) -> Vec<Ask> {
                match self { $( Claim::$name => <$module::$spec>::asks(setup), )+ }
            }

            pub fn sentence(self, lang: Lang) -> &'static str {
                match self { $( Claim::$name => <$module::$spec>::sentence(lang), )+ }
            }

            pub fn what_runs(self, lang: Lang, cores: usize) -> String {
                match self { $( Claim::$name => <$module::$spec>::what_runs(lang, cores), )+ }
            }

            /// When it holds (the conditions that make it inconclusive are
            /// the page's to add: see [`Claim::needs_cores`] and friends).
            pub fn rule(self, lang: Lang, cores: usize) -> String {
                match self { $( Claim::$name => <$module::$spec>::rule(lang, cores), )+ }
            }

            /// What figure `f` of this claim is, in `lang` (`None`: a plain
            /// wall time or speedup).
            pub fn label(self, lang: Lang, f: &Figure) -> Option<String> {
                match self { $( Claim::$name => <$module::$spec>::label(lang, f), )+ }
            }
        }

        impl Measured {
            /// `claim`'s measurements from the fields of an export's result
            /// (other fields, `claim` among them, are ignored). Not
            /// `derive(Deserialize)` with `tag = "claim"`: serde reads an
            /// internally tagged enum into a buffer first and then every
            /// field type a second time from that buffer, and this one sits
            /// `flatten`ed in each result, buffered once more. That code was
            /// 7 KB of the page's gzip; this match keeps one reader per struct.
            pub fn read(claim: Claim, fields: &str) -> Result<Measured, serde_json::Error> {
                Ok(match claim { $( Claim::$name => Measured::$name(serde_json::from_str(fields)?), )+ })
            }

            /// `claim`'s measurements from its experiment's answers.
            pub fn fold(claim: Claim, setup: &Setup, answers: &mut Answers) -> Result<Folded<Measured>, RunError> {
                Ok(match claim {
                    $( Claim::$name => {
                        let f = <$module::$spec>::fold(setup, answers)?;
                        Folded { measured: Measured::$name(f.measured), settings: f.settings }
                    } )+
                })
            }

            pub fn claim(&self) -> Claim {
                match self { $( Measured::$name(_) => Claim::$name, )+ }
            }

            /// The claim's verdict function applied to these measurements.
            pub fn judge(&self, env: Conditions) -> Verdict {
                match self { $( Measured::$name(m) => <$module::$spec>::judge(m, env), )+ }
            }

            /// Every number worth showing, in order.
            pub fn figures(&self) -> Vec<Figure> {
                match self { $( Measured::$name(m) => <$module::$spec>::figures(m), )+ }
            }

        }
    };
}

claims! {
    // CPU-bound work: the GIL, processes and cores, uneven tasks, mixed work.
    /// With the GIL, CPU-bound threads are no faster than one thread.
    GilCpu = "gil-cpu" => gil_cpu::GilCpuClaim in "cpu/gil_cpu.rs",
    /// Processes speed CPU-bound work up to the core count, and no further.
    ProcessesCores = "processes-cores" => processes_cores::ProcessesCoresClaim in "cpu/processes_cores.rs",
    /// Use as many processes as cores (`os.cpu_count()`).
    CpuCount = "cpu-count" => cpu_count::CpuCountClaim in "cpu/cpu_count.rs",
    // Waiting: threads and asyncio for I/O.
    /// For I/O-bound work threads help, even far more threads than cores.
    IoThreads = "io-threads" => io_threads::IoThreadsClaim in "io/io_threads.rs",
    /// asyncio overlaps waits on one thread; a CPU-heavy coroutine blocks it.
    AsyncioLoop = "asyncio-loop" => asyncio_loop::AsyncioLoopClaim in "io/asyncio_loop.rs",
    // What processes cost: memory, moving data.
    /// Threads share one memory; each process has its own.
    Memory = "memory" => memory::MemoryClaim in "costs/memory.rs",
    /// Sending data to processes costs more than sharing it.
    DataTransfer = "data-transfer" => data_transfer::DataTransferClaim in "costs/data_transfer.rs",
    // What goes wrong: lost updates, deadlock, a crash.
    /// Without a lock, shared updates are lost; with one, they are not.
    RaceLock = "race-lock" => race_lock::RaceLockClaim in "safety/race_lock.rs",
    /// Two locks taken in opposite orders can deadlock.
    Deadlock = "deadlock" => deadlock::DeadlockClaim in "safety/deadlock.rs",
    /// A crashing process leaves the others running; a thread does not.
    Crash = "crash" => crash::CrashClaim in "safety/crash.rs",
    /// The GIL makes `counter += 1` thread-safe.
    GilCounter = "gil-counter" => gil_counter::GilCounterClaim in "safety/gil_counter.rs",
    /// Free-threaded Python needs locks where GIL Python got away without one.
    FreeNeedsLocks = "free-needs-locks" => free_needs_locks::FreeNeedsLocksClaim in "safety/free_needs_locks.rs",
    /// `list.append` from several threads is safe.
    AppendSafe = "append-safe" => append_safe::AppendSafeClaim in "safety/append_safe.rs",
    /// Uneven tasks: static slices leave cores idle, a queue does not.
    Uneven = "uneven" => uneven::UnevenClaim in "cpu/uneven.rs",
    /// A pool avoids paying the start of a process for every task.
    Pool = "pool" => pool::PoolClaim in "costs/pool.rs",
    /// Mixed work: where threads stop being enough and processes take over.
    Mixed = "mixed" => mixed::MixedClaim in "cpu/mixed.rs",
    /// The GIL slows I/O threads that run beside CPU-bound threads.
    Convoy = "convoy" => convoy::ConvoyClaim in "io/convoy.rs",
}

impl Claim {
    /// The claim a `#claim-<id>` fragment points at.
    pub fn from_fragment(fragment: &str) -> Option<Self> {
        Self::from_id(fragment.trim_start_matches('#').strip_prefix("claim-")?)
    }
}

impl Measured {
    /// Every number of the measurements is finite and not negative (an
    /// imported file is checked with this).
    pub fn is_sane(&self) -> bool {
        self.figures().iter().all(|f| f.value.is_finite() && f.value >= 0.0)
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

mod sizes;
pub use sizes::*;

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
    /// Schedules that break an invariant, of all (in the note).
    Schedules,
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

// The claims about the interpreter (`safety/gil_counter.rs` and its
// neighbours) share these: the interleavings counted at the tour's size,
// and a scenario run for real.

/// The tour counts 2 threads × 1 iteration (every cell in milliseconds).
const TOUR_COUNT: Job = Job::Interleavings { threads: 2, iterations: 1 };

/// Schedules of one cell of the count: how many break the invariant, of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedules {
    pub bad: u64,
    pub all: u64,
}

impl Schedules {
    /// The cell of `scenario` under `switching` in an answer to [`TOUR_COUNT`].
    fn of(cells: &[CountCell], (scenario, switching): Cell) -> Result<Schedules, RunError> {
        let c = counted(cells, scenario, switching).ok_or_else(|| {
            RunError::from(crate::error::Failure::Messaging {
                detail: format!("{} under {} was not counted", scenario.id(), switching.id()),
            })
        })?;
        let n = |v: u128| u64::try_from(v).unwrap_or(u64::MAX);
        Ok(Schedules { bad: n(c.bad + c.deadlocks), all: n(c.schedules) })
    }

    fn figure(&self, slot: &str) -> Figure {
        Figure { note: Some(thousands(self.all)), ..fig(slot, Quantity::Schedules, None, Some(2), self.bad as f64) }
    }
}

/// What a real run of a scenario lost (or made too many).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lost {
    pub lost: u64,
    pub expected: u64,
}

impl Lost {
    fn of(r: Option<RealResult>) -> Option<Lost> {
        r.map(|r| Lost { lost: r.off(), expected: r.tally.expected })
    }

    fn figure(this: Option<Lost>, slot: &str, model: Option<Model>) -> Option<Figure> {
        this.map(|l| fig(slot, Quantity::Lost, model, Some(2), l.lost as f64))
    }
}

/// A scenario under a switching rule: one cell of the count.
type Cell = (Scenario, Switching);

/// What each claim about the interpreter measures: two cells of the count
/// (which two is the claim's `CELLS`), and the same two scenarios run on
/// two real threads (absent where threads cannot run). One type for all of
/// them, so the page carries one reader and one writer of it, not three.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterpCheck {
    pub counted: [Schedules; 2],
    pub real: [Option<Lost>; 2],
    pub cores: usize,
}

impl InterpCheck {
    /// The count, then each cell for real, at CPython's default interval.
    fn asks(cells: [Cell; 2]) -> Vec<Ask> {
        let real = |(scenario, switching): Cell| {
            let run = RealRun { scenario, switching, threads: 2, interval_ms: DEFAULT_SWITCH_INTERVAL_MS };
            Ask::contrast(Job::RealRace(run))
        };
        vec![Ask::needs(TOUR_COUNT), real(cells[0]), real(cells[1])]
    }

    /// The answers to [`InterpCheck::asks`]; "Open in the interpreter"
    /// shows the second cell (the one each claim turns on), ready to play.
    fn fold(setup: &Setup, a: &mut Answers, cells: [Cell; 2]) -> Result<Folded<InterpCheck>, RunError> {
        let table = a.take::<Vec<CountCell>>()?;
        let open = cells[1];
        let measured = InterpCheck {
            counted: [Schedules::of(&table, cells[0])?, Schedules::of(&table, cells[1])?],
            real: [Lost::of(a.optional()?), Lost::of(a.optional()?)],
            cores: setup.sizes.cores,
        };
        let mut settings = setup.defaults();
        settings.set(Field::Scenario, open.0.id().to_owned());
        settings.set(Field::Rule, open.1.id().to_owned());
        Ok(Folded { measured, settings })
    }

    /// The two counts (slots `count-0`, `count-1`), then the real runs
    /// (`real-0`, `real-1`).
    fn figures(&self, models: [Option<Model>; 2]) -> Vec<Figure> {
        let mut f: Vec<Figure> =
            self.counted.iter().enumerate().map(|(i, s)| s.figure(&format!("count-{i}"))).collect();
        for (i, (l, model)) in self.real.iter().zip(models).enumerate() {
            f.extend(Lost::figure(*l, &format!("real-{i}"), model));
        }
        f
    }

    /// Whether cell `i` lost anything on real threads (`None`: not run).
    fn real_lost(&self, i: usize) -> Option<bool> {
        self.real[i].map(|l| l.lost > 0)
    }

    /// Whether cell `i` stayed whole: no counted schedule broke its
    /// invariant, and its real run (if it ran) lost nothing.
    fn whole(&self, i: usize) -> bool {
        self.counted[i].bad == 0 && self.real_lost(i) != Some(true)
    }
}

#[cfg(test)]
mod tests;
