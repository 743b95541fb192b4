//! Claim: the GIL makes `counter += 1` thread-safe. It does not — and the
//! way it fails is CPython 3.11's accident: the bare loop never loses an
//! update (no eval-breaker check between the read and the write), the
//! same increment with a call inside does.

use super::*;

/// The bare increment and the one with a call, both under the GIL.
const CELLS: [Cell; 2] = [(Scenario::Increment, Switching::Gil), (Scenario::IncrementCall, Switching::Gil)];

/// Holds only if no increment loses an update under the GIL: not in any
/// counted schedule of either loop, not in either real run.
pub fn judge_gil_counter(m: &InterpCheck) -> Verdict {
    Verdict::from_bool((0..2).all(|i| m.whole(i)))
}

pub struct GilCounterClaim;

impl ClaimSpec for GilCounterClaim {
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
        judge_gil_counter(m)
    }

    fn figures(m: &InterpCheck) -> Vec<Figure> {
        m.figures([GIL, GIL])
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s("The GIL makes counter += 1 thread-safe.", "GIL이 있으니 counter += 1은 스레드 안전하다.")
    }

    fn what_runs(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Every schedule of 2 threads running counter += 1, and counter = counter + int(1), once each, counted where CPython 3.11 can switch under the GIL; then both loops a million times on 2 real threads. The bare loop survives only because 3.11 checks its eval breaker nowhere between the read and the write: one call in between, and updates are lost.",
            "스레드 2개가 counter += 1과 counter = counter + int(1)을 한 번씩 실행하는 모든 스케줄을 GIL 아래 CPython 3.11의 전환 지점 기준으로 세고, 두 루프를 진짜 스레드 2개로 백만 번씩 돌립니다. 맨 루프가 무사한 건 3.11이 읽기와 쓰기 사이에서 eval breaker를 확인하지 않기 때문일 뿐, 호출 하나만 끼어도 증가가 사라집니다.",
        )
        .to_owned()
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Holds if no schedule of either increment loses an update under the GIL and neither real run loses one.",
            "GIL 아래에서 두 증가 방식 모두 어떤 스케줄에서도 증가를 잃지 않고, 진짜 실행에서도 하나도 잃지 않으면 성립.",
        )
        .to_owned()
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "count-0" => lang.s("counter += 1: schedules that lose an update", "counter += 1: 증가를 잃는 스케줄"),
            "count-1" => lang.s("with a call: schedules that lose an update", "호출이 낀 경우: 증가를 잃는 스케줄"),
            "real-0" => lang.s("counter += 1 on real threads: lost updates", "counter += 1, 진짜 스레드: 사라진 증가"),
            "real-1" => lang.s("with a call, real threads: lost updates", "호출이 낀 경우, 진짜 스레드: 사라진 증가"),
            _ => return None,
        };
        Some(text.to_owned())
    }
}
