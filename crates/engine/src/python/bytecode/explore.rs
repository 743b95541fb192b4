//! Every interleaving of a scenario, counted: how many schedules there
//! are under a switching rule, and how many of them break the invariant.
//!
//! A schedule is the sequence of threads that run each instruction, from
//! the start to every thread's end. They are counted, not listed: the
//! number of ways to finish from a machine state depends on the state
//! alone, so each state is counted once (memoised by its hash). Two
//! threads of two iterations is thousands of schedules under free
//! threading and a few hundred states.

use super::scenarios::Scenario;
use super::{Code, Machine, StepError, Switching};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most machine states one exploration visits: about half a second
/// here, natively (4 threads × 1 iteration of free-threaded `counter += 1`
/// has 201,582 and took 2.4 s). A larger run is refused, not left to
/// freeze a worker.
pub const STATE_BUDGET: usize = 60_000;

/// What the exploration found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Schedules from the start to the end.
    pub schedules: u128,
    /// Of them, those that end with the invariant broken.
    pub bad: u128,
    /// Of them, those that end with every unfinished thread waiting for a
    /// lock another one holds (counted apart from `bad`).
    pub deadlocks: u128,
    /// Distinct machine states met.
    pub states: usize,
    /// One bad schedule (the thread of each step), to replay.
    pub example: Option<Vec<usize>>,
}

/// Why an exploration stopped without counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExploreError {
    /// More than this many states: too large a run to count here.
    TooManyStates(usize),
    /// More schedules than a `u128` holds.
    TooManySchedules,
    /// A step the code cannot take (a bug in a scenario).
    Step(String),
}

impl From<StepError> for ExploreError {
    fn from(e: StepError) -> Self {
        ExploreError::Step(e.to_string())
    }
}

/// Explores every schedule of `start` running `code`, visiting at most
/// `budget` states; `holds` judges a finished machine.
pub fn explore(
    code: &Code,
    start: &Machine,
    holds: &dyn Fn(&Machine) -> bool,
    budget: usize,
) -> Result<Counts, ExploreError> {
    let mut memo = HashMap::new();
    let Tally { schedules, bad, deadlocks } = count(code, start, holds, budget, &mut memo)?;
    let example = if bad + deadlocks > 0 { find_bad(code, start, holds, &memo)? } else { None };
    Ok(Counts { schedules, bad, deadlocks, states: memo.len(), example })
}

/// One cell of the page's table: a scenario under a switching rule,
/// counted for some threads and iterations, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountCell {
    pub scenario: Scenario,
    pub switching: Switching,
    pub counts: Result<Counts, ExploreError>,
}

/// The counts of `scenario` under `switching` in `cells`, if counted.
pub fn counted(cells: &[CountCell], scenario: Scenario, switching: Switching) -> Option<&Counts> {
    cells.iter().find(|c| c.scenario == scenario && c.switching == switching).and_then(|c| c.counts.as_ref().ok())
}

/// The table's cells, in order: each scenario under the GIL, then free.
pub fn cells() -> impl Iterator<Item = (Scenario, Switching)> {
    Scenario::ALL.into_iter().flat_map(|s| Switching::ALL.into_iter().map(move |w| (s, w)))
}

/// Counts one cell: `threads` threads of `iterations` each, within
/// [`STATE_BUDGET`].
pub fn count_cell(scenario: Scenario, switching: Switching, threads: usize, iterations: i64) -> CountCell {
    let counts = scenario.code().map_err(|e| ExploreError::Step(e.to_string())).and_then(|code| {
        let start = scenario.machine(&code, threads, iterations, switching);
        explore(&code, &start, &|m| scenario.holds(m, iterations), STATE_BUDGET)
    });
    CountCell { scenario, switching, counts }
}

/// Schedules from one state to the end, and the bad and deadlocked ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    schedules: u128,
    bad: u128,
    deadlocks: u128,
}

impl Tally {
    /// A state where nothing runs any more: finished, or deadlocked.
    fn end(code: &Code, m: &Machine, holds: &dyn Fn(&Machine) -> bool) -> Option<Tally> {
        if m.finished() {
            Some(Tally { schedules: 1, bad: u128::from(!holds(m)), deadlocks: 0 })
        } else if m.deadlocked(code) {
            Some(Tally { schedules: 1, bad: 0, deadlocks: 1 })
        } else {
            None
        }
    }

    fn add(self, o: Tally) -> Result<Tally, ExploreError> {
        let sum = |a: u128, b: u128| a.checked_add(b).ok_or(ExploreError::TooManySchedules);
        Ok(Tally {
            schedules: sum(self.schedules, o.schedules)?,
            bad: sum(self.bad, o.bad)?,
            deadlocks: sum(self.deadlocks, o.deadlocks)?,
        })
    }
}

fn count(
    code: &Code,
    m: &Machine,
    holds: &dyn Fn(&Machine) -> bool,
    budget: usize,
    memo: &mut HashMap<Machine, Tally>,
) -> Result<Tally, ExploreError> {
    if let Some(end) = Tally::end(code, m, holds) {
        return Ok(end);
    }
    if let Some(&c) = memo.get(m) {
        return Ok(c);
    }
    if memo.len() >= budget {
        return Err(ExploreError::TooManyStates(budget));
    }
    let mut total = Tally::default();
    for t in m.runnable(code) {
        let mut next = m.clone();
        next.step(code, t)?;
        total = total.add(count(code, &next, holds, budget, memo)?)?;
    }
    memo.insert(m.clone(), total);
    Ok(total)
}

/// A bad or deadlocking schedule, following the memo towards states that
/// still lead to one.
fn find_bad(
    code: &Code,
    start: &Machine,
    holds: &dyn Fn(&Machine) -> bool,
    memo: &HashMap<Machine, Tally>,
) -> Result<Option<Vec<usize>>, StepError> {
    let bad_below = |m: &Machine| {
        let t = Tally::end(code, m, holds).or_else(|| memo.get(m).copied()).unwrap_or_default();
        t.bad + t.deadlocks > 0
    };
    let mut m = start.clone();
    let mut path = Vec::new();
    while Tally::end(code, &m, holds).is_none() {
        let mut moved = false;
        for t in m.runnable(code) {
            let mut next = m.clone();
            next.step(code, t)?;
            if bad_below(&next) {
                path.push(t);
                m = next;
                moved = true;
                break;
            }
        }
        if !moved {
            return Ok(None);
        }
    }
    Ok(Some(path))
}
