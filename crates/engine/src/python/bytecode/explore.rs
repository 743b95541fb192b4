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
    /// Distinct machine states met.
    pub states: usize,
    /// One bad schedule (the thread of each step), to replay.
    pub example: Option<Vec<usize>>,
}

/// Explores every schedule of `start` running `code`; `holds` judges a
/// finished machine. A step the code cannot take is an error.
pub fn explore(code: &Code, start: &Machine, holds: &dyn Fn(&Machine) -> bool) -> Result<Counts, StepError> {
    let mut memo = HashMap::new();
    let (schedules, bad) = count(code, start, holds, &mut memo)?;
    let example = if bad > 0 { find_bad(code, start, holds, &memo)? } else { None };
    Ok(Counts { schedules, bad, states: memo.len(), example })
}

fn count(
    code: &Code,
    m: &Machine,
    holds: &dyn Fn(&Machine) -> bool,
    memo: &mut HashMap<Machine, (u128, u128)>,
) -> Result<(u128, u128), StepError> {
    if m.finished() {
        return Ok((1, u128::from(!holds(m))));
    }
    if let Some(&c) = memo.get(m) {
        return Ok(c);
    }
    let mut total = (0, 0);
    for t in m.runnable() {
        let mut next = m.clone();
        next.step(code, t)?;
        let (s, b) = count(code, &next, holds, memo)?;
        total = (total.0 + s, total.1 + b);
    }
    memo.insert(m.clone(), total);
    Ok(total)
}

/// A bad schedule, following the memo towards states that still have one.
fn find_bad(
    code: &Code,
    start: &Machine,
    holds: &dyn Fn(&Machine) -> bool,
    memo: &HashMap<Machine, (u128, u128)>,
) -> Result<Option<Vec<usize>>, StepError> {
    let bad_below = |m: &Machine| if m.finished() { !holds(m) } else { memo.get(m).is_some_and(|c| c.1 > 0) };
    let mut m = start.clone();
    let mut path = Vec::new();
    while !m.finished() {
        let mut moved = false;
        for t in m.runnable() {
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
