//! Everything that touches the browser — the only code here that does.
//! Thin adapters that drive the engine's state machines with real workers,
//! timers and memory:
//!
//! - `runner`: the `Lab` — the page's pools, "busy", Cancel — and one model
//!   run end to end; `experiments`: the tour's runs for each claim.
//! - `pools`: the process pool and the thread host as the page drives them,
//!   worker messaging, feature tests of shared memory, process start costs.
//! - `workers`: the code that runs inside the workers (a process, the
//!   thread host with its rayon threads).
//! - `page`: the page's address, storage and files; `lab_code`: the code
//!   of the views but the tour and of what runs a model, loaded apart
//!   (scripts/lab_split.py).
//! - `asyncio` (the page's own event loop), `clock`, `memory`, `page_data`
//!   (the parent's array of the moving-data runs), `features`.
//!
//! Everything platform-free is the `engine` crate; the components are `ui`.

pub(crate) mod asyncio;
pub(crate) mod clock;
pub(crate) mod experiments;
pub(crate) mod features;
pub(crate) mod lab_code;
pub(crate) mod memory;
pub(crate) mod page;
pub(crate) mod page_data;
pub(crate) mod pools;
pub(crate) mod runner;
// Public: the worker binaries start here.
pub mod workers;
