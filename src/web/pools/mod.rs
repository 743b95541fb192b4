//! The pools as the page drives them: real Web Workers started,
//! messaged and terminated as the engine's state machines
//! (`engine::pools`) say — the separate-memory "processes"
//! (`processes`), the shared-memory thread host (`threads`) — with the
//! typed messaging both use (`messaging`) and what a fresh process costs
//! to start (`start`).

pub(crate) mod messaging;
pub(crate) mod processes;
pub(crate) mod start;
pub(crate) mod threads;
