//! The asyncio model: coroutines on one event loop, driven by the browser's
//! timers (gloo-timers). Simulated I/O is a timer the coroutine awaits, so
//! all waits overlap on one thread. CPU work has no await point, so a
//! coroutine that computes holds the loop until it is done; a heartbeat
//! timer measures how long the loop went without turning.
//!
//! I/O runs on the page's own event loop. CPU work under asyncio runs this
//! same loop inside a worker (see `process_worker`), so the lesson — the
//! loop is blocked — is shown without freezing the page.

use crate::web::clock::now_ms;
use engine::analysis::report::{RunData, Segment, SegmentState, TaskFailure, TaskOutcome};
use engine::error::CrashCause;
use engine::work::workload::Task;
use futures::future::join_all;
use gloo_timers::future::TimeoutFuture;
use std::cell::Cell;
use std::rc::Rc;

/// Heartbeat period of the loop monitor (setTimeout's floor is 4 ms).
const HEARTBEAT_MS: u32 = 4;

/// What a task computes once its wait is over.
///
/// A fn pointer rather than `Task::compute` called here, because of who
/// links what: the page's loop is only ever given I/O tasks (the runner
/// sends CPU work to a worker) and passes [`io_answer`], so the page's wasm
/// carries no kernel (SHA-256 and the rest were 2 KB of its gzip); a
/// process worker passes [`compute`].
pub(crate) type Compute = fn(&Task) -> u64;

/// The task's CPU kernel, run to the end. No cancel flag: a process is
/// cancelled by terminating it, and a coroutine's CPU part cannot be
/// interrupted (it never awaits).
pub(crate) fn compute(task: &Task) -> u64 {
    task.compute(&|| false).unwrap_or(0)
}

/// The answer of a simulated I/O call, which computes nothing: what
/// `Task::compute` returns for it, without linking the kernels.
pub(crate) fn io_answer(task: &Task) -> u64 {
    task.io_value()
}

/// One coroutine: `await asyncio.sleep(latency)` for I/O, a plain call for
/// CPU work.
async fn coroutine(task: Task, lane: usize, compute: Compute) -> Result<TaskOutcome, TaskFailure> {
    if task.crash && task.is_io() {
        // On the page's own loop a crash is an exception in one coroutine:
        // `gather(return_exceptions=True)` keeps the others' results.
        TimeoutFuture::new(0).await;
        return Err(TaskFailure { task: task.id, worker: lane, cause: CrashCause::Exception { task: task.id } });
    }
    if task.wait_ms().is_none() {
        // asyncio runs each new coroutine on its own turn of the loop
        // (`call_soon`); yield once so timers may run between them.
        TimeoutFuture::new(0).await;
    }
    Ok(wait_then_compute(&task, lane, compute).await)
}

/// A task on this thread's event loop: its wait is a timer awaited
/// (`await asyncio.sleep`), its CPU part a plain call that holds the loop.
/// A process worker runs its tasks the same way: nothing else runs in that
/// process meanwhile, so for the model the awaited timer is a blocking
/// call.
pub(crate) async fn wait_then_compute(task: &Task, lane: usize, compute: Compute) -> TaskOutcome {
    let mut segments = Vec::new();
    let start = now_ms();
    if let Some(ms) = task.wait_ms() {
        TimeoutFuture::new(ms.min(u64::from(u32::MAX)) as u32).await;
        segments.push(Segment { state: SegmentState::WaitingIo, start_ms: start, end_ms: now_ms() });
    }
    let begin = now_ms();
    let value = compute(task);
    if task.has_cpu() || segments.is_empty() {
        let state = if task.has_cpu() { SegmentState::Computing } else { SegmentState::WaitingIo };
        segments.push(Segment { state, start_ms: begin, end_ms: now_ms() });
    }
    TaskOutcome::new(task, lane, value, segments)
}

/// `await asyncio.gather(*tasks, return_exceptions=True)` on the current
/// thread's event loop, with the longest stall of the loop.
pub(crate) async fn gather(tasks: Vec<Task>, compute: Compute) -> RunData {
    let running = Rc::new(Cell::new(true));
    let worst = Rc::new(Cell::new(0.0f64));
    let heartbeat = {
        let (running, worst) = (running.clone(), worst.clone());
        async move {
            let mut last = now_ms();
            while running.get() {
                TimeoutFuture::new(HEARTBEAT_MS).await;
                let now = now_ms();
                worst.set(worst.get().max(now - last - f64::from(HEARTBEAT_MS)));
                last = now;
            }
        }
    };
    let started_at = now_ms();
    let work = async {
        let out = join_all(tasks.into_iter().map(|t| coroutine(t, 0, compute))).await;
        running.set(false);
        (now_ms(), out)
    };
    // The heartbeat is polled first so its timer is armed before any
    // coroutine can hold the loop.
    let ((), (finished_at, results)) = futures::join!(heartbeat, work);
    let (mut outcomes, mut failures) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(o) => outcomes.push(o),
            Err(f) => failures.push(f),
        }
    }
    RunData { started_at, finished_at, outcomes, failures, loop_blocked_ms: Some(worst.get().max(0.0)) }
}
