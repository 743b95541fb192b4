//! Tests of `claims`.

use super::*;

const TWO: Conditions = Conditions { cores: 2, hidden: false };
const ONE: Conditions = Conditions { cores: 1, hidden: false };
const HIDDEN: Conditions = Conditions { cores: 2, hidden: true };

fn again<T: Serialize + serde::de::DeserializeOwned>(t: &T) -> Result<T, String> {
    let json = serde_json::to_string(t).map_err(|e| e.to_string())?;
    serde_json::from_str(&json).map_err(|e| format!("{e}: {json}"))
}

#[test]
fn serialize_then_read_every_variant() {
    let doubts = [Doubt::FewCores { cores: 1 }, Doubt::Hidden, Doubt::Noisy { spread: 0.4 }, Doubt::Unexpected];
    for d in doubts {
        assert_eq!(again(&d), Ok(d));
        let v = Verdict::Inconclusive { doubt: d };
        assert_eq!(again(&v), Ok(v));
    }
    for v in [Verdict::Holds, Verdict::DoesNotHold] {
        assert_eq!(again(&v), Ok(v));
    }
    for c in [CrashEnd::Partial { done: 7, failed: 1 }, CrashEnd::WholeRunFailed, CrashEnd::Other] {
        assert_eq!(again(&c), Ok(c));
    }
    // What the file says is checked: unknown tags, missing fields.
    let read = |s: &str| serde_json::from_str::<Verdict>(s).map_err(|e| e.to_string());
    assert_eq!(read(r#"{"verdict":"holds"}"#), Ok(Verdict::Holds));
    assert!(read(r#"{"verdict":"maybe"}"#).is_err_and(|e| e.contains("unknown verdict \"maybe\"")));
    assert!(read(r#"{"verdict":"inconclusive"}"#).is_err_and(|e| e.contains("without \"doubt\"")));
    let noisy = r#"{"verdict":"inconclusive","doubt":{"why":"noisy"}}"#;
    assert!(read(noisy).is_err_and(|e| e.contains("without \"spread\"")));
    let partial = serde_json::from_str::<CrashEnd>(r#"{"end":"partial","done":3}"#);
    assert!(partial.is_err_and(|e| e.to_string().contains("without \"failed\"")));
}

fn holds(v: Verdict) -> bool {
    v == Verdict::Holds
}

fn inconclusive(v: Verdict) -> bool {
    matches!(v, Verdict::Inconclusive { .. })
}

#[test]
fn memory_data_and_pool_verdicts() {
    let mem = |processes, threads| MemoryCheck {
        workers: 2,
        one_process: 1_500_000,
        processes,
        one_thread: Some(1_600_000),
        threads: Some(threads),
    };
    assert!(holds(judge_memory(&mem(3_000_000, 1_900_000), TWO)));
    assert_eq!(judge_memory(&mem(3_000_000, 4_000_000), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_memory(&MemoryCheck { one_thread: None, ..mem(3_000_000, 0) }, TWO)));
    let data = |copy_move, shared_move: Option<f64>| DataCheck {
        mib: 32,
        workers: 2,
        sequential_ms: 5.0,
        copy_ms: 40.0,
        copy_move_ms: copy_move,
        shared_ms: shared_move.map(|m| m + 6.0),
        shared_move_ms: shared_move,
    };
    assert!(holds(judge_data(&data(30.0, Some(1.0)), TWO)));
    assert_eq!(judge_data(&data(1.5, Some(1.0)), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_data(&data(30.0, None), TWO)));
    assert!(inconclusive(judge_data(&data(30.0, Some(1.0)), HIDDEN)));
    let pool = |per_task, pool_ms| PoolCheck {
        workers: 2,
        spawn_ms: 40.0,
        forkserver_ms: 25.0,
        reused_ms: 0.2,
        per_task_ms: per_task,
        pool_ms,
    };
    assert!(holds(judge_pool(&pool(320.0, 41.6), TWO)));
    assert_eq!(judge_pool(&pool(40.0, 41.6), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_pool(&pool(320.0, 41.6), HIDDEN)));
}

#[test]
fn ids_round_trip_and_fragments() {
    for c in Claim::ALL {
        assert_eq!(Claim::from_id(c.id()), Some(c));
        assert_eq!(Claim::from_fragment(&format!("#claim-{}", c.id())), Some(c));
    }
    let ids: std::collections::HashSet<&str> = Claim::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(ids.len(), Claim::ALL.len());
    assert_eq!(Claim::from_id("threads-are-fast"), None);
    assert_eq!(Claim::from_fragment("#gil-cpu"), None);
    assert_eq!(Claim::from_fragment(""), None);
}

fn gil(seq: f64, again: f64, gil: f64) -> GilCpu {
    GilCpu { workers: 2, sequential_ms: seq, sequential_again_ms: again, gil_ms: gil, free_ms: Some(seq / 1.8) }
}

#[test]
fn gil_cpu() {
    assert!(holds(judge_gil_cpu(&gil(500.0, 510.0, 520.0), TWO)));
    assert_eq!(judge_gil_cpu(&gil(500.0, 500.0, 260.0), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_gil_cpu(&gil(500.0, 500.0, 520.0), ONE)));
    assert!(inconclusive(judge_gil_cpu(&gil(500.0, 500.0, 520.0), HIDDEN)));
    // The two sequential runs disagree by 60 %: too noisy to judge.
    assert_eq!(
        judge_gil_cpu(&gil(500.0, 800.0, 520.0), TWO),
        Verdict::Inconclusive { doubt: Doubt::Noisy { spread: 0.6 } }
    );
}

fn sweep(points: &[(usize, f64)]) -> ProcessSweep {
    ProcessSweep { cores: 2, sequential_ms: 500.0, sequential_again_ms: 500.0, points: points.to_vec() }
}

#[test]
fn processes_cores() {
    assert!(holds(judge_processes_cores(&sweep(&[(2, 290.0), (4, 295.0)]), TWO)));
    // No speedup at all on two cores.
    assert_eq!(judge_processes_cores(&sweep(&[(2, 480.0), (4, 470.0)]), TWO), Verdict::DoesNotHold);
    // Four processes twice as fast as two on "two cores": no ceiling.
    assert_eq!(judge_processes_cores(&sweep(&[(2, 290.0), (4, 140.0)]), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_processes_cores(&sweep(&[(2, 290.0), (4, 295.0)]), ONE)));
}

#[test]
fn cpu_count() {
    assert!(holds(judge_cpu_count(&sweep(&[(1, 520.0), (2, 290.0), (4, 300.0)]), TWO)));
    // Slightly slower than the best, within the tolerance.
    assert!(holds(judge_cpu_count(&sweep(&[(1, 520.0), (2, 300.0), (4, 285.0)]), TWO)));
    assert_eq!(judge_cpu_count(&sweep(&[(1, 520.0), (2, 400.0), (4, 290.0)]), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_cpu_count(&sweep(&[(1, 520.0), (2, 290.0), (4, 300.0)]), HIDDEN)));
}

fn io(few_ms: f64, many_ms: f64) -> IoThreads {
    IoThreads { tasks: 64, latency_ms: 20, sequential_ms: 1280.0, few: 2, few_ms, many: 16, many_ms }
}

#[test]
fn io_threads() {
    assert!(holds(judge_io_threads(&io(650.0, 90.0), TWO)));
    // On one core the waits still overlap: cores do not matter here.
    assert!(holds(judge_io_threads(&io(650.0, 90.0), ONE)));
    // Many threads no better than a few.
    assert_eq!(judge_io_threads(&io(650.0, 600.0), TWO), Verdict::DoesNotHold);
    assert_eq!(judge_io_threads(&io(1270.0, 90.0), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_io_threads(&io(650.0, 90.0), HIDDEN)));
}

fn aio(asyncio_ms: f64, cpu_blocked_ms: f64) -> AsyncioLoop {
    AsyncioLoop {
        tasks: 32,
        latency_ms: 20,
        sequential_ms: 640.0,
        asyncio_ms,
        io_blocked_ms: 2.0,
        cpu_ms_per_task: 20.0,
        cpu_blocked_ms,
    }
}

#[test]
fn asyncio_loop() {
    assert!(holds(judge_asyncio(&aio(25.0, 21.0), ONE)));
    assert_eq!(judge_asyncio(&aio(640.0, 21.0), TWO), Verdict::DoesNotHold);
    // A loop that never stalled on CPU work would refute the claim.
    assert_eq!(judge_asyncio(&aio(25.0, 3.0), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_asyncio(&aio(25.0, 21.0), HIDDEN)));
}

#[test]
fn race() {
    let r =
        |unlocked, locked| RaceLock { workers: 2, expected: 2_000_000, lost_unlocked: unlocked, lost_locked: locked };
    assert!(holds(judge_race(&r(12_345, 0), TWO)));
    assert!(holds(judge_race(&r(12_345, 0), ONE)));
    assert_eq!(judge_race(&r(0, 0), TWO), Verdict::DoesNotHold);
    assert_eq!(judge_race(&r(10, 3), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_race(&r(0, 0), ONE)));
}

#[test]
fn deadlock() {
    let d = |opposite, ordered| DeadlockCheck {
        watchdog_ms: 300,
        opposite_deadlocked: opposite,
        opposite_ms: 310.0,
        ordered_deadlocked: ordered,
        ordered_ms: 21.0,
    };
    assert!(holds(judge_deadlock(&d(true, false), TWO)));
    assert!(holds(judge_deadlock(&d(true, false), ONE)));
    assert_eq!(judge_deadlock(&d(false, false), TWO), Verdict::DoesNotHold);
    assert_eq!(judge_deadlock(&d(true, true), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_deadlock(&d(false, false), ONE)));
    assert!(inconclusive(judge_deadlock(&d(false, false), HIDDEN)));
}

#[test]
fn crash() {
    let c = |processes, threads| CrashCheck { tasks: 8, processes, threads };
    let partial = CrashEnd::Partial { done: 7, failed: 1 };
    assert!(holds(judge_crash(&c(partial, CrashEnd::WholeRunFailed), ONE)));
    assert_eq!(judge_crash(&c(CrashEnd::WholeRunFailed, CrashEnd::WholeRunFailed), TWO), Verdict::DoesNotHold);
    assert_eq!(judge_crash(&c(partial, partial), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_crash(&c(partial, CrashEnd::Other), TWO)));
}

fn uneven(queue: f64, again: f64, stat: f64) -> Uneven {
    Uneven { workers: 2, queue_ms: queue, queue_again_ms: again, static_ms: stat, queue_idle: 0.02, static_idle: 0.2 }
}

#[test]
fn uneven_tasks() {
    assert!(holds(judge_uneven(&uneven(300.0, 305.0, 370.0), TWO)));
    assert_eq!(judge_uneven(&uneven(300.0, 305.0, 310.0), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_uneven(&uneven(300.0, 305.0, 370.0), ONE)));
    assert!(inconclusive(judge_uneven(&uneven(300.0, 500.0, 370.0), TWO)));
}

#[test]
fn idle_share_of_a_lopsided_run() {
    use crate::analysis::report::{RunData, TaskOutcome};
    use crate::work::workload::Task;
    let s = settings(primes(1000, 2, Plan::Uniform), Model::Processes, 2, Strategy::Static);
    let t = |id| Task { id, weight: 1, kind: crate::work::workload::TaskKind::Sleep { ms: 1 }, crash: false };
    let state = crate::analysis::report::SegmentState::Computing;
    let outcomes =
        vec![TaskOutcome::single(&t(0), 0, 1, state, 0.0, 100.0), TaskOutcome::single(&t(1), 1, 1, state, 0.0, 50.0)];
    let r = RunReport::new(&s, 0.0, RunData { started_at: 0.0, finished_at: 100.0, outcomes, ..RunData::default() });
    assert!((idle_share(&r) - 0.25).abs() < 1e-9);
}

fn mixed(points: &[(u32, f64, f64)]) -> MixedCheck {
    MixedCheck { workers: 2, shares: points.iter().map(|&(s, g, p)| (s, 320.0, g, p)).collect() }
}

#[test]
fn mixed_work() {
    let m = mixed(&[(0, 165.0, 175.0), (50, 240.0, 170.0), (100, 320.0, 165.0)]);
    assert!(holds(judge_mixed(&m, TWO)));
    let x = m.takeover().unwrap_or(f64::NAN);
    assert!(x > 0.0 && x < 50.0, "{x}");
    // Processes never pull ahead.
    let never = mixed(&[(0, 165.0, 175.0), (50, 170.0, 175.0), (100, 170.0, 170.0)]);
    assert_eq!(judge_mixed(&never, TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_mixed(&m, ONE)));
}

fn convoy(gil_beside: f64) -> ConvoyCheck {
    ConvoyCheck {
        wait_ms: 1,
        switch_interval_ms: 5.0,
        gil_alone_ms: 1.1,
        gil_beside_ms: gil_beside,
        free_alone_ms: 1.1,
        free_beside_ms: 1.2,
    }
}

#[test]
fn convoy_effect() {
    assert!(holds(judge_convoy(&convoy(6.1), TWO)));
    assert_eq!(judge_convoy(&convoy(1.3), TWO), Verdict::DoesNotHold);
    assert!(inconclusive(judge_convoy(&convoy(6.1), ONE)));
}

#[test]
fn every_claim_has_measurements_that_judge_and_show() {
    let all = [
        Measured::GilCpu(gil(500.0, 500.0, 510.0)),
        Measured::ProcessesCores(sweep(&[(2, 290.0), (4, 295.0)])),
        Measured::CpuCount(sweep(&[(1, 520.0), (2, 290.0), (4, 300.0)])),
        Measured::IoThreads(io(650.0, 90.0)),
        Measured::AsyncioLoop(aio(25.0, 21.0)),
        Measured::Memory(MemoryCheck {
            workers: 2,
            one_process: 1_500_000,
            processes: 3_000_000,
            one_thread: Some(1_600_000),
            threads: Some(1_900_000),
        }),
        Measured::DataTransfer(DataCheck {
            mib: 32,
            workers: 2,
            sequential_ms: 5.0,
            copy_ms: 40.0,
            copy_move_ms: 30.0,
            shared_ms: Some(8.0),
            shared_move_ms: Some(1.0),
        }),
        Measured::RaceLock(RaceLock { workers: 2, expected: 10, lost_unlocked: 3, lost_locked: 0 }),
        Measured::Deadlock(DeadlockCheck {
            watchdog_ms: 300,
            opposite_deadlocked: true,
            opposite_ms: 300.0,
            ordered_deadlocked: false,
            ordered_ms: 20.0,
        }),
        Measured::Crash(CrashCheck {
            tasks: 8,
            processes: CrashEnd::Partial { done: 7, failed: 1 },
            threads: CrashEnd::WholeRunFailed,
        }),
        // Measurements that hold, as a GIL that checked only at function
        // entry would give them.
        Measured::GilCounter(InterpCheck {
            counted: [Schedules { bad: 0, all: 70 }, Schedules { bad: 0, all: 90 }],
            real: [Some(Lost { lost: 0, expected: 2_000_000 }), None],
            cores: 2,
        }),
        Measured::FreeNeedsLocks(InterpCheck {
            counted: [Schedules { bad: 0, all: 70 }, Schedules { bad: 436_763_184, all: 601_080_390 }],
            real: [Some(Lost { lost: 0, expected: 2_000_000 }), Some(Lost { lost: 300_000, expected: 2_000_000 })],
            cores: 2,
        }),
        Measured::AppendSafe(InterpCheck {
            counted: [Schedules { bad: 0, all: 252 }, Schedules { bad: 0, all: 9_075_135_300 }],
            real: [None, Some(Lost { lost: 0, expected: 2_000_000 })],
            cores: 2,
        }),
        Measured::Uneven(uneven(300.0, 300.0, 370.0)),
        Measured::Pool(PoolCheck {
            workers: 2,
            spawn_ms: 40.0,
            forkserver_ms: 25.0,
            reused_ms: 0.2,
            per_task_ms: 320.0,
            pool_ms: 41.6,
        }),
        Measured::Mixed(mixed(&[(0, 165.0, 175.0), (100, 320.0, 165.0)])),
        Measured::Convoy(convoy(6.0)),
    ];
    let claims: Vec<Claim> = all.iter().map(Measured::claim).collect();
    assert_eq!(claims, Claim::ALL);
    for m in &all {
        assert_eq!(m.judge(TWO), Verdict::Holds, "{:?}", m.claim());
        assert!(!m.figures().is_empty());
        assert!(m.is_sane());
        let json = serde_json::to_string(m).unwrap_or_default();
        assert!(json.starts_with(&format!("{{\"claim\":\"{}\"", m.claim().id())), "{json}");
        let back = Measured::read(m.claim(), &json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(&back, m);
    }
    let mut bad = gil(500.0, 500.0, 510.0);
    bad.gil_ms = -1.0;
    assert!(!Measured::GilCpu(bad).is_sane());
}

#[test]
fn sizes_follow_the_calibration() {
    // This machine: 1,000,000 in about 75 ms.
    let cal = Calibration { size: CALIBRATION_SIZE, wall_ms: 75.0 };
    let n = cal.primes_size_for(CPU_TARGET_MS);
    assert!((4_000_000..6_500_000).contains(&n), "{n}");
    // Four times slower: a smaller size, still valid.
    let slow = Calibration { size: CALIBRATION_SIZE, wall_ms: 300.0 };
    assert!(slow.primes_size_for(CPU_TARGET_MS) < n);
    // Nonsense calibrations stay in bounds.
    assert!(Calibration { size: 1, wall_ms: 0.0 }.primes_size_for(CPU_TARGET_MS) >= 1_000);
    let s = Sizes::new(&cal, 2);
    assert_eq!((s.cpu.tasks, s.io_few(), s.io_many()), (16, 2, 16));
    for w in [s.cpu, s.uneven, s.crash, s.io] {
        let r = raw_for(&settings(w, Model::Processes, 2, QUEUE), 2);
        let back = r.validate().unwrap_or_else(|e| panic!("{w:?}: {e:?}"));
        assert_eq!(back.workload, w);
    }
    let mixed = settings(s.mixed(MIXED_TASK_MS, 8, 50), Model::GilThreads, 2, Strategy::Static);
    let mut crash = settings(s.crash, Model::Threads, 2, QUEUE);
    crash.crash = true;
    for st in [mixed, crash] {
        assert_eq!(raw_for(&st, 2).validate().unwrap_or_else(|e| panic!("{e:?}")), st);
    }
    assert_eq!(Sizes::new(&cal, 8).io_many(), 32);
}

/// The interpreter's claims, judged from the real counts (natively, the
/// same code the page's worker runs) and real runs as the page reports them.
#[test]
fn the_interpreters_claims_come_out_as_cpython_3_11_behaves() {
    use crate::python::bytecode::explore::{cells, count_cell};
    let Job::Interleavings { threads, iterations } = TOUR_COUNT else { panic!("the tour counts interleavings") };
    let table: Vec<CountCell> = cells().map(|(s, w)| count_cell(s, w, threads, iterations)).collect();
    let of = |s, w| Schedules::of(&table, (s, w)).unwrap_or_else(|e| panic!("{e:?}"));
    let none = Some(Lost { lost: 0, expected: 2_000_000 });
    let many = Some(Lost { lost: 700_000, expected: 2_000_000 });
    let check = |a: Cell, b: Cell, real| InterpCheck { counted: [of(a.0, a.1), of(b.0, b.1)], real, cores: 2 };
    // The GIL and counter += 1: the bare loop whole, the call not.
    let gil = check((Scenario::Increment, Switching::Gil), (Scenario::IncrementCall, Switching::Gil), [none, many]);
    assert_eq!((gil.counted[0].bad, gil.counted[1].bad, gil.counted[1].all), (0, 120, 252));
    assert_eq!(judge_gil_counter(&gil), Verdict::DoesNotHold);
    // From the counts alone too (no shared memory for real runs).
    assert_eq!(judge_gil_counter(&InterpCheck { real: [None, None], ..gil }), Verdict::DoesNotHold);
    // Free threads need the lock the GIL did without.
    let free = check((Scenario::Increment, Switching::Gil), (Scenario::Increment, Switching::Free), [none, many]);
    assert_eq!(judge_free_needs_locks(&free), Verdict::Holds);
    let one_core = InterpCheck { real: [none, none], cores: 1, ..free.clone() };
    assert!(matches!(judge_free_needs_locks(&one_core), Verdict::Inconclusive { .. }));
    assert_eq!(judge_free_needs_locks(&InterpCheck { real: [many, many], ..free }), Verdict::DoesNotHold);
    // list.append: whole under both rules.
    let append = check((Scenario::Append, Switching::Gil), (Scenario::Append, Switching::Free), [none, none]);
    assert_eq!(judge_append(&append), Verdict::Holds);
    assert_eq!(judge_append(&InterpCheck { real: [none, many], ..append }), Verdict::DoesNotHold);
}
