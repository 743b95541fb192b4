//! The tour's words that are not one claim's: verdicts and doubts, the
//! conditions that make any verdict inconclusive, how a number reads, why
//! an import was refused — in English and in Korean written for Korean
//! developers. Each claim's own sentence, plan, rule and figure names are
//! in its file in the engine (`engine::tour::claims`).

use crate::ui::i18n::{Lang, Words};
use crate::ui::tour::state::ImportProblem;
use engine::cores::Cores;
use engine::text::{cores_en, ms, pct, thousands, times};
use engine::tour::claims::{Claim, Doubt, Figure, Quantity, Verdict, NOISE_MAX};
use engine::tour::export::ImportError;

/// For a claim whose verdict depends on the core count: which count it is
/// sized from, and whether the page measured it or took the browser's word
/// (WebKit clamps `navigator.hardwareConcurrency`). Empty for the others.
pub(crate) fn cores_note(lang: Lang, c: Claim, cores: Cores) -> String {
    if !c.needs_cores() {
        return String::new();
    }
    let n = cores.usable();
    match (lang, cores.measured) {
        (Lang::En, Some(_)) => {
            format!(" Sized for {}, as measured on this page (the browser says {}).", cores_en(n), cores.reported)
        }
        (Lang::Ko, Some(_)) => {
            format!(" 이 페이지에서 측정한 코어 {n}개 기준입니다 (브라우저가 알려 준 값은 {}개).", cores.reported)
        }
        (Lang::En, None) => format!(" Sized for {}, the browser's figure (not yet measured).", cores_en(n)),
        (Lang::Ko, None) => format!(" 브라우저가 알려 준 코어 {n}개 기준입니다 (아직 측정 전)."),
    }
}

/// The rule the verdict follows, with the thresholds it uses.
pub(crate) fn rule(lang: Lang, c: Claim, cores: usize) -> String {
    let holds = c.rule(lang, cores);
    let mut unless = Vec::new();
    if c.needs_cores() {
        unless.push(lang.s("fewer than 2 cores", "코어가 2개 미만"));
    }
    if c.timed() {
        unless.push(lang.s("a hidden tab", "탭이 숨겨짐"));
    }
    let noise = match lang {
        Lang::En => format!("repeated runs that differ by more than {}", pct(NOISE_MAX)),
        Lang::Ko => format!("반복 실행끼리 {} 넘게 차이 남", pct(NOISE_MAX)),
    };
    let mut list: Vec<String> = unless.into_iter().map(str::to_owned).collect();
    if c.repeats() {
        list.push(noise);
    }
    if list.is_empty() {
        return holds;
    }
    match lang {
        Lang::En => format!("{holds} Inconclusive with {}.", list.join(", ")),
        Lang::Ko => format!("{holds} 다음 경우엔 판단 보류: {}.", list.join(", ")),
    }
}

/// The verdict's label.
pub(crate) fn verdict_label(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => lang.s("Holds on this machine", "이 컴퓨터에서 성립"),
        Verdict::DoesNotHold => lang.s("Does not hold here", "여기서는 성립하지 않음"),
        Verdict::Inconclusive { .. } => lang.s("Inconclusive", "판단 보류"),
    }
}

/// A short label for the comparison (the other machine's verdict).
pub(crate) fn verdict_short(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => lang.s("holds", "성립"),
        Verdict::DoesNotHold => lang.s("does not hold", "성립 안 함"),
        Verdict::Inconclusive { .. } => lang.s("inconclusive", "판단 보류"),
    }
}

/// Why a verdict is inconclusive.
pub(crate) fn doubt(lang: Lang, d: Doubt) -> String {
    match (lang, d) {
        (Lang::En, Doubt::FewCores { cores }) => format!("This page got {}: with fewer than two nothing runs in parallel, so the claim is not tested. (A busy machine gives the page fewer cores than it has: reload when it is quiet.)", cores_en(cores)),
        (Lang::Ko, Doubt::FewCores { cores }) => format!("이 페이지가 쓸 수 있는 코어는 {cores}개였습니다. 코어가 2개 미만이면 병렬로 돌 수 없어 이 주장을 검증할 수 없습니다. (컴퓨터가 다른 일로 바쁘면 페이지가 받는 코어가 실제보다 적습니다. 컴퓨터가 한가할 때 페이지를 새로 고쳐 보세요.)"),
        (Lang::En, Doubt::Hidden) => "The tab was hidden during the run; browsers slow hidden tabs down, so the times are not real. Run it again with the tab in front.".to_owned(),
        (Lang::Ko, Doubt::Hidden) => "실행 중에 탭이 가려졌습니다. 브라우저는 숨은 탭을 느리게 돌리므로 시간이 실제와 다릅니다. 탭을 앞에 둔 채 다시 실행하세요.".to_owned(),
        (Lang::En, Doubt::Noisy { spread }) => format!("Two runs of the same work differed by {} (more than {}): the machine was busy. Run it again.", pct(spread), pct(NOISE_MAX)),
        (Lang::Ko, Doubt::Noisy { spread }) => format!("같은 작업을 두 번 돌렸는데 {} 차이가 났습니다({} 초과). 컴퓨터가 다른 일로 바빴던 것 같으니 다시 실행해 보세요.", pct(spread), pct(NOISE_MAX)),
        (Lang::En, Doubt::Unexpected) => "A run ended in a way the claim does not speak about (for example, threads are off on this page).".to_owned(),
        (Lang::Ko, Doubt::Unexpected) => "실행이 이 주장과 상관없는 방식으로 끝났습니다 (예: 이 페이지에서 스레드를 쓸 수 없음).".to_owned(),
    }
}

/// The row label of a number.
pub(crate) fn figure_label(lang: Lang, c: Claim, f: &Figure) -> String {
    let who = match (f.model, f.workers) {
        (Some(m), Some(w)) if m.uses_worker_count() => match lang {
            Lang::En => format!("{} × {w}", lang.model_short(m)),
            Lang::Ko => format!("{} {w}개", lang.model_short(m)),
        },
        (Some(m), _) => lang.model_short(m).to_owned(),
        (None, _) => String::new(),
    };
    let what = c.label(lang, f).unwrap_or_else(|| match f.quantity {
        Quantity::Speedup => lang.s("speedup", "속도 향상").to_owned(),
        _ => lang.s("wall time", "걸린 시간").to_owned(),
    });
    if who.is_empty() {
        what
    } else {
        format!("{who} — {what}")
    }
}

/// A number, in its unit.
pub(crate) fn figure_value(lang: Lang, f: &Figure) -> String {
    match f.quantity {
        Quantity::WallMs | Quantity::MedianWaitMs | Quantity::BlockedMs => ms(f.value),
        Quantity::Speedup => times(f.value),
        Quantity::Lost => thousands(f.value.max(0.0) as u64),
        Quantity::IdlePercent => format!("{:.0} %", f.value),
        Quantity::Done => format!("{} / {}", f.value as u64, f.note.as_deref().unwrap_or("?")),
        Quantity::Flag if f.value > 0.5 => lang.s("deadlocked", "데드락").to_owned(),
        Quantity::Flag => lang.s("finished", "정상 종료").to_owned(),
        Quantity::Mib => format!("{:.1} MiB", f.value),
        Quantity::Schedules => match lang {
            Lang::En => format!("{} of {}", thousands(f.value.max(0.0) as u64), f.note.as_deref().unwrap_or("?")),
            Lang::Ko => format!("{} 중 {}", f.note.as_deref().unwrap_or("?"), thousands(f.value.max(0.0) as u64)),
        },
    }
}

/// Why an imported file is not shown.
pub(crate) fn import_error(lang: Lang, p: &ImportProblem) -> String {
    let e = match p {
        ImportProblem::File(e) => e,
        // The export was not read: said as for a file it could not read.
        ImportProblem::Code(e) => {
            return format!("{} {}", lang.load_error(e), lang.s("Nothing was changed.", "아무것도 바뀌지 않았습니다."))
        }
    };
    let what = match (lang, e) {
        // No file at all, or one the browser would not read: said plainly.
        (Lang::En, ImportError::NoFile) => return "No file was chosen. Nothing was changed.".to_owned(),
        (Lang::Ko, ImportError::NoFile) => return "선택한 파일이 없습니다. 아무것도 바뀌지 않았습니다.".to_owned(),
        (Lang::En, ImportError::Unreadable { why }) => {
            return format!("The browser could not read the file ({why}). Nothing was changed.")
        }
        (Lang::Ko, ImportError::Unreadable { why }) => {
            return format!("브라우저가 파일을 읽지 못했습니다 ({why}). 아무것도 바뀌지 않았습니다.")
        }
        (Lang::En, e) => e.to_string(),
        (Lang::Ko, ImportError::TooLarge { bytes }) => {
            format!("파일이 너무 큽니다 ({bytes}바이트, 투어 내보내기 파일은 몇 kB입니다)")
        }
        (Lang::Ko, ImportError::NotJson { line, column }) => {
            format!("JSON 파일이 아닙니다 ({line}번째 줄, {column}번째 글자)")
        }
        (Lang::Ko, ImportError::Foreign) => "Concurrency Lab 투어에서 내보낸 JSON이 아닙니다".to_owned(),
        (Lang::Ko, ImportError::Version { found }) => {
            format!("버전 {found} 파일입니다. 이 페이지는 버전 {}만 읽습니다", engine::tour::export::VERSION)
        }
        (Lang::Ko, ImportError::Invalid { detail }) => format!("파일이 손상되었습니다: {detail}"),
        (Lang::Ko, ImportError::NoClaims) => "이 페이지가 아는 주장이 파일에 하나도 없습니다".to_owned(),
    };
    match lang {
        Lang::En => format!("Could not compare: {what}. Nothing was changed."),
        Lang::Ko => format!("비교할 수 없습니다: {what}. 아무것도 바뀌지 않았습니다."),
    }
}
