//! The interpreter view's words: each scenario's name, what it breaks and
//! its fix, in both languages; values written as Python's `repr` would;
//! counts too large to read digit by digit written as powers of ten.

use crate::ui::i18n::Lang;
use engine::python::bytecode::play::Blocked;
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::{Builtin, Machine, Object, Switching, Value};
use engine::text::thousands;

/// The scenario's name in the picker and the table.
pub(crate) fn name(lang: Lang, s: Scenario) -> &'static str {
    match s {
        Scenario::Increment => lang.s("counter += 1", "counter += 1"),
        Scenario::IncrementCall => lang.s("counter = counter + int(1)", "counter = counter + int(1)"),
        Scenario::CheckThenAct => lang.s("check, then act on a dict", "dict에 확인 후 실행"),
        Scenario::Append => lang.s("items.append(i)", "items.append(i)"),
        Scenario::WithLock => lang.s("with lock: counter += 1", "with lock: counter += 1"),
        Scenario::OppositeOrders => lang.s("two locks, opposite orders", "락 두 개, 반대 순서"),
        Scenario::OppositeOrdersCall => {
            lang.s("two locks, opposite orders, a call between", "락 두 개, 반대 순서, 사이에 호출")
        }
        Scenario::OneOrder => lang.s("two locks, one order", "락 두 개, 같은 순서"),
    }
}

/// What goes wrong in a bad schedule (the table's noun).
pub(crate) fn what_breaks(lang: Lang, s: Scenario) -> &'static str {
    match s {
        Scenario::Increment | Scenario::IncrementCall | Scenario::WithLock => {
            lang.s("lose an update", "증가 하나가 사라짐")
        }
        Scenario::CheckThenAct => lang.s("make the value twice", "값을 두 번 만듦"),
        Scenario::Append => lang.s("lose an item", "항목 하나가 사라짐"),
        Scenario::OppositeOrders | Scenario::OppositeOrdersCall | Scenario::OneOrder => lang.s("deadlock", "교착 상태"),
    }
}

/// The invariant and why the scenario is here, in a sentence or two.
pub(crate) fn about(lang: Lang, s: Scenario) -> &'static str {
    match s {
        Scenario::Increment => lang.s(
            "Each thread adds 1 per iteration. counter += 1 is a read, an add and a write — but CPython 3.11 checks whether to hand over the GIL only at calls, backward jumps and function entry, never between that read and write. Under the GIL no update is lost; with free threads, updates are.",
            "스레드마다 반복할 때마다 1을 더합니다. counter += 1은 읽기·더하기·쓰기지만, CPython 3.11은 GIL을 넘길지 호출, 뒤로 점프, 함수 진입에서만 확인하고 그 읽기와 쓰기 사이에서는 확인하지 않습니다. GIL 아래에서는 증가가 사라지지 않고, 프리 스레딩에서는 사라집니다.",
        ),
        Scenario::IncrementCall => lang.s(
            "The same with a call between the read and the write: after int(1) returns, 3.11 checks its eval breaker, and another thread can take the GIL while the old value waits on this thread's stack. Even with the GIL, updates are lost.",
            "읽기와 쓰기 사이에 호출이 낀 경우입니다. int(1)이 돌아오면 3.11이 eval breaker를 확인하므로, 옛 값이 스택에 남은 채 다른 스레드가 GIL을 가져갈 수 있습니다. GIL이 있어도 증가가 사라집니다.",
        ),
        Scenario::CheckThenAct => lang.s(
            "if key not in cache: cache[key] = make() — make() must run once, but both threads can find the key missing before either stores it (make() is a call: a switch point). Fix: a lock around both, or cache.setdefault.",
            "if key not in cache: cache[key] = make() — make()는 한 번만 실행되어야 하지만, 어느 쪽이 저장하기 전에 두 스레드가 모두 키가 없다고 볼 수 있습니다 (make()는 호출이라 전환 지점입니다). 해결: 둘을 락으로 묶거나 cache.setdefault.",
        ),
        Scenario::Append => lang.s(
            "items.append(i) is one call into C, done whole under the GIL and under free threading's per-object locks: no schedule loses an item.",
            "items.append(i)는 C 함수 호출 한 번이라 GIL 아래에서도, 객체별 락을 쓰는 프리 스레딩에서도 통째로 실행됩니다. 어떤 스케줄에서도 항목이 사라지지 않습니다.",
        ),
        Scenario::WithLock => lang.s(
            "The fix: with lock: around the increment. A thread that finds the lock taken waits (without the GIL); no schedule loses an update.",
            "해결책: 증가를 with lock:으로 감쌉니다. 락이 잡혀 있으면 (GIL을 내놓고) 기다리므로 어떤 스케줄에서도 증가가 사라지지 않습니다.",
        ),
        Scenario::OppositeOrders => lang.s(
            "One thread takes lock a then b, the other b then a: free threads can each hold one and wait for the other. Under the GIL, taking a free lock is no switch point, so this short version cannot deadlock.",
            "한 스레드는 a 다음 b, 다른 스레드는 b 다음 a를 잡습니다. 프리 스레딩에서는 하나씩 쥔 채 서로를 기다릴 수 있습니다. GIL 아래에서는 빈 락을 잡는 것이 전환 지점이 아니라서 이 짧은 코드는 교착되지 않습니다.",
        ),
        Scenario::OppositeOrdersCall => lang.s(
            "The same with a call between the two acquisitions: a switch point, so under the GIL too each thread can stop holding one lock — a deadlock.",
            "두 락 사이에 호출이 낀 경우: 전환 지점이 생겨 GIL 아래에서도 락 하나를 쥔 채 멈출 수 있고, 교착 상태가 됩니다.",
        ),
        Scenario::OneOrder => lang.s(
            "The fix: every thread takes a, then b. Whoever holds a can always get b; no schedule deadlocks.",
            "해결책: 모든 스레드가 a 다음 b 순서로 잡습니다. a를 쥔 스레드는 언제나 b를 얻으므로 교착되지 않습니다.",
        ),
    }
}

/// The switching rule's name.
pub(crate) fn rule(lang: Lang, w: Switching) -> &'static str {
    match w {
        Switching::Gil => lang.s("GIL (CPython 3.11)", "GIL (CPython 3.11)"),
        Switching::Free => lang.s("free threading (3.13t)", "프리 스레딩 (3.13t)"),
    }
}

/// Why a thread's button is off.
pub(crate) fn blocked(lang: Lang, b: Blocked) -> String {
    match (lang, b) {
        (Lang::En, Blocked::Finished) => "finished".into(),
        (Lang::Ko, Blocked::Finished) => "끝남".into(),
        (Lang::En, Blocked::WaitsForLock) => "waits for a lock another thread holds".into(),
        (Lang::Ko, Blocked::WaitsForLock) => "다른 스레드가 쥔 락을 기다리는 중".into(),
        (Lang::En, Blocked::GilHeldBy(h)) => format!(
            "thread {} holds the GIL: its last instruction did not check the eval breaker, so CPython would not switch here",
            h + 1
        ),
        (Lang::Ko, Blocked::GilHeldBy(h)) => format!(
            "스레드 {}이(가) GIL을 쥐고 있습니다. 방금 실행한 명령어가 eval breaker를 확인하지 않으므로 CPython은 여기서 전환하지 않습니다",
            h + 1
        ),
    }
}

/// A value as Python's `repr` shows it; objects on the heap by content.
pub(crate) fn repr(v: &Value, m: &Machine) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Str(s) => format!("'{s}'"),
        Value::Null => "NULL".into(),
        Value::Builtin(Builtin::Range) => "range".into(),
        Value::Builtin(Builtin::Int) => "int".into(),
        Value::Builtin(Builtin::Append) => "list.append".into(),
        Value::Builtin(Builtin::LockExit(_)) => "lock.__exit__".into(),
        Value::Builtin(Builtin::Next(_)) => "count.__next__".into(),
        Value::RangeIter { next, stop } => format!("range_iterator({next}..{stop})"),
        Value::Ref(r) => match m.shared.heap.get(*r) {
            Some(Object::List(items)) => {
                format!("[{}]", items.iter().map(|i| repr(i, m)).collect::<Vec<_>>().join(", "))
            }
            Some(Object::Dict(items)) => format!(
                "{{{}}}",
                items.iter().map(|(k, v)| format!("{}: {}", repr(k, m), repr(v, m))).collect::<Vec<_>>().join(", ")
            ),
            Some(Object::Count(n)) => format!("count({n})"),
            Some(Object::Lock { owner: None }) => "<unlocked lock>".into(),
            Some(Object::Lock { owner: Some(t) }) => format!("<locked lock: thread {}>", t + 1),
            None => "?".into(),
        },
    }
}

/// A count of schedules: digits up to a quadrillion, then a power of ten.
pub(crate) fn big(n: u128) -> String {
    match u64::try_from(n) {
        Ok(n) if n < 1_000_000_000_000_000 => thousands(n),
        _ => {
            let exp = n.ilog10();
            let mantissa = n as f64 / 10f64.powi(exp as i32);
            format!("{mantissa:.1} × 10^{exp}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_counts_are_written_as_powers_of_ten() {
        assert_eq!(big(70), "70");
        assert_eq!(big(601_080_390), "601,080,390");
        assert_eq!(big(9_904_298_260_191_197_000_000_000_000_000), "9.9 × 10^30");
    }

    #[test]
    fn values_read_as_python_shows_them() {
        let s = Scenario::CheckThenAct;
        let code = s.code().unwrap_or_else(|e| panic!("{e}"));
        let m = s.machine(&code, 2, 1, Switching::Gil);
        let cache = m.global("cache").cloned().unwrap_or(Value::None);
        assert_eq!(repr(&cache, &m), "{}");
        assert_eq!(repr(&Value::Str("config"), &m), "'config'");
        assert_eq!(repr(&Value::Ref(1), &m), "count(1)");
    }
}
