//! Claim: a crashing process leaves the others running; a crashing
//! thread takes the whole run down.

use super::*;

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
