//! The settings form: workload, sizes, task plan, model, workers,
//! allocation strategy and the GIL switch interval. Fields are free text;
//! the engine validates them and each problem shows under its field.

use crate::engine::settings::{size_bounds, RawSettings, MAX_WORKERS};
use crate::engine::{FieldError, Model, WorkloadKind};
use crate::ui::i18n::Lang;
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

#[component]
pub fn SettingsForm(props: &SettingsFormProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let raw = &props.raw;
    let kind = WorkloadKind::from_id(&raw.workload).unwrap_or(WorkloadKind::Primes);
    let model = Model::from_id(&raw.model);
    let (lo, hi) = size_bounds(kind);

    let error_line = |field: &str| match props.errors.iter().find(|e| e.field == field) {
        Some(e) => {
            html! { <p class="field-error" role="alert" data-testid={format!("error-{field}")}>{ lang.field_error(e) }</p> }
        }
        None => html! {},
    };
    let text_input = |field: &'static str, value: &str, hint: String, mode: &'static str| {
        let on_edit = props.on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit((field.to_owned(), input.value()));
        });
        let invalid = props.errors.iter().any(|e| e.field == field);
        html! {
            <>
                <input id={field} name={field} data-testid={format!("input-{field}")} type="text" inputmode={mode}
                    class={classes!(invalid.then_some("invalid"))} aria-invalid={invalid.to_string()}
                    value={value.to_owned()} oninput={oninput} disabled={props.disabled} placeholder={hint} />
                { error_line(field) }
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
    let gil = model == Some(Model::GilThreads);

    html! {
        <form class="settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} data-testid="settings">
            <h2>{ lang.s("Workload", "작업") }</h2>
            <label for="workload">{ lang.s("Job", "할 일") }</label>
            <select id="workload" name="workload" data-testid="input-workload" onchange={on_workload} disabled={props.disabled}>
                { for WorkloadKind::ALL.iter().map(|k| html! {
                    <option value={k.id()} selected={*k == kind}>{ format!("{} ({})", lang.workload(*k), lang.bound(*k)) }</option>
                }) }
            </select>
            <div class="row">
                <div class="field">
                    <label for="size">{ lang.size_label(kind) }</label>
                    { text_input("size", &raw.size, format!("{lo} – {hi}"), "numeric") }
                </div>
                <div class="field">
                    <label for="tasks">{ lang.s("Tasks", "작업 개수") }</label>
                    { text_input("tasks", &raw.tasks, "1 – 10000".to_owned(), "numeric") }
                </div>
            </div>
            <label for="plan">{ lang.s("Task sizes", "작업 크기") }</label>
            <select id="plan" name="plan" data-testid="input-plan" onchange={select_change("plan")} disabled={props.disabled}>
                <option value="uniform" selected={raw.plan == "uniform"}>{ lang.s("Uniform: all the same", "균일: 모두 같은 크기") }</option>
                <option value="uneven" selected={raw.plan == "uneven"}>{ lang.s("Uneven: 2,4,6,8,1,3,5,7…", "불균일: 2,4,6,8,1,3,5,7…") }</option>
            </select>

            <h2>{ lang.s("Model", "모델") }</h2>
            <label for="model">{ lang.s("Concurrency model", "동시성 모델") }</label>
            <select id="model" name="model" data-testid="input-model" onchange={select_change("model")} disabled={props.disabled}>
                { for Model::ALL.iter().map(|m| {
                    let off = m.needs_shared_memory() && !props.env.isolated;
                    let label = if off {
                        format!("{} — {}", lang.model(*m), lang.s("needs cross-origin isolation", "교차 출처 격리 필요"))
                    } else {
                        lang.model(*m).to_owned()
                    };
                    html! { <option value={m.id()} selected={Some(*m) == model} disabled={off}>{ label }</option> }
                }) }
            </select>
            { error_line("model") }
            <div class="row">
                <div class="field">
                    <label for="workers">{ match lang {
                        Lang::En => format!("Workers (cores: {})", props.env.cores),
                        Lang::Ko => format!("작업자 수 (코어 {}개)", props.env.cores),
                    } }</label>
                    { text_input("workers", &raw.workers, format!("1 – {MAX_WORKERS}"), "numeric") }
                </div>
                <div class="field">
                    <label for="strategy">{ lang.s("Allocation", "작업 분배") }</label>
                    <select id="strategy" name="strategy" data-testid="input-strategy" onchange={select_change("strategy")} disabled={props.disabled}>
                        <option value="dynamic" selected={raw.strategy == "dynamic"}>{ lang.s("Shared queue", "공유 큐") }</option>
                        <option value="static" selected={raw.strategy == "static"}>{ lang.s("Static slices", "정적 분할") }</option>
                    </select>
                </div>
            </div>
            <div class="row">
                if raw.strategy == "dynamic" {
                    <div class="field">
                        <label for="chunk">{ lang.s("Queue chunk size", "큐 청크 크기") }</label>
                        { text_input("chunk", &raw.chunk, "1".to_owned(), "numeric") }
                    </div>
                }
                <div class={classes!("field", (!gil).then_some("dim"))}>
                    <label for="interval">{ lang.s("GIL switch interval (ms)", "GIL 전환 간격 (ms)") }</label>
                    { text_input("interval", &raw.interval, "5".to_owned(), "decimal") }
                </div>
            </div>
            <label class="check">
                <input type="checkbox" data-testid="input-crash" checked={raw.crash == "on"} disabled={props.disabled}
                    onchange={{
                        let on_edit = props.on_edit.clone();
                        Callback::from(move |e: Event| {
                            let input: HtmlInputElement = e.target_unchecked_into();
                            on_edit.emit(("crash".to_owned(), if input.checked() { "on".to_owned() } else { String::new() }));
                        })
                    }} />
                { lang.s("Crash one task (the middle one panics)", "작업 하나를 죽이기 (가운데 작업이 패닉)") }
            </label>
            <p class="hint">{ lang.s(
                "Workers and allocation apply to threads and processes; sequential and asyncio always use one. More workers than cores is allowed: try it.",
                "작업자 수와 분배 방식은 스레드와 프로세스에만 적용되고, 순차 실행과 asyncio는 늘 하나입니다. 코어보다 많은 작업자도 허용되니 직접 비교해 보세요.",
            ) }</p>
        </form>
    }
}
