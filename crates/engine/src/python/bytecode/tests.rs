use super::explore::{explore, Counts};
use super::scenarios::Scenario;
use super::*;

fn counts(s: Scenario, threads: usize, iterations: i64, switching: Switching) -> Counts {
    let code = s.code().unwrap_or_else(|e| panic!("{s:?}: {e}"));
    let m = s.machine(&code, threads, iterations, switching);
    explore(&code, &m, &|m| s.holds(m, iterations), usize::MAX).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
}

/// Every schedule, one by one: no memo, for the smallest cases.
fn brute(code: &Code, m: &Machine, holds: &dyn Fn(&Machine) -> bool) -> (u128, u128) {
    if m.finished() {
        return (1, u128::from(!holds(m)));
    }
    if m.deadlocked(code) {
        return (1, 0);
    }
    m.runnable(code).into_iter().fold((0, 0), |acc, t| {
        let mut next = m.clone();
        next.step(code, t).unwrap_or_else(|e| panic!("{e:?}"));
        let (s, b) = brute(code, &next, holds);
        (acc.0 + s, acc.1 + b)
    })
}

#[test]
fn the_listings_read_into_code() {
    let code = Scenario::Increment.code().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code.instrs.len(), 15);
    assert_eq!(code.locals, 2);
    assert_eq!(code.instrs[6].op, Op::ForIter(13), "FOR_ITER jumps to offset 58, the 14th instruction");
    assert_eq!(code.instrs[12].op, Op::JumpBackward(6));
    assert!(Code::from_listing("  1   0 MAKE_CELL 0").is_err(), "an unknown instruction is refused");
}

#[test]
fn under_the_gil_a_bare_increment_never_loses_an_update() {
    // The read (LOAD_GLOBAL), the add and the write (STORE_GLOBAL) sit
    // between two eval-breaker checks: no switch can fall between them.
    for iterations in 1..=2 {
        let c = counts(Scenario::Increment, 2, iterations, Switching::Gil);
        assert!(c.schedules > 1, "{c:?}");
        assert_eq!(c.bad, 0, "{c:?}");
    }
}

#[test]
fn a_call_between_the_read_and_the_write_loses_updates_even_under_the_gil() {
    let c = counts(Scenario::IncrementCall, 2, 1, Switching::Gil);
    assert!(c.bad > 0 && c.bad < c.schedules, "{c:?}");
    // Replaying the bad schedule really loses the update.
    let code = Scenario::IncrementCall.code().unwrap_or_else(|e| panic!("{e}"));
    let mut m = Scenario::IncrementCall.machine(&code, 2, 1, Switching::Gil);
    for &t in c.example.as_deref().unwrap_or_default() {
        m.step(&code, t).unwrap_or_else(|e| panic!("{e:?}"));
    }
    assert!(m.finished());
    assert_eq!(m.global("counter"), Some(&Value::Int(1)));
}

#[test]
fn free_threads_lose_updates_in_both() {
    for s in [Scenario::Increment, Scenario::IncrementCall] {
        let free = counts(s, 2, 1, Switching::Free);
        let gil = counts(s, 2, 1, Switching::Gil);
        assert!(free.bad > 0, "{s:?}: {free:?}");
        assert!(free.schedules > gil.schedules, "{s:?}: free threads can switch anywhere");
    }
}

/// `counter += 1` with no loop, as CPython 3.11 compiles `def bare():
/// global counter; counter += 1`: small enough to try every schedule of
/// free threads one by one.
const STRAIGHT: &str = "  2           0 RESUME                   0

  4           2 LOAD_GLOBAL              0 (counter)
             14 LOAD_CONST               1 (1)
             16 BINARY_OP               13 (+=)
             20 STORE_GLOBAL             0 (counter)
             22 LOAD_CONST               0 (None)
             24 RETURN_VALUE";

#[test]
fn the_counts_agree_with_trying_every_schedule() {
    let code = Code::from_listing(STRAIGHT).unwrap_or_else(|e| panic!("{e}"));
    let holds = |m: &Machine| m.global("counter") == Some(&Value::Int(2));
    for switching in [Switching::Gil, Switching::Free] {
        let m = Machine::new(&code, &[vec![], vec![]], vec![("counter".into(), Value::Int(0))], Vec::new(), switching);
        let c = explore(&code, &m, &holds, usize::MAX).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((c.schedules, c.bad), brute(&code, &m, &holds), "{switching:?}");
        if switching == Switching::Free {
            // Two threads of 7 instructions: C(14, 7) orders.
            assert_eq!(c.schedules, binomial(14, 7));
            assert!(c.bad > 0);
        } else {
            assert_eq!(c.bad, 0, "only RESUME checks: no switch inside the increment");
        }
    }
    // The loops under the GIL: few enough switch points to try them all.
    for s in Scenario::ALL {
        let code = s.code().unwrap_or_else(|e| panic!("{e}"));
        let m = s.machine(&code, 2, 2, Switching::Gil);
        let holds = |m: &Machine| s.holds(m, 2);
        let c = explore(&code, &m, &holds, usize::MAX).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((c.schedules, c.bad), brute(&code, &m, &holds), "{s:?}");
    }
    // Free threads, the loop of one iteration: 9 + 7 instructions a thread.
    let free = counts(Scenario::Increment, 2, 1, Switching::Free);
    assert_eq!(free.schedules, binomial(32, 16));
}

fn binomial(n: u128, k: u128) -> u128 {
    (1..=k).fold(1, |acc, i| acc * (n + 1 - i) / i)
}

#[test]
fn the_step_machine_refuses_a_switch_the_gil_would_not_make() {
    let code = Scenario::Increment.code().unwrap_or_else(|e| panic!("{e}"));
    let mut m = Scenario::Increment.machine(&code, 2, 1, Switching::Gil);
    // Thread 0 runs up to its read of `counter` (RESUME checks, then
    // LOAD_GLOBAL range … CALL checks, GET_ITER, FOR_ITER, STORE_FAST,
    // LOAD_GLOBAL counter).
    for _ in 0..9 {
        m.step(&code, 0).unwrap_or_else(|e| panic!("{e:?}"));
    }
    assert_eq!(m.threads[0].pc, 9);
    assert_eq!(m.step(&code, 1), Err(StepError::NotASwitchPoint { holder: 0 }));
    // Free threads take it.
    let mut free = Machine { switching: Switching::Free, holder: None, ..m.clone() };
    assert_eq!(free.step(&code, 1), Ok(()));
}

/// The fixtures are CPython 3.11's own `dis` output: regenerated here and
/// compared, where `python3` is a 3.11.
#[test]
fn the_listings_are_what_cpython_3_11_prints() {
    use std::process::Command;
    let version = Command::new("python3").arg("--version").output();
    let version = match version {
        Ok(v) => String::from_utf8_lossy(&v.stdout).trim().to_owned(),
        Err(e) => return eprintln!("skipped: no python3 ({e})"),
    };
    if !version.starts_with("Python 3.11") {
        return eprintln!("skipped: the fixtures are CPython 3.11's listings, this is {version}");
    }
    for s in Scenario::ALL {
        let dir = std::env::temp_dir().join(format!("lab-dis-{}-{}", std::process::id(), s.id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("scenario.py");
        std::fs::write(&file, s.source()).unwrap_or_else(|e| panic!("{e}"));
        let out = Command::new("python3").arg("-m").arg("dis").arg(&file).output().unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| l.starts_with("Disassembly of <code object worker"));
        let Some(at) = at else { panic!("{s:?}: no worker in\n{text}") };
        let listing = lines[at + 1..].iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
        assert_eq!(listing.trim_matches('\n'), s.listing(), "{s:?}: the fixture is not what {version} prints");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_lock_keeps_every_increment_under_both_rules() {
    for switching in [Switching::Gil, Switching::Free] {
        let c = counts(Scenario::WithLock, 2, 2, switching);
        assert!(c.schedules > 1, "{c:?}");
        assert_eq!((c.bad, c.deadlocks), (0, 0), "{switching:?}: {c:?}");
    }
}

#[test]
fn opposite_lock_orders_can_deadlock_and_one_order_cannot() {
    let deadlocks = |s: Scenario, switching| counts(s, 2, 1, switching);
    // Free threads: opposite orders deadlock in some schedules.
    let free = deadlocks(Scenario::OppositeOrders, Switching::Free);
    assert!(free.deadlocks > 0 && free.deadlocks < free.schedules, "{free:?}");
    // The GIL: taking a free lock checks no eval breaker, so a thread takes
    // both locks back to back — unless a call between them is a switch point.
    assert_eq!(deadlocks(Scenario::OppositeOrders, Switching::Gil).deadlocks, 0);
    let gil_call = deadlocks(Scenario::OppositeOrdersCall, Switching::Gil);
    assert!(gil_call.deadlocks > 0, "{gil_call:?}");
    // One order never deadlocks.
    for switching in [Switching::Gil, Switching::Free] {
        assert_eq!(deadlocks(Scenario::OneOrder, switching).deadlocks, 0, "{switching:?}");
    }
    // A schedule found really ends with both threads waiting.
    for (s, switching, c) in
        [(Scenario::OppositeOrders, Switching::Free, free), (Scenario::OppositeOrdersCall, Switching::Gil, gil_call)]
    {
        let code = s.code().unwrap_or_else(|e| panic!("{e}"));
        let mut m = s.machine(&code, 2, 1, switching);
        for &t in c.example.as_deref().unwrap_or_default() {
            m.step(&code, t).unwrap_or_else(|e| panic!("{e:?}"));
        }
        assert!(m.deadlocked(&code), "{s:?}: {m:?}");
    }
}

#[test]
fn an_append_is_whole_under_both_rules() {
    for switching in [Switching::Gil, Switching::Free] {
        let c = counts(Scenario::Append, 2, 2, switching);
        assert!(c.schedules > 1, "{c:?}");
        assert_eq!(c.bad, 0, "{switching:?}: {c:?}");
    }
}

/// "Of N schedules, K lose an update": the counts the page will show, pinned
/// (under the GIL they follow from where CPython 3.11 checks the eval
/// breaker; a change there changes them).
#[test]
fn of_n_schedules_k_lose_an_update() {
    let pinned = [
        (Scenario::Increment, 1, Switching::Gil, 70, 0),
        (Scenario::Increment, 2, Switching::Gil, 252, 0),
        (Scenario::IncrementCall, 1, Switching::Gil, 252, 120),
        (Scenario::IncrementCall, 2, Switching::Gil, 3432, 2840),
        (Scenario::Increment, 1, Switching::Free, 601_080_390, 436_763_184),
        (Scenario::IncrementCall, 1, Switching::Free, 35_345_263_800, 33_761_387_660),
    ];
    for (s, iterations, switching, schedules, bad) in pinned {
        let c = counts(s, 2, iterations, switching);
        assert_eq!((c.schedules, c.bad), (schedules, bad), "{s:?} × {iterations} {switching:?}");
    }
}

/// The interpreter view's table, 2 threads × 1 iteration, every scenario
/// under both rules: (schedules, bad, deadlocks). tests/e2e/lab.mjs pins the
/// same table (`INTERP_COUNTS`), which every browser engine must show.
#[test]
fn the_interpreter_views_table_is_pinned() {
    use Switching::{Free, Gil};
    let pinned: [(Scenario, Switching, u128, u128, u128); 16] = [
        (Scenario::Increment, Gil, 70, 0, 0),
        (Scenario::Increment, Free, 601_080_390, 436_763_184, 0),
        (Scenario::IncrementCall, Gil, 252, 120, 0),
        (Scenario::IncrementCall, Free, 35_345_263_800, 33_761_387_660, 0),
        (Scenario::CheckThenAct, Gil, 20, 12, 0),
        (Scenario::CheckThenAct, Free, 10_362_380, 10_350_340, 0),
        (Scenario::Append, Gil, 252, 0, 0),
        (Scenario::Append, Free, 9_075_135_300, 0, 0),
        (Scenario::WithLock, Gil, 252, 0, 0),
        (Scenario::WithLock, Free, 2_340_207_318_204, 0, 0),
        (Scenario::OppositeOrders, Gil, 58, 0, 0),
        (Scenario::OppositeOrders, Free, 45_472_362, 0, 252),
        (Scenario::OppositeOrdersCall, Gil, 128, 0, 12),
        (Scenario::OppositeOrdersCall, Free, 4_143_326_616, 0, 184_756),
        (Scenario::OneOrder, Gil, 58, 0, 0),
        (Scenario::OneOrder, Free, 947_280, 0, 0),
    ];
    assert_eq!(pinned.len(), Scenario::ALL.len() * 2, "every scenario under both rules");
    for (s, switching, schedules, bad, deadlocks) in pinned {
        let c = counts(s, 2, 1, switching);
        assert_eq!((c.schedules, c.bad, c.deadlocks), (schedules, bad, deadlocks), "{s:?} {switching:?}");
    }
}

#[test]
fn check_then_act_makes_twice_under_both_rules() {
    for switching in [Switching::Gil, Switching::Free] {
        let c = counts(Scenario::CheckThenAct, 2, 1, switching);
        assert!(c.bad > 0 && c.bad < c.schedules, "{switching:?}: {c:?}");
        let code = Scenario::CheckThenAct.code().unwrap_or_else(|e| panic!("{e}"));
        let mut m = Scenario::CheckThenAct.machine(&code, 2, 1, switching);
        for &t in c.example.as_deref().unwrap_or_default() {
            m.step(&code, t).unwrap_or_else(|e| panic!("{e:?}"));
        }
        // Both threads called make(): the count moved twice.
        assert_eq!(m.shared.heap.get(1), Some(&Object::Count(3)), "{switching:?}");
    }
}

#[test]
fn an_instruction_shows_its_dis_columns_without_the_line_number() {
    let code = Scenario::Increment.code().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code.instrs[0].text, "0 RESUME 0");
    assert_eq!(code.instrs[6].text, "32 FOR_ITER 12 (to 58)");
    assert_eq!(code.instrs[8].text, "36 LOAD_GLOBAL 2 (counter)");
}

#[test]
fn a_refused_step_says_which_thread_in_words() {
    // What a worker sends the page when a count or a real run is refused:
    // Display, numbered from 1 as the view numbers threads.
    assert_eq!(
        StepError::NotASwitchPoint { holder: 0 }.to_string(),
        "thread 1 holds the GIL between two instructions where CPython does not switch"
    );
    assert_eq!(StepError::NotRunnable(1).to_string(), "thread 2 cannot run: it has finished or does not exist");
    let stuck = StepError::Stuck { thread: 2, why: "empty stack".into() };
    assert_eq!(stuck.to_string(), "thread 3 is stuck: empty stack");
}
