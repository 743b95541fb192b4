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

/// The invariant and why the scenario is here, one sentence or two.
pub(crate) fn about(lang: Lang, s: Scenario) -> &'static str {
    match s {
        Scenario::Increment => lang.s(
            "Every thread adds 1 per iteration: the counter must end at threads × iterations. counter += 1 is four instructions — read, add, write — yet CPython 3.11 checks whether to hand over the GIL only at calls, backward jumps and function entry, never between the read and the write. Under the GIL this loop cannot lose an update; free threads can.",
            "스레드마다 반복 한 번에 1씩 더하므로 카운터는 스레드 수 × 반복 횟수로 끝나야 합니다. counter += 1은 읽기·더하기·쓰기로 이어지는 명령어 네 개지만, CPython 3.11은 GIL을 넘길지 호출, 뒤로 점프, 함수 진입에서만 확인하고 읽기와 쓰기 사이에서는 확인하지 않습니다. 그래서 GIL 아래에서는 이 루프가 증가를 잃지 않고, 프리 스레딩에서는 잃습니다.",
        ),
        Scenario::IncrementCall => lang.s(
            "The same count with a call between the read and the write. A call into C is where 3.11 checks its eval breaker: another thread can take the GIL after int(1) returns, with the old value still on this thread's stack. Even with the GIL, updates are lost.",
            "같은 카운트지만 읽기와 쓰기 사이에 호출이 있습니다. C 함수 호출은 3.11이 eval breaker를 확인하는 지점이라, int(1)이 돌아온 뒤 다른 스레드가 GIL을 가져갈 수 있고 이 스레드의 스택에는 옛 값이 남아 있습니다. GIL이 있어도 증가가 사라집니다.",
        ),
        Scenario::CheckThenAct => lang.s(
            "if key not in cache: cache[key] = make() — make() must run once. The check and the store are separate steps with a call between them: two threads can both find the key missing, and both make it. The fix: a lock around check and store, or cache.setdefault.",
            "if key not in cache: cache[key] = make() — make()는 한 번만 실행되어야 합니다. 확인과 저장은 따로 떨어진 단계이고 그 사이에 호출이 있어서, 두 스레드가 모두 키가 없다고 보고 둘 다 값을 만들 수 있습니다. 해결책은 확인과 저장을 락으로 묶거나 cache.setdefault를 쓰는 것입니다.",
        ),
        Scenario::Append => lang.s(
            "items.append(i) is one call into C, and a list's append happens whole — under the GIL, and with free threading's per-object locks. No item is lost, whatever the schedule.",
            "items.append(i)는 C 함수 호출 한 번이고, 리스트의 append는 통째로 일어납니다 — GIL 아래에서도, 객체마다 락을 거는 프리 스레딩에서도. 어떤 스케줄에서도 항목이 사라지지 않습니다.",
        ),
        Scenario::WithLock => lang.s(
            "The fix for the counter: with lock: around the increment. A thread that reaches the lock while another holds it waits (and lets the GIL go); no schedule loses an update.",
            "카운터의 해결책: 증가를 with lock:으로 감쌉니다. 다른 스레드가 락을 쥐고 있으면 기다리고(그동안 GIL을 내놓습니다), 어떤 스케줄에서도 증가가 사라지지 않습니다.",
        ),
        Scenario::OppositeOrders => lang.s(
            "One thread takes lock a then b, the other b then a. With free threads each can hold one and wait for the other: a deadlock. Under the GIL, taking a free lock checks no eval breaker, so a thread takes both back to back — this short version cannot deadlock there.",
            "한 스레드는 락 a 다음 b를, 다른 스레드는 b 다음 a를 잡습니다. 프리 스레딩에서는 서로 하나씩 쥔 채 상대 락을 기다리는 교착 상태가 생깁니다. GIL 아래에서는 비어 있는 락을 잡을 때 eval breaker를 확인하지 않아 두 락을 연달아 잡으므로, 이 짧은 코드는 교착되지 않습니다.",
        ),
        Scenario::OppositeOrdersCall => lang.s(
            "The same with a call between the two acquisitions: a switch point, so under the GIL too a thread can be stopped holding one lock — and the two threads deadlock.",
            "두 락을 잡는 사이에 호출이 있는 경우입니다. 전환 지점이 생기므로 GIL 아래에서도 락 하나를 쥔 채 멈출 수 있고, 두 스레드가 교착 상태에 빠집니다.",
        ),
        Scenario::OneOrder => lang.s(
            "The fix: every thread takes a, then b. Whoever holds a can always get b; no schedule deadlocks.",
            "해결책: 모든 스레드가 a 다음 b 순서로 잡습니다. a를 쥔 스레드는 언제나 b를 얻을 수 있어서 어떤 스케줄에서도 교착되지 않습니다.",
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
        Value::Ref(r) => match m.heap.get(*r) {
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
