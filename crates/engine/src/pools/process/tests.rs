//! Tests of `process`.

use super::*;
use crate::analysis::report::SegmentState;
use crate::work::workload::{Plan, Workload, WorkloadKind};

fn tasks(n: usize) -> Vec<Task> {
    Workload { kind: WorkloadKind::Primes, size: 1000 * n as u64, tasks: n, plan: Plan::Uniform, mix: None }.tasks()
}

fn spawned(cmds: &[PoolCommand]) -> Vec<WorkerId> {
    cmds.iter().filter_map(|c| if let PoolCommand::Spawn(id) = c { Some(*id) } else { None }).collect()
}

fn sent(cmds: &[PoolCommand]) -> Vec<(WorkerId, Vec<usize>)> {
    cmds.iter()
        .filter_map(|c| match c {
            PoolCommand::Send(id, ProcRequest::Batch { tasks, .. }) => {
                Some((*id, tasks.iter().map(|t| t.id).collect()))
            }
            _ => None,
        })
        .collect()
}

fn end(cmds: &[PoolCommand]) -> Option<&JobEnd> {
    cmds.iter().find_map(|c| if let PoolCommand::End(e) = c { Some(e) } else { None })
}

fn done(task: &Task, run_id: u64) -> ProcReply {
    let outcome = TaskOutcome::single(task, 0, task.id as u64 + 1, SegmentState::Computing, 0.0, 1.0);
    ProcReply::Done { run_id, outcome, memory: 1 << 20, took: None }
}

/// A pool of `n` loaded workers and their ids.
fn started(n: usize) -> (ProcessPoolBook, Vec<WorkerId>) {
    let mut book = ProcessPoolBook::default();
    let cmds = book.ensure(n, 0.0);
    let ids = spawned(&cmds);
    assert_eq!(ids.len(), n);
    assert_eq!(end(&cmds), None);
    let mut last = Vec::new();
    for &id in &ids {
        last = book.handle(PoolEvent::Reply(id, ProcReply::Loaded { build: build_id().into() }), 40.0);
    }
    assert_eq!(end(&last), Some(&JobEnd::Started { startup_ms: 40.0 }));
    (book, ids)
}

/// Answers every batch in `cmds` (and those it leads to) until the run
/// ends; returns the end.
fn answer_all(book: &mut ProcessPoolBook, run_id: u64, all: &[Task], cmds: Vec<PoolCommand>) -> JobEnd {
    let mut queue: VecDeque<PoolCommand> = cmds.into();
    while let Some(cmd) = queue.pop_front() {
        match cmd {
            PoolCommand::Send(id, ProcRequest::Batch { tasks, .. }) => {
                for t in tasks {
                    queue.extend(book.handle(PoolEvent::Reply(id, done(&all[t.id], run_id)), 5.0));
                }
            }
            PoolCommand::End(e) => return e,
            _ => {}
        }
    }
    panic!("the run never ended");
}

#[test]
fn a_run_hands_every_task_out_once_and_ends() {
    let (mut book, ids) = started(2);
    assert!(book.is_idle());
    let all = tasks(7);
    let cmds = book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 2 }, Delivery::Messages, 1.0);
    // Mid-job the pool cannot be given back to the lab for another job.
    assert!(!book.is_idle());
    assert_eq!(sent(&cmds), vec![(ids[0], vec![0, 1]), (ids[1], vec![2, 3])]);
    let JobEnd::Ran(data) = answer_all(&mut book, 1, &all, cmds) else { panic!() };
    let mut got: Vec<usize> = data.outcomes.iter().map(|o| o.task).collect();
    got.sort_unstable();
    assert_eq!(got, (0..7).collect::<Vec<_>>());
    assert!(data.failures.is_empty());
    assert_eq!(book.memory(), 1 << 20);
    assert!(book.is_idle());
}

#[test]
fn static_slices_are_sent_up_front() {
    let (mut book, ids) = started(3);
    let cmds = book.run_tasks(1, tasks(7), Strategy::Static, Delivery::Messages, 0.0);
    assert_eq!(sent(&cmds), vec![(ids[0], vec![0, 3, 6]), (ids[1], vec![1, 4]), (ids[2], vec![2, 5])]);
}

#[test]
fn a_crash_mid_run_replaces_the_worker_and_keeps_the_rest() {
    let (mut book, ids) = started(2);
    let all = tasks(6);
    let cmds = book.run_tasks(1, all.clone(), Strategy::Static, Delivery::Messages, 0.0);
    assert_eq!(sent(&cmds), vec![(ids[0], vec![0, 2, 4]), (ids[1], vec![1, 3, 5])]);
    // Worker 1 answers task 1, then dies on task 3 after its last words.
    book.handle(PoolEvent::Reply(ids[1], done(&all[1], 1)), 1.0);
    let panic_text = CrashCause::CrashSwitch { task: 3 }.to_string();
    assert!(book.handle(PoolEvent::Reply(ids[1], ProcReply::Crashed { message: panic_text }), 2.0).is_empty());
    let cmds = book.handle(PoolEvent::Died(ids[1], "unreachable".into()), 2.0);
    let fresh = spawned(&cmds);
    assert_eq!(fresh.len(), 1);
    assert!(cmds.contains(&PoolCommand::Terminate(ids[1])));
    assert!(!ids.contains(&fresh[0]));
    assert_eq!(book.size(), 2);
    // Its late error (the browser's second event) changes nothing.
    assert!(book.handle(PoolEvent::Died(ids[1], "again".into()), 2.0).is_empty());
    // The replacement gets the dead worker's unanswered task 5 once loaded.
    let cmds = book.handle(PoolEvent::Reply(fresh[0], ProcReply::Loaded { build: build_id().into() }), 3.0);
    assert_eq!(sent(&cmds), vec![(fresh[0], vec![5])]);
    let mut rest = cmds;
    rest.extend(book.handle(PoolEvent::Reply(ids[0], done(&all[0], 1)), 4.0));
    rest.extend(book.handle(PoolEvent::Reply(ids[0], done(&all[2], 1)), 4.0));
    rest.push(PoolCommand::Send(ids[0], ProcRequest::Batch { run_id: 1, worker: 0, tasks: vec![all[4]] }));
    let JobEnd::Ran(data) = answer_all(&mut book, 1, &all, rest) else { panic!() };
    assert_eq!(data.outcomes.len(), 5);
    assert_eq!(data.failures, vec![TaskFailure { task: 3, worker: 1, cause: CrashCause::CrashSwitch { task: 3 } }]);
}

#[test]
fn a_crash_on_the_last_task_ends_the_run() {
    let (mut book, ids) = started(1);
    let all = tasks(1);
    book.run_tasks(1, all, Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 0.0);
    let cmds = book.handle(PoolEvent::Died(ids[0], "boom".into()), 9.0);
    let Some(JobEnd::Ran(data)) = end(&cmds) else { panic!("{cmds:?}") };
    assert_eq!(data.failures[0].cause, CrashCause::Died { detail: "boom".into() });
    // The replacement loads for the next run.
    assert_eq!(spawned(&cmds).len(), 1);
}

#[test]
fn cancel_mid_run_terminates_everyone_and_late_replies_are_dropped() {
    let (mut book, ids) = started(2);
    let all = tasks(8);
    book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 0.0);
    book.handle(PoolEvent::Reply(ids[0], done(&all[0], 1)), 1.0);
    let cmds = book.handle(PoolEvent::Cancel, 2.0);
    assert_eq!(
        cmds,
        vec![
            PoolCommand::Terminate(ids[0]),
            PoolCommand::Terminate(ids[1]),
            PoolCommand::End(JobEnd::Failed(RunError::Cancelled))
        ]
    );
    assert_eq!(book.size(), 0);
    // A cancelled pool is idle again: the lab keeps it (with no workers).
    assert!(book.is_idle());
    // A reply still in flight from a terminated worker is dropped.
    assert!(book.handle(PoolEvent::Reply(ids[1], done(&all[1], 1)), 3.0).is_empty());
    // The next run starts fresh workers, with new ids.
    let cmds = book.ensure(2, 4.0);
    let fresh = spawned(&cmds);
    assert!(fresh.iter().all(|id| !ids.contains(id)));
    for &id in &fresh {
        book.handle(PoolEvent::Reply(id, ProcReply::Loaded { build: build_id().into() }), 5.0);
    }
    // A late reply of run 1 that reaches a new worker's id is not
    // possible; one of run 1 from a *live* worker is dropped too.
    let cmds = book.run_tasks(2, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 6.0);
    assert!(book.handle(PoolEvent::Reply(fresh[0], done(&all[0], 1)), 6.5).is_empty());
    let JobEnd::Ran(data) = answer_all(&mut book, 2, &all, cmds) else { panic!() };
    assert_eq!(data.outcomes.len(), 8);
}

#[test]
fn the_pool_is_reused_across_runs() {
    let (mut book, ids) = started(2);
    let all = tasks(4);
    for run_id in 1..=3 {
        let cmds = book.ensure(2, 0.0);
        assert_eq!(cmds, vec![PoolCommand::End(JobEnd::Started { startup_ms: 0.0 })]);
        let cmds = book.run_tasks(run_id, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 0.0);
        assert!(sent(&cmds).iter().all(|(id, _)| ids.contains(id)));
        assert!(matches!(answer_all(&mut book, run_id, &all, cmds), JobEnd::Ran(d) if d.outcomes.len() == 4));
    }
    // Shrinking terminates the extra worker; growing spawns one.
    assert_eq!(
        book.ensure(1, 0.0),
        vec![PoolCommand::Terminate(ids[1]), PoolCommand::End(JobEnd::Started { startup_ms: 0.0 })]
    );
    assert_eq!(spawned(&book.ensure(2, 0.0)).len(), 1);
}

#[test]
fn more_workers_than_tasks_still_ends() {
    let (mut book, _) = started(8);
    let all = tasks(3);
    for strategy in [Strategy::Static, Strategy::Dynamic { chunk: 1 }] {
        let cmds = book.run_tasks(1, all.clone(), strategy, Delivery::Messages, 0.0);
        assert_eq!(sent(&cmds).len(), 3, "idle workers get no empty batch");
        assert!(matches!(answer_all(&mut book, 1, &all, cmds), JobEnd::Ran(d) if d.outcomes.len() == 3));
    }
    let empty = book.run_tasks(2, Vec::new(), Strategy::Static, Delivery::Messages, 0.0);
    assert!(matches!(end(&empty), Some(JobEnd::Ran(d)) if d.outcomes.is_empty()));
}

#[test]
fn a_worker_that_never_loads_fails_the_start_at_its_deadline() {
    let mut book = ProcessPoolBook::default();
    let ids = spawned(&book.ensure(2, 100.0));
    assert_eq!(book.deadline(), Some(100.0 + START_TIMEOUT_MS));
    // One loads; the other stays silent (its wasm failed to compile).
    // The clock restarts at the last load.
    book.handle(PoolEvent::Reply(ids[0], ProcReply::Loaded { build: build_id().into() }), 150.0);
    assert_eq!(book.deadline(), Some(150.0 + START_TIMEOUT_MS));
    // An early tick changes nothing.
    assert!(book.handle(PoolEvent::Tick, 5_000.0).is_empty());
    let cmds = book.handle(PoolEvent::Tick, 150.0 + START_TIMEOUT_MS);
    assert_eq!(end(&cmds), Some(&JobEnd::Failed(RunError::Unavailable(Unavailable::StartTimeout { seconds: 8 }))));
    assert!(cmds.contains(&PoolCommand::Terminate(ids[0])) && cmds.contains(&PoolCommand::Terminate(ids[1])));
    assert_eq!((book.size(), book.deadline()), (0, None));
    // The next start begins afresh.
    assert_eq!(spawned(&book.ensure(1, 20_000.0)).len(), 1);
    assert_eq!(book.deadline(), Some(20_000.0 + START_TIMEOUT_MS));
}

#[test]
fn a_start_that_keeps_loading_workers_is_not_stuck() {
    // 32 workers loading at once on two cores: they arrive one by one,
    // the last long after the first deadline would have passed.
    let mut book = ProcessPoolBook::default();
    let ids = spawned(&book.ensure(32, 0.0));
    let step = START_TIMEOUT_MS / 4.0;
    let mut last = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let now = step * (i + 1) as f64;
        assert!(book.handle(PoolEvent::Tick, now).is_empty(), "worker {i} arrives in time");
        last = book.handle(PoolEvent::Reply(id, ProcReply::Loaded { build: build_id().into() }), now);
        if i + 1 < ids.len() {
            assert_eq!(book.deadline(), Some(now + START_TIMEOUT_MS));
        }
    }
    assert!(matches!(end(&last), Some(JobEnd::Started { .. })));
    assert_eq!(book.deadline(), None);
}

#[test]
fn a_replacement_that_never_loads_fails_the_run() {
    let (mut book, ids) = started(2);
    let all = tasks(4);
    book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 1 }, Delivery::Messages, 50.0);
    assert_eq!(book.deadline(), None, "every worker has loaded");
    let cmds = book.handle(PoolEvent::Died(ids[1], "unreachable".into()), 60.0);
    assert_eq!(spawned(&cmds).len(), 1);
    assert_eq!(book.deadline(), Some(60.0 + START_TIMEOUT_MS));
    let cmds = book.handle(PoolEvent::Tick, 60.0 + START_TIMEOUT_MS);
    assert!(matches!(end(&cmds), Some(JobEnd::Failed(RunError::Unavailable(Unavailable::StartTimeout { .. })))));
}

#[test]
fn an_idle_pool_has_no_deadline() {
    let (book, _) = started(2);
    assert_eq!(book.deadline(), None);
}

#[test]
fn a_worker_that_fails_to_load_fails_the_start() {
    let mut book = ProcessPoolBook::default();
    let ids = spawned(&book.ensure(2, 0.0));
    let cmds = book.handle(PoolEvent::Died(ids[1], "SyntaxError".into()), 1.0);
    assert_eq!(
        end(&cmds),
        Some(&JobEnd::Failed(RunError::Unavailable(Unavailable::WorkerLoad { detail: "SyntaxError".into() })))
    );
    assert_eq!(book.size(), 0);
    let mut book = ProcessPoolBook::default();
    let ids = spawned(&book.ensure(1, 0.0));
    let cmds = book.handle(PoolEvent::SpawnFailed(ids[0], "blocked by CSP".into()), 1.0);
    assert!(matches!(end(&cmds), Some(JobEnd::Failed(RunError::Unavailable(Unavailable::WorkerStart { .. })))));
}

#[test]
fn the_event_loop_and_the_count_jobs() {
    let (mut book, ids) = started(2);
    let cmds = book.run_event_loop(7, tasks(3), 10.0);
    assert!(matches!(&cmds[..], [PoolCommand::Send(id, ProcRequest::EventLoop { run_id: 7, .. })] if *id == ids[0]));
    let reply = ProcReply::LoopDone { run_id: 7, outcomes: vec![], failures: vec![], blocked_ms: 12.0 };
    let cmds = book.handle(PoolEvent::Reply(ids[0], reply), 30.0);
    let Some(JobEnd::Ran(data)) = end(&cmds) else { panic!() };
    assert_eq!((data.started_at, data.finished_at, data.loop_blocked_ms), (10.0, 30.0, Some(12.0)));
    // A crash inside the loop fails the run with the panic's words.
    book.run_event_loop(8, tasks(3), 0.0);
    book.handle(PoolEvent::Reply(ids[0], ProcReply::Crashed { message: "oops".into() }), 1.0);
    let cmds = book.handle(PoolEvent::Died(ids[0], "unreachable".into()), 1.0);
    let cause = CrashCause::Panic { message: "oops".into() };
    assert_eq!(end(&cmds), Some(&JobEnd::Failed(RunError::Failed(Failure::EventLoopDied { cause }))));

    let (mut book, ids) = started(2);
    assert_eq!(book.count(5, 0.0).len(), 2);
    assert!(book.handle(PoolEvent::Reply(ids[0], ProcReply::Counted { n: 5, ms: 1.0 }), 1.0).is_empty());
    let cmds = book.handle(PoolEvent::Reply(ids[1], ProcReply::Counted { n: 5, ms: 1.0 }), 2.0);
    let Some(JobEnd::Counted(r)) = end(&cmds) else { panic!() };
    assert_eq!((r.expected, r.counted, r.workers), (10, 10, 2));
}

#[test]
fn calibration_and_the_convoy_in_processes() {
    let (mut book, ids) = started(3);
    assert_eq!(book.calibrate(), vec![PoolCommand::Send(ids[0], ProcRequest::Calibrate)]);
    let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Calibrated { rounds_per_ms: 4200 }), 1.0);
    assert_eq!(end(&cmds), Some(&JobEnd::Calibrated(4200)));
    // Two spinners, then the I/O loop in the first process.
    let cmds = book.convoy(9, 2, 50, 1, 300.0);
    assert_eq!(cmds.len(), 3);
    assert!(
        matches!(cmds[2], PoolCommand::Send(id, ProcRequest::IoLoop { run_id: 9, waits: 50, wait_ms: 1 }) if id == ids[0])
    );
    let io = ProcReply::IoLoopDone { run_id: 9, samples: vec![1.1, 1.2], blocking: true };
    assert!(book.handle(PoolEvent::Reply(ids[0], io), 2.0).is_empty());
    assert!(book.handle(PoolEvent::Reply(ids[1], ProcReply::Spun { run_id: 9 }), 3.0).is_empty());
    // A late reply of another run changes nothing.
    assert!(book.handle(PoolEvent::Reply(ids[2], ProcReply::Spun { run_id: 8 }), 3.0).is_empty());
    let cmds = book.handle(PoolEvent::Reply(ids[2], ProcReply::Spun { run_id: 9 }), 4.0);
    assert_eq!(end(&cmds), Some(&JobEnd::Convoy { samples: vec![1.1, 1.2], blocking: true }));
    // Too few processes for the spinners asked for.
    assert!(matches!(end(&book.convoy(10, 3, 50, 1, 300.0)), Some(JobEnd::Failed(_))));
}

#[test]
fn data_and_memory_jobs_collect_every_worker() {
    let (mut book, ids) = started(2);
    let chunks = crate::analysis::moving_data::chunks(1000, 2);
    let cmds = book.sum_given(3, &chunks, false);
    assert!(
        matches!(&cmds[1], PoolCommand::SendData(id, ProcRequest::SumGiven { offset: 500, len: 500, .. }, 1) if *id == ids[1])
    );
    let part = |worker, offset| DataPart {
        worker,
        offset,
        len: 500,
        sent_at: 0.0,
        received_at: 1.0,
        finished_at: 2.0,
        sum: 7,
    };
    assert!(book.handle(PoolEvent::Reply(ids[1], ProcReply::Summed { run_id: 3, part: part(1, 500) }), 2.0).is_empty());
    // A reply of another run is not counted.
    assert!(book.handle(PoolEvent::Reply(ids[0], ProcReply::Summed { run_id: 2, part: part(0, 0) }), 2.0).is_empty());
    let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Summed { run_id: 3, part: part(0, 0) }), 2.0);
    assert!(matches!(end(&cmds), Some(JobEnd::Summed(p)) if p.len() == 2));
    book.memory_report();
    book.handle(PoolEvent::Reply(ids[1], ProcReply::Memory { bytes: 20 }), 3.0);
    let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Memory { bytes: 10 }), 3.0);
    assert_eq!(end(&cmds), Some(&JobEnd::Memory(vec![10, 20])));
    assert_eq!(book.memory(), 20);
}

/// The `Pull` requests in `cmds`: (worker, its first tasks, chunk).
fn pulls(cmds: &[PoolCommand]) -> Vec<(WorkerId, Vec<usize>, usize)> {
    cmds.iter()
        .filter_map(|c| match c {
            PoolCommand::SendData(id, ProcRequest::Pull { first, chunk, tasks, .. }, 0) => {
                assert_eq!(tasks.len(), 7, "every worker gets the whole task list");
                Some((*id, first.clone(), *chunk))
            }
            _ => None,
        })
        .collect()
}

fn done_then(task: &Task, run_id: u64, took: Option<std::ops::Range<usize>>) -> ProcReply {
    let ProcReply::Done { outcome, memory, .. } = done(task, run_id) else { unreachable!() };
    ProcReply::Done { run_id, outcome, memory, took }
}

#[test]
fn with_a_shared_counter_workers_take_tasks_themselves() {
    let (mut book, ids) = started(2);
    let all = tasks(7);
    let cmds = book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 2 }, Delivery::SharedCounter, 0.0);
    // No chunk is handed out: each worker is sent the list and the
    // counter (payload 0) once, and nothing more is ever sent.
    assert_eq!(pulls(&cmds), vec![(ids[0], vec![], 2), (ids[1], vec![], 2)]);
    assert!(sent(&cmds).is_empty());
    let mut h = |id, reply| book.handle(PoolEvent::Reply(id, reply), 5.0);
    assert!(h(ids[0], ProcReply::Took { run_id: 1, tasks: 0..2 }).is_empty());
    assert!(h(ids[1], ProcReply::Took { run_id: 1, tasks: 2..4 }).is_empty());
    // A claim of another run is not booked.
    assert!(h(ids[1], ProcReply::Took { run_id: 0, tasks: 4..6 }).is_empty());
    let c = h(ids[0], done_then(&all[0], 1, None));
    assert_eq!(c, vec![PoolCommand::Progress(1)], "no round trip: nothing is sent back");
    h(ids[0], done_then(&all[1], 1, Some(4..6)));
    h(ids[1], done_then(&all[2], 1, None));
    h(ids[1], done_then(&all[3], 1, Some(6..8)));
    for t in [4, 5] {
        h(ids[0], done_then(&all[t], 1, None));
    }
    let c = h(ids[1], done_then(&all[6], 1, None));
    let Some(JobEnd::Ran(data)) = end(&c) else { panic!("the run ends: {c:?}") };
    let mut got: Vec<usize> = data.outcomes.iter().map(|o| o.task).collect();
    got.sort_unstable();
    assert_eq!(got, (0..7).collect::<Vec<_>>());
}

#[test]
fn with_a_shared_counter_a_crash_loses_only_the_running_task() {
    let (mut book, ids) = started(2);
    let all = tasks(7);
    book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 2 }, Delivery::SharedCounter, 0.0);
    let mut h = |id, reply| book.handle(PoolEvent::Reply(id, reply), 5.0);
    h(ids[0], ProcReply::Took { run_id: 1, tasks: 0..2 });
    h(ids[1], ProcReply::Took { run_id: 1, tasks: 2..4 });
    h(ids[0], done_then(&all[0], 1, None));
    // Worker 0 is running task 1 when it dies.
    h(ids[0], ProcReply::Crashed { message: "panicked at src/engine/workload.rs: crash switch: task 1".into() });
    let cmds = book.handle(PoolEvent::Died(ids[0], "unreachable".into()), 6.0);
    assert!(cmds.contains(&PoolCommand::Terminate(ids[0])));
    let fresh = spawned(&cmds);
    assert_eq!(fresh.len(), 1);
    // Worker 1 goes on taking tasks meanwhile.
    book.handle(PoolEvent::Reply(ids[1], done_then(&all[2], 1, None)), 7.0);
    book.handle(PoolEvent::Reply(ids[1], done_then(&all[3], 1, Some(4..6))), 7.0);
    // The replacement is sent the list and the counter, with nothing of
    // its own to run first (the dead worker's one task was the lost one).
    let cmds = book.handle(PoolEvent::Reply(fresh[0], ProcReply::Loaded { build: build_id().into() }), 8.0);
    assert_eq!(pulls(&cmds), vec![(fresh[0], vec![], 2)]);
    book.handle(PoolEvent::Reply(fresh[0], ProcReply::Took { run_id: 1, tasks: 6..8 }), 9.0);
    book.handle(PoolEvent::Reply(ids[1], done_then(&all[4], 1, None)), 9.0);
    book.handle(PoolEvent::Reply(fresh[0], done_then(&all[6], 1, None)), 9.0);
    let c = book.handle(PoolEvent::Reply(ids[1], done_then(&all[5], 1, None)), 10.0);
    let Some(JobEnd::Ran(data)) = end(&c) else { panic!("the run ends: {c:?}") };
    assert_eq!(data.outcomes.len(), 6);
    assert_eq!(data.failures.len(), 1);
    assert_eq!(data.failures[0].task, 1);
}

#[test]
fn a_crash_with_tasks_taken_hands_the_rest_to_the_replacement() {
    let (mut book, ids) = started(1);
    let all = tasks(7);
    book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 3 }, Delivery::SharedCounter, 0.0);
    book.handle(PoolEvent::Reply(ids[0], ProcReply::Took { run_id: 1, tasks: 0..3 }), 1.0);
    book.handle(PoolEvent::Reply(ids[0], ProcReply::Crashed { message: "task 0 crashed".into() }), 1.5);
    let cmds = book.handle(PoolEvent::Died(ids[0], "unreachable".into()), 2.0);
    let fresh = spawned(&cmds);
    let cmds = book.handle(PoolEvent::Reply(fresh[0], ProcReply::Loaded { build: build_id().into() }), 3.0);
    // Task 0 was running and is lost; 1 and 2 were taken and not begun.
    assert_eq!(pulls(&cmds), vec![(fresh[0], vec![1, 2], 3)]);
}

#[test]
fn replies_sent_together_are_booked_in_order() {
    let (mut book, ids) = started(1);
    let all = tasks(7);
    book.run_tasks(1, all.clone(), Strategy::Dynamic { chunk: 4 }, Delivery::SharedCounter, 0.0);
    let mut replies = vec![ProcReply::Took { run_id: 1, tasks: 0..4 }];
    replies.extend((0..3).map(|t| done_then(&all[t], 1, None)));
    replies.push(done_then(&all[3], 1, Some(4..7)));
    let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Many { replies }), 1.0);
    assert_eq!(cmds.last(), Some(&PoolCommand::Progress(4)));
    let replies = (4..7).map(|t| done_then(&all[t], 1, None)).collect();
    let cmds = book.handle(PoolEvent::Reply(ids[0], ProcReply::Many { replies }), 2.0);
    assert!(matches!(end(&cmds), Some(JobEnd::Ran(d)) if d.outcomes.len() == 7));
}

#[test]
fn with_a_shared_counter_a_death_without_a_word_breaks_the_run() {
    // It may have taken tasks it never reported: the run could never
    // end, so it stops with an error (`BrokenProcessPool`).
    let (mut book, ids) = started(2);
    book.run_tasks(1, tasks(7), Strategy::Dynamic { chunk: 1 }, Delivery::SharedCounter, 0.0);
    book.handle(PoolEvent::Reply(ids[0], ProcReply::Took { run_id: 1, tasks: 0..1 }), 1.0);
    let cmds = book.handle(PoolEvent::Died(ids[1], "killed".into()), 2.0);
    assert!(matches!(end(&cmds), Some(JobEnd::Failed(RunError::Failed(Failure::ProcessDied { worker: 1, .. })))));
}

#[test]
fn static_slices_never_use_the_counter() {
    let (mut book, _) = started(2);
    let cmds = book.run_tasks(1, tasks(7), Strategy::Static, Delivery::SharedCounter, 0.0);
    assert!(pulls(&cmds).is_empty());
    assert_eq!(sent(&cmds).len(), 2);
}

#[test]
fn one_job_at_a_time() {
    let (mut book, _) = started(1);
    book.run_tasks(1, tasks(2), Strategy::Static, Delivery::Messages, 0.0);
    assert!(matches!(end(&book.count(3, 0.0)), Some(JobEnd::Failed(_))));
}

#[test]
fn the_interleavings_are_counted_in_the_first_worker_cell_by_cell() {
    use crate::python::bytecode::explore::{cells, count_cell};
    let (mut book, ids) = started(2);
    assert_eq!(book.explore(2, 1), vec![PoolCommand::Send(ids[0], ProcRequest::Explore { threads: 2, iterations: 1 })]);
    let all: Vec<_> = cells().collect();
    let mut last = Vec::new();
    for (i, &(s, w)) in all.iter().enumerate() {
        last = book.handle(PoolEvent::Reply(ids[0], ProcReply::Explored { cell: count_cell(s, w, 2, 1) }), 1.0);
        assert_eq!(last.first(), Some(&PoolCommand::Progress(i + 1)));
    }
    match end(&last) {
        Some(JobEnd::Explored(got)) => assert_eq!(got.len(), all.len()),
        other => panic!("{other:?}"),
    }
    // A worker that dies while counting ends the job with a failure.
    book.explore(2, 1);
    let cmds = book.handle(PoolEvent::Died(ids[0], "gone".into()), 2.0);
    assert!(matches!(end(&cmds), Some(JobEnd::Failed(_))), "{cmds:?}");
}
