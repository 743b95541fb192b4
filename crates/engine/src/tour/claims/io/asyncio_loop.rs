//! Claim: asyncio overlaps waits on one thread, and one CPU-heavy
//! coroutine blocks all the others.

use super::*;

/// Claim 5: asyncio must overlap the waits at least this much…
pub const ASYNC_MIN_SPEEDUP: f64 = 4.0;
/// …and with CPU work, the loop must stall for at least this share of one
/// coroutine's CPU part.
pub const ASYNC_MIN_BLOCKED_SHARE: f64 = 0.8;

/// asyncio on waits alone, then on waits followed by CPU work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsyncioLoop {
    pub tasks: usize,
    pub latency_ms: u64,
    pub sequential_ms: f64,
    pub asyncio_ms: f64,
    /// Longest stall of the loop on waits alone.
    pub io_blocked_ms: f64,
    /// CPU part of each coroutine in the second run.
    pub cpu_ms_per_task: f64,
    /// Longest stall of the loop in the second run.
    pub cpu_blocked_ms: f64,
}

impl AsyncioLoop {
    pub fn speedup(&self) -> f64 {
        ratio(self.sequential_ms, self.asyncio_ms)
    }
}

pub fn judge_asyncio(m: &AsyncioLoop, env: Conditions) -> Verdict {
    let holds = m.speedup() >= ASYNC_MIN_SPEEDUP && m.cpu_blocked_ms >= ASYNC_MIN_BLOCKED_SHARE * m.cpu_ms_per_task;
    judged(Claim::AsyncioLoop, env, None, holds)
}

impl AsyncioLoop {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            fig("seq", WallMs, SEQ, Some(1), m.sequential_ms),
            fig("asyncio", WallMs, AIO, Some(1), m.asyncio_ms),
            fig("asyncio-x", Speedup, AIO, Some(1), m.speedup()),
            fig("io-blocked", BlockedMs, AIO, Some(1), m.io_blocked_ms),
            Figure {
                note: Some(format!("{:.0}", m.cpu_ms_per_task)),
                ..fig("cpu-blocked", BlockedMs, AIO, Some(1), m.cpu_blocked_ms)
            },
        ]
    }
}

/// The claim: asyncio overlaps waits on one thread, and one CPU-heavy
/// coroutine blocks all the others.
pub struct AsyncioLoopClaim;

/// CPU ms of each coroutine in the second run.
fn cpu_ms_per_task() -> f64 {
    ASYNC_MIXED_MS as f64 * f64::from(ASYNC_MIXED_CPU) / 100.0
}

/// The waits and CPU work of the second run.
fn mixed(setup: &Setup) -> Settings {
    settings(setup.sizes.mixed(ASYNC_MIXED_MS, 8, ASYNC_MIXED_CPU), Model::Asyncio, 1, QUEUE)
}

impl ClaimSpec for AsyncioLoopClaim {
    type Measured = AsyncioLoop;
    const NEEDS_CORES: bool = false;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let io = setup.sizes.io;
        vec![
            Ask::run(settings(io, Model::Sequential, 1, QUEUE)),
            Ask::run(settings(io, Model::Asyncio, 1, QUEUE)),
            Ask::run(mixed(setup)),
        ]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<AsyncioLoop>, RunError> {
        let io = setup.sizes.io;
        let (sequential_ms, waits, cpu) = (a.wall()?, a.take::<RunReport>()?, a.take::<RunReport>()?);
        let measured = AsyncioLoop {
            tasks: io.tasks,
            latency_ms: io.size,
            sequential_ms,
            asyncio_ms: waits.wall_ms,
            io_blocked_ms: waits.loop_blocked_ms.unwrap_or(0.0),
            cpu_ms_per_task: cpu_ms_per_task(),
            cpu_blocked_ms: cpu.loop_blocked_ms.unwrap_or(0.0),
        };
        Ok(Folded { measured, settings: setup.raw(&mixed(setup)) })
    }

    fn judge(m: &AsyncioLoop, env: Conditions) -> Verdict {
        judge_asyncio(m, env)
    }

    fn figures(m: &AsyncioLoop) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "asyncio overlaps waits on a single thread — and one CPU-heavy coroutine blocks all the others.",
            "asyncio는 스레드 하나로 대기를 겹쳐 처리하지만, CPU를 오래 쓰는 코루틴 하나가 나머지를 모두 막는다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let (tasks, cpu) = (io_tasks(cores), cpu_ms_per_task());
        match lang {
            Lang::En => format!("The same {tasks} waits sequentially and with asyncio; then 8 coroutines that each wait, then compute {cpu} ms without awaiting."),
            Lang::Ko => format!("같은 대기 {tasks}개를 순차 실행과 asyncio로 돌립니다. 이어서 코루틴 8개가 각각 기다린 뒤 await 없이 {cpu} ms 동안 계산합니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        let share = pct(ASYNC_MIN_BLOCKED_SHARE);
        match lang {
            Lang::En => format!("Holds if asyncio is at least {ASYNC_MIN_SPEEDUP}× faster than sequential on the waits and, with CPU work, the loop stalls for at least {share} of one coroutine's CPU time."),
            Lang::Ko => format!("대기만 있을 때 asyncio가 순차 실행보다 {ASYNC_MIN_SPEEDUP}배 이상 빠르고, CPU 작업이 있을 때 이벤트 루프가 코루틴 하나의 계산 시간의 {share} 이상 멈추면 성립."),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        match f.slot.as_str() {
            "io-blocked" => {
                Some(lang.s("longest loop stall, waits only", "루프가 가장 오래 멈춘 시간 (대기만)").to_owned())
            }
            "cpu-blocked" => {
                let cpu = f.note.as_deref().unwrap_or("?");
                Some(match lang {
                    Lang::En => format!("longest loop stall, {cpu} ms CPU each"),
                    Lang::Ko => format!("루프가 가장 오래 멈춘 시간 (코루틴마다 CPU {cpu} ms)"),
                })
            }
            _ => None,
        }
    }
}
