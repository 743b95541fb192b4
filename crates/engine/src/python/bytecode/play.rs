//! The reader as the scheduler: a schedule is the thread that runs each
//! instruction, in order. It is replayed from the start on every change
//! (a few hundred steps at most), so undo is "one pick fewer" and a link
//! holds the whole game.
//!
//! In a link a schedule is written with threads counted from 1 and runs
//! shortened: `1x9.2.1x3` is thread 1 nine times, thread 2 once, thread 1
//! three times (only unreserved URL characters, so it stays readable).

use super::scenarios::Scenario;
use super::{Code, Machine, StepError, Switching};
use crate::error::Problem;

/// The longest schedule a link may hold: far more than any scenario at the
/// largest settings needs (4 threads × 3 iterations of the longest loop is
/// under 400 steps).
pub const MAX_STEPS: usize = 2_000;

/// One game: a scenario on some threads under a switching rule, and the
/// picks so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    pub scenario: Scenario,
    pub switching: Switching,
    pub threads: usize,
    pub iterations: i64,
    /// The thread of each step so far, from 0.
    pub picks: Vec<usize>,
}

/// One step taken: the thread and the instruction (its index) it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub thread: usize,
    pub instr: usize,
}

/// A game replayed: the code, where the threads are, and every step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub code: Code,
    pub machine: Machine,
    pub steps: Vec<Step>,
}

/// Why a schedule cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayError {
    /// The scenario's listing did not read (a bug: every listing is read in
    /// the native tests).
    Listing(String),
    /// Step `step` (from 1) asked for a thread the machine would not run.
    Refused { step: usize, thread: usize, why: StepError },
}

impl ReplayError {
    /// The reader's message for the schedule field.
    pub fn problem(&self) -> Problem {
        match self {
            ReplayError::Listing(why) => Problem::Unknown { text: why.clone() },
            ReplayError::Refused { step, thread, why: StepError::NotASwitchPoint { holder } } => {
                Problem::NotASwitchPoint { step: *step as u64, thread: *thread as u64 + 1, holder: *holder as u64 + 1 }
            }
            ReplayError::Refused { step, thread, .. } => {
                Problem::CannotRun { step: *step as u64, thread: *thread as u64 + 1 }
            }
        }
    }
}

/// Why a thread cannot run the next instruction now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    Finished,
    /// It is at a `with` on a lock another thread holds.
    WaitsForLock,
    /// Another thread holds the GIL between two eval-breaker checks.
    GilHeldBy(usize),
}

/// How a game ended, if it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every thread finished and the invariant held.
    Kept,
    /// Every thread finished and the invariant broke.
    Broken,
    /// Every unfinished thread waits for a lock another one holds.
    Deadlock,
}

impl Replayed {
    /// Why thread `t` cannot run now (`None`: it can).
    pub fn blocked(&self, t: usize) -> Option<Blocked> {
        let m = &self.machine;
        if m.threads.get(t).is_none_or(|th| th.done) {
            return Some(Blocked::Finished);
        }
        if m.waits(&self.code, t) {
            return Some(Blocked::WaitsForLock);
        }
        match m.holder {
            Some(h) if h != t && m.runnable(&self.code) == [h] => Some(Blocked::GilHeldBy(h)),
            _ => None,
        }
    }

    /// How the game ended, judged by `play`'s invariant.
    pub fn end(&self, play: &Play) -> Option<End> {
        if self.machine.finished() {
            Some(if play.holds(&self.machine) { End::Kept } else { End::Broken })
        } else if self.machine.deadlocked(&self.code) {
            Some(End::Deadlock)
        } else {
            None
        }
    }
}

impl Play {
    /// The machine before the first step.
    pub fn start(&self, code: &Code) -> Machine {
        self.scenario.machine(code, self.threads, self.iterations, self.switching)
    }

    /// Plays every pick from the start; the first refused one is an error.
    pub fn replay(&self) -> Result<Replayed, ReplayError> {
        let code = self.scenario.code().map_err(|e| ReplayError::Listing(e.to_string()))?;
        let mut machine = self.start(&code);
        let mut steps = Vec::with_capacity(self.picks.len());
        for (i, &thread) in self.picks.iter().enumerate() {
            let instr = machine.threads.get(thread).map_or(0, |t| t.pc);
            machine.step(&code, thread).map_err(|why| ReplayError::Refused { step: i + 1, thread, why })?;
            steps.push(Step { thread, instr });
        }
        Ok(Replayed { code, machine, steps })
    }

    /// Whether the finished (or stuck) game kept the scenario's invariant.
    pub fn holds(&self, m: &Machine) -> bool {
        self.scenario.holds(m, self.iterations)
    }
}

/// Reads a schedule written as in links (`1x9.2.1x3`; empty: no step yet)
/// for `threads` threads.
pub fn parse_schedule(text: &str, threads: usize) -> Result<Vec<usize>, Problem> {
    let mut picks = Vec::new();
    let bad = |part: &str| Problem::BadStep { text: part.chars().take(16).collect(), threads: threads as u64 };
    for part in text.trim().split('.').filter(|p| !p.is_empty()) {
        let (thread, times) = match part.split_once('x') {
            Some((t, n)) => (t, n.parse::<usize>().map_err(|_| bad(part))?),
            None => (part, 1),
        };
        let thread = thread.parse::<usize>().map_err(|_| bad(part))?;
        if thread == 0 || thread > threads || times == 0 {
            return Err(bad(part));
        }
        if picks.len() + times > MAX_STEPS {
            return Err(Problem::TooManySteps { max: MAX_STEPS as u64 });
        }
        picks.extend(std::iter::repeat_n(thread - 1, times));
    }
    Ok(picks)
}

/// A schedule as links write it (threads from 1, runs as `NxK`).
pub fn schedule_text(picks: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < picks.len() {
        let run = picks[i..].iter().take_while(|&&t| t == picks[i]).count();
        parts.push(if run == 1 { format!("{}", picks[i] + 1) } else { format!("{}x{run}", picks[i] + 1) });
        i += run;
    }
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_reads_back_as_written() {
        let picks = vec![0, 0, 0, 1, 0, 1, 1];
        assert_eq!(schedule_text(&picks), "1x3.2.1.2x2");
        assert_eq!(parse_schedule("1x3.2.1.2x2", 2), Ok(picks));
        assert_eq!(parse_schedule("", 2), Ok(vec![]));
        assert!(matches!(parse_schedule("3", 2), Err(Problem::BadStep { .. })));
        assert!(matches!(parse_schedule("1x0", 2), Err(Problem::BadStep { .. })));
        assert!(matches!(parse_schedule("a.b", 2), Err(Problem::BadStep { .. })));
        assert!(matches!(parse_schedule("1x99999", 2), Err(Problem::TooManySteps { .. })));
    }

    #[test]
    fn a_switch_the_gil_would_not_make_is_refused_with_the_step() {
        // Thread 1 up to its read of `counter` (9 steps), then thread 2.
        let play = Play {
            scenario: Scenario::Increment,
            switching: Switching::Gil,
            threads: 2,
            iterations: 1,
            picks: parse_schedule("1x9.2", 2).unwrap_or_default(),
        };
        let e = play.replay().err();
        assert_eq!(
            e.as_ref().map(ReplayError::problem),
            Some(Problem::NotASwitchPoint { step: 10, thread: 2, holder: 1 })
        );
        // Free threads take it, and the replay says which instruction ran.
        let free = Play { switching: Switching::Free, ..play };
        let r = free.replay().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.steps.last(), Some(&Step { thread: 1, instr: 0 }));
        assert_eq!(r.machine.threads[0].pc, 9);
    }

    #[test]
    fn the_game_says_why_a_thread_waits_and_how_it_ended() {
        let mut play = Play {
            scenario: Scenario::Increment,
            switching: Switching::Gil,
            threads: 2,
            iterations: 1,
            picks: parse_schedule("1x9", 2).unwrap_or_default(),
        };
        let r = play.replay().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.blocked(0), r.blocked(1)), (None, Some(Blocked::GilHeldBy(0))));
        assert_eq!(r.end(&play), None);
        // Thread 1 to its end (16 steps), then thread 2: nothing lost.
        play.picks = parse_schedule("1x16.2x16", 2).unwrap_or_default();
        let r = play.replay().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.blocked(0), r.end(&play)), (Some(Blocked::Finished), Some(End::Kept)));
        // Free threads: both read 0, both write 1.
        play.switching = Switching::Free;
        play.picks = parse_schedule("1x9.2x9.1x7.2x7", 2).unwrap_or_default();
        let r = play.replay().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.end(&play), Some(End::Broken));
        // Opposite lock orders: the deadlock the explorer finds, replayed.
        let locks = Play {
            scenario: Scenario::OppositeOrders,
            switching: Switching::Free,
            threads: 2,
            iterations: 1,
            picks: Vec::new(),
        };
        let code = locks.scenario.code().unwrap_or_else(|e| panic!("{e}"));
        let start = locks.start(&code);
        let found = super::super::explore::explore(&code, &start, &|m| locks.holds(m), usize::MAX);
        let picks = found.ok().and_then(|c| c.example).unwrap_or_default();
        let game = Play { picks, ..locks };
        let r = game.replay().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.blocked(0), r.blocked(1)), (Some(Blocked::WaitsForLock), Some(Blocked::WaitsForLock)));
        assert_eq!(r.end(&game), Some(End::Deadlock));
    }
}
