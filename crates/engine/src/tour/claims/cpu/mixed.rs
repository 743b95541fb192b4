//! Claim: in mixed work threads are enough while tasks mostly wait; as
//! the CPU share grows, processes take over.

use super::*;

/// Processes "take over" when they beat threads under the GIL by this
/// factor (the crossover map's margin).
pub const TAKEOVER_MARGIN: f64 = crate::analysis::crossover::MARGIN;

/// Mixed tasks at a few CPU shares, on GIL threads and on processes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixedCheck {
    pub workers: usize,
    /// (CPU share %, sequential ms, GIL threads ms, processes ms)
    pub shares: Vec<(u32, f64, f64, f64)>,
}

impl MixedCheck {
    /// How much faster processes are than GIL threads at each share.
    pub fn leads(&self) -> Vec<(u32, f64)> {
        self.shares.iter().map(|&(s, _, g, p)| (s, ratio(g, p))).collect()
    }

    /// The CPU share (interpolated) above which processes lead for good.
    pub fn takeover(&self) -> Option<f64> {
        let pts: Vec<(f64, f64)> = self.leads().into_iter().map(|(s, l)| (f64::from(s), l - TAKEOVER_MARGIN)).collect();
        crate::analysis::crossover::first_crossing(&pts)
    }
}

/// Holds when threads are enough at the lowest share (processes do not
/// lead there) and processes lead from some share on, up to the highest.
pub fn judge_mixed(m: &MixedCheck, env: Conditions) -> Verdict {
    let leads = m.leads();
    let holds = match (leads.first(), leads.last()) {
        (Some(lo), Some(hi)) if leads.len() >= 2 => {
            lo.1 < TAKEOVER_MARGIN && hi.1 >= TAKEOVER_MARGIN && m.takeover().is_some()
        }
        _ => false,
    };
    judged(Claim::Mixed, env, None, holds)
}

impl MixedCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let mut v = Vec::new();
            for &(s, q, g, p) in &m.shares {
                let note = Some(s.to_string());
                v.push(Figure {
                    note: note.clone(),
                    ..fig(&format!("gil@{s}"), Speedup, GIL, Some(m.workers), ratio(q, g))
                });
                v.push(Figure { note, ..fig(&format!("p@{s}"), Speedup, PRO, Some(m.workers), ratio(q, p)) });
            }
            v
        }
    }
}
