//! Claim: without a lock shared updates are lost; with one they are not.

use super::*;
use crate::python::race::{RaceMode, RaceResult};

/// The race demo without a lock and with one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceLock {
    pub workers: usize,
    pub expected: u64,
    pub lost_unlocked: u64,
    pub lost_locked: u64,
}

/// Holds when the unlocked counter lost at least one update and the locked
/// one none. One core may simply not interleave: no loss there proves
/// nothing.
pub fn judge_race(m: &RaceLock, env: Conditions) -> Verdict {
    if m.lost_unlocked == 0 && env.cores < 2 {
        return Verdict::Inconclusive { doubt: Doubt::FewCores { cores: env.cores } };
    }
    Verdict::from_bool(m.lost_unlocked > 0 && m.lost_locked == 0)
}

impl RaceLock {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("unlocked", Lost, FREE, Some(m.workers), m.lost_unlocked as f64),
            fig("locked", Lost, FREE, Some(m.workers), m.lost_locked as f64),
        ]
    }
}

/// The claim: without a lock shared updates are lost; with one they are not.
pub struct RaceLockClaim;

impl ClaimSpec for RaceLockClaim {
    type Measured = RaceLock;
    const TIMED: bool = false;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let (workers, per_worker) = (setup.pair(), RACE_PER_WORKER);
        [RaceMode::Unsynchronized, RaceMode::Mutex]
            .into_iter()
            .map(|mode| Ask::needs(Job::Race { mode, workers, per_worker }))
            .collect()
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<RaceLock>, RunError> {
        let (unlocked, locked) = (a.take::<RaceResult>()?, a.take::<RaceResult>()?);
        let measured = RaceLock {
            workers: setup.pair(),
            expected: unlocked.expected,
            lost_unlocked: unlocked.lost(),
            lost_locked: locked.lost(),
        };
        let mut r = setup.defaults();
        r.set(Field::Workers, setup.pair().to_string());
        Ok(Folded { measured, settings: r })
    }

    fn judge(m: &RaceLock, env: Conditions) -> Verdict {
        judge_race(m, env)
    }

    fn figures(m: &RaceLock) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "Shared memory without a lock loses updates; with a lock it does not.",
            "락 없이 공유 메모리를 고치면 갱신이 사라지고, 락을 걸면 사라지지 않는다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let (n, times) = (cores.max(2), thousands(RACE_PER_WORKER));
        match lang {
            Lang::En => format!("{n} threads each add 1 to one shared counter {times} times: without a lock (counter += 1), then with one."),
            Lang::Ko => format!("스레드 {n}개가 공유 카운터 하나에 각각 1을 {times}번 더합니다. 먼저 락 없이(counter += 1), 다음엔 락을 걸고."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Holds if the counter without a lock loses at least one update and the one with a lock loses none.",
            "락 없는 카운터에서 갱신이 하나라도 사라지고, 락을 건 카운터에서는 하나도 사라지지 않으면 성립.",
        )
        .to_owned()
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "unlocked" => lang.s("no lock: lost updates", "락 없음: 사라진 갱신"),
            "locked" => lang.s("with a lock: lost updates", "락 사용: 사라진 갱신"),
            _ => return None,
        };
        Some(text.to_owned())
    }
}
