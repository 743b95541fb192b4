//! Claim: with uneven tasks, static slices leave cores idle and a shared
//! queue does not.

use super::*;

/// Claim 11 holds when static slices take at least this much longer.
pub const STATIC_MIN_PENALTY: f64 = 1.10;

/// Uneven tasks on processes: a shared queue (twice) and static slices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uneven {
    pub workers: usize,
    pub queue_ms: f64,
    pub queue_again_ms: f64,
    pub static_ms: f64,
    /// Share of the workers' time spent idle, in [0, 1].
    pub queue_idle: f64,
    pub static_idle: f64,
}

impl Uneven {
    pub fn penalty(&self) -> f64 {
        ratio(self.static_ms, (self.queue_ms + self.queue_again_ms) / 2.0)
    }
}

pub fn judge_uneven(m: &Uneven, env: Conditions) -> Verdict {
    let repeat = Some((m.queue_ms, m.queue_again_ms));
    judged(Claim::Uneven, env, repeat, m.penalty() >= STATIC_MIN_PENALTY)
}

/// The share of the workers' time a run left idle: 1 − busy / (workers ×
/// wall). 0 when every worker computed the whole time.
pub fn idle_share(r: &RunReport) -> f64 {
    let capacity = r.workers.max(1) as f64 * r.wall_ms;
    if capacity <= 0.0 {
        return 0.0;
    }
    let busy: f64 = r.outcomes.iter().map(|o| (o.end_ms - o.start_ms).max(0.0)).sum();
    (1.0 - busy / capacity).clamp(0.0, 1.0)
}

impl Uneven {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("queue", WallMs, PRO, Some(m.workers), (m.queue_ms + m.queue_again_ms) / 2.0),
            fig("static", WallMs, PRO, Some(m.workers), m.static_ms),
            fig("queue-idle", IdlePercent, PRO, Some(m.workers), m.queue_idle * 100.0),
            fig("static-idle", IdlePercent, PRO, Some(m.workers), m.static_idle * 100.0),
            fig("static-x", Speedup, PRO, Some(m.workers), m.penalty()),
        ]
    }
}

/// The claim: with uneven tasks, static slices leave cores idle and a
/// shared queue does not.
pub struct UnevenClaim;

/// The run on a shared queue, and the same on static slices.
fn runs(setup: &Setup) -> (Settings, Settings) {
    let queue = settings(setup.sizes.uneven, Model::Processes, setup.pair(), QUEUE);
    (queue, Settings { strategy: Strategy::Static, ..queue })
}

impl ClaimSpec for UnevenClaim {
    type Measured = Uneven;
    const REPEATS: bool = true;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let (queue, stat) = runs(setup);
        vec![Ask::run(queue), Ask::run(stat), Ask::run(queue)]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<Uneven>, RunError> {
        let (_, stat) = runs(setup);
        let (q, s, q2) = (a.take::<RunReport>()?, a.take::<RunReport>()?, a.take::<RunReport>()?);
        let measured = Uneven {
            workers: stat.workers,
            queue_ms: q.wall_ms,
            queue_again_ms: q2.wall_ms,
            static_ms: s.wall_ms,
            queue_idle: (idle_share(&q) + idle_share(&q2)) / 2.0,
            static_idle: idle_share(&s),
        };
        Ok(Folded { measured, settings: setup.raw(&stat) })
    }

    fn judge(m: &Uneven, env: Conditions) -> Verdict {
        judge_uneven(m, env)
    }

    fn figures(m: &Uneven) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "With uneven tasks, splitting the work up front leaves cores idle; a shared queue keeps them busy.",
            "작업 크기가 들쭉날쭉하면 미리 나눠 주는 방식은 코어를 놀리고, 공유 큐는 코어를 계속 바쁘게 한다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let (n, t) = (cores.max(2), cpu_tasks(cores));
        match lang {
            Lang::En => format!("{t} prime-count tasks of uneven sizes (2,4,6,8,1,3,5,7…) on {n} processes: a shared queue, static slices (data[i::N]), the queue again."),
            Lang::Ko => format!("크기가 들쭉날쭉한(2,4,6,8,1,3,5,7…) 소수 세기 작업 {t}개를 프로세스 {n}개로 돌립니다. 공유 큐, 정적 분할(data[i::N]), 다시 공유 큐 순서입니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        let penalty = pct(STATIC_MIN_PENALTY - 1.0);
        match lang {
            Lang::En => format!("Holds if static slices take at least {penalty} longer than the shared queue."),
            Lang::Ko => format!("정적 분할이 공유 큐보다 {penalty} 이상 오래 걸리면 성립."),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "queue" => lang.s("shared queue", "공유 큐"),
            "static" => lang.s("static slices", "정적 분할"),
            "queue-idle" => lang.s("shared queue: idle", "공유 큐: 노는 시간"),
            "static-idle" => lang.s("static slices: idle", "정적 분할: 노는 시간"),
            "static-x" => lang.s("static / queue", "정적 분할 / 공유 큐"),
            _ => return None,
        };
        Some(text.to_owned())
    }
}
