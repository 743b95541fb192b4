//! The tour's state and its reducer: each card's state (idle, running,
//! done with its result, or failed), the calibration, the progress of
//! "Check all claims", and the machine imported for comparison. Results are
//! shared by pointer (`Shared`), so an action copies a few pointers.

use crate::engine::claims::{Calibration, Claim, Verdict};
use crate::engine::tour_export::{ClaimResult, Imported, Machine};
use crate::engine::RunError;
use crate::ui::state::Shared;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::Reducible;

/// One card.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CardState {
    Idle,
    /// (steps done, steps in all)
    Running(usize, usize),
    Done(Shared<ClaimResult>),
    Failed(RunError),
}

/// Why the last import was refused (the message is built per language).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ImportProblem {
    Read(crate::web::file_read::ReadError),
    Parse(crate::engine::tour_export::ImportError),
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
                let results = i.export.results.into_iter().map(|r| (r.claim(), Shared::new(r))).collect();
                s.other = Some(Shared::new(Other { machine: i.export.machine, results, skipped: i.skipped }));
                s.import_problem = None;
            }
            // A refused file changes nothing but the message.
            TourAction::ImportFailed(p) => s.import_problem = Some(p),
        }
        Rc::new(s)
    }
}
