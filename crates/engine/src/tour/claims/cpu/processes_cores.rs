//! Claim: processes speed CPU-bound work up to the core count and no
//! further. Its sweep of process counts ([`ProcessSweep`]) is also what
//! `cpu_count` measures, at other counts.

use super::*;

/// Claim 2: on as many processes as cores the speedup must reach this
/// share of the core count (0.7 × 2 = 1.4× on two cores)…
pub const CORES_MIN_EFFICIENCY: f64 = 0.7;
/// …and twice as many processes may add at most this factor on top.
pub const OVERSUBSCRIBED_MAX_GAIN: f64 = 1.15;

/// CPU-bound work on processes at several worker counts, against
/// sequential runs before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessSweep {
    pub cores: usize,
    pub sequential_ms: f64,
    pub sequential_again_ms: f64,
    /// (processes, wall ms: the better of two runs), in the order run.
    pub points: Vec<(usize, f64)>,
}

impl ProcessSweep {
    /// The better of the two sequential runs (as with every point: the
    /// best of two, which a passing background task disturbs least).
    fn baseline(&self) -> f64 {
        self.sequential_ms.min(self.sequential_again_ms)
    }

    pub fn wall(&self, workers: usize) -> Option<f64> {
        self.points.iter().find(|p| p.0 == workers).map(|p| p.1)
    }

    pub fn speedup(&self, workers: usize) -> Option<f64> {
        self.wall(workers).map(|w| ratio(self.baseline(), w))
    }
}

pub fn judge_processes_cores(m: &ProcessSweep, env: Conditions) -> Verdict {
    let n = m.cores.max(1);
    let holds = match (m.speedup(n), m.speedup(2 * n)) {
        (Some(at_cores), Some(beyond)) => {
            at_cores >= CORES_MIN_EFFICIENCY * n as f64 && beyond <= at_cores * OVERSUBSCRIBED_MAX_GAIN
        }
        _ => false,
    };
    judged(Claim::ProcessesCores, env, Some((m.sequential_ms, m.sequential_again_ms)), holds)
}

impl ProcessSweep {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let slot = |n: usize| match n {
                1 => "p@1".to_owned(),
                n if n == m.cores => "p@cores".to_owned(),
                n if n == 2 * m.cores => "p@2cores".to_owned(),
                n => format!("p@{n}"),
            };
            let mut v = vec![fig("seq", WallMs, SEQ, Some(1), m.baseline())];
            v.extend(m.points.iter().map(|&(n, w)| fig(&slot(n), WallMs, PRO, Some(n), w)));
            v.extend(
                m.points.iter().map(|&(n, w)| fig(&(slot(n) + "-x"), Speedup, PRO, Some(n), ratio(m.baseline(), w))),
            );
            v
        }
    }
}

impl ProcessSweep {
    /// Sequential, then each of `counts` processes twice (the better run
    /// counts), then sequential again.
    pub(super) fn asks(setup: &Setup, counts: &[usize]) -> Vec<Ask> {
        let (seq, cpu) = (settings(setup.sizes.cpu, Model::Sequential, 1, QUEUE), setup.sizes.cpu);
        let mut asks = vec![Ask::run(seq)];
        for &w in counts {
            let s = settings(cpu, Model::Processes, w, QUEUE);
            asks.extend([Ask::run(s), Ask::run(s)]);
        }
        asks.push(Ask::run(seq));
        asks
    }

    /// The sweep from the answers to [`ProcessSweep::asks`]; the lab's
    /// settings are those of the run on as many processes as cores.
    pub(super) fn fold(setup: &Setup, counts: &[usize], a: &mut Answers) -> Result<Folded<ProcessSweep>, RunError> {
        let cores = setup.sizes.cores;
        let sequential_ms = a.wall()?;
        let mut points = Vec::new();
        for &w in counts {
            points.push((w, a.wall()?.min(a.wall()?)));
        }
        let measured = ProcessSweep { cores, sequential_ms, sequential_again_ms: a.wall()?, points };
        Ok(Folded { measured, settings: setup.raw(&settings(setup.sizes.cpu, Model::Processes, cores, QUEUE)) })
    }
}

/// The claim: processes speed CPU-bound work up to the core count, and no
/// further.
pub struct ProcessesCoresClaim;

impl ClaimSpec for ProcessesCoresClaim {
    type Measured = ProcessSweep;
    const REPEATS: bool = true;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let c = setup.sizes.cores;
        ProcessSweep::asks(setup, &[c, 2 * c])
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<ProcessSweep>, RunError> {
        let c = setup.sizes.cores;
        ProcessSweep::fold(setup, &[c, 2 * c], a)
    }

    fn judge(m: &ProcessSweep, env: Conditions) -> Verdict {
        judge_processes_cores(m, env)
    }

    fn figures(m: &ProcessSweep) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "Processes speed up CPU-bound work up to the number of cores — and no further.",
            "CPU 작업은 프로세스를 늘리면 코어 수만큼 빨라지고, 그 이상은 빨라지지 않는다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        match lang {
            Lang::En => format!("The same prime count sequentially (before and after), then on {cores} processes (the core count) and on {} (twice as many).", 2 * cores),
            Lang::Ko => format!("같은 소수 세기를 순차 실행(처음과 끝)으로, 그리고 프로세스 {cores}개(코어 수)와 {}개(코어 수의 두 배)로 돌립니다.", 2 * cores),
        }
    }

    fn rule(lang: Lang, cores: usize) -> String {
        let (at_least, gain) = (CORES_MIN_EFFICIENCY * cores as f64, pct(OVERSUBSCRIBED_MAX_GAIN - 1.0));
        match lang {
            Lang::En => format!("Holds if {cores} processes are at least {at_least:.2}× faster than sequential ({CORES_MIN_EFFICIENCY} × cores) and {} processes add at most {gain} on top.", 2 * cores),
            Lang::Ko => format!("프로세스 {cores}개가 순차 실행보다 {at_least:.2}배({CORES_MIN_EFFICIENCY} × 코어 수) 이상 빠르고, {}개로 늘려도 추가 이득이 {gain} 이하이면 성립.", 2 * cores),
        }
    }
}
