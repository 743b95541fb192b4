//! The results table: one row per run, with wall time, pool start-up,
//! speedup against the latest sequential run of the same workload, the
//! answer (the same for every model) and the worker count. Clicking a row
//! adds it to (or removes it from) the compared timelines.

use crate::ui::i18n::{Lang, Words};
use crate::ui::state::{History, ResultRow, Shared};
use crate::web::page::download::save;
use engine::analysis::report::{to_csv, RunReport};
use engine::text::{ms, thousands, times};
use engine::{Model, RunError};
use yew::prelude::*;

#[derive(Clone, Copy)]
enum ExportFormat {
    Json,
    Csv,
}

#[derive(Properties, PartialEq)]
pub(crate) struct ResultsTableProps {
    /// Every finished run (shared, compared by pointer).
    pub(crate) history: Shared<History>,
    /// Runs on the compared timelines.
    pub(crate) shown: Vec<usize>,
    pub(crate) on_toggle: Callback<usize>,
    pub(crate) on_clear: Callback<()>,
}

/// Writes the finished runs as a file; built only when the reader asks.
fn save_runs(history: &History, format: ExportFormat) -> Result<(), String> {
    let reports: Vec<&RunReport> = history.reports().collect();
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(&reports)
            .map_err(|e| e.to_string())
            .and_then(|text| save("concurrency-lab-results.json", "application/json", &text)),
        ExportFormat::Csv => save("concurrency-lab-results.csv", "text/csv", &to_csv(reports)),
    }
}

fn model_label(lang: Lang, report: &RunReport) -> String {
    match (report.model, report.workload.kind.is_io()) {
        (Model::Threads, true) => lang.s("Free threads, blocking I/O", "자유 스레드, 블로킹 I/O").to_owned(),
        (Model::GilThreads, true) => lang.s("GIL threads, blocking I/O", "GIL 스레드, 블로킹 I/O").to_owned(),
        (m, _) => lang.model(m).to_owned(),
    }
}

fn notes(lang: Lang, report: &RunReport) -> Html {
    let mut parts = Vec::new();
    if let Some(s) = report.strategy {
        parts.push(lang.strategy(s));
    }
    if let Some(b) = report.loop_blocked_ms {
        parts.push(match (lang, report.workload.kind.is_io()) {
            (Lang::En, true) => format!("event loop stayed free (longest stall {})", ms(b)),
            (Lang::Ko, true) => format!("이벤트 루프가 막히지 않음 (최장 정지 {})", ms(b)),
            (Lang::En, false) => format!("CPU work blocked the event loop for up to {}", ms(b)),
            (Lang::Ko, false) => format!("CPU 작업이 이벤트 루프를 최대 {} 막음", ms(b)),
        });
    }
    let mut warnings = Vec::new();
    for f in &report.failures {
        let unit = match report.model {
            Model::Asyncio => lang.s("coroutine", "코루틴"),
            _ => lang.s("process", "프로세스"),
        };
        warnings.push(match lang {
            Lang::En => format!(
                "task {} crashed in {unit} {} ({}); {} of {} results kept — the answer is partial",
                f.task,
                f.worker,
                lang.crash_cause(&f.cause),
                report.outcomes.len(),
                report.workload.tasks
            ),
            Lang::Ko => format!(
                "작업 {}이(가) {unit} {}에서 죽었습니다 ({}). 결과 {}개 중 {}개를 지켰습니다 — 답은 일부만 합친 값입니다",
                f.task,
                f.worker,
                lang.crash_cause(&f.cause),
                report.workload.tasks,
                report.outcomes.len()
            ),
        });
    }
    if report.model == Model::Processes && !report.failures.is_empty() {
        warnings
            .push(lang.s("the crashed process was replaced", "죽은 프로세스는 새 프로세스로 교체했습니다").to_owned());
    }
    if report.hidden {
        warnings.push(
            lang.s(
                "the tab was hidden during this run: the browser throttles background timers, so these times are not real measurements",
                "실행 중에 탭이 숨겨져 있었습니다. 브라우저가 백그라운드 타이머를 늦추므로 이 시간은 실제 측정값이 아닙니다",
            )
            .to_owned(),
        );
    }
    if parts.is_empty() && warnings.is_empty() {
        return html! {};
    }
    html! {
        <>
            if !parts.is_empty() {
                <div class="notes">{ parts.join(" · ") }</div>
            }
            { for warnings.into_iter().map(|w| html! { <div class="warning" data-testid="row-warning">{ w }</div> }) }
        </>
    }
}

fn row_html(lang: Lang, props: &ResultsTableProps, row: &ResultRow) -> Html {
    let on_toggle = &props.on_toggle;
    let id = row.id;
    match &row.outcome {
        Ok(r) => {
            let onclick = on_toggle.reform(move |_: MouseEvent| id);
            // The same from the keyboard: rows are focusable (tabindex).
            let onkeydown = {
                let on_toggle = on_toggle.clone();
                Callback::from(move |e: KeyboardEvent| {
                    if e.key() == "Enter" || e.key() == " " {
                        e.prevent_default();
                        on_toggle.emit(id);
                    }
                })
            };
            let check = match r.answer_checks() {
                Some(true) => {
                    html! { <span class="ok" title={lang.s("matches the known answer", "알려진 정답과 일치")}>{ " ✓" }</span> }
                }
                Some(false) => {
                    html! { <span class="bad" title={lang.s("does not match the known answer", "알려진 정답과 다름")}>{ " ✗" }</span> }
                }
                None => html! {},
            };
            let speed = props.history.speedup_of(r).map(times).unwrap_or_else(|| "—".to_owned());
            let shown = props.shown.contains(&id);
            html! {
                <tr class={classes!("result", shown.then_some("selected"), (!r.complete() || r.hidden).then_some("flagged"))} onclick={onclick} onkeydown={onkeydown} tabindex="0"
                    data-testid="result-row" data-model={r.model.id()} data-answer={r.answer.to_string()}
                    data-wall={format!("{:.3}", r.wall_ms)} data-workers={r.workers.to_string()} data-lanes={r.lanes().to_string()}
                    data-failed={r.failures.len().to_string()} data-startup={format!("{:.3}", r.startup_ms)}
                    data-blocked={r.loop_blocked_ms.map(|b| format!("{b:.3}")).unwrap_or_default()} data-hidden={r.hidden.to_string()} data-results={r.outcomes.len().to_string()}
                    aria-selected={shown.to_string()}>
                    <td class="num muted id">{ id }</td>
                    <td class="model"><strong>{ model_label(lang, r) }</strong>{ notes(lang, r) }</td>
                    <td class="workload">{ lang.workload(r.workload.kind) }<div class="muted">{ match lang {
                        Lang::En => format!("{} · {} tasks", thousands(r.workload.size), r.workload.tasks),
                        Lang::Ko => format!("{} · 작업 {}개", thousands(r.workload.size), r.workload.tasks),
                    } }</div></td>
                    // data-label: each number's heading on a phone, where rows are cards.
                    <td class="num" data-label={lang.s("Workers", "작업자")}>{ r.workers }</td>
                    <td class="num strong wall" data-testid="wall" data-label={lang.s("Wall time", "걸린 시간")}>{ ms(r.wall_ms) }</td>
                    <td class="num muted" data-label={lang.s("Start-up", "시작 비용")}>{ if r.startup_ms > 0.0 { ms(r.startup_ms) } else { lang.s("reused", "재사용").to_owned() } }</td>
                    <td class="num speed" data-testid="speedup" data-label={lang.s("Speedup", "속도 향상")}>{ speed }</td>
                    <td class="num answer" data-label={lang.s("Answer", "답")}>{ thousands(r.answer) }{ check }</td>
                </tr>
            }
        }
        Err(f) => {
            let class = if matches!(f.error, RunError::Cancelled) { "cancelled" } else { "failed" };
            html! {
                <tr class={classes!("result", class)} data-testid="result-row" data-model={f.model.id()} data-error={class}>
                    <td class="num muted id">{ id }</td>
                    <td class="model"><strong>{ lang.model(f.model) }</strong></td>
                    <td class="workload">{ lang.workload(f.workload.kind) }</td>
                    <td colspan="5" class="error-cell">{ lang.run_error(&f.error) }</td>
                </tr>
            }
        }
    }
}

#[component]
pub(crate) fn ResultsTable(props: &ResultsTableProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let rows = &props.history.rows;
    let clear = props.on_clear.reform(|_: MouseEvent| ());
    let export = |format: ExportFormat| {
        let history = props.history.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = save_runs(&history, format) {
                web_sys::console::error_1(&e.into());
            }
        })
    };
    html! {
        <div class="results">
            <div class="results-head">
                <h2>{ lang.s("Results", "결과") }</h2>
                if !rows.is_empty() {
                    <div class="head-actions">
                        <button class="link" onclick={export(ExportFormat::Json)} data-testid="export-json">{ lang.s("Export JSON", "JSON 내보내기") }</button>
                        <button class="link" onclick={export(ExportFormat::Csv)} data-testid="export-csv">{ lang.s("Export CSV", "CSV 내보내기") }</button>
                        <button class="link" onclick={clear} data-testid="clear">{ lang.s("Clear", "지우기") }</button>
                    </div>
                }
            </div>
            if rows.is_empty() {
                <p class="empty">{ lang.s(
                    "No runs yet. Pick a workload and press Run — or Run all models to compare them on the same work.",
                    "아직 실행 기록이 없습니다. 작업을 고르고 실행을 누르거나, 모든 모델 실행으로 같은 작업에서 모델들을 비교해 보세요.",
                ) }</p>
            } else {
                <div class="table-wrap">
                    <table class="runs" data-testid="results">
                        <thead>
                            <tr>
                                <th class="num">{ "#" }</th>
                                <th>{ lang.s("Model", "모델") }</th>
                                <th>{ lang.s("Workload", "작업") }</th>
                                <th class="num">{ lang.s("Workers", "작업자") }</th>
                                <th class="num">{ lang.s("Wall time", "걸린 시간") }</th>
                                <th class="num">{ lang.s("Start-up", "시작 비용") }</th>
                                <th class="num" title={lang.s("latest sequential run of the same workload ÷ this run", "같은 작업의 최근 순차 실행 시간 ÷ 이 실행 시간")}>{ lang.s("Speedup", "속도 향상") }</th>
                                <th class="num">{ lang.s("Answer", "답") }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rows.iter().rev().map(|row| row_html(lang, props, row)) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{ lang.s("Click rows (or press Enter on one) to compare their timelines.", "행을 클릭하거나 행에서 엔터 키를 누르면 타임라인을 나란히 비교할 수 있습니다.") }</p>
            }
        </div>
    }
}
