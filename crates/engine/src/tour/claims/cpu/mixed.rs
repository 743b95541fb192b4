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

/// The claim: in mixed work threads are enough while tasks mostly wait;
/// as the CPU share grows, processes take over.
pub struct MixedClaim;

/// The share whose run on GIL threads "Open in the lab" shows.
const MAIN_SHARE: u32 = 50;

/// The mixed work at `share` % CPU, at `rate` rounds per ms (0: the page's
/// own, which the runner fills in).
fn work(setup: &Setup, share: u32, rate: u32) -> Workload {
    let mut w = setup.sizes.mixed(MIXED_TASK_MS, 4 * setup.pair(), share);
    w.mix = w.mix.map(|m| Mix { rounds_per_ms: rate, ..m });
    w
}

impl ClaimSpec for MixedClaim {
    type Measured = MixedCheck;

    fn asks(setup: &Setup) -> Vec<Ask> {
        // The rate first: it goes into the settings (and so the export),
        // so "Open in the lab" repeats exactly this work.
        let mut asks = vec![Ask::needs(Job::Rate)];
        for share in MIXED_SHARES {
            let gil = settings(work(setup, share, 0), Model::GilThreads, setup.pair(), QUEUE);
            asks.push(Ask::run(Settings { model: Model::Sequential, workers: 1, ..gil }));
            asks.push(Ask::run(gil));
            asks.push(Ask::run(Settings { model: Model::Processes, ..gil }));
        }
        asks
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<MixedCheck>, RunError> {
        let rate = a.take::<u32>()?;
        let mut shares = Vec::new();
        for share in MIXED_SHARES {
            shares.push((share, a.wall()?, a.wall()?, a.wall()?));
        }
        let main = settings(work(setup, MAIN_SHARE, rate), Model::GilThreads, setup.pair(), QUEUE);
        Ok(Folded { measured: MixedCheck { workers: setup.pair(), shares }, settings: setup.raw(&main) })
    }

    fn judge(m: &MixedCheck, env: Conditions) -> Verdict {
        judge_mixed(m, env)
    }

    fn figures(m: &MixedCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "In mixed work, threads are enough while tasks mostly wait; as the CPU share grows, processes take over.",
            "대기와 계산이 섞인 작업은 대기가 대부분일 때는 스레드로 충분하지만, CPU 비중이 커지면 프로세스가 앞선다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => format!("{} tasks of {MIXED_TASK_MS} ms that wait, then compute, at 0 %, 50 % and 100 % CPU: sequentially, on {n} threads under a GIL and on {n} processes.", 4 * n),
            Lang::Ko => format!("기다린 뒤 계산하는 {MIXED_TASK_MS} ms짜리 작업 {}개를 CPU 비중 0 %, 50 %, 100 %로 바꿔 가며 순차 실행, GIL 아래 스레드 {n}개, 프로세스 {n}개로 돌립니다.", 4 * n),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        let margin = pct(TAKEOVER_MARGIN - 1.0);
        match lang {
            Lang::En => format!(
                "Holds if at 0 % CPU processes are not {margin} faster than GIL threads, and at 100 % they are."
            ),
            Lang::Ko => format!(
                "CPU 0 %에서는 프로세스가 GIL 스레드보다 {margin} 이상 빠르지 않고, 100 %에서는 그만큼 빠르면 성립."
            ),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let share = f.note.as_deref().unwrap_or("?");
        Some(match lang {
            Lang::En => format!("speedup at {share} % CPU"),
            Lang::Ko => format!("CPU {share} %에서 속도 향상"),
        })
    }
}
