//! The lab's code as the page sees it. In a release build the page's wasm
//! is two modules (scripts/lab_split.py): what draws the tour, and the code
//! of the other views — the lab, its demos, inside the interpreter — and of
//! everything that runs a model, which is fetched when first needed, or
//! earlier when the page is idle. (The tour's own wait for it, when a claim
//! is checked, is on its card: `ui::tour::state::CardState::LoadingCode`.)
//!
//! A sans-IO state machine: events in ([`CodeEvent`]), the load to start
//! out ([`LabCode::to_load`]); `ui::app` runs the load
//! (`web::lab_code`) and feeds back what happened. [`LoadError`] lives here,
//! not in `web`, because this state compiles natively for its tests.

/// Why the lab's code could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LoadError {
    /// The server no longer has this build's file: the site was updated
    /// while the page was open. Only a reload helps.
    Gone,
    /// Anything else (offline, a refused or corrupted response), with the
    /// browser's words.
    Failed(String),
}

/// Where the lab's code stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabCode {
    /// Not here, and not being fetched; `tried` loads so far (a failed
    /// fetch ahead comes back here).
    Missing { tried: u32 },
    /// Being fetched. `attempt` numbers the loads, so each is started once;
    /// `shown`: a view that needs the code is open (a failure is then
    /// shown), else it is fetched ahead.
    Loading { attempt: u32, shown: bool },
    /// Here: the views that need it can be drawn.
    Ready,
    /// Fetching it for an open view failed; a retry starts a new attempt.
    Failed { attempt: u32, error: LoadError },
}

/// What happens to the lab's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CodeEvent {
    /// A view that needs it was opened.
    Needed,
    /// The page is idle after its first view: fetch it ahead.
    Idle,
    /// The reader asked to try again after a failure.
    Retry,
    /// The code is here (this state's load or another's).
    Loaded,
    /// This state's load failed.
    LoadFailed(LoadError),
}

impl LabCode {
    /// The state after `event`.
    pub(crate) fn on(&self, event: CodeEvent) -> LabCode {
        use CodeEvent as E;
        use LabCode as C;
        let next = self.attempt().map_or(1, |a| a + 1);
        match (self, event) {
            (C::Ready, _) => C::Ready,
            // Here, whoever loaded it: this state's load, or the tour's
            // (a claim checked before the lab was opened), which also ends
            // a failure shown here.
            (_, E::Loaded) => C::Ready,
            (C::Missing { .. }, E::Needed) => C::Loading { attempt: next, shown: true },
            (C::Missing { .. }, E::Idle) => C::Loading { attempt: next, shown: false },
            // A view opened while the code is fetched ahead: the same load.
            (C::Loading { attempt, .. }, E::Needed) => C::Loading { attempt: *attempt, shown: true },
            (C::Loading { attempt, shown: true }, E::LoadFailed(error)) => C::Failed { attempt: *attempt, error },
            // Fetching ahead failed: nobody is waiting; opening a view tries again.
            (C::Loading { attempt, shown: false }, E::LoadFailed(_)) => C::Missing { tried: *attempt },
            (C::Failed { .. }, E::Retry) => C::Loading { attempt: next, shown: true },
            (state, _) => state.clone(),
        }
    }

    /// The number of the load in progress or last tried, if any.
    pub(crate) fn attempt(&self) -> Option<u32> {
        match self {
            LabCode::Loading { attempt, .. } | LabCode::Failed { attempt, .. } => Some(*attempt),
            LabCode::Missing { tried: 0 } | LabCode::Ready => None,
            LabCode::Missing { tried } => Some(*tried),
        }
    }

    /// The load to start now: the attempt of a `Loading` state.
    pub(crate) fn to_load(&self) -> Option<u32> {
        match self {
            LabCode::Loading { attempt, .. } => Some(*attempt),
            _ => None,
        }
    }

    /// Not loaded yet, nothing tried.
    pub(crate) fn new() -> Self {
        LabCode::Missing { tried: 0 }
    }

    pub(crate) fn ready(&self) -> bool {
        *self == LabCode::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::{CodeEvent as E, LabCode as C, LoadError};

    #[test]
    fn opening_a_view_loads_the_code_once() {
        let s = C::new().on(E::Needed);
        assert_eq!(s, C::Loading { attempt: 1, shown: true });
        assert_eq!(s.to_load(), Some(1));
        // Idle while loading starts nothing new.
        assert_eq!(s.on(E::Idle), s);
        assert_eq!(s.on(E::Loaded), C::Ready);
        assert!(s.on(E::Loaded).on(E::Needed).ready());
    }

    #[test]
    fn fetching_ahead_fails_quietly_and_opening_a_view_tries_again() {
        let ahead = C::new().on(E::Idle);
        assert_eq!(ahead, C::Loading { attempt: 1, shown: false });
        let quiet = ahead.on(E::LoadFailed(LoadError::Failed("offline".into())));
        assert_eq!(quiet, C::Missing { tried: 1 });
        // The next load is a new attempt, so it is started.
        assert_eq!(quiet.on(E::Needed).to_load(), Some(2));
        // A view opened during the prefetch waits for that same load…
        assert_eq!(ahead.on(E::Needed), C::Loading { attempt: 1, shown: true });
        // …and a failure is then shown.
        let failed = ahead.on(E::Needed).on(E::LoadFailed(LoadError::Gone));
        assert_eq!(failed, C::Failed { attempt: 1, error: LoadError::Gone });
        assert_eq!(failed.to_load(), None);
    }

    #[test]
    fn a_retry_is_a_new_attempt() {
        let failed = C::Failed { attempt: 3, error: LoadError::Failed("503".into()) };
        // Opening the view again shows the failure; only Retry loads again.
        assert_eq!(failed.on(E::Needed), failed);
        assert_eq!(failed.on(E::Retry), C::Loading { attempt: 4, shown: true });
        assert_eq!(failed.on(E::Retry).to_load(), Some(4));
    }

    #[test]
    fn code_the_tour_loaded_ends_a_failure_and_a_wait() {
        // The lab's load failed, then a claim checked on the tour loaded
        // the code: the lab is drawn, with no Retry needed.
        let failed = C::Failed { attempt: 1, error: LoadError::Failed("offline".into()) };
        assert!(failed.on(E::Loaded).ready());
        // Nothing tried yet here, or fetched ahead: the same.
        assert!(C::new().on(E::Loaded).ready());
        assert!(C::new().on(E::Idle).on(E::Loaded).ready());
    }
}
