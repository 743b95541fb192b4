//! The real race: a scenario run by real threads, instruction by
//! instruction, over one shared state — under a GIL modelled on CPython's
//! (`python::gil`, the convoy's: a waiter asks for a switch after the
//! switch interval, and the holder lets go only after an instruction
//! that checks the eval breaker), or with free threads, which take the
//! state's lock for one instruction at a time, as free-threaded CPython
//! makes each instruction's dict or list access whole with per-object
//! locks. No schedule is chosen: the lost updates are the threads' own.
//!
//! Loop scenarios run once with many iterations; `check-then-act` (no
//! loop) runs many rounds from a fresh cache, the threads released
//! together by a barrier in each, as `bench/python_ref.py` does in CPython.

use super::scenarios::{Scenario, Tally};
use super::{Code, Shared, StepError, Switching, Thread};
use crate::error::Cancelled;
use crate::python::gil::Gil;
use serde::{Deserialize, Serialize};
use std::sync::{Mutex, MutexGuard};

/// Iterations per thread of a loop scenario: as `bench/python_ref.py` runs
/// them in CPython 3.11 (a quarter of a second there, a few hundred ms
/// here: dozens of 5-ms switch intervals either way).
pub const LOOP_ITERATIONS: i64 = 1_000_000;
/// Rounds of a scenario without a loop (`check-then-act`).
pub const ROUNDS: u32 = 500;

/// One real run: which scenario, how it switches, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RealRun {
    pub scenario: Scenario,
    pub switching: Switching,
    pub threads: usize,
    /// The switch interval of the GIL, in ms (CPython's default: 5).
    pub interval_ms: f64,
}

/// What a real run counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RealResult {
    pub run: RealRun,
    pub iterations: i64,
    pub rounds: u32,
    /// Summed over the rounds.
    pub tally: Tally,
    /// How long the rounds took, in ms (filled in by whoever timed them).
    pub ms: f64,
}

impl RealResult {
    /// Updates (items, single makes) lost, or makes too many: how far the
    /// count is from what it should be.
    pub fn off(&self) -> u64 {
        self.tally.expected.abs_diff(self.tally.got)
    }

    /// [`RealResult::off`] as a share of what was expected.
    pub fn off_share(&self) -> f64 {
        self.off() as f64 / self.tally.expected.max(1) as f64
    }
}

/// Why a real run stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RealError {
    Cancelled,
    /// The scenario cannot run for real (see `Scenario::runs_for_real`),
    /// or its code did something the machine cannot.
    Refused(String),
}

impl From<Cancelled> for RealError {
    fn from(_: Cancelled) -> Self {
        RealError::Cancelled
    }
}

impl From<StepError> for RealError {
    fn from(e: StepError) -> Self {
        RealError::Refused(e.to_string())
    }
}

/// One round's state, shared by its threads.
pub struct Round {
    code: Code,
    shared: Mutex<Shared>,
    gil: Option<Gil>,
    args: Vec<Vec<super::Value>>,
    iterations: i64,
}

impl RealRun {
    /// Iterations per thread and rounds.
    pub fn size(&self) -> (i64, u32) {
        match self.scenario {
            Scenario::CheckThenAct => (1, ROUNDS),
            _ => (LOOP_ITERATIONS, 1),
        }
    }

    /// Every round of the run, each from the module's fresh state with a
    /// GIL of its own if it switches so (the listing is read once).
    pub fn rounds(&self) -> Result<Vec<Round>, RealError> {
        if !self.scenario.runs_for_real() {
            return Err(RealError::Refused(format!("{} does not run for real", self.scenario.id())));
        }
        let code = self.scenario.code().map_err(|e| RealError::Refused(e.to_string()))?;
        let (iterations, rounds) = self.size();
        let m = self.scenario.machine(&code, self.threads, iterations, self.switching);
        let args: Vec<Vec<super::Value>> = m.threads.iter().map(|t| t.locals.clone()).collect();
        let round = || Round {
            code: code.clone(),
            shared: Mutex::new(m.shared.clone()),
            gil: (self.switching == Switching::Gil).then(|| Gil::new(self.interval_ms)),
            args: args.clone(),
            iterations,
        };
        Ok((0..rounds).map(|_| round()).collect())
    }

    /// What `rounds` counted, summed, once every thread has finished them;
    /// `ms` is how long they took.
    pub fn result(self, rounds: &[Round], ms: f64) -> RealResult {
        let tally = rounds.iter().map(|r| r.tally(self.scenario)).fold(Tally { expected: 0, got: 0 }, |a, t| Tally {
            expected: a.expected + t.expected,
            got: a.got + t.got,
        });
        RealResult { run: self, iterations: self.size().0, rounds: rounds.len() as u32, tally, ms }
    }
}

impl Round {
    fn state(&self) -> MutexGuard<'_, Shared> {
        // A panic in another thread mid-instruction leaves a state that is
        // still a state: go on with it.
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Thread `me`'s whole run of the scenario.
    pub fn run_thread(&self, me: usize, cancelled: &dyn Fn() -> bool) -> Result<(), RealError> {
        let args = self.args.get(me).ok_or_else(|| RealError::Refused(format!("no thread {me}")))?;
        let mut th = Thread::new(&self.code, args);
        if let Some(gil) = &self.gil {
            gil.acquire(me, cancelled)?;
        }
        let result = self.run(me, &mut th, cancelled);
        if let Some(gil) = &self.gil {
            gil.release(me);
        }
        result
    }

    fn run(&self, me: usize, th: &mut Thread, cancelled: &dyn Fn() -> bool) -> Result<(), RealError> {
        let mut n = 0u32;
        while !th.done {
            n = n.wrapping_add(1);
            if n.is_multiple_of(1024) && cancelled() {
                return Err(RealError::Cancelled);
            }
            let mut state = self.state();
            if th.waits(&self.code, me, &state) {
                // A lock another thread holds: wait for it without the GIL
                // (CPython's acquire lets the GIL go while it blocks).
                drop(state);
                match &self.gil {
                    Some(gil) => {
                        gil.release(me);
                        std::thread::yield_now();
                        gil.acquire(me, cancelled)?;
                    }
                    None => std::hint::spin_loop(),
                }
                continue;
            }
            let checked = th.exec(&self.code, me, &mut state)?;
            drop(state);
            if let (true, Some(gil)) = (checked, &self.gil) {
                gil.yield_if_requested(me, cancelled)?;
            }
        }
        Ok(())
    }

    /// What the round counted (once every thread has finished).
    fn tally(&self, scenario: Scenario) -> Tally {
        let threads = self.args.len();
        scenario.tally(&self.state(), threads, self.iterations).unwrap_or(Tally { expected: 0, got: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    /// Runs `run` on real threads (natively: std's), every round.
    fn real(run: RealRun) -> RealResult {
        let rounds = run.rounds().unwrap_or_else(|e| panic!("{e:?}"));
        for round in &rounds {
            let barrier = Barrier::new(run.threads);
            std::thread::scope(|s| {
                for me in 0..run.threads {
                    let barrier = &barrier;
                    s.spawn(move || {
                        barrier.wait();
                        round.run_thread(me, &|| false).unwrap_or_else(|e| panic!("{e:?}"));
                    });
                }
            });
        }
        run.result(&rounds, 0.0)
    }

    fn run(scenario: Scenario, switching: Switching, interval_ms: f64) -> RealResult {
        real(RealRun { scenario, switching, threads: 2, interval_ms })
    }

    #[test]
    fn under_the_gil_the_bare_loop_loses_nothing_and_the_call_loses_many() {
        // A short interval: many switches in a short test.
        let bare = run(Scenario::Increment, Switching::Gil, 0.2);
        assert_eq!(bare.off(), 0, "{bare:?}");
        let call = run(Scenario::IncrementCall, Switching::Gil, 0.2);
        eprintln!("increment-call under the GIL: {call:?}");
        assert!(call.off() > 0, "{call:?}");
    }

    #[test]
    fn a_lock_and_an_append_lose_nothing_under_either_rule() {
        for switching in Switching::ALL {
            for s in [Scenario::WithLock, Scenario::Append] {
                let r = run(s, switching, 0.2);
                assert_eq!(r.off(), 0, "{s:?} {switching:?}: {r:?}");
                assert_eq!(r.tally.expected, 2 * LOOP_ITERATIONS as u64);
            }
        }
    }

    #[test]
    fn the_lock_orders_do_not_run_for_real() {
        let r =
            RealRun { scenario: Scenario::OppositeOrders, switching: Switching::Free, threads: 2, interval_ms: 5.0 };
        assert!(matches!(r.rounds(), Err(RealError::Refused(_))));
    }
}
