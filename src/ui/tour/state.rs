//! The tour's state and its reducer: each card's state (idle, waiting for
//! the lab's code, running, done with its result, or failed), the calibration, the progress of
//! "Check all claims", and the machine imported for comparison. Results are
//! shared by pointer (`Shared`), so an action copies a few pointers.

use crate::ui::state::{LoadError, Shared};
use engine::tour::claims::{Calibration, Claim, Verdict};
use engine::tour::export::{ClaimResult, ImportError, Imported, Machine};
use engine::RunError;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::Reducible;

/// Why an export is not shown beside this machine's results.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ImportProblem {
    /// The file was refused (or could not be read).
    File(ImportError),
    /// The lab's code, which reads an export, could not be loaded.
    Code(LoadError),
}

impl From<ImportError> for ImportProblem {
    fn from(e: ImportError) -> Self {
        ImportProblem::File(e)
    }
}

/// One card.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CardState {
    Idle,
    /// Waiting for the lab's code, which runs the claims (`web::lab_code`).
    LoadingCode,
    /// The lab's code could not be loaded: nothing ran.
    NoCode(LoadError),
    /// (steps done, steps in all)
    Running(usize, usize),
    Done(Shared<ClaimResult>),
    Failed(RunError),
}

/// The other machine's results.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Other {
    pub(crate) machine: Machine,
    pub(crate) results: BTreeMap<Claim, Shared<ClaimResult>>,
    /// Claims of the file this page does not know.
    pub(crate) skipped: usize,
}

/// How many claims hold, do not, or are inconclusive (failed runs count as
/// inconclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Tally {
    pub(crate) holds: usize,
    pub(crate) does_not: usize,
    pub(crate) inconclusive: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct TourState {
    pub(crate) cards: BTreeMap<Claim, CardState>,
    pub(crate) calibration: Option<Calibration>,
    /// "Check all claims": the index of the claim running now.
    pub(crate) checking: Option<usize>,
    /// Whether a "Check all claims" has finished (the summary shows).
    pub(crate) checked: bool,
    pub(crate) other: Option<Shared<Other>>,
    pub(crate) import_problem: Option<ImportProblem>,
}

pub(crate) enum TourAction {
    /// The claim waits for the lab's code before it can run.
    LoadingCode(Claim),
    /// The lab's code could not be loaded, so the claim did not run.
    CodeFailed(Claim, LoadError),
    Calibrated(Calibration),
    Progress(Claim, usize, usize),
    Finished(Claim, Box<Result<ClaimResult, RunError>>),
    CheckAll(Option<usize>),
    CheckDone,
    Imported(Imported),
    ImportFailed(ImportProblem),
}

impl TourState {
    pub(crate) fn card(&self, c: Claim) -> CardState {
        self.cards.get(&c).cloned().unwrap_or(CardState::Idle)
    }

    pub(crate) fn results(&self) -> Vec<ClaimResult> {
        self.cards
            .values()
            .filter_map(|s| match s {
                CardState::Done(r) => Some((**r).clone()),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for s in self.cards.values() {
            match s {
                CardState::Done(r) => match r.verdict {
                    Verdict::Holds => t.holds += 1,
                    Verdict::DoesNotHold => t.does_not += 1,
                    Verdict::Inconclusive { .. } => t.inconclusive += 1,
                },
                CardState::Failed(_) => t.inconclusive += 1,
                _ => {}
            }
        }
        t
    }
}

impl Reducible for TourState {
    type Action = TourAction;

    fn reduce(self: Rc<Self>, action: TourAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            TourAction::LoadingCode(c) => {
                s.cards.insert(c, CardState::LoadingCode);
            }
            TourAction::CodeFailed(c, e) => {
                s.cards.insert(c, CardState::NoCode(e));
            }
            TourAction::Calibrated(c) => s.calibration = Some(c),
            TourAction::Progress(c, done, steps) => {
                s.cards.insert(c, CardState::Running(done, steps));
            }
            TourAction::Finished(c, result) => {
                let state = match *result {
                    Ok(r) => CardState::Done(Shared::new(r)),
                    Err(e) => CardState::Failed(e),
                };
                s.cards.insert(c, state);
            }
            TourAction::CheckAll(at) => {
                if at == Some(0) {
                    s.checked = false;
                }
                s.checking = at;
            }
            TourAction::CheckDone => {
                s.checking = None;
                s.checked = true;
            }
            TourAction::Imported(i) => {
                // Inserted one by one, not `collect`ed: a BTreeMap built from
                // an iterator sorts it first, a whole sort in the page's wasm
                // for this one type (the export is in the tour's order already).
                let mut results = BTreeMap::new();
                for r in i.export.results {
                    results.insert(r.claim(), Shared::new(r));
                }
                s.other = Some(Shared::new(Other { machine: i.export.machine, results, skipped: i.skipped }));
                s.import_problem = None;
            }
            // A refused file changes nothing but the message.
            TourAction::ImportFailed(p) => s.import_problem = Some(p),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::settings::RawSettings;
    use engine::tour::claims::{Measured, RaceLock};
    use engine::tour::export::TourExport;

    /// The race claim's result: it holds when the unlocked counter lost
    /// updates and the locked one none.
    fn race(lost_unlocked: u64) -> ClaimResult {
        let m = RaceLock { workers: 2, expected: 20, lost_unlocked, lost_locked: 0 };
        ClaimResult::judge(Measured::RaceLock(m), 2, false, RawSettings::defaults(2), 10.0)
    }

    fn apply(s: TourState, actions: impl IntoIterator<Item = TourAction>) -> Rc<TourState> {
        actions.into_iter().fold(Rc::new(s), |s, a| s.reduce(a))
    }

    #[test]
    fn cards_go_from_idle_through_progress_to_a_result_or_a_failure() {
        let s = TourState::default();
        assert_eq!(s.card(Claim::RaceLock), CardState::Idle);
        let s = apply(s, [TourAction::Progress(Claim::RaceLock, 1, 2)]);
        assert_eq!(s.card(Claim::RaceLock), CardState::Running(1, 2));
        let s = apply(
            (*s).clone(),
            [
                TourAction::Finished(Claim::RaceLock, Box::new(Ok(race(3)))),
                TourAction::Finished(Claim::Deadlock, Box::new(Err(RunError::Cancelled))),
            ],
        );
        assert!(matches!(s.card(Claim::RaceLock), CardState::Done(r) if r.verdict == Verdict::Holds));
        assert_eq!(s.card(Claim::Deadlock), CardState::Failed(RunError::Cancelled));
        assert_eq!(s.results().len(), 1, "only finished results export");
        // A failed card counts as inconclusive: no verdict is claimed for it.
        assert_eq!(s.tally(), Tally { holds: 1, does_not: 0, inconclusive: 1 });
        let s = s.reduce(TourAction::Finished(Claim::RaceLock, Box::new(Ok(race(0)))));
        assert_eq!(s.tally(), Tally { holds: 0, does_not: 1, inconclusive: 1 });
    }

    #[test]
    fn a_claim_waits_for_the_lab_code_and_a_failed_load_is_no_verdict() {
        let s = apply(TourState::default(), [TourAction::LoadingCode(Claim::RaceLock)]);
        assert_eq!(s.card(Claim::RaceLock), CardState::LoadingCode);
        let s = s.reduce(TourAction::CodeFailed(Claim::RaceLock, LoadError::Gone));
        assert_eq!(s.card(Claim::RaceLock), CardState::NoCode(LoadError::Gone));
        // Nothing was measured: no result to export, and no verdict counted.
        assert!(s.results().is_empty());
        assert_eq!(s.tally(), Tally::default());
        // Run again: it waits for the code again, then runs.
        let s = apply(
            (*s).clone(),
            [TourAction::LoadingCode(Claim::RaceLock), TourAction::Progress(Claim::RaceLock, 0, 2)],
        );
        assert_eq!(s.card(Claim::RaceLock), CardState::Running(0, 2));
    }

    #[test]
    fn check_all_hides_the_old_summary_until_it_is_done() {
        let s = apply(TourState::default(), [TourAction::CheckAll(Some(0)), TourAction::CheckDone]);
        assert!(s.checked && s.checking.is_none());
        let s = s.reduce(TourAction::CheckAll(Some(0)));
        assert!(!s.checked, "a new round clears the summary");
        let s = s.reduce(TourAction::CheckAll(Some(5)));
        assert_eq!((s.checking, s.checked), (Some(5), false));
    }

    #[test]
    fn an_import_shows_beside_and_a_refused_one_changes_nothing_but_the_message() {
        let machine = Machine {
            cores: 8,
            reported_cores: Some(8),
            user_agent: "Mozilla/5.0 Firefox/153.0".into(),
            isolated: true,
        };
        let export = TourExport::new(machine.clone(), None, vec![race(5)]);
        let s = apply(TourState::default(), [TourAction::Imported(Imported { export, skipped: 2 })]);
        let other = s.other.clone().unwrap_or_else(|| panic!("the import is shown"));
        assert_eq!((other.machine.cores, other.skipped, other.results.len()), (8, 2, 1));
        assert!(other.results.contains_key(&Claim::RaceLock));
        let refused = s.clone().reduce(TourAction::ImportFailed(ImportError::Foreign.into()));
        assert_eq!(refused.import_problem, Some(ImportProblem::File(ImportError::Foreign)));
        assert_eq!(refused.other, s.other, "the comparison on screen stays");
        let offline = s.clone().reduce(TourAction::ImportFailed(ImportProblem::Code(LoadError::Gone)));
        assert_eq!((&offline.import_problem, &offline.other), (&Some(ImportProblem::Code(LoadError::Gone)), &s.other));
        // The next good import clears the message.
        let export = TourExport::new(machine, None, vec![race(5)]);
        let again = refused.reduce(TourAction::Imported(Imported { export, skipped: 0 }));
        assert_eq!(again.import_problem, None);
    }
}
