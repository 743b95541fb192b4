//! Claim: a crashing process leaves the others running; a crashing
//! thread takes the whole run down.

use super::*;
use crate::error::Failure;

/// How a run with one crashing task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "end", rename_all = "kebab-case", try_from = "CrashEndFields")]
pub enum CrashEnd {
    /// A report came back: `done` tasks returned, `failed` crashed.
    Partial { done: usize, failed: usize },
    /// The whole run failed (no results at all).
    WholeRunFailed,
    /// Some other error (cancelled, unavailable).
    Other,
}

/// [`CrashEnd`] as an export holds it (see [`DoubtFields`]).
#[derive(Deserialize)]
struct CrashEndFields {
    end: String,
    done: Option<usize>,
    failed: Option<usize>,
}

impl TryFrom<CrashEndFields> for CrashEnd {
    type Error = String;

    fn try_from(f: CrashEndFields) -> Result<Self, String> {
        Ok(match f.end.as_str() {
            "partial" => {
                CrashEnd::Partial { done: needs(f.done, &f.end, "done")?, failed: needs(f.failed, &f.end, "failed")? }
            }
            "whole-run-failed" => CrashEnd::WholeRunFailed,
            "other" => CrashEnd::Other,
            other => return Err(unknown("end", other)),
        })
    }
}

/// One task of the run set to crash, on processes and on threads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrashCheck {
    pub tasks: usize,
    pub processes: CrashEnd,
    pub threads: CrashEnd,
}

pub fn judge_crash(m: &CrashCheck, _env: Conditions) -> Verdict {
    if m.processes == CrashEnd::Other || m.threads == CrashEnd::Other {
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    }
    let processes_keep = m.processes == CrashEnd::Partial { done: m.tasks.saturating_sub(1), failed: 1 };
    Verdict::from_bool(processes_keep && m.threads == CrashEnd::WholeRunFailed)
}

impl CrashCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let done = |e: CrashEnd| match e {
                CrashEnd::Partial { done, .. } => done as f64,
                _ => 0.0,
            };
            vec![
                Figure { note: Some(m.tasks.to_string()), ..fig("processes", Done, PRO, None, done(m.processes)) },
                Figure { note: Some(m.tasks.to_string()), ..fig("threads", Done, FREE, None, done(m.threads)) },
            ]
        }
    }
}

impl CrashEnd {
    /// How a run with the crash switch on ended, from what the lab
    /// returned: a report (some tasks done), the whole run failed as a
    /// crashed thread or process fails it, or something else. A cancel is
    /// passed on.
    pub fn of(result: Result<RunReport, RunError>) -> Result<CrashEnd, RunError> {
        Ok(match result {
            Ok(r) => CrashEnd::Partial { done: r.outcomes.len(), failed: r.failures.len() },
            Err(RunError::Cancelled) => return Err(RunError::Cancelled),
            Err(RunError::Failed(Failure::ThreadPanicked { .. } | Failure::ProcessDied { .. })) => {
                CrashEnd::WholeRunFailed
            }
            Err(_) => CrashEnd::Other,
        })
    }
}

/// The claim: a crashing process leaves the others running; a crashing
/// thread takes the whole run down.
pub struct CrashClaim;

/// The crash run on `model`.
fn crash_run(setup: &Setup, model: Model) -> Settings {
    Settings { crash: true, ..settings(setup.sizes.crash, model, setup.pair(), QUEUE) }
}

impl ClaimSpec for CrashClaim {
    type Measured = CrashCheck;
    const NEEDS_CORES: bool = false;
    const TIMED: bool = false;

    fn asks(setup: &Setup) -> Vec<Ask> {
        vec![
            Ask::needs(Job::Crash(crash_run(setup, Model::Processes))),
            // Where threads cannot run, the claim says it could not check them.
            Ask::contrast(Job::Crash(crash_run(setup, Model::Threads))),
        ]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<CrashCheck>, RunError> {
        let processes = a.take::<CrashEnd>()?;
        let threads = a.optional::<CrashEnd>()?.unwrap_or(CrashEnd::Other);
        let measured = CrashCheck { tasks: setup.sizes.crash.tasks, processes, threads };
        Ok(Folded { measured, settings: setup.raw(&crash_run(setup, Model::Processes)) })
    }

    fn judge(m: &CrashCheck, env: Conditions) -> Verdict {
        judge_crash(m, env)
    }

    fn figures(m: &CrashCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "A crashing process leaves the others running; a crashing thread takes down the whole process.",
            "프로세스 하나가 죽어도 나머지는 계속 돌지만, 스레드 하나가 죽으면 프로세스 전체가 죽는다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => format!("8 small prime-count tasks, the middle one set to crash: on {n} processes, then on {n} threads."),
            Lang::Ko => format!("작은 소수 세기 작업 8개 중 가운데 하나가 죽도록 설정하고, 프로세스 {n}개와 스레드 {n}개로 각각 돌립니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        lang.s(
            "Holds if the processes return 7 of 8 results and report the one crash, while the thread run fails as a whole.",
            "프로세스는 결과 8개 중 7개를 돌려주고 죽은 하나를 보고하는 반면, 스레드 실행은 통째로 실패하면 성립.",
        )
        .to_owned()
    }

    fn label(lang: Lang, _f: &Figure) -> Option<String> {
        Some(lang.s("tasks that returned", "결과를 돌려준 작업").to_owned())
    }
}
