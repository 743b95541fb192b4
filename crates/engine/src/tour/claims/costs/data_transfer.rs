//! Claim: sending data to processes costs more than sharing it.

use super::*;
use crate::analysis::moving_data::{DataModel, DataRun, MoveMode};

/// Sum of an array of `mib` MiB: sequentially, on processes by copy, and
/// (where the page allows shared memory) on processes through shared
/// memory; wall and moving times in ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataCheck {
    pub mib: u64,
    pub workers: usize,
    pub sequential_ms: f64,
    pub copy_ms: f64,
    pub copy_move_ms: f64,
    pub shared_ms: Option<f64>,
    pub shared_move_ms: Option<f64>,
}

/// Claim 7 holds when moving the data by copy takes at least this many
/// times as long as sharing it, and the whole run by copy is the slower.
pub const COPY_MIN_COST: f64 = 2.0;

pub fn judge_data(m: &DataCheck, env: Conditions) -> Verdict {
    let (Some(shared), Some(shared_move)) = (m.shared_ms, m.shared_move_ms) else {
        return Verdict::Inconclusive { doubt: Doubt::Unexpected };
    };
    let holds = m.copy_move_ms >= COPY_MIN_COST * shared_move.max(0.1) && m.copy_ms > shared;
    judged(Claim::DataTransfer, env, None, holds)
}

impl DataCheck {
    /// Its numbers worth showing, in order.
    pub(crate) fn figures(&self) -> Vec<Figure> {
        use Quantity::*;
        let m = self;
        {
            let mut v = vec![
                fig("seq", WallMs, SEQ, Some(1), m.sequential_ms),
                fig("copy", WallMs, PRO, Some(m.workers), m.copy_ms),
                fig("copy-move", WallMs, PRO, Some(m.workers), m.copy_move_ms),
            ];
            if let (Some(s), Some(sm)) = (m.shared_ms, m.shared_move_ms) {
                v.push(fig("shared", WallMs, PRO, Some(m.workers), s));
                v.push(fig("shared-move", WallMs, PRO, Some(m.workers), sm));
            }
            v
        }
    }
}

/// The claim: sending data to processes costs more than sharing it.
pub struct DataTransferClaim;

impl ClaimSpec for DataTransferClaim {
    type Measured = DataCheck;
    const NEEDS_CORES: bool = false;

    fn asks(setup: &Setup) -> Vec<Ask> {
        let (mib, workers) = (DATA_MIB, setup.pair());
        let moving = |model| Job::MoveData { model, mib, workers };
        vec![
            Ask::needs(moving(DataModel::Sequential)),
            Ask::contrast(moving(DataModel::Processes(MoveMode::Shared))),
            // The copy last: the garbage it leaves must not slow the others.
            Ask::needs(moving(DataModel::Processes(MoveMode::Copy))),
        ]
    }

    fn fold(setup: &Setup, a: &mut Answers) -> Result<Folded<DataCheck>, RunError> {
        let (sequential, shared, copy) = (a.take::<DataRun>()?, a.optional::<DataRun>()?, a.take::<DataRun>()?);
        let measured = DataCheck {
            mib: DATA_MIB,
            workers: setup.pair(),
            sequential_ms: sequential.wall_ms(),
            copy_ms: copy.wall_ms(),
            copy_move_ms: copy.moving_ms(),
            shared_ms: shared.as_ref().map(DataRun::wall_ms),
            shared_move_ms: shared.as_ref().map(DataRun::moving_ms),
        };
        let mut r = setup.defaults();
        r.set(Field::Payload, DATA_MIB.to_string());
        Ok(Folded { measured, settings: r })
    }

    fn judge(m: &DataCheck, env: Conditions) -> Verdict {
        judge_data(m, env)
    }

    fn figures(m: &DataCheck) -> Vec<Figure> {
        m.figures()
    }

    fn sentence(lang: Lang) -> &'static str {
        lang.s(
            "Sending data to processes costs more than sharing it.",
            "프로세스에 데이터를 보내는 것은 공유하는 것보다 비용이 크다.",
        )
    }

    fn what_runs(lang: Lang, cores: usize) -> String {
        let n = cores.max(2);
        match lang {
            Lang::En => format!("Sums an array of {DATA_MIB} MiB: sequentially, on {n} processes through shared memory, and on {n} processes that each get a copy of their chunk."),
            Lang::Ko => format!("{DATA_MIB} MiB 배열의 합을 구합니다. 순차 실행, 공유 메모리를 쓰는 프로세스 {n}개, 자기 조각을 복사해 받는 프로세스 {n}개로 각각 돌립니다."),
        }
    }

    fn rule(lang: Lang, _cores: usize) -> String {
        match lang {
            Lang::En => format!("Holds if moving the chunks by copy takes at least {COPY_MIN_COST}× as long as sharing them, and the run by copy is the slower one."),
            Lang::Ko => format!("조각을 복사해 보내는 시간이 공유할 때의 {COPY_MIN_COST}배 이상이고, 복사한 실행이 더 느리면 성립."),
        }
    }

    fn label(lang: Lang, f: &Figure) -> Option<String> {
        let text = match f.slot.as_str() {
            "seq" => lang.s("wall time (owns the array)", "걸린 시간 (배열을 직접 가짐)"),
            "copy" => lang.s("by copy: wall time", "복사: 걸린 시간"),
            "copy-move" => lang.s("by copy: moving the data", "복사: 데이터 전달"),
            "shared" => lang.s("shared memory: wall time", "공유 메모리: 걸린 시간"),
            _ => lang.s("shared memory: moving the data", "공유 메모리: 데이터 전달"),
        };
        Some(text.to_owned())
    }
}
