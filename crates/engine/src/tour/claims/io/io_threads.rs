//! Claim: for I/O-bound work threads help, even far more threads than cores.

use super::*;

/// Claim 4: threads (as many as cores, at least 2) must be at least this
/// much faster than sequential…
pub const IO_MIN_SPEEDUP: f64 = 1.5;
/// …and far more threads at least this much faster again.
pub const IO_MANY_GAIN: f64 = 2.0;

/// Waits on threads under the GIL: a few (the core count) and many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IoThreads {
    pub tasks: usize,
    pub latency_ms: u64,
    pub sequential_ms: f64,
    pub few: usize,
    pub few_ms: f64,
    pub many: usize,
    pub many_ms: f64,
}

impl IoThreads {
    pub fn few_speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.few_ms)
    }

    pub fn many_speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.many_ms)
    }
}

pub fn judge_io_threads(m: &IoThreads, env: Conditions) -> Verdict {
    let holds = m.few_speedup() >= IO_MIN_SPEEDUP && m.many_speedup() >= IO_MANY_GAIN * m.few_speedup();
    judged(Claim::IoThreads, env, None, holds)
}

impl IoThreads {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("seq", WallMs, SEQ, Some(1), m.sequential_ms),
            fig("few", WallMs, GIL, Some(m.few), m.few_ms),
            fig("many", WallMs, GIL, Some(m.many), m.many_ms),
            fig("few-x", Speedup, GIL, Some(m.few), m.few_speedup()),
            fig("many-x", Speedup, GIL, Some(m.many), m.many_speedup()),
        ]
    }
}

/// The claim: for I/O-bound work threads help, even far more threads than
/// cores.
pub struct IoThreadsClaim;

impl ClaimSpec for IoThreadsClaim {
    type Measured = IoThreads;
    const NEEDS_CORES: bool = false;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let (io, s) = (setup.sizes.io, &setup.sizes);
        vec![
            Ask::run(settings(io, Model::Sequential, 1, QUEUE)),
            Ask::run(settings(io, Model::GilThreads, s.io_few(), QUEUE)),
            Ask::run(settings(io, Model::GilThreads, s.io_many(), QUEUE)),
        ]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<IoThreads>, RunError> {
        let (io, s) = (setup.sizes.io, &setup.sizes);
        let measured = IoThreads {
            tasks: io.tasks,
            latency_ms: io.size,
            sequential_ms: a.wall()?,
            few: s.io_few(),
            few_ms: a.wall()?,
            many: s.io_many(),
            many_ms: a.wall()?,
        };
        Ok(Folded { measured, settings: setup.raw(&settings(io, Model::GilThreads, s.io_many(), QUEUE)) })
    }

    fn judge(m: &IoThreads, env: Conditions) -> Verdict {
        judge_io_threads(m, env)
    }

    fn figures(m: &IoThreads) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "For I/O-bound work threads help — even far more threads than cores.",
            "I/O 작업에는 스레드가 효과가 있고, 코어 수보다 훨씬 많은 스레드도 도움이 된다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let (n, many, tasks) = (cores.max(2), io_many(cores), io_tasks(cores));
        match lang {
            Lang::En => format!("{tasks} simulated network calls of {IO_LATENCY_MS} ms each: sequentially, then on {n} and on {many} threads under a GIL."),
            Lang::Ko => format!("{IO_LATENCY_MS} ms짜리 가짜 네트워크 호출 {tasks}개를 순차 실행으로, 그리고 GIL 아래 스레드 {n}개와 {many}개로 돌립니다."),
        }
    }

    fn rule(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => format!("Holds if {n} threads are at least {IO_MIN_SPEEDUP}× faster than sequential and the many threads at least {IO_MANY_GAIN}× faster again."),
            Lang::Ko => format!("스레드 {n}개가 순차 실행보다 {IO_MIN_SPEEDUP}배 이상 빠르고, 스레드를 많이 쓰면 거기서 다시 {IO_MANY_GAIN}배 이상 빨라지면 성립."),
        }
    }
}
