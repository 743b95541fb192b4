//! Claim: with the GIL, CPU-bound threads are no faster than one thread.

use super::*;

/// Claim 1 holds while threads under the GIL stay below this speedup.
pub const GIL_MAX_SPEEDUP: f64 = 1.25;

/// CPU-bound work: sequential (twice, before and after), threads under a
/// GIL, and free threads (where the page allows threads) for contrast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GilCpu {
    pub workers: usize,
    pub sequential_ms: f64,
    pub sequential_again_ms: f64,
    pub gil_ms: f64,
    pub free_ms: Option<f64>,
}

impl GilCpu {
    /// The better of the two sequential runs (as with every point: the
    /// best of two, which a passing background task disturbs least).
    fn baseline(&self) -> f64 {
        self.sequential_ms.min(self.sequential_again_ms)
    }

    pub fn gil_speedup(&self) -> f64 {
        ratio(self.baseline(), self.gil_ms)
    }
}

pub fn judge_gil_cpu(m: &GilCpu, env: Conditions) -> Verdict {
    let repeat = Some((m.sequential_ms, m.sequential_again_ms));
    judged(Claim::GilCpu, env, repeat, m.gil_speedup() < GIL_MAX_SPEEDUP)
}

impl GilCpu {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let mut v = vec![
                fig("seq", WallMs, SEQ, Some(1), m.baseline()),
                fig("gil", WallMs, GIL, Some(m.workers), m.gil_ms),
            ];
            if let Some(f) = m.free_ms {
                v.push(fig("free", WallMs, FREE, Some(m.workers), f));
            }
            v.push(fig("gil-x", Speedup, GIL, Some(m.workers), m.gil_speedup()));
            if let Some(f) = m.free_ms {
                v.push(fig("free-x", Speedup, FREE, Some(m.workers), ratio(m.baseline(), f)));
            }
            v
        }
    }
}

/// The claim: with the GIL, CPU-bound threads are no faster than one thread.
pub struct GilCpuClaim;

impl ClaimSpec for GilCpuClaim {
    type Measured = GilCpu;
    const REPEATS: bool = true;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let (seq, gil) = runs(setup);
        vec![
            Ask::run(seq),
            Ask::run(gil),
            Ask::contrast(Job::Run(Settings { model: Model::Threads, ..gil })),
            Ask::run(seq),
        ]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<GilCpu>, RunError> {
        let (_, gil) = runs(setup);
        let measured = GilCpu {
            workers: gil.workers,
            sequential_ms: a.wall()?,
            gil_ms: a.wall()?,
            free_ms: a.optional_wall()?,
            sequential_again_ms: a.wall()?,
        };
        Ok(Folded { measured, settings: setup.raw(&gil) })
    }

    fn judge(m: &GilCpu, env: Conditions) -> Verdict {
        judge_gil_cpu(m, env)
    }

    fn figures(m: &GilCpu) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "With the GIL, CPU-bound threads are no faster than one thread.",
            "GIL이 있으면 CPU 작업을 스레드 여러 개로 나눠도 스레드 하나보다 빨라지지 않는다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let (n, t, target) = (cores.max(2), cpu_tasks(cores), CPU_TARGET_MS / 1000.0);
        match lang {
            Lang::En => format!("Counting primes in {t} tasks (sized so one core takes about {target} s): sequentially before and after, then on {n} threads under a GIL and, for contrast, on {n} free threads."),
            Lang::Ko => format!("소수 세기를 작업 {t}개로 나눠 (코어 하나로 약 {target}초 걸리게 크기 조정) 처음과 끝에 순차 실행으로 한 번씩, 그 사이에 GIL 아래 스레드 {n}개로, 비교용으로 자유 스레드 {n}개로 돌립니다."),
        }
    }

    fn rule(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => {
                format!("Holds if {n} threads under the GIL are less than {GIL_MAX_SPEEDUP}× faster than sequential.")
            }
            Lang::Ko => format!("GIL 아래 스레드 {n}개가 순차 실행보다 {GIL_MAX_SPEEDUP}배 미만으로 빠르면 성립."),
        }
    }
}

/// The sequential run and the one on threads under the GIL.
fn runs(setup: &Setup) -> (Settings, Settings) {
    let cpu = setup.sizes.cpu;
    (settings(cpu, Model::Sequential, 1, QUEUE), settings(cpu, Model::GilThreads, setup.pair(), QUEUE))
}
