//! A "process": a worker with its own wasm instance and its own memory,
//! which sees nothing of the page or its siblings and only exchanges
//! messages, as `multiprocessing` workers exchange pickles over pipes.
//!
//! It also hosts the event loop of the asyncio model when that model is
//! given CPU work, so a blocked event loop blocks this worker, not the page.

use crate::engine::protocol::{ProcReply, ProcRequest};
use crate::engine::report::{SegmentState, TaskOutcome};
use crate::engine::workload::Task;
use crate::web::clock::now_ms;
use crate::web::messaging::parent;
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;

/// Runs one task to completion on this worker. A process waiting on I/O
/// does nothing else meanwhile, so awaiting the timer here is, for the
/// model, a blocking call.
async fn run_blocking(task: &Task, worker: usize) -> TaskOutcome {
    let start = now_ms();
    let (value, state) = match task.sleep_ms() {
        Some(ms) => {
            TimeoutFuture::new(ms.min(u32::MAX as u64) as u32).await;
            (task.io_value(), SegmentState::WaitingIo)
        }
        // No cancel flag: a process is cancelled by terminating it.
        None => (task.compute(&|| false).unwrap_or(0), SegmentState::Computing),
    };
    TaskOutcome::single(task, worker, value, state, start, now_ms())
}

/// Runs the warm-up tasks through both paths real tasks take (a batch and
/// the asyncio loop), then gives the optimizing compiler a moment to finish
/// in the background. See `workload::warm_up_tasks`.
async fn warm_up() {
    let tasks = crate::engine::workload::warm_up_tasks();
    for t in &tasks {
        run_blocking(t, 0).await;
    }
    crate::web::asyncio::gather(tasks).await;
    TimeoutFuture::new(WARM_UP_SETTLE_MS).await;
}

/// Pause after warming up, for background compilation to land.
pub(crate) const WARM_UP_SETTLE_MS: u32 = 25;

/// Entry point of a process worker.
pub fn main() {
    // Say why before dying: a panic aborts this wasm instance, and the page
    // only sees a bare "unreachable" error event after it.
    std::panic::set_hook(Box::new(|info| {
        parent::post(&ProcReply::Crashed { message: crate::engine::error::panic_text(info) });
    }));
    let mut requests = parent::requests::<ProcRequest>();
    wasm_bindgen_futures::spawn_local(async move {
        warm_up().await;
        parent::post(&ProcReply::Loaded);
        while let Some(req) = requests.next().await {
            match req {
                Err(detail) => parent::post(&ProcReply::Unreadable { detail }),
                Ok(ProcRequest::Batch { run_id, worker, tasks }) => {
                    for task in &tasks {
                        let outcome = run_blocking(task, worker).await;
                        parent::post(&ProcReply::Done {
                            run_id,
                            outcome,
                            memory: crate::web::clock::wasm_memory_bytes(),
                        });
                    }
                }
                Ok(ProcRequest::Count { n }) => {
                    // This process's own counter, in its own memory.
                    let t0 = now_ms();
                    let counter = crate::engine::race::SharedCounter::default();
                    counter.add(crate::engine::race::RaceMode::Unsynchronized, n);
                    let n = counter.value(crate::engine::race::RaceMode::Unsynchronized);
                    parent::post(&ProcReply::Counted { n, ms: now_ms() - t0 });
                }
                Ok(ProcRequest::EventLoop { run_id, tasks }) => {
                    let data = crate::web::asyncio::gather(tasks).await;
                    parent::post(&ProcReply::LoopDone {
                        run_id,
                        outcomes: data.outcomes,
                        failures: data.failures,
                        blocked_ms: data.loop_blocked_ms.unwrap_or(0.0),
                    });
                }
            }
        }
    });
}
