//! Claim: for CPU-bound work, use as many processes as cores
//! (`os.cpu_count()`). The same sweep as `processes_cores`, at 1, the
//! core count and twice it, judged by whether any count beats the cores.

use super::*;

/// The core count is right when no other count is faster than it by more
/// than this factor.
pub const COUNT_TOLERANCE: f64 = 1.10;

pub fn judge_cpu_count(m: &ProcessSweep, env: Conditions) -> Verdict {
    let best = m.points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let holds = m.wall(m.cores.max(1)).is_some_and(|w| w <= best * COUNT_TOLERANCE);
    judged(Claim::CpuCount, env, Some((m.sequential_ms, m.sequential_again_ms)), holds)
}

/// The process counts: 1, the cores, twice the cores.
fn counts(cores: usize) -> Vec<usize> {
    let mut v = vec![1, cores, 2 * cores];
    v.dedup();
    v
}

/// The claim: use as many processes as cores.
pub struct CpuCountClaim;

impl ClaimSpec for CpuCountClaim {
    type Measured = ProcessSweep;
    const REPEATS: bool = true;

    fn asks(setup: &Setup) -> Vec<Ask> {
        ProcessSweep::asks(setup, &counts(setup.sizes.cores))
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<ProcessSweep>, RunError> {
        ProcessSweep::fold(setup, &counts(setup.sizes.cores), a)
    }

    fn judge(m: &ProcessSweep, env: Conditions) -> Verdict {
        judge_cpu_count(m, env)
    }

    fn figures(m: &ProcessSweep) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "For CPU-bound work, use as many processes as cores (os.cpu_count()).",
            "CPU 작업에는 코어 수(os.cpu_count())만큼 프로세스를 띄우면 된다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        match lang {
            Lang::En => format!(
                "The same prime count on 1, {cores} and {} processes, against sequential runs before and after.",
                2 * cores
            ),
            Lang::Ko => format!(
                "같은 소수 세기를 프로세스 1개, {cores}개, {}개로 돌리고 처음과 끝의 순차 실행과 비교합니다.",
                2 * cores
            ),
        }
    }

    fn rule(lang: Lang, cores: usize) -> String {
        let tolerance = pct(COUNT_TOLERANCE - 1.0);
        match lang {
            Lang::En => {
                format!("Holds if no process count is more than {tolerance} faster than {cores} (the core count).")
            }
            Lang::Ko => format!("어떤 프로세스 개수도 {cores}개(코어 수)보다 {tolerance} 넘게 빠르지 않으면 성립."),
        }
    }
}
