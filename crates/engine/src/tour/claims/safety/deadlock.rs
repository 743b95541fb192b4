//! Claim: two locks taken in opposite orders can deadlock.

use super::*;
use crate::python::deadlock::{Outcome, Variant};

/// The deadlock demo: opposite orders, then one global order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlockCheck {
    pub watchdog_ms: u64,
    pub opposite_deadlocked: bool,
    /// When the watchdog called it, or when both threads finished.
    pub opposite_ms: f64,
    pub ordered_deadlocked: bool,
    pub ordered_ms: f64,
}

/// Holds when opposite orders deadlock and one order does not. Opposite
/// orders that finished prove nothing on one core or a hidden tab, where
/// the two threads may simply not have overlapped.
pub fn judge_deadlock(m: &DeadlockCheck, env: Conditions) -> Verdict {
    if !m.opposite_deadlocked && (env.cores < 2 || env.hidden) {
        let doubt = if env.hidden { Doubt::Hidden } else { Doubt::FewCores { cores: env.cores } };
        return Verdict::Inconclusive { doubt };
    }
    Verdict::from_bool(m.opposite_deadlocked && !m.ordered_deadlocked)
}

impl DeadlockCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("opposite", Flag, FREE, Some(2), if m.opposite_deadlocked { 1.0 } else { 0.0 }),
            fig("opposite-ms", WallMs, FREE, Some(2), m.opposite_ms),
            fig("ordered", Flag, FREE, Some(2), if m.ordered_deadlocked { 1.0 } else { 0.0 }),
            fig("ordered-ms", WallMs, FREE, Some(2), m.ordered_ms),
        ]
    }
}

/// The claim: two locks taken in opposite orders can deadlock.
pub struct DeadlockClaim;

impl ClaimSpec for DeadlockClaim {
    type Measured = DeadlockCheck;
    const NEEDS_CORES: bool = false;

    fn asks(_setup: &Setup) -> Vec<Ask> {
        [Variant::OppositeOrders, Variant::GlobalOrder]
            .into_iter()
            .map(|variant| Ask::needs(Job::Deadlock { variant, watchdog_ms: DEADLOCK_WATCHDOG_MS }))
            .collect()
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<DeadlockCheck>, RunError> {
        let mut end = || -> Result<(bool, f64), RunError> {
            Ok(match a.take::<Outcome>()? {
                Outcome::Finished { ms, .. } => (false, ms),
                Outcome::Deadlocked { after_ms, .. } => (true, after_ms),
            })
        };
        let ((opposite_deadlocked, opposite_ms), (ordered_deadlocked, ordered_ms)) = (end()?, end()?);
        let measured = DeadlockCheck {
            watchdog_ms: DEADLOCK_WATCHDOG_MS,
            opposite_deadlocked,
            opposite_ms,
            ordered_deadlocked,
            ordered_ms,
        };
        let mut r = setup.defaults();
        r.set(Field::Watchdog, DEADLOCK_WATCHDOG_MS.to_string());
        Ok(Folded { measured, settings: r })
    }

    fn judge(m: &DeadlockCheck, env: Conditions) -> Verdict {
        judge_deadlock(m, env)
    }

    fn figures(m: &DeadlockCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "Two locks taken in opposite orders can deadlock.",
            "두 스레드가 락 두 개를 서로 반대 순서로 잡으면 데드락에 빠질 수 있다.",
        )
    }

    fn what_runs(lang: Lang, _cores: usize) -> String {
        match lang {
            Lang::En => format!("Two threads take locks A and B in opposite orders, then both in the same order; a watchdog calls a deadlock when the same wait-for cycle stands for {DEADLOCK_WATCHDOG_MS} ms."),
            Lang::Ko => format!("스레드 두 개가 락 A와 B를 서로 반대 순서로 잡고, 다음엔 같은 순서로 잡습니다. 같은 대기 사이클이 {DEADLOCK_WATCHDOG_MS} ms 동안 풀리지 않으면 감시자가 데드락으로 판정합니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Holds if opposite orders deadlock and one global order finishes.",
            "반대 순서에서는 데드락이 나고, 같은 순서에서는 끝까지 실행되면 성립.",
        )
        .to_owned()
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "opposite" => lang.s("opposite orders", "반대 순서"),
            "ordered" => lang.s("one global order", "같은 순서"),
            "opposite-ms" => lang.s("opposite orders: time", "반대 순서: 시간"),
            "ordered-ms" => lang.s("one global order: time", "같은 순서: 시간"),
            _ => return None,
        };
        Some(text.to_owned())
    }
}
