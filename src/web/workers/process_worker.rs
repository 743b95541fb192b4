//! A "process": a worker with its own wasm instance and its own memory,
//! which sees nothing of the page or its siblings and only exchanges
//! messages, as `multiprocessing` workers exchange pickles over pipes.
//!
//! It also hosts the event loop of the asyncio model when that model is
//! given CPU work, so a blocked event loop blocks this worker, not the page.

use crate::web::asyncio::{self, compute, wait_then_compute};
use crate::web::clock::now_ms;
use crate::web::pools::messaging::parent;
use crate::web::workers::shared_sum::SharedSum;
use engine::analysis::moving_data::{self, DataPart};
use engine::pools::protocol::{build_id, ProcReply, ProcRequest, COUNTER_DONE, COUNTER_NEXT};
use engine::work::workload::Task;
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::JsCast;

/// Runs the warm-up tasks through both paths real tasks take (a batch and
/// the asyncio loop), then gives the optimizing compiler a moment to finish
/// in the background. See `workload::warm_up_tasks`.
async fn warm_up(shared: &mut SharedSum) {
    let tasks = engine::work::workload::warm_up_tasks();
    for t in &tasks {
        wait_then_compute(t, 0, compute).await;
    }
    asyncio::gather(tasks, compute).await;
    // The moving-data path too (a chunk read block by block from a JS
    // buffer): its first call in a fresh worker would otherwise be timed
    // while the function is still being compiled.
    let chunk = js_sys::Uint32Array::new_with_length(4 * SUM_BLOCK);
    for _ in 0..8 {
        std::hint::black_box(sum_js(&chunk, u64::from(4 * SUM_BLOCK)));
    }
    shared.warm_up();
    // And the sequential way's sum over the process's own array: many
    // calls over a small buffer (what makes V8 optimize a function is how
    // much of it has run), since the memory this grows is never given
    // back and is what "memory per worker" reports.
    let own = vec![0u32; 4096];
    for _ in 0..256 {
        std::hint::black_box(moving_data::sum(std::hint::black_box(&own)));
    }
    TimeoutFuture::new(WARM_UP_SETTLE_MS).await;
}

/// SHA-256 rounds per millisecond on this worker: the best of five
/// 20-ms measurements of the very kernel mixed tasks run (best, because
/// interruptions only ever make a measurement slower).
///
/// Each probe is a mixed task given to `compute`, the function every real
/// task of this worker goes through, called afresh each time. V8 swaps a
/// wasm function's baseline code for its optimized code only for later
/// calls (there is no on-stack replacement for wasm), so a kernel that
/// the compiler inlines into this one long call keeps its baseline code
/// for the whole measurement. Measured in Chromium when this called
/// `kernels::sha256_chain_fine` directly: 3,872–3,916 rounds/ms, while
/// the same kernel in real tasks ran 4,821–4,895, so "20 ms" of mixed CPU
/// work took 16 ms (16 tasks of 100 % CPU: 253–259 ms for 320 nominal).
/// Through `compute`: 4,980 rounds/ms and 323–326 ms.
fn calibrate() -> u32 {
    const PROBE: u64 = 2_000;
    let mut best = 0.0f64;
    // The first round is a warm-up: the optimizing compiler replaces the
    // kernel's baseline code only for later calls.
    for _ in 0..6 {
        let t0 = now_ms();
        let mut rounds = 0u64;
        while now_ms() - t0 < 20.0 {
            let probe = engine::work::workload::Task::mixed_probe(rounds, PROBE);
            std::hint::black_box(compute(std::hint::black_box(&probe)));
            rounds += PROBE;
        }
        best = best.max(rounds as f64 / (now_ms() - t0));
    }
    // (The warm-up round is slower, so `max` ignores it.)
    best.round().clamp(1.0, f64::from(u32::MAX)) as u32
}

/// A blocking wait of `ms`: `Atomics.wait` on a shared buffer, which only
/// an isolated page allows. Returns false (without waiting) elsewhere.
fn block(ms: u64) -> bool {
    // Only where the engine has `SharedArrayBuffer` (an isolated page in
    // Chromium and Firefox; Safari's engine can be isolated without it).
    if !crate::web::features::can_share_buffers() {
        return false;
    }
    let cell = js_sys::Int32Array::new(&js_sys::SharedArrayBuffer::new(4));
    js_sys::Atomics::wait_with_timeout(&cell, 0, 0, ms as f64).is_ok()
}

/// The convoy's I/O loop in a process: `waits` timed waits of `wait_ms`.
/// Blocking when the page is isolated; otherwise awaited timers, which
/// browsers clamp to ≥ 4 ms once nested — the page says so.
async fn io_loop(waits: usize, wait_ms: u64) -> (Vec<f64>, bool) {
    let mut samples = Vec::with_capacity(waits);
    let mut blocking = true;
    for _ in 0..waits {
        let t0 = now_ms();
        if !block(wait_ms) {
            blocking = false;
            TimeoutFuture::new(wait_ms.min(u64::from(u32::MAX)) as u32).await;
        }
        samples.push(now_ms() - t0);
    }
    (samples, blocking)
}

/// A convoy CPU loop in a process: `while True: x += 1` for `ms`.
fn spin(ms: f64) {
    let t0 = now_ms();
    let mut x = 0u64;
    while now_ms() - t0 < ms {
        for _ in 0..engine::python::convoy::SPIN_STRIDE {
            x = std::hint::black_box(x) + 1;
        }
    }
}

/// Whether this worker was started with `?cold` (see `web::pools::start`).
fn cold_start() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .and_then(|l| js_sys::Reflect::get(&l, &"search".into()).ok())
        .and_then(|s| s.as_string())
        .is_some_and(|s| s.contains("cold"))
}

/// Elements summed per block: a chunk that was copied or transferred to this
/// worker is a JS buffer, read into this worker's wasm memory a block at a
/// time (a memcpy), then summed, as unpickling builds the process's own
/// objects. (The shared array is read in place instead: `web::workers::shared_sum`.)
const SUM_BLOCK: u32 = 64 * 1024;

/// `sum(array[..len])` of a JS array (a chunk).
fn sum_js(array: &js_sys::Uint32Array, len: u64) -> u64 {
    let mut block = vec![0u32; SUM_BLOCK as usize];
    let (mut at, end) = (0u32, len.min(u64::from(array.length())) as u32);
    let mut total = 0;
    while at < end {
        let n = SUM_BLOCK.min(end - at);
        array.subarray(at, at + n).copy_to(&mut block[..n as usize]);
        total += moving_data::sum(&block[..n as usize]);
        at += n;
    }
    total
}

/// A queue run without a round trip per task (`ProcRequest::Pull`): run
/// `first`, then take `chunk` task numbers at a time from the shared
/// counter until it passes the end. What is taken is said before it runs
/// (with the last result, or alone at the start), so that the page knows
/// which task a crash lost. The replies wait in the outbox until the
/// worker runs out of tasks (or its panic hook sends them): a message in
/// the middle of the run would wake the page's main thread, which on a
/// machine with as many cores as workers runs in place of a worker (the
/// gaps between tasks, 1–2 ms a message here). Progress goes through the
/// counter's `COUNTER_DONE` slot instead, which the page reads itself.
async fn pull(
    run_id: u64,
    worker: usize,
    tasks: &[Task],
    chunk: usize,
    first: Vec<usize>,
    counter: &js_sys::Int32Array,
) {
    let chunk = chunk.max(1);
    let step = i32::try_from(chunk).unwrap_or(i32::MAX);
    let take = || {
        let start = js_sys::Atomics::add(counter, COUNTER_NEXT, step).ok().and_then(|s| usize::try_from(s).ok())?;
        (start < tasks.len()).then(|| start..(start + chunk).min(tasks.len()))
    };
    let mut mine: VecDeque<usize> = first.into();
    if mine.is_empty() {
        if let Some(r) = take() {
            OUTBOX.with_borrow_mut(|o| o.push(ProcReply::Took { run_id, tasks: r.clone() }));
            mine.extend(r);
        }
    }
    while let Some(i) = mine.pop_front() {
        let Some(task) = tasks.get(i) else { continue };
        let outcome = wait_then_compute(task, worker, compute).await;
        let took = if mine.is_empty() { take() } else { None };
        mine.extend(took.clone().into_iter().flatten());
        let memory = crate::web::clock::wasm_memory_bytes();
        OUTBOX.with_borrow_mut(|o| o.push(ProcReply::Done { run_id, outcome, memory, took }));
        let _ = js_sys::Atomics::add(counter, COUNTER_DONE, 1);
    }
    send_outbox();
}

thread_local! {
    /// What a `Pull` run has to say and has not sent yet.
    static OUTBOX: RefCell<Vec<ProcReply>> = const { RefCell::new(Vec::new()) };
}

/// Sends the outbox: one reply as it is, several as one `Many`. Also called
/// by the panic hook, so a crash reports every task taken and finished.
fn send_outbox() {
    // `try_`: the panic hook may run while the outbox is borrowed.
    let mut replies = OUTBOX.with(|o| o.try_borrow_mut().map(|mut o| std::mem::take(&mut *o)).unwrap_or_default());
    match replies.len() {
        0 => {}
        1 => replies.pop().into_iter().for_each(|r| parent::post(&r)),
        _ => parent::post(&ProcReply::Many { replies }),
    }
}

/// Pause after warming up, for background compilation to land.
pub(crate) const WARM_UP_SETTLE_MS: u32 = 25;

/// Entry point of a process worker.
pub fn main() {
    // Say why before dying: a panic aborts this wasm instance, and the page
    // only sees a bare "unreachable" error event after it.
    std::panic::set_hook(Box::new(|info| {
        send_outbox();
        parent::post(&ProcReply::Crashed { message: engine::error::panic_text(info) });
    }));
    let mut requests = parent::requests_with_payload::<ProcRequest>();
    wasm_bindgen_futures::spawn_local(async move {
        // A worker started only to measure what starting costs (`?cold`,
        // see `web::pools::start`) skips the warm-up: it is not part of the start.
        let mut shared = SharedSum::default();
        if !cold_start() {
            warm_up(&mut shared).await;
        }
        parent::post(&ProcReply::Loaded { build: build_id().into() });
        // The array of a sequential moving-data run, kept between runs.
        let mut own: Vec<u32> = Vec::new();
        while let Some(req) = requests.next().await {
            let received_at = now_ms();
            let (req, payload) = match req {
                Ok((req, payload)) => (Ok(req), payload),
                Err(e) => (Err(e), None),
            };
            match req {
                Err(detail) => parent::post(&ProcReply::Unreadable { detail }),
                Ok(ProcRequest::SumOwn { run_id, len }) => {
                    // Making the array is not part of the run: the parent
                    // of a sequential program already has its data.
                    if own.len() as u64 != len {
                        own = vec![0; len as usize];
                        moving_data::fill(&mut own, 0);
                    }
                    let start = now_ms();
                    let sum = moving_data::sum(&own);
                    let part = DataPart {
                        worker: 0,
                        offset: 0,
                        len,
                        sent_at: start,
                        received_at: start,
                        finished_at: now_ms(),
                        sum,
                    };
                    parent::post(&ProcReply::Summed { run_id, part });
                }
                Ok(ProcRequest::SumGiven { run_id, worker, offset, len, sent_at, whole }) => {
                    // The whole shared array (a memory to map) or this
                    // worker's own chunk (a JS array).
                    let sum = match (whole, payload) {
                        (true, Some(p)) => match p.dyn_into::<js_sys::WebAssembly::Memory>() {
                            Ok(memory) => shared.sum(&memory, offset, len),
                            Err(_) => Err("the shared array arrived as something else".into()),
                        },
                        (false, Some(p)) => match p.dyn_into::<js_sys::Uint32Array>() {
                            Ok(array) => Ok(sum_js(&array, len)),
                            Err(_) => Err("a chunk arrived as something else".into()),
                        },
                        (_, None) => Err("a chunk arrived without its data".into()),
                    };
                    match sum {
                        Ok(sum) => {
                            let part =
                                DataPart { worker, offset, len, sent_at, received_at, finished_at: now_ms(), sum };
                            parent::post(&ProcReply::Summed { run_id, part });
                        }
                        Err(detail) => parent::post(&ProcReply::Unreadable { detail }),
                    }
                }
                Ok(ProcRequest::Pull { run_id, worker, tasks, chunk, first }) => {
                    let Some(counter) = payload.and_then(|p| p.dyn_into::<js_sys::Int32Array>().ok()) else {
                        parent::post(&ProcReply::Unreadable {
                            detail: "a queue run arrived without its counter".into(),
                        });
                        continue;
                    };
                    pull(run_id, worker, &tasks, chunk, first, &counter).await;
                }
                Ok(ProcRequest::Memory) => {
                    parent::post(&ProcReply::Memory { bytes: crate::web::clock::wasm_memory_bytes() })
                }
                Ok(ProcRequest::Batch { run_id, worker, tasks }) => {
                    for task in &tasks {
                        let outcome = wait_then_compute(task, worker, compute).await;
                        parent::post(&ProcReply::Done {
                            run_id,
                            outcome,
                            memory: crate::web::clock::wasm_memory_bytes(),
                            took: None,
                        });
                    }
                }
                Ok(ProcRequest::Count { n }) => {
                    // This process's own counter, in its own memory.
                    let t0 = now_ms();
                    let counter = engine::python::race::SharedCounter::default();
                    counter.add(engine::python::race::RaceMode::Unsynchronized, n);
                    let n = counter.value(engine::python::race::RaceMode::Unsynchronized);
                    parent::post(&ProcReply::Counted { n, ms: now_ms() - t0 });
                }
                Ok(ProcRequest::Explore { threads, iterations }) => {
                    // A cell at a time, each sent as soon as it is counted:
                    // the page shows progress, and Cancel terminates this
                    // worker between (or during) cells.
                    for (scenario, switching) in engine::python::bytecode::explore::cells() {
                        let cell =
                            engine::python::bytecode::explore::count_cell(scenario, switching, threads, iterations);
                        parent::post(&ProcReply::Explored { cell });
                    }
                }
                Ok(ProcRequest::Calibrate) => {
                    parent::post(&ProcReply::Calibrated { rounds_per_ms: calibrate() });
                }
                Ok(ProcRequest::IoLoop { run_id, waits, wait_ms }) => {
                    let (samples, blocking) = io_loop(waits, wait_ms).await;
                    parent::post(&ProcReply::IoLoopDone { run_id, samples, blocking });
                }
                Ok(ProcRequest::Spin { run_id, ms }) => {
                    spin(ms);
                    parent::post(&ProcReply::Spun { run_id });
                }
                Ok(ProcRequest::EventLoop { run_id, tasks }) => {
                    let data = asyncio::gather(tasks, compute).await;
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
