//! Every interleaving of a scenario, counted: how many schedules there
//! are under a switching rule, and how many of them break the invariant.
//!
//! A schedule is the sequence of threads that run each instruction, from
//! the start to every thread's end. They are counted, not listed: the
//! number of ways to finish from a machine state depends on the state
//! alone, so each state is counted once (memoised by its hash). Two
//! threads of two iterations is thousands of schedules under free
//! threading and a few hundred states.

use super::{Code, Machine, StepError};
use std::collections::HashMap;

/// What the exploration found.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Explores every schedule of `start` running `code`; `holds` judges a
/// finished machine. A step the code cannot take is an error.
pub fn explore(code: &Code, start: &Machine, holds: &dyn Fn(&Machine) -> bool) -> Result<Counts, StepError> {
    let mut memo = HashMap::new();
    let Tally { schedules, bad, deadlocks } = count(code, start, holds, &mut memo)?;
    let example = if bad + deadlocks > 0 { find_bad(code, start, holds, &memo)? } else { None };
    Ok(Counts { schedules, bad, deadlocks, states: memo.len(), example })
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

    fn add(self, o: Tally) -> Tally {
        Tally {
            schedules: self.schedules + o.schedules,
            bad: self.bad + o.bad,
            deadlocks: self.deadlocks + o.deadlocks,
        }
    }
}

fn count(
    code: &Code,
    m: &Machine,
    holds: &dyn Fn(&Machine) -> bool,
    memo: &mut HashMap<Machine, Tally>,
) -> Result<Tally, StepError> {
    if let Some(end) = Tally::end(code, m, holds) {
        return Ok(end);
    }
    if let Some(&c) = memo.get(m) {
        return Ok(c);
    }
    let mut total = Tally::default();
    for t in m.runnable(code) {
        let mut next = m.clone();
        next.step(code, t)?;
        total = total.add(count(code, &next, holds, memo)?);
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
