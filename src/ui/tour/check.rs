//! Checking claims: measures the page's cores and calibrates (once per
//! page), then runs each claim in turn under the tour's busy guard and
//! tells the tour's reducer what happened. And reading another machine's
//! export.
//!
//! Its own module because it belongs to the lab's code, the second half of
//! the page's wasm (scripts/lab_split.py names `ui::tour::check` with the
//! runner): the tour is drawn without it, and `view::start` calls it only
//! once that code is here (`view::import` likewise calls `import`). Both
//! hand back a boxed future: wasm-opt inlines every function that has one
//! caller, whatever `#[inline(never)]` says, but never a call through a
//! vtable. So their bodies stay functions of their own, which can move.

use crate::ui::state::EnvInfo;
use crate::ui::tour::state::ImportProblem;
use crate::ui::tour::state::{TourAction, TourState};
use crate::web::experiments::{calibrate, run_claim, TourEnv};
use crate::web::runner::BusyGuard;
use engine::tour::claims::{Calibration, Claim};
use engine::tour::export;
use engine::RunError;
use futures::future::LocalBoxFuture;
use yew::prelude::*;

/// What to check.
pub(crate) struct Check {
    pub(crate) claims: Vec<Claim>,
    /// "Check all claims": the tour's progress and summary follow it.
    pub(crate) check_all: bool,
    /// This page's calibration, if it has one already.
    pub(crate) calibration: Option<Calibration>,
    pub(crate) env: EnvInfo,
}

/// Runs `check` holding `guard` to the end.
pub(crate) fn run(
    check: Check,
    mut guard: BusyGuard,
    dispatcher: UseReducerDispatcher<TourState>,
    on_cores: Callback<usize>,
) -> LocalBoxFuture<'static, ()> {
    Box::pin(async move {
        let Check { claims, check_all, calibration, env } = check;
        let first = claims.first().copied();
        if let Some(c) = first {
            dispatcher.dispatch(TourAction::Progress(c, 0, 1));
        }
        if check_all {
            dispatcher.dispatch(TourAction::CheckAll(Some(0)));
        }
        // Claims are sized from the cores the page really gets, not from
        // the browser's figure (WebKit says 4 on a 2-core machine). If the
        // probe cannot run, the processes it needs cannot either: the
        // claims will say so themselves.
        let cores = match guard.measure_cores(env.core_count.reported).await {
            Ok(Some(n)) => {
                on_cores.emit(n);
                n
            }
            Err(RunError::Cancelled) => {
                if let Some(c) = first {
                    dispatcher.dispatch(TourAction::Finished(c, Box::new(Err(RunError::Cancelled))));
                }
                dispatcher.dispatch(TourAction::CheckAll(None));
                return;
            }
            Ok(None) | Err(_) => env.cores(),
        };
        let tour_env = TourEnv { cores, isolated: env.isolated };
        let cal = match calibration {
            Some(c) => Ok(c),
            None => calibrate(&mut guard).await,
        };
        let cal = match cal {
            Ok(c) => {
                dispatcher.dispatch(TourAction::Calibrated(c));
                c
            }
            Err(e) => {
                if let Some(c) = first {
                    dispatcher.dispatch(TourAction::Finished(c, Box::new(Err(e))));
                }
                dispatcher.dispatch(TourAction::CheckAll(None));
                return;
            }
        };
        for (i, claim) in claims.into_iter().enumerate() {
            if check_all {
                dispatcher.dispatch(TourAction::CheckAll(Some(i)));
            }
            let d = dispatcher.clone();
            let progress = move |done: usize, steps: usize| d.dispatch(TourAction::Progress(claim, done, steps));
            let result = run_claim(claim, &mut guard, tour_env, &cal, &progress).await;
            let cancelled = matches!(result, Err(RunError::Cancelled));
            dispatcher.dispatch(TourAction::Finished(claim, Box::new(result)));
            if cancelled {
                break;
            }
        }
        if check_all {
            dispatcher.dispatch(TourAction::CheckDone);
        }
        drop(guard);
    })
}

/// Reads `text` as a tour export: what the tour shows next.
pub(crate) fn import(text: String) -> LocalBoxFuture<'static, TourAction> {
    Box::pin(async move {
        match export::parse(&text) {
            Ok(imported) => TourAction::Imported(imported),
            Err(e) => TourAction::ImportFailed(ImportProblem::File(e)),
        }
    })
}
