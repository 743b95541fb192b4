//! Claim: `list.append` from several threads is safe — one call into C,
//! whole under the GIL and with free threading's per-object locks.

use super::*;

/// `items.append(i)` under the GIL, then with free threads.
const CELLS: [Cell; 2] = [(Scenario::Append, Switching::Gil), (Scenario::Append, Switching::Free)];

/// Holds if no schedule under either rule and no real run loses an item.
pub fn judge_append(m: &InterpCheck) -> Verdict {
    Verdict::from_bool((0..2).all(|i| m.whole(i)))
}

pub struct AppendSafeClaim;

impl ClaimSpec for AppendSafeClaim {
    type Measured = InterpCheck;
    const NEEDS_CORES: bool = false;
    const TIMED: bool = false;
    const INTERPRETER: bool = true;

    fn asks(_setup: &Setup) -> Vec<Ask> {
        InterpCheck::asks(CELLS)
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<InterpCheck>, RunError> {
        InterpCheck::fold(setup, a, CELLS)
    }

    fn judge(m: &InterpCheck, _env: Conditions) -> Verdict {
        judge_append(m)
    }

    fn figures(m: &InterpCheck) -> Vec<Figure> {
        m.figures([GIL, FREE])
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s("list.append from several threads is safe.", "여러 스레드에서 list.append를 호출해도 안전하다.")
    }

    fn what_runs(lang: Lang, _cores: usize) -> String {
        lang.s(
            "items.append(i): every schedule of 2 threads × 1 item counted under the GIL and with free threads, then a million appends per thread on 2 real threads each way.",
            "items.append(i): 스레드 2개 × 항목 1개의 모든 스케줄을 GIL과 프리 스레딩 기준으로 세고, 진짜 스레드 2개로 스레드마다 백만 번씩 각각 추가합니다.",
        )
        .to_owned()
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Holds if no counted schedule and no real run, under either rule, loses an item.",
            "어느 방식에서든 센 스케줄과 진짜 실행 모두 항목을 하나도 잃지 않으면 성립.",
        )
        .to_owned()
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "count-0" => lang.s("GIL: schedules that lose an item", "GIL: 항목을 잃는 스케줄"),
            "count-1" => lang.s("free threads: schedules that lose an item", "프리 스레딩: 항목을 잃는 스케줄"),
            "real-0" | "real-1" => lang.s("real threads: lost items", "진짜 스레드: 사라진 항목"),
            _ => return None,
        };
        Some(text.to_owned())
    }
}
