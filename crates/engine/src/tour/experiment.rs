//! A claim's experiment as a sans-IO state machine: the claim lists the
//! runs it needs ([`Ask`]s, from its [`ClaimSpec::asks`]), the page runs
//! them one by one and hands back what each produced ([`Answer`]s), and
//! the claim folds the answers into its measurements
//! ([`ClaimSpec::fold`]), which its verdict function then judges.
//!
//! What the page cannot run is handled here, once, for every claim: an
//! ask marked optional that needs shared memory is skipped on a page
//! without it (the claim folds a `None`), and the step count the progress
//! bar shows is the number of asks that will run, never a hand-kept figure.
//!
//! [`ClaimSpec::asks`]: super::claims::ClaimSpec::asks
//! [`ClaimSpec::fold`]: super::claims::ClaimSpec::fold

use crate::analysis::costs::{MemoryPoint, StartCosts};
use crate::analysis::moving_data::{DataModel, DataRun};
use crate::analysis::report::RunReport;
use crate::error::{Failure, RunError};
use crate::python::bytecode::explore::CountCell;
use crate::python::bytecode::real::{RealResult, RealRun};
use crate::python::convoy::{ConvoyModel, ConvoyRun, ConvoySettings};
use crate::python::deadlock::{Outcome, Variant};
use crate::python::race::{RaceMode, RaceResult};
use crate::settings::RawSettings;
use crate::tour::claims::{Calibration, Claim, Conditions, CrashEnd, Measured, Sizes};
use crate::tour::export::ClaimResult;
use crate::Settings;

/// One run the lab can do for a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// A run of the lab form's kind. Answer: [`Answer::Run`].
    Run(Settings),
    /// The same with one task set to crash. Answer: [`Answer::Crash`].
    Crash(Settings),
    /// The race counter on threads. Answer: [`Answer::Race`].
    Race { mode: RaceMode, workers: usize, per_worker: u64 },
    /// Two threads and two locks, with a watchdog. Answer: [`Answer::Deadlock`].
    Deadlock { variant: Variant, watchdog_ms: u64 },
    /// The memory of 1…n processes and threads. Answer: [`Answer::Memory`].
    Memory { counts: Vec<usize> },
    /// Summing an array moved to the workers. Answer: [`Answer::Moved`].
    MoveData { model: DataModel, mib: u64, workers: usize },
    /// Starting a process three ways. Answer: [`Answer::StartCosts`].
    StartCosts { repeats: usize },
    /// The I/O thread's waits beside CPU loops. Answer: [`Answer::Convoy`].
    Convoy { model: ConvoyModel, cpu_threads: usize, settings: ConvoySettings },
    /// The mixed work's rate on this machine (rounds per ms), so a claim's
    /// settings can say what work it did. Answer: [`Answer::Rate`].
    Rate,
    /// Every interleaving of every scenario, counted (in a worker).
    /// Answer: [`Answer::Counts`].
    Interleavings { threads: usize, iterations: i64 },
    /// A scenario on real threads. Answer: [`Answer::RealRace`].
    RealRace(RealRun),
}

impl Job {
    /// Whether it runs on shared memory (threads, a shared array).
    pub fn needs_shared_memory(&self) -> bool {
        match self {
            Job::Run(s) | Job::Crash(s) => s.model.needs_shared_memory(),
            Job::MoveData { model, .. } => model.needs_shared_memory(),
            Job::Race { .. } | Job::Deadlock { .. } | Job::Convoy { .. } | Job::RealRace(_) => true,
            Job::Memory { .. } | Job::StartCosts { .. } | Job::Rate | Job::Interleavings { .. } => false,
        }
    }
}

/// A job and whether the claim can do without it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub job: Job,
    /// A contrast the verdict does not need: skipped where the page has no
    /// shared memory for it.
    pub optional: bool,
}

impl Ask {
    /// A run the claim needs.
    pub fn needs(job: Job) -> Self {
        Ask { job, optional: false }
    }

    /// A contrast the claim can do without.
    pub fn contrast(job: Job) -> Self {
        Ask { job, optional: true }
    }

    pub fn run(s: Settings) -> Self {
        Ask::needs(Job::Run(s))
    }
}

/// What one job produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Run(Box<RunReport>),
    Crash(CrashEnd),
    Race(RaceResult),
    Deadlock(Outcome),
    Memory(Vec<MemoryPoint>),
    Moved(Box<DataRun>),
    StartCosts(StartCosts),
    Convoy(ConvoyRun),
    Rate(u32),
    Counts(Vec<CountCell>),
    RealRace(RealResult),
    /// The job was not run on this page (see [`Ask::optional`]).
    Skipped,
}

/// An answer's content, taken out by type (see [`Answers::take`]).
pub trait FromAnswer: Sized {
    fn from_answer(a: Answer) -> Option<Self>;
}

macro_rules! from_answer {
    ($($variant:ident($ty:ty) $(=> $unbox:tt)?),* $(,)?) => {$(
        impl FromAnswer for $ty {
            fn from_answer(a: Answer) -> Option<Self> {
                match a {
                    Answer::$variant(v) => Some(from_answer!(@take v $($unbox)?)),
                    _ => None,
                }
            }
        }
    )*};
    (@take $v:ident *) => { *$v };
    (@take $v:ident) => { $v };
}

from_answer! {
    Run(RunReport) => *,
    Crash(CrashEnd),
    Race(RaceResult),
    Deadlock(Outcome),
    Memory(Vec<MemoryPoint>),
    Moved(DataRun) => *,
    StartCosts(StartCosts),
    Convoy(ConvoyRun),
    Rate(u32),
    Counts(Vec<CountCell>),
    RealRace(RealResult),
}

/// The answers of one experiment, in the order of its asks, read by the
/// claim's fold.
#[derive(Debug)]
pub struct Answers {
    items: std::vec::IntoIter<Answer>,
}

/// A fold that met an answer of the wrong kind, or too few: a claim whose
/// fold does not match its asks (a bug, reported, not a panic).
fn mismatch(what: &str) -> RunError {
    Failure::Messaging { detail: format!("the experiment's answers do not match its plan ({what})") }.into()
}

impl Answers {
    pub fn new(answers: Vec<Answer>) -> Self {
        Answers { items: answers.into_iter() }
    }

    /// The next answer, which the claim needs.
    pub fn take<T: FromAnswer>(&mut self) -> Result<T, RunError> {
        self.optional()?.ok_or_else(|| mismatch("a needed run was skipped"))
    }

    /// The next answer, of a contrast the page may have skipped.
    pub fn optional<T: FromAnswer>(&mut self) -> Result<Option<T>, RunError> {
        match self.items.next() {
            Some(Answer::Skipped) => Ok(None),
            Some(a) => T::from_answer(a).map(Some).ok_or_else(|| mismatch(std::any::type_name::<T>())),
            None => Err(mismatch("too few answers")),
        }
    }

    /// The next run's wall time, ms.
    pub fn wall(&mut self) -> Result<f64, RunError> {
        Ok(self.take::<RunReport>()?.wall_ms)
    }

    /// The wall time of a contrast run, if the page ran it.
    pub fn optional_wall(&mut self) -> Result<Option<f64>, RunError> {
        Ok(self.optional::<RunReport>()?.map(|r| r.wall_ms))
    }
}

/// What a claim's plan is made from: the tour's sizes on this machine and
/// the page's core count (the lab form's defaults, for "Open in the lab").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    pub sizes: Sizes,
    pub page_cores: usize,
}

impl Setup {
    pub fn new(cal: &Calibration, cores: usize) -> Self {
        Setup { sizes: Sizes::new(cal, cores), page_cores: cores }
    }

    /// At least two workers, even on one core: a claim about parallel
    /// workers needs two to say anything.
    pub fn pair(&self) -> usize {
        self.sizes.cores.max(2)
    }

    /// The lab form's text for one of the claim's runs.
    pub fn raw(&self, s: &Settings) -> RawSettings {
        super::claims::raw_for(s, self.page_cores)
    }

    /// The lab form's defaults on this page.
    pub fn defaults(&self) -> RawSettings {
        RawSettings::defaults(self.page_cores)
    }
}

/// What a claim's fold returns: its measurements and the settings of its
/// main run ("Open in the lab").
#[derive(Debug, Clone, PartialEq)]
pub struct Folded<M> {
    pub measured: M,
    pub settings: RawSettings,
}

/// One claim's experiment in progress: events (answers) in, commands (the
/// next job) out.
#[derive(Debug)]
pub struct Experiment {
    claim: Claim,
    setup: Setup,
    asks: Vec<Ask>,
    shared_memory: bool,
    answers: Vec<Answer>,
    hidden: bool,
}

impl Experiment {
    /// `claim`'s experiment with `setup`, on a page that has shared memory
    /// (`shared_memory`) or not.
    pub fn new(claim: Claim, setup: Setup, shared_memory: bool) -> Self {
        let asks = claim.asks(&setup);
        Experiment { claim, setup, asks, shared_memory, answers: Vec::new(), hidden: false }
    }

    fn runs(&self, ask: &Ask) -> bool {
        self.shared_memory || !(ask.optional && ask.job.needs_shared_memory())
    }

    /// How many jobs the page will run in all.
    pub fn steps(&self) -> usize {
        self.asks.iter().filter(|a| self.runs(a)).count()
    }

    /// How many it has run.
    pub fn done(&self) -> usize {
        self.answers.iter().filter(|a| **a != Answer::Skipped).count()
    }

    /// The next job to run, if any; what this page cannot run is skipped.
    pub fn next_job(&mut self) -> Option<Job> {
        while let Some(ask) = self.asks.get(self.answers.len()) {
            if self.runs(ask) {
                return Some(ask.job.clone());
            }
            self.answers.push(Answer::Skipped);
        }
        None
    }

    /// What the job [`Experiment::next_job`] gave produced.
    pub fn answer(&mut self, a: Answer) {
        if let Answer::Run(r) = &a {
            self.hidden |= r.hidden;
        }
        self.answers.push(a);
    }

    /// The claim's result: its fold over the answers, judged. `hidden`:
    /// whether the tab was hidden at any moment (a run's own report also
    /// counts); `duration_ms`: how long it all took.
    pub fn finish(self, hidden: bool, duration_ms: f64) -> Result<ClaimResult, RunError> {
        if self.answers.len() != self.asks.len() {
            return Err(mismatch("the experiment was not finished"));
        }
        let cores = self.setup.page_cores;
        let hidden = hidden || self.hidden;
        let folded = Measured::fold(self.claim, &self.setup, &mut Answers::new(self.answers))?;
        let verdict = folded.measured.judge(Conditions { cores, hidden });
        Ok(ClaimResult { measured: folded.measured, verdict, hidden, settings: folded.settings, duration_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::report::RunData;
    use crate::tour::claims::{Doubt, Verdict};

    /// A plausible answer to `job`, the way the page would give one.
    fn answer(job: &Job) -> Answer {
        match job {
            Job::Run(s) => {
                let data = RunData {
                    started_at: 0.0,
                    finished_at: 100.0 / s.workers as f64,
                    outcomes: Vec::new(),
                    failures: Vec::new(),
                    loop_blocked_ms: Some(1.0),
                };
                Answer::Run(Box::new(RunReport::new(s, 0.0, data)))
            }
            Job::Crash(_) => Answer::Crash(CrashEnd::Partial { done: 7, failed: 1 }),
            Job::Race { mode, workers, .. } => {
                Answer::Race(RaceResult { mode: Some(*mode), workers: *workers, expected: 100, counted: 90, ms: 1.0 })
            }
            Job::Deadlock { .. } => Answer::Deadlock(Outcome::Finished { ms: 5.0, retries: Vec::new() }),
            Job::Memory { counts } => Answer::Memory(
                counts.iter().map(|&w| MemoryPoint::new(w, vec![1 << 20; w], Some(2 << 20), None)).collect(),
            ),
            Job::MoveData { model, mib, workers } => Answer::Moved(Box::new(DataRun {
                model: *model,
                mib: *mib,
                workers: *workers,
                started_at: 0.0,
                finished_at: 10.0,
                parts: Vec::new(),
            })),
            Job::StartCosts { .. } => Answer::StartCosts(StartCosts::new(&[30.0], &[20.0], &[0.2])),
            Job::Convoy { model, cpu_threads, settings } => Answer::Convoy(ConvoyRun {
                model: *model,
                cpu_threads: *cpu_threads,
                wait_ms: settings.wait_ms,
                switch_interval_ms: settings.switch_interval_ms,
                samples: vec![1.0, 1.5, 2.0],
                blocking: true,
            }),
            Job::Rate => Answer::Rate(4_000),
            // The real counts (milliseconds natively).
            Job::Interleavings { threads, iterations } => Answer::Counts(
                crate::python::bytecode::explore::cells()
                    .map(|(s, w)| crate::python::bytecode::explore::count_cell(s, w, *threads, *iterations))
                    .collect(),
            ),
            Job::RealRace(run) => Answer::RealRace(RealResult {
                run: *run,
                iterations: 1_000,
                rounds: 1,
                tally: crate::python::bytecode::scenarios::Tally { expected: 2_000, got: 2_000 },
                ms: 1.0,
            }),
        }
    }

    fn setup() -> Setup {
        Setup::new(&Calibration { size: 1_000_000, wall_ms: 400.0 }, 2)
    }

    /// Runs `claim`'s experiment to the end with [`answer`], checking the
    /// progress it reports on the way.
    fn run(claim: Claim, shared_memory: bool) -> ClaimResult {
        let mut x = Experiment::new(claim, setup(), shared_memory);
        let steps = x.steps();
        assert!(steps > 0, "{claim:?} asks for nothing");
        let mut done = 0;
        while let Some(job) = x.next_job() {
            assert!(shared_memory || !job.needs_shared_memory() || !x.asks[x.answers.len()].optional);
            x.answer(answer(&job));
            done += 1;
            assert_eq!(x.done(), done);
        }
        assert_eq!(done, steps, "{claim:?}: the step count is the jobs run");
        x.finish(false, 1.0).unwrap_or_else(|e| panic!("{claim:?}: {e}"))
    }

    #[test]
    fn every_claim_folds_what_it_asked_for() {
        for claim in Claim::ALL {
            let r = run(claim, true);
            assert_eq!(r.claim(), claim);
            assert!(r.measured.is_sane(), "{claim:?}");
            // Its main run's settings are the lab form's: they validate.
            assert!(r.settings.validate().is_ok(), "{claim:?}: {:?}", r.settings.validate());
        }
    }

    #[test]
    fn without_shared_memory_the_contrasts_are_skipped_once_for_all() {
        let steps = |claim, shared| Experiment::new(claim, setup(), shared).steps();
        // The free-threads contrast, the threads' crash, the shared array.
        for claim in [Claim::GilCpu, Claim::Crash, Claim::DataTransfer] {
            assert_eq!(steps(claim, false) + 1, steps(claim, true), "{claim:?}");
        }
        let gil = run(Claim::GilCpu, false);
        assert!(matches!(gil.measured, Measured::GilCpu(ref m) if m.free_ms.is_none()));
        let crash = run(Claim::Crash, false);
        assert_eq!(crash.verdict, Verdict::Inconclusive { doubt: Doubt::Unexpected });
        let data = run(Claim::DataTransfer, false);
        assert_eq!(data.verdict, Verdict::Inconclusive { doubt: Doubt::Unexpected });
    }

    #[test]
    fn answers_that_do_not_match_the_plan_are_an_error_not_a_panic() {
        let mut x = Experiment::new(Claim::Pool, setup(), true);
        assert!(x.next_job().is_some());
        x.answer(Answer::Rate(1));
        assert!(x.finish(false, 1.0).is_err());
        let unfinished = Experiment::new(Claim::Uneven, setup(), true);
        assert!(unfinished.finish(false, 1.0).is_err());
    }

    #[test]
    fn a_hidden_run_makes_the_result_hidden() {
        let mut x = Experiment::new(Claim::Uneven, setup(), true);
        while let Some(job) = x.next_job() {
            let mut a = answer(&job);
            if let Answer::Run(r) = &mut a {
                r.hidden = true;
            }
            x.answer(a);
        }
        let r = x.finish(false, 1.0).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.hidden);
        assert_eq!(r.verdict, Verdict::Inconclusive { doubt: Doubt::Hidden });
    }
}
