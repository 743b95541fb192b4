//! The settings form: workload, sizes, task plan, model, workers and
//! allocation strategy. Fields are free text; the engine validates them and
//! each message shows under its field.

use crate::engine::settings::{size_bounds, RawSettings, MAX_WORKERS};
use crate::engine::{FieldError, Model, WorkloadKind};
use crate::ui::state::EnvInfo;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SettingsFormProps {
    pub raw: RawSettings,
    pub errors: Vec<FieldError>,
    pub env: EnvInfo,
    pub disabled: bool,
    /// (field, text)
    pub on_edit: Callback<(String, String)>,
    pub on_workload: Callback<WorkloadKind>,
}

fn error_line(errors: &[FieldError], field: &str) -> Html {
    match errors.iter().find(|e| e.field == field) {
        Some(e) => {
            html! { <p class="field-error" role="alert" data-testid={format!("error-{field}")}>{ &e.message }</p> }
        }
        None => html! {},
    }
}

#[component]
pub fn SettingsForm(props: &SettingsFormProps) -> Html {
    let raw = &props.raw;
    let kind = WorkloadKind::from_id(&raw.workload).unwrap_or(WorkloadKind::Primes);
    let model = Model::from_id(&raw.model);
    let (lo, hi) = size_bounds(kind);

    let text_input = |field: &'static str, value: &str, hint: String| {
        let on_edit = props.on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit((field.to_owned(), input.value()));
        });
        let invalid = props.errors.iter().any(|e| e.field == field);
        html! {
            <>
                <input id={field} name={field} data-testid={format!("input-{field}")} type="text" inputmode="numeric"
                    class={classes!(invalid.then_some("invalid"))} aria-invalid={invalid.to_string()}
                    value={value.to_owned()} oninput={oninput} disabled={props.disabled} placeholder={hint} />
                { error_line(&props.errors, field) }
            </>
        }
    };
    let select_change = |field: &'static str| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            on_edit.emit((field.to_owned(), sel.value()));
        })
    };
    let on_workload = {
        let cb = props.on_workload.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(k) = WorkloadKind::from_id(&sel.value()) {
                cb.emit(k);
            }
        })
    };

    html! {
        <form class="settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} data-testid="settings">
            <h2>{ "Workload" }</h2>
            <label for="workload">{ "Job" }</label>
            <select id="workload" name="workload" data-testid="input-workload" onchange={on_workload} disabled={props.disabled}>
                { for WorkloadKind::ALL.iter().map(|k| html! {
                    <option value={k.id()} selected={*k == kind}>{ format!("{} ({})", k.title(), if k.is_io() { "I/O" } else { "CPU" }) }</option>
                }) }
            </select>
            <div class="row">
                <div class="field">
                    <label for="size">{ kind.size_label() }</label>
                    { text_input("size", &raw.size, format!("{lo} – {hi}")) }
                </div>
                <div class="field">
                    <label for="tasks">{ "Tasks" }</label>
                    { text_input("tasks", &raw.tasks, "1 – 10000".to_owned()) }
                </div>
            </div>
            <label for="plan">{ "Task sizes" }</label>
            <select id="plan" name="plan" data-testid="input-plan" onchange={select_change("plan")} disabled={props.disabled}>
                <option value="uniform" selected={raw.plan == "uniform"}>{ "Uniform: all the same" }</option>
                <option value="uneven" selected={raw.plan == "uneven"}>{ "Uneven: 2,4,6,8,1,3,5,7…" }</option>
            </select>

            <h2>{ "Model" }</h2>
            <label for="model">{ "Concurrency model" }</label>
            <select id="model" name="model" data-testid="input-model" onchange={select_change("model")} disabled={props.disabled}>
                { for Model::ALL.iter().map(|m| {
                    let off = m.needs_shared_memory() && !props.env.isolated;
                    html! {
                        <option value={m.id()} selected={Some(*m) == model} disabled={off}>
                            { if off { format!("{} — needs cross-origin isolation", m.title()) } else { m.title().to_owned() } }
                        </option>
                    }
                }) }
            </select>
            { error_line(&props.errors, "model") }
            <div class="row">
                <div class="field">
                    <label for="workers">{ format!("Workers (1 – {MAX_WORKERS}; this machine has {})", props.env.cores) }</label>
                    { text_input("workers", &raw.workers, format!("{}", props.env.cores)) }
                </div>
                <div class="field">
                    <label for="strategy">{ "Allocation" }</label>
                    <select id="strategy" name="strategy" data-testid="input-strategy" onchange={select_change("strategy")} disabled={props.disabled}>
                        <option value="dynamic" selected={raw.strategy == "dynamic"}>{ "Shared queue" }</option>
                        <option value="static" selected={raw.strategy == "static"}>{ "Static slices" }</option>
                    </select>
                </div>
            </div>
            if raw.strategy == "dynamic" {
                <label for="chunk">{ "Queue chunk size (tasks per grab)" }</label>
                { text_input("chunk", &raw.chunk, "1".to_owned()) }
            }
            <p class="hint">{ "Workers and allocation apply to threads and processes; sequential and asyncio always use one." }</p>
        </form>
    }
}
