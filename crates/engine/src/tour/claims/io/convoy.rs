//! Claim: the GIL slows I/O threads that run beside CPU-bound threads.

use super::*;
use crate::python::convoy::{ConvoyModel, ConvoyRun, ConvoySettings};

/// Claim 14 holds when, beside one CPU-bound thread, the I/O thread's
/// median wait under the GIL is at least this many times longer.
pub const CONVOY_MIN_SLOWDOWN: f64 = 2.0;

/// Median waits of the I/O thread alone and beside one CPU thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvoyCheck {
    pub wait_ms: u64,
    pub switch_interval_ms: f64,
    pub gil_alone_ms: f64,
    pub gil_beside_ms: f64,
    pub free_alone_ms: f64,
    pub free_beside_ms: f64,
}

impl ConvoyCheck {
    pub fn gil_slowdown(&self) -> f64 {
        ratio(self.gil_beside_ms, self.gil_alone_ms)
    }
}

pub fn judge_convoy(m: &ConvoyCheck, env: Conditions) -> Verdict {
    judged(Claim::Convoy, env, None, m.gil_slowdown() >= CONVOY_MIN_SLOWDOWN)
}

impl ConvoyCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        vec![
            Figure { note: Some("0".into()), ..fig("gil-alone", MedianWaitMs, GIL, None, m.gil_alone_ms) },
            Figure { note: Some("1".into()), ..fig("gil-beside", MedianWaitMs, GIL, None, m.gil_beside_ms) },
            Figure { note: Some("0".into()), ..fig("free-alone", MedianWaitMs, FREE, None, m.free_alone_ms) },
            Figure { note: Some("1".into()), ..fig("free-beside", MedianWaitMs, FREE, None, m.free_beside_ms) },
        ]
    }
}

/// The claim: the GIL slows I/O threads that run beside CPU-bound threads.
pub struct ConvoyClaim;

/// Waits of 1 ms at the default switch interval, beside at most one CPU
/// thread.
fn convoy_settings() -> ConvoySettings {
    ConvoySettings {
        max_cpu_threads: 1,
        waits: CONVOY_WAITS,
        wait_ms: 1,
        switch_interval_ms: crate::python::gil::DEFAULT_SWITCH_INTERVAL_MS,
    }
}

impl ClaimSpec for ConvoyClaim {
    type Measured = ConvoyCheck;

    fn asks(_setup: &Setup) -> Vec<Ask> {
        let settings = convoy_settings();
        [ConvoyModel::GilThreads, ConvoyModel::FreeThreads]
            .into_iter()
            .flat_map(|model| (0..=1).map(move |cpu_threads| Ask::needs(Job::Convoy { model, cpu_threads, settings })))
            .collect()
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<ConvoyCheck>, RunError> {
        let s = convoy_settings();
        let mut median =
            || -> Result<f64, RunError> { Ok(a.take::<ConvoyRun>()?.stats().map_or(0.0, |s| s.median_ms)) };
        let measured = ConvoyCheck {
            wait_ms: s.wait_ms,
            switch_interval_ms: s.switch_interval_ms,
            gil_alone_ms: median()?,
            gil_beside_ms: median()?,
            free_alone_ms: median()?,
            free_beside_ms: median()?,
        };
        let mut r = setup.defaults();
        r.set(Field::CpuThreads, "1".into());
        r.set(Field::Waits, s.waits.to_string());
        r.set(Field::Wait, s.wait_ms.to_string());
        r.set(Field::Interval, s.switch_interval_ms.to_string());
        Ok(Folded { measured, settings: r })
    }

    fn judge(m: &ConvoyCheck, env: Conditions) -> Verdict {
        judge_convoy(m, env)
    }

    fn figures(m: &ConvoyCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "The GIL slows down I/O threads that run beside CPU-bound threads.",
            "GIL은 CPU 작업 스레드 옆에서 도는 I/O 스레드를 느리게 만든다.",
        )
    }

    fn what_runs(lang: Lang, _cores: usize) -> String {
        match lang {
            Lang::En => format!("An I/O thread makes {CONVOY_WAITS} waits of 1 ms, alone and beside one CPU-bound thread: under a GIL (switch interval 5 ms), then with free threads."),
            Lang::Ko => format!("I/O 스레드가 1 ms 대기를 {CONVOY_WAITS}번 합니다. 혼자일 때와 CPU 작업 스레드 하나 옆에서, GIL 아래(전환 간격 5 ms)와 자유 스레드로 각각 잽니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        match lang {
            Lang::En => format!("Holds if, beside one CPU-bound thread, the I/O thread's median wait under the GIL is at least {CONVOY_MIN_SLOWDOWN}× its median alone."),
            Lang::Ko => format!("CPU 작업 스레드 하나 옆에서 GIL 아래 I/O 스레드의 대기 중앙값이 혼자일 때의 {CONVOY_MIN_SLOWDOWN}배 이상이면 성립."),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        Some(
            match f.note.as_deref() {
                Some("0") => lang.s("median wait, alone", "대기 중앙값, 혼자"),
                _ => lang.s("median wait, beside 1 CPU thread", "대기 중앙값, CPU 스레드 1개 옆"),
            }
            .to_owned(),
        )
    }
}
