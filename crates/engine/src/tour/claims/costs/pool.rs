//! Claim: a pool avoids paying the start of a process for every task.

use super::*;
use crate::analysis::costs::StartCosts;

/// Start costs (ms) and the overheads of [`POOL_TASKS`] tasks run one new
/// process each against on a pool of `workers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolCheck {
    pub workers: usize,
    pub spawn_ms: f64,
    pub forkserver_ms: f64,
    pub reused_ms: f64,
    pub per_task_ms: f64,
    pub pool_ms: f64,
}

/// Tasks of claim 12's comparison.
pub const POOL_TASKS: usize = 16;
/// Claim 12 holds when the pool's overhead for [`POOL_TASKS`] tasks is at
/// most this share of a process per task's.
pub const POOL_MAX_SHARE: f64 = 0.5;

pub fn judge_pool(m: &PoolCheck, env: Conditions) -> Verdict {
    let holds = m.reused_ms < m.spawn_ms && m.pool_ms <= POOL_MAX_SHARE * m.per_task_ms;
    judged(Claim::Pool, env, None, holds)
}

impl PoolCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("spawn", WallMs, PRO, Some(1), m.spawn_ms),
            fig("forkserver", WallMs, PRO, Some(1), m.forkserver_ms),
            fig("reused", WallMs, PRO, Some(1), m.reused_ms),
            fig("per-task", WallMs, PRO, Some(m.workers), m.per_task_ms),
            fig("pool", WallMs, PRO, Some(m.workers), m.pool_ms),
        ]
    }
}

/// The claim: a pool avoids paying the start of a process for every task.
pub struct PoolClaim;

impl ClaimSpec for PoolClaim {
    type Measured = PoolCheck;
    const NEEDS_CORES: bool = false;

    fn asks(_setup: &Setup) -> Vec<Ask> {
        vec![Ask::needs(Job::StartCosts { repeats: 3 })]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<PoolCheck>, RunError> {
        let (c, n) = (a.take::<StartCosts>()?, setup.pair());
        let measured = PoolCheck {
            workers: n,
            spawn_ms: c.spawn_ms,
            forkserver_ms: c.forkserver_ms,
            reused_ms: c.reused_ms,
            per_task_ms: c.per_task_processes_ms(POOL_TASKS, n),
            pool_ms: c.pool_ms(POOL_TASKS, n),
        };
        Ok(Folded { measured, settings: setup.defaults() })
    }

    fn judge(m: &PoolCheck, env: Conditions) -> Verdict {
        judge_pool(m, env)
    }

    fn figures(m: &PoolCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "A pool avoids paying the start of a process for every task.",
            "풀을 쓰면 작업마다 프로세스를 새로 띄우는 비용을 내지 않아도 된다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => format!("Times starting a process three ways (spawn, forkserver-like, a reused pool), then compares {POOL_TASKS} tasks each in a new process with the same tasks on a pool of {n}."),
            Lang::Ko => format!("프로세스를 띄우는 비용을 세 가지 방식(spawn, forkserver 방식, 재사용 풀)으로 재고, 작업 {POOL_TASKS}개를 작업마다 새 프로세스로 돌릴 때와 프로세스 {n}개짜리 풀로 돌릴 때를 비교합니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        let share = pct(POOL_MAX_SHARE);
        match lang {
            Lang::En => format!("Holds if a reused pool answers faster than a process starts and, for {POOL_TASKS} tasks, the pool's overhead is at most {share} of a process per task's."),
            Lang::Ko => format!("재사용 풀이 프로세스 하나 띄우는 것보다 빨리 응답하고, 작업 {POOL_TASKS}개에서 풀의 오버헤드가 작업마다 프로세스를 띄울 때의 {share} 이하이면 성립."),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        Some(match f.slot.as_str() {
            "spawn" => lang.s("start by spawn", "spawn으로 시작").to_owned(),
            "forkserver" => lang.s("start, module compiled once", "시작, 모듈은 한 번만 컴파일").to_owned(),
            "reused" => lang.s("reused pool: one task's round trip", "재사용 풀: 작업 하나 왕복").to_owned(),
            "per-task" => match lang {
                Lang::En => format!("{POOL_TASKS} tasks, a new process each: overhead"),
                Lang::Ko => format!("작업 {POOL_TASKS}개, 작업마다 새 프로세스: 오버헤드"),
            },
            _ => match lang {
                Lang::En => format!("{POOL_TASKS} tasks on a pool: overhead"),
                Lang::Ko => format!("작업 {POOL_TASKS}개, 풀 사용: 오버헤드"),
            },
        })
    }
}
