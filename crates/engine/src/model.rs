//! The concurrency models the page can run, and the work-allocation
//! strategies they share. Only metadata lives here; how each model really
//! runs is in `crate::web::runner`.

use serde::{Deserialize, Serialize};

crate::named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Model {
        /// One worker, one task after another (the baseline).
        Sequential = "sequential",
        /// The same real threads, but every CPU step must hold one global lock
        /// handed over on a switch interval: CPython's GIL.
        GilThreads = "gil",
        /// Real threads sharing one memory (rayon over wasm-bindgen-rayon), no
        /// lock around the interpreter: like free-threaded CPython 3.13t/3.14t.
        /// On I/O work each thread blocks while it waits.
        Threads = "threads",
        /// Separate-memory workers that only talk by messages: like
        /// `multiprocessing` / `ProcessPoolExecutor`.
        Processes = "processes",
        /// One thread, one event loop, cooperative tasks on timers: `asyncio`.
        Asyncio = "asyncio",
    }
}

impl Model {
    /// Whether the model runs on the shared-memory thread pool, which needs
    /// a cross-origin isolated page.
    pub fn needs_shared_memory(self) -> bool {
        matches!(self, Model::Threads | Model::GilThreads)
    }

    /// Whether the reader's worker count applies (the others use one).
    pub fn uses_worker_count(self) -> bool {
        matches!(self, Model::Threads | Model::GilThreads | Model::Processes)
    }

    /// Whether the allocation strategy applies.
    pub fn uses_strategy(self) -> bool {
        self.uses_worker_count()
    }
}

/// How tasks are handed to workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    /// Split up front: worker `i` gets tasks `i, i+N, i+2N…` (`data[i::N]`).
    Static,
    /// A shared queue: an idle worker takes the next `chunk` tasks
    /// (a `queue.Queue` worker loop; `Pool.imap` with `chunksize`).
    Dynamic { chunk: usize },
}

impl Strategy {
    pub fn id(self) -> &'static str {
        match self {
            Strategy::Static => "static",
            Strategy::Dynamic { .. } => "dynamic",
        }
    }

    pub fn title(self) -> String {
        match self {
            Strategy::Static => "static slices".to_owned(),
            Strategy::Dynamic { chunk } => format!("shared queue, chunk {chunk}"),
        }
    }
}

crate::named_enum! {
    /// What the lab is busy with: exactly one at a time, whichever button
    /// started it (see `web::runner::Lab::begin`).
    /// Its id is the page's `data-busy` (the tests read that).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Activity {
        /// One model (Run).
        Run = "run",
        /// Every model on the same workload (Run all models).
        RunAll = "run-all",
        /// One model at growing worker counts (Scaling sweep).
        Sweep = "sweep",
        /// Every model at every CPU share of mixed tasks (the crossover map).
        Crossover = "crossover",
        /// The convoy-effect measurements.
        Convoy = "convoy",
        /// The deadlock demo and its two fixes.
        Deadlock = "deadlock",
        /// What a process costs: memory, start-up, moving data.
        Costs = "costs",
        /// The race-condition demo.
        Race = "race",
        /// The tour of claims (one claim, or Check all).
        Tour = "tour",
        /// Inside the interpreter: every interleaving, counted.
        Explore = "explore",
        /// Inside the interpreter: the scenarios on real threads.
        RealRace = "real-race",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for m in Model::ALL {
            assert_eq!(Model::from_id(m.id()), Some(m));
        }
        assert_eq!(Model::from_id("fibers"), None);
        let ids: std::collections::HashSet<&str> = [
            Activity::Run,
            Activity::RunAll,
            Activity::Sweep,
            Activity::Crossover,
            Activity::Convoy,
            Activity::Deadlock,
            Activity::Costs,
            Activity::Race,
            Activity::Tour,
        ]
        .iter()
        .map(|a| a.id())
        .collect();
        assert_eq!(ids.len(), 9);
    }
}
