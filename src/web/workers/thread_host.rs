//! The thread host: a worker that owns the rayon pool (wasm-bindgen-rayon)
//! and runs each job on it, so the page's main thread never blocks.
//!
//! Why a worker: rayon's threads wait with `Atomics.wait`, which the main
//! thread may not do; wasm-bindgen-rayon then spin-waits there and can
//! freeze the page, and `initThreadPool` on the main thread fails now and
//! then (RReverser/wasm-bindgen-rayon#36). From this worker the page only
//! awaits a message.
//!
//! A run is started with `rayon::spawn_broadcast`, one worker loop per pool
//! thread, and its end is awaited here asynchronously, so this worker keeps
//! reading messages (Cancel) while the pool computes.

use crate::web::clock::now_ms;
use crate::web::pools::messaging::parent;
use engine::analysis::moving_data::{self, DataPart};
use engine::analysis::report::RunData;
use engine::error::{Cancelled, CrashCause, Failure, RunError, Unavailable};
use engine::pools::protocol::{build_id, HostReply, HostRequest};
use engine::pools::thread::JobTally;
use engine::python::bytecode::real::{RealError, RealRun};
use engine::python::convoy;
use engine::python::deadlock::{self, LockTable, Outcome, ThreadReport, Variant, WaitFor, Watchdog};
use engine::python::gil::Gil;
use engine::python::race::{RaceResult, SharedCounter};
use engine::python::schedule::{worker_loop, TaskSource, WorkerEnv};
use engine::work::workload::Task;
use engine::Strategy;
use futures::channel::mpsc::UnboundedReceiver;
use futures::channel::oneshot;
use futures::{select, Future, FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Set by a Cancel request; every worker loop checks it between steps.
static CANCEL: AtomicBool = AtomicBool::new(false);
/// Tasks finished in the current run, for progress reports.
static DONE: AtomicUsize = AtomicUsize::new(0);

/// The `WorkerEnv` of pool threads: shared clock, real blocking waits.
struct PoolEnv;

impl WorkerEnv for PoolEnv {
    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn block_ms(&self, ms: u64) -> Result<(), Cancelled> {
        // A blocking wait (memory.atomic.wait32 with a timeout): the thread
        // is parked, not spinning, exactly like a thread in a blocking
        // `recv()`. Sliced so a cancel is seen within 10 ms.
        let end = now_ms() + ms as f64;
        loop {
            if self.cancelled() {
                return Err(Cancelled);
            }
            let left = end - now_ms();
            if left <= 0.0 {
                return Ok(());
            }
            std::thread::sleep(Duration::from_secs_f64(left.min(10.0) / 1000.0));
        }
    }

    fn cancelled(&self) -> bool {
        CANCEL.load(Ordering::Relaxed)
    }
}

/// Whether this module's memory is a SharedArrayBuffer.
fn memory_is_shared() -> bool {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().is_instance_of::<js_sys::SharedArrayBuffer>()
}

/// A job on the pool as this worker awaits it: its result, or `Err` if the
/// pool dropped it.
type Job<T> = Result<Result<T, Cancelled>, oneshot::Canceled>;

/// Runs `work(thread index)` on every pool thread at once, without
/// blocking this worker (rayon's own `broadcast` would, and this worker must
/// keep reading the page's messages — Cancel — meanwhile). The receiver
/// yields every thread's answer, in thread order, once the last is done.
fn on_every_thread<T: Send + 'static>(work: impl Fn(usize) -> T + Send + Sync + 'static) -> oneshot::Receiver<Vec<T>> {
    struct Shared<T> {
        answers: Mutex<Vec<Option<T>>>,
        left: AtomicUsize,
        tx: Mutex<Option<oneshot::Sender<Vec<T>>>>,
    }
    let threads = rayon::current_num_threads();
    let (tx, rx) = oneshot::channel();
    let shared = Arc::new(Shared {
        answers: Mutex::new((0..threads).map(|_| None).collect()),
        left: AtomicUsize::new(threads),
        tx: Mutex::new(Some(tx)),
    });
    rayon::spawn_broadcast(move |ctx| {
        let answer = work(ctx.index());
        // A poisoned lock means a thread panicked: the host's panic watch
        // reports that, and this job never closes.
        if let Some(slot) = shared.answers.lock().ok().as_mut().and_then(|a| a.get_mut(ctx.index())) {
            *slot = Some(answer);
        }
        if shared.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            let all = shared.answers.lock().map(|mut a| a.drain(..).flatten().collect()).unwrap_or_default();
            if let Some(tx) = shared.tx.lock().ok().and_then(|mut t| t.take()) {
                let _ = tx.send(all);
            }
        }
    });
    rx
}

/// Starts a run on every pool thread; the future yields its result.
fn start_job(tasks: Vec<Task>, strategy: Strategy, gil: Option<Gil>) -> impl Future<Output = Job<RunData>> {
    let threads = rayon::current_num_threads();
    CANCEL.store(false, Ordering::SeqCst);
    DONE.store(0, Ordering::SeqCst);
    let source = TaskSource::new(strategy, tasks.len(), threads);
    let started_at = now_ms();
    let answers = on_every_thread(move |me| {
        let r = worker_loop(me, &tasks, &source, &PoolEnv, gil.as_ref(), |_| {
            DONE.fetch_add(1, Ordering::Relaxed);
        });
        if r.is_err() {
            // One cancelled loop stops the others too.
            CANCEL.store(true, Ordering::Relaxed);
        }
        (r, now_ms())
    });
    answers.map(move |answers| {
        answers.map(|answers| {
            let finished_at = answers.iter().map(|a| a.1).fold(started_at, f64::max);
            let mut tally = JobTally::new(threads);
            let result = answers.into_iter().filter_map(|(r, _)| tally.report(r)).last().unwrap_or(Err(Cancelled));
            result.map(|outcomes| RunData { started_at, finished_at, outcomes, ..RunData::default() })
        })
    })
}

/// The message of the first panic in any pool thread. A panic aborts: the
/// thread's worker dies on the spot, never unwinding, possibly holding
/// locks (the GIL). Like a crashing thread in an OS process, that takes the
/// whole pool down; the host reports it and the page starts a new pool.
static PANIC: Mutex<Option<String>> = Mutex::new(None);
static PANICKED: AtomicBool = AtomicBool::new(false);

fn install_crash_reporting() {
    std::panic::set_hook(Box::new(|info| {
        let message = engine::error::panic_text(info);
        if let Ok(mut slot) = PANIC.try_lock() {
            slot.get_or_insert(message);
        }
        PANICKED.store(true, Ordering::SeqCst);
        CANCEL.store(true, Ordering::SeqCst);
    }));
    // The dead thread's error event travels up to this worker: handle it
    // here, so the page hears the panic's own message instead.
    let on_error = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        e.prevent_default();
        PANICKED.store(true, Ordering::SeqCst);
    });
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
}

/// The failure of a run whose thread panicked, with the panic's words.
fn panic_failure() -> RunError {
    let cause = match PANIC.lock().ok().and_then(|p| p.clone()) {
        Some(message) => CrashCause::from_panic(&message),
        None => CrashCause::Died { detail: "a thread died".to_owned() },
    };
    Failure::ThreadPanicked { cause }.into()
}

/// A request the host cannot take now (a page bug, or another build's page).
fn refused(run_id: Option<u64>, detail: &str) -> HostReply {
    HostReply::Failed { run_id, error: Failure::Messaging { detail: detail.to_owned() }.into() }
}

/// A message that arrives while a job runs: Cancel raises the flag the
/// threads look at, anything else is refused. False when the page is gone.
fn while_busy(msg: Option<Result<HostRequest, String>>) -> bool {
    match msg {
        Some(Ok(HostRequest::Cancel)) => CANCEL.store(true, Ordering::SeqCst),
        Some(Ok(_)) => parent::post(&refused(None, "busy: a run is going")),
        Some(Err(detail)) => parent::post(&refused(None, &detail)),
        None => return false,
    }
    true
}

/// Follows a job on the pool to its end, reading the page's messages
/// meanwhile (Cancel) and reporting progress; `done` words its result.
/// None when the page went away.
async fn follow<T>(
    job: impl Future<Output = Job<T>>,
    run_id: u64,
    requests: &mut UnboundedReceiver<Result<HostRequest, String>>,
    done: impl FnOnce(T) -> HostReply,
) -> Option<HostReply> {
    let mut job = Box::pin(job.fuse());
    loop {
        let mut tick = TimeoutFuture::new(100).fuse();
        select! {
            result = job => return Some(match result {
                Ok(Ok(value)) => done(value),
                Ok(Err(Cancelled)) => HostReply::Cancelled { run_id },
                Err(_) => refused(Some(run_id), "the pool dropped the run"),
            }),
            msg = requests.next() => if !while_busy(msg) {
                return None;
            },
            _ = tick => {
                if PANICKED.load(Ordering::SeqCst) {
                    // The broadcast will never finish: report and stop.
                    return Some(HostReply::Failed { run_id: Some(run_id), error: panic_failure() });
                }
                parent::post(&HostReply::Progress { run_id, done: DONE.load(Ordering::Relaxed) })
            }
        }
    }
}

/// Inside the interpreter: the scenario for real on the first
/// `run.threads` pool threads, each round's threads released together by a
/// barrier (see `python::bytecode::real`). Every thread passes every
/// barrier, cancelled or not, so a Cancel never leaves one waiting.
fn start_real_race(run_id: u64, run: RealRun) -> impl Future<Output = Job<HostReply>> {
    CANCEL.store(false, Ordering::SeqCst);
    DONE.store(0, Ordering::SeqCst);
    let shared = Arc::new((run.rounds(), std::sync::Barrier::new(run.threads)));
    let work = shared.clone();
    let answers = on_every_thread(move |me| {
        let (made, barrier) = &*work;
        let Ok(rounds) = made else { return Ok(()) };
        if me >= run.threads {
            return Ok(());
        }
        let cancelled = || CANCEL.load(Ordering::Relaxed);
        let mut out = Ok(());
        for round in rounds {
            barrier.wait();
            if out.is_ok() && !cancelled() {
                out = round.run_thread(me, &cancelled);
                if out.is_err() {
                    CANCEL.store(true, Ordering::Relaxed);
                }
            }
        }
        out
    });
    answers.map(move |answers| {
        answers.map(|answers| {
            let failed = answers.into_iter().find_map(Result::err);
            match (&shared.0, failed.as_ref()) {
                (_, Some(RealError::Cancelled)) => Err(Cancelled),
                (Err(RealError::Refused(why)), _) | (_, Some(RealError::Refused(why))) => {
                    Ok(refused(Some(run_id), why))
                }
                (Err(RealError::Cancelled), None) => Err(Cancelled),
                (Ok(rounds), None) => Ok(HostReply::RealRaceDone { run_id, result: run.result(rounds, 0.0) }),
            }
        })
    })
}

/// Starts the convoy on the pool: thread 0 is the I/O thread, threads
/// 1..=`cpu_threads` spin until it is done, the rest sit it out.
fn start_convoy(
    cpu_threads: usize,
    waits: usize,
    wait_ms: u64,
    gil: Option<Gil>,
) -> impl Future<Output = Job<Vec<f64>>> {
    CANCEL.store(false, Ordering::SeqCst);
    DONE.store(0, Ordering::SeqCst);
    let done = AtomicBool::new(false);
    let answers = on_every_thread(move |me| {
        if me == 0 {
            let r = convoy::io_loop(&PoolEnv, gil.as_ref(), 0, waits, wait_ms, &done);
            DONE.store(waits, Ordering::Relaxed);
            Some(r)
        } else {
            if me <= cpu_threads {
                // Its count is of no interest; a cancel shows in the I/O loop.
                let _ = convoy::cpu_loop(&PoolEnv, gil.as_ref(), me, &done);
            }
            None
        }
    });
    answers.map(|answers| answers.map(|a| a.into_iter().flatten().next().unwrap_or(Err(Cancelled))))
}

/// The deadlock demo: pool threads 0 and 1 take the two locks as
/// `variant` says, while this worker's own loop plays the watchdog — it
/// looks at the wait-for graph every few ms and, once one cycle has stood
/// for `watchdog_ms`, raises the cancel flag the stuck `acquire`s look at.
/// None when the page went away.
async fn watch_deadlock(
    run_id: u64,
    variant: Variant,
    watchdog_ms: u64,
    acquire_timeout_ms: u64,
    requests: &mut UnboundedReceiver<Result<HostRequest, String>>,
) -> Option<HostReply> {
    CANCEL.store(false, Ordering::SeqCst);
    let table = Arc::new(LockTable::new(2));
    let (tx, rx) = oneshot::channel::<Result<Vec<ThreadReport>, Cancelled>>();
    let reports: Arc<Mutex<Vec<Result<ThreadReport, Cancelled>>>> = Arc::new(Mutex::new(Vec::new()));
    let tx = Arc::new(Mutex::new(Some(tx)));
    let left = Arc::new(AtomicUsize::new(rayon::current_num_threads()));
    let t0 = now_ms();
    {
        let table = table.clone();
        rayon::spawn_broadcast(move |ctx| {
            let me = ctx.index();
            if me < 2 {
                let r = deadlock::run_thread(&table, me, variant, acquire_timeout_ms, &PoolEnv);
                if let Ok(mut all) = reports.lock() {
                    all.push(r);
                }
            }
            if left.fetch_sub(1, Ordering::AcqRel) == 1 {
                let all =
                    reports.lock().map(|mut v| v.drain(..).collect::<Result<Vec<_>, _>>()).unwrap_or(Err(Cancelled));
                if let Some(tx) = tx.lock().ok().and_then(|mut t| t.take()) {
                    let _ = tx.send(all);
                }
            }
        });
    }
    let mut job = rx.fuse();
    let mut dog = Watchdog::default();
    let mut deadlocked: Option<(f64, WaitFor, Vec<usize>)> = None;
    loop {
        let mut tick = TimeoutFuture::new(5).fuse();
        select! {
            result = job => {
                let outcome = match (deadlocked, result) {
                    (Some((after_ms, wait_for, cycle)), _) => Outcome::Deadlocked { after_ms, wait_for, cycle },
                    (None, Ok(Ok(threads))) => Outcome::Finished {
                        ms: now_ms() - t0,
                        retries: threads.iter().map(|r| r.retries).collect(),
                    },
                    (None, Ok(Err(Cancelled))) => return Some(HostReply::Cancelled { run_id }),
                    (None, Err(_)) => return Some(refused(Some(run_id), "the pool dropped the run")),
                };
                return Some(HostReply::DeadlockDone { run_id, outcome });
            },
            msg = requests.next() => if !while_busy(msg) {
                return None;
            },
            _ = tick => {
                if deadlocked.is_none() {
                    let snapshot = table.snapshot();
                    if let Some(cycle) = dog.check(&snapshot, now_ms(), watchdog_ms as f64) {
                        // Recover: the stuck acquires see the flag and give up.
                        CANCEL.store(true, Ordering::SeqCst);
                        deadlocked = Some((now_ms() - t0, snapshot, cycle));
                    }
                }
            }
        }
    }
}

/// The array of the threads' moving-data run, in this host's shared
/// memory; kept between runs of the same size.
static SHARED_DATA: Mutex<Option<Arc<Vec<u32>>>> = Mutex::new(None);

/// Moving data with threads: the array is made here, in the memory every
/// pool thread shares (not timed: the data already exists, as a Python
/// program's list does), then each thread sums its slice in place.
async fn sum_shared(len: u64) -> Vec<DataPart> {
    // Each thread holds the array through its own `Arc`, never the lock:
    // the threads read it all at once.
    let array = {
        let Ok(mut slot) = SHARED_DATA.lock() else { return Vec::new() };
        match slot.as_ref().filter(|a| a.len() as u64 == len) {
            Some(a) => a.clone(),
            None => {
                let mut fresh = vec![0; len as usize];
                moving_data::fill(&mut fresh, 0);
                let fresh = Arc::new(fresh);
                *slot = Some(fresh.clone());
                fresh
            }
        }
    };
    let chunks = moving_data::chunks(len, rayon::current_num_threads());
    let parts = on_every_thread(move |me| {
        let range = chunks[me].clone();
        let start = now_ms();
        let sum = moving_data::sum(&array[range.start as usize..range.end as usize]);
        DataPart {
            worker: me,
            offset: range.start,
            len: range.end - range.start,
            sent_at: start,
            received_at: start,
            finished_at: now_ms(),
            sum,
        }
    });
    parts.await.unwrap_or_default()
}

/// Entry point of the thread host worker.
pub fn main() {
    install_crash_reporting();
    let mut requests = parent::requests::<HostRequest>();
    parent::post(&HostReply::Loaded { shared: memory_is_shared(), build: build_id().into() });
    wasm_bindgen_futures::spawn_local(async move {
        let mut pool_ready = false;
        while let Some(req) = requests.next().await {
            match req {
                Err(detail) => parent::post(&refused(None, &detail)),
                Ok(HostRequest::Init { threads }) => {
                    if pool_ready {
                        parent::post(&refused(None, "the pool is already started"));
                        continue;
                    }
                    let init = wasm_bindgen_rayon::init_thread_pool(threads);
                    match wasm_bindgen_futures::JsFuture::from(init).await {
                        Ok(_) => {
                            // Warm the pool up through the real path, free and
                            // under a GIL (see workload::warm_up_tasks).
                            let warm = engine::work::workload::warm_up_tasks();
                            let dynamic = Strategy::Dynamic { chunk: 1 };
                            let _ = start_job(warm.clone(), dynamic, None).await;
                            let _ = start_job(warm, dynamic, Some(Gil::new(1.0))).await;
                            TimeoutFuture::new(crate::web::workers::process_worker::WARM_UP_SETTLE_MS).await;
                            pool_ready = true;
                            parent::post(&HostReply::Ready {
                                threads: rayon::current_num_threads(),
                                memory: crate::web::clock::wasm_memory_bytes(),
                            });
                        }
                        Err(e) => parent::post(&HostReply::Failed {
                            run_id: None,
                            error: Unavailable::PoolStart { detail: crate::web::pools::messaging::describe(&e) }.into(),
                        }),
                    }
                }
                Ok(HostRequest::Cancel) => CANCEL.store(true, Ordering::SeqCst),
                Ok(HostRequest::Race { mode, per_thread }) => {
                    // Short (milliseconds): run it blocking on this worker.
                    let counter = SharedCounter::default();
                    let threads = rayon::current_num_threads();
                    let barrier = std::sync::Barrier::new(threads);
                    let t0 = now_ms();
                    rayon::broadcast(|_| {
                        // Start together, or one thread could finish before
                        // the other begins and hide the race.
                        barrier.wait();
                        counter.add(mode, per_thread);
                    });
                    let result = RaceResult {
                        mode: Some(mode),
                        workers: threads,
                        expected: per_thread * threads as u64,
                        counted: counter.value(mode),
                        ms: now_ms() - t0,
                    };
                    parent::post(&HostReply::RaceDone { result });
                }
                Ok(HostRequest::Run { run_id, tasks, strategy, gil_interval_ms }) => {
                    if !pool_ready {
                        parent::post(&refused(Some(run_id), "the pool is not started"));
                        continue;
                    }
                    let job = start_job(tasks, strategy, gil_interval_ms.map(Gil::new));
                    let finished =
                        |data| HostReply::Finished { run_id, data, memory: crate::web::clock::wasm_memory_bytes() };
                    match follow(job, run_id, &mut requests, finished).await {
                        Some(reply) => parent::post(&reply),
                        None => return,
                    }
                }
                Ok(HostRequest::SumShared { run_id, len }) => {
                    if !pool_ready {
                        parent::post(&refused(Some(run_id), "the pool is not started"));
                        continue;
                    }
                    let parts = sum_shared(len).await;
                    parent::post(&HostReply::Summed { run_id, parts });
                }
                Ok(HostRequest::Deadlock { run_id, variant, watchdog_ms, acquire_timeout_ms }) => {
                    if !pool_ready || rayon::current_num_threads() < 2 {
                        parent::post(&refused(Some(run_id), "the pool is not started, or too small"));
                        continue;
                    }
                    match watch_deadlock(run_id, variant, watchdog_ms, acquire_timeout_ms, &mut requests).await {
                        Some(reply) => parent::post(&reply),
                        None => return,
                    }
                }
                Ok(HostRequest::RealRace { run_id, run }) => {
                    if !pool_ready || run.threads > rayon::current_num_threads() {
                        parent::post(&refused(Some(run_id), "the pool is not started, or too small"));
                        continue;
                    }
                    let started_at = now_ms();
                    match follow(start_real_race(run_id, run), run_id, &mut requests, |r| r).await {
                        Some(HostReply::RealRaceDone { run_id, mut result }) => {
                            result.ms = now_ms() - started_at;
                            parent::post(&HostReply::RealRaceDone { run_id, result });
                        }
                        Some(reply) => parent::post(&reply),
                        None => return,
                    }
                }
                Ok(HostRequest::Convoy { run_id, cpu_threads, waits, wait_ms, gil_interval_ms }) => {
                    if !pool_ready || cpu_threads + 1 > rayon::current_num_threads() {
                        parent::post(&refused(Some(run_id), "the pool is not started, or too small"));
                        continue;
                    }
                    let job = start_convoy(cpu_threads, waits, wait_ms, gil_interval_ms.map(Gil::new));
                    match follow(job, run_id, &mut requests, |samples| HostReply::ConvoyDone { run_id, samples }).await
                    {
                        Some(reply) => parent::post(&reply),
                        None => return,
                    }
                }
            }
        }
    });
}
