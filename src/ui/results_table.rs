//! The results table: one row per run, with wall time, pool start-up,
//! speedup against the latest sequential run of the same workload, the
//! answer (which must be the same for every model) and the worker count.

use crate::engine::report::RunReport;
use crate::engine::{Model, RunError};
use crate::ui::format::{ms, thousands, times};
use crate::ui::state::{LabState, ResultRow};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsTableProps {
    pub state: LabState,
    pub on_select: Callback<usize>,
    pub on_clear: Callback<()>,
}

fn model_label(report: &RunReport) -> String {
    match (report.model, report.workload.kind.is_io()) {
        (Model::Threads, true) => "Threads (blocking I/O)".to_owned(),
        (m, _) => m.title().to_owned(),
    }
}

fn notes(report: &RunReport) -> Html {
    let mut parts = Vec::new();
    if let Some(s) = report.strategy {
        parts.push(s.title());
    }
    if let Some(b) = report.loop_blocked_ms {
        if report.workload.kind.is_io() {
            parts.push(format!("event loop free (longest stall {})", ms(b)));
        } else {
            parts.push(format!("CPU work blocked the event loop for up to {}", ms(b)));
        }
    }
    if parts.is_empty() {
        return html! {};
    }
    html! { <div class="notes">{ parts.join(" · ") }</div> }
}

fn row_html(state: &LabState, row: &ResultRow, on_select: &Callback<usize>) -> Html {
    let id = row.id;
    let onclick = on_select.reform(move |_: MouseEvent| id);
    match &row.outcome {
        Ok(r) => {
            let check = match r.answer_checks() {
                Some(true) => {
                    html! { <span class="ok" title="matches the known answer">{ " ✓" }</span> }
                }
                Some(false) => {
                    html! { <span class="bad" title="does not match the known answer">{ " ✗" }</span> }
                }
                None => html! {},
            };
            let speed = state.speedup_of(r).map(times).unwrap_or_else(|| "—".to_owned());
            let selected = state.selected == Some(id);
            html! {
                <tr class={classes!("result", selected.then_some("selected"))} onclick={onclick}
                    data-testid="result-row" data-model={r.model.id()} data-answer={r.answer.to_string()}
                    data-wall={format!("{:.3}", r.wall_ms)} data-workers={r.workers.to_string()} data-lanes={r.lanes().to_string()}>
                    <td>{ id }</td>
                    <td class="model"><strong>{ model_label(r) }</strong>{ notes(r) }</td>
                    <td class="workload">{ r.workload.kind.id() }<div class="muted">{ format!("{} · {} tasks", thousands(r.workload.size), r.workload.tasks) }</div></td>
                    <td class="num">{ r.workers }</td>
                    <td class="num strong">{ ms(r.wall_ms) }</td>
                    <td class="num muted">{ if r.startup_ms > 0.0 { ms(r.startup_ms) } else { "reused".to_owned() } }</td>
                    <td class="num" data-testid="speedup">{ speed }</td>
                    <td class="num answer">{ thousands(r.answer) }{ check }</td>
                </tr>
            }
        }
        Err((model, workload, err)) => {
            let class = if matches!(err, RunError::Cancelled) { "cancelled" } else { "failed" };
            html! {
                <tr class={classes!("result", class)} data-testid="result-row" data-model={model.id()} data-error={class}>
                    <td>{ id }</td>
                    <td class="model">{ model.title() }</td>
                    <td>{ workload.kind.id() }</td>
                    <td colspan="5" class="error-cell">{ err.to_string() }</td>
                </tr>
            }
        }
    }
}

#[component]
pub fn ResultsTable(props: &ResultsTableProps) -> Html {
    let state = &props.state;
    let clear = props.on_clear.reform(|_: MouseEvent| ());
    html! {
        <div class="results">
            <div class="results-head">
                <h2>{ "Results" }</h2>
                if !state.rows.is_empty() {
                    <button class="link" onclick={clear} data-testid="clear">{ "Clear" }</button>
                }
            </div>
            if state.rows.is_empty() {
                <p class="empty">{ "No runs yet. Pick a workload and press Run — or Run all models to compare them on the same work." }</p>
            } else {
                <div class="table-wrap">
                    <table data-testid="results">
                        <thead>
                            <tr>
                                <th>{ "#" }</th><th>{ "Model" }</th><th>{ "Workload" }</th><th class="num">{ "Workers" }</th>
                                <th class="num">{ "Wall time" }</th><th class="num">{ "Start-up" }</th>
                                <th class="num" title="wall time of the latest sequential run of the same workload ÷ this wall time">{ "Speedup" }</th><th class="num">{ "Answer" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for state.rows.iter().rev().map(|row| row_html(state, row, &props.on_select)) }
                        </tbody>
                    </table>
                </div>
            }
        </div>
    }
}
