//! The tour's experiments, carried out: each claim's plan, folds and
//! verdict are the engine's (`engine::tour::experiment`, one file per claim
//! under `engine::tour::claims`); this module runs the jobs it asks for on
//! the lab's pools (through the tour's `BusyGuard`) and watches whether the
//! tab was hidden meanwhile.

use crate::web::clock::{now_ms, page_hidden};
use crate::web::runner::BusyGuard;
use engine::tour::claims::{self, Calibration, Claim, CrashEnd, QUEUE};
use engine::tour::experiment::{Answer, Experiment, Job, Setup};
use engine::tour::export::ClaimResult;
use engine::{Model, RunError, Settings};
use std::cell::Cell;
use std::rc::Rc;

/// What the experiments need to know about the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TourEnv {
    pub(crate) cores: usize,
    pub(crate) isolated: bool,
}

/// The calibration run: a small sequential primes count.
pub(crate) async fn calibrate(guard: &mut BusyGuard) -> Result<Calibration, RunError> {
    let s = claims::settings(Calibration::workload(), Model::Sequential, 1, QUEUE);
    let r = guard.run(s, &|_, _| {}).await?;
    Ok(Calibration { size: s.workload.size, wall_ms: r.wall_ms })
}

/// Notes whether the tab is hidden at any moment while it lives.
struct HiddenWatch {
    seen: Rc<Cell<bool>>,
    _listener: Option<gloo_events::EventListener>,
}

impl HiddenWatch {
    fn new() -> Self {
        let seen = Rc::new(Cell::new(page_hidden()));
        let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let seen = seen.clone();
            gloo_events::EventListener::new(&doc, "visibilitychange", move |_| {
                if page_hidden() {
                    seen.set(true);
                }
            })
        });
        HiddenWatch { seen, _listener: listener }
    }

    fn seen(&self) -> bool {
        self.seen.get() || page_hidden()
    }
}

/// Runs `claim`'s experiment and judges it: the engine's
/// [`Experiment`] says which job comes next, this carries it out on the
/// lab's pools. `progress` gets (steps done, steps in all).
pub(crate) async fn run_claim(
    claim: Claim,
    guard: &mut BusyGuard,
    env: TourEnv,
    cal: &Calibration,
    progress: &dyn Fn(usize, usize),
) -> Result<ClaimResult, RunError> {
    let started = now_ms();
    let hidden = HiddenWatch::new();
    let mut experiment = Experiment::new(claim, Setup::new(cal, env.cores), env.isolated);
    progress(0, experiment.steps());
    while let Some(job) = experiment.next_job() {
        // Boxed: one state machine for every job, not a copy of each
        // job's inlined into the tour's (which cost the page's wasm KBs).
        let answer = Box::pin(carry_out(guard, job)).await?;
        experiment.answer(answer);
        progress(experiment.done(), experiment.steps());
    }
    experiment.finish(hidden.seen(), now_ms() - started)
}

/// One job of an experiment, on the lab's pools.
async fn carry_out(guard: &mut BusyGuard, job: Job) -> Result<Answer, RunError> {
    let quiet = &|_, _| {};
    Ok(match job {
        Job::Run(s) => Answer::Run(Box::new(guard.run(s, quiet).await?)),
        Job::Crash(s) => Answer::Crash(CrashEnd::of(guard.run(Settings { crash: true, ..s }, quiet).await)?),
        Job::Race { mode, workers, per_worker } => Answer::Race(guard.race(Some(mode), workers, per_worker).await?),
        Job::Deadlock { variant, watchdog_ms } => Answer::Deadlock(guard.deadlock(variant, watchdog_ms).await?),
        Job::Memory { counts } => Answer::Memory(guard.measure_memory(&counts).await?),
        Job::MoveData { model, mib, workers } => Answer::Moved(Box::new(guard.move_data(model, mib, workers).await?)),
        Job::StartCosts { repeats } => Answer::StartCosts(guard.start_costs(repeats).await?),
        Job::Convoy { model, cpu_threads, settings } => {
            Answer::Convoy(guard.convoy(model, cpu_threads, settings).await?)
        }
        Job::Rate => Answer::Rate(guard.rounds_per_ms().await?),
        Job::Interleavings { threads, iterations } => {
            Answer::Counts(guard.explore(threads, iterations, &|_| {}).await?)
        }
        Job::RealRace(run) => Answer::RealRace(guard.real_race(run).await?),
    })
}
