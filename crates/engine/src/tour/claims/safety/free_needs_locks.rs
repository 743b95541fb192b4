//! Claim: free-threaded Python needs locks where GIL Python got away
//! without one — the bare `counter += 1` loop, whole under 3.11's GIL,
//! loses updates once threads run free.

use super::*;

/// The bare increment under the GIL, then with free threads.
const CELLS: [Cell; 2] = [(Scenario::Increment, Switching::Gil), (Scenario::Increment, Switching::Free)];

/// Holds if the GIL loses no update of the bare loop (counted or real) and
/// free threads lose some (counted, and for real where it ran). Free
/// threads that lost nothing for real on one core prove nothing: they
/// never ran at once.
pub fn judge_free_needs_locks(m: &InterpCheck) -> Verdict {
    if m.real_lost(1) == Some(false) && m.cores < 2 {
        return Verdict::Inconclusive { doubt: Doubt::FewCores { cores: m.cores } };
    }
    Verdict::from_bool(m.whole(0) && m.counted[1].bad > 0 && m.real_lost(1) != Some(false))
}

pub struct FreeNeedsLocksClaim;

impl ClaimSpec for FreeNeedsLocksClaim {
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
        judge_free_needs_locks(m)
    }

    fn figures(m: &InterpCheck) -> Vec<Figure> {
        m.figures([GIL, FREE])
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "Free-threaded Python needs locks where GIL Python got away without one.",
            "프리 스레딩 파이썬에서는 GIL 파이썬이 락 없이 넘어가던 곳에도 락이 필요하다.",
        )
    }

    fn what_runs(lang: Lang, _cores: usize) -> String {
        lang.s(
            "counter += 1: every schedule of 2 threads × 1 iteration counted under the GIL and with free threads, then a million iterations on 2 real threads each way.",
            "counter += 1: 스레드 2개 × 1번 반복의 모든 스케줄을 GIL과 프리 스레딩 기준으로 세고, 진짜 스레드 2개로 각각 백만 번 돌립니다.",
        )
        .to_owned()
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Holds if under the GIL no schedule and no real run loses an update, while free threads lose some — counted, and on real threads where they ran (on one core a real run that loses nothing is inconclusive).",
            "GIL 아래에서는 어떤 스케줄도 진짜 실행도 증가를 잃지 않고, 프리 스레딩에서는 잃으면 성립 — 셈에서도, 실행했다면 진짜 스레드에서도 (코어 하나에서 진짜 실행이 하나도 잃지 않으면 판단 보류).",
        )
        .to_owned()
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "count-0" => lang.s("GIL: schedules that lose an update", "GIL: 증가를 잃는 스케줄"),
            "count-1" => lang.s("free threads: schedules that lose an update", "프리 스레딩: 증가를 잃는 스케줄"),
            "real-0" | "real-1" => lang.s("real threads: lost updates", "진짜 스레드: 사라진 증가"),
            _ => return None,
        };
        Some(text.to_owned())
    }
}
