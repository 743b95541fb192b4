//! The settings form: workload, sizes, task plan, model, workers,
//! allocation strategy and the GIL switch interval. Fields are free text;
//! the engine validates them and each problem shows under its field.
//!
//! Every input takes its `id`, `name` and `data-testid` from `Field::id()`,
//! and every hint from the bounds validation uses, so the form, the link
//! and the messages cannot drift apart.

use crate::ui::i18n::{Lang, Words};
use crate::ui::state::EnvInfo;
use engine::python::gil::DEFAULT_SWITCH_INTERVAL_MS;
use engine::settings::{size_bounds, Field, LabForm, CHUNK_BOUNDS, CPU_PERCENT_BOUNDS, MAX_WORKERS};
use engine::text::thousands;
use engine::work::workload::Plan;
use engine::{FieldError, Model, Strategy, WorkloadKind};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct SettingsFormProps {
    pub(crate) form: LabForm,
    pub(crate) errors: Vec<FieldError>,
    pub(crate) env: EnvInfo,
    pub(crate) disabled: bool,
    /// A text field or a choice changed: (field, text).
    pub(crate) on_edit: Callback<(Field, String)>,
    /// The crash checkbox: on or off.
    pub(crate) on_crash: Callback<bool>,
    pub(crate) on_workload: Callback<WorkloadKind>,
    /// SHA-256 rounds per ms measured for mixed tasks, once measured.
    pub(crate) calibration: Option<u32>,
}

#[component]
pub(crate) fn SettingsForm(props: &SettingsFormProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let form = &props.form;
    let kind = WorkloadKind::from_id(&form.workload).unwrap_or(WorkloadKind::Primes);
    let model = Model::from_id(&form.model);
    let range = |(lo, hi): (u64, u64)| format!("{lo} – {hi}");

    let error_line = |field: Field| match props.errors.iter().find(|e| e.field == field) {
        Some(e) => {
            let id = field.id();
            html! { <p class="field-error" role="alert" data-testid={format!("error-{id}")}>{ lang.field_error(e) }</p> }
        }
        None => html! {},
    };
    let invalid = |field: Field| props.errors.iter().any(|e| e.field == field);
    let text_input = |field: Field, hint: String, mode: &'static str| {
        let on_edit = props.on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit((field, input.value()));
        });
        let id = field.id();
        let invalid = invalid(field);
        html! {
            <>
                <input id={id} name={id} data-testid={format!("input-{id}")} type="text" inputmode={mode}
                    class={classes!(invalid.then_some("invalid"))} aria-invalid={invalid.to_string()}
                    value={form.text(field).unwrap_or_default().to_owned()} oninput={oninput} disabled={props.disabled} placeholder={hint} />
                { error_line(field) }
            </>
        }
    };
    let select_change = |field: Field| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            on_edit.emit((field, sel.value()));
        })
    };
    let on_crash = {
        let cb = props.on_crash.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
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
            <label for={Field::Workload.id()}>{ lang.s("Job", "할 일") }</label>
            <select id={Field::Workload.id()} name={Field::Workload.id()} data-testid="input-workload" onchange={on_workload} disabled={props.disabled}>
                { for WorkloadKind::ALL.iter().map(|k| html! {
                    <option value={k.id()} selected={*k == kind}>{ format!("{} ({})", lang.workload(*k), lang.bound(*k)) }</option>
                }) }
            </select>
            { error_line(Field::Workload) }
            <div class="row">
                <div class="field">
                    <label for={Field::Size.id()}>{ lang.size_label(kind) }</label>
                    { text_input(Field::Size, range(size_bounds(kind)), "numeric") }
                </div>
                <div class="field">
                    <label for={Field::Tasks.id()}>{ lang.s("Tasks", "작업 개수") }</label>
                    // The real cap of this workload at this size, as validation applies it.
                    { text_input(Field::Tasks, range(form.task_bounds()), "numeric") }
                </div>
            </div>
            if kind == WorkloadKind::Mixed {
                <div class="row">
                    <div class="field">
                        <label for={Field::Cpu.id()}>{ lang.s("CPU share of each task (%)", "작업당 CPU 비율 (%)") }</label>
                        { text_input(Field::Cpu, range(CPU_PERCENT_BOUNDS), "numeric") }
                    </div>
                    <div class="field">
                        <label for={Field::Rate.id()}>{ lang.s("SHA-256 rounds per CPU ms", "CPU 1 ms당 SHA-256 횟수") }</label>
                        { text_input(Field::Rate, lang.s("blank: measure here", "비우면 여기서 측정").to_owned(), "numeric") }
                    </div>
                </div>
                <p class="hint" data-testid="calibration" data-rounds={props.calibration.map(|c| c.to_string()).unwrap_or_default()}>{
                    match (lang, props.calibration) {
                        (Lang::En, Some(c)) => format!("Measured here: 1 ms of CPU = {} SHA-256 rounds. The rounds per ms are part of the settings (and of the link): the same link does the same work on every load and every machine, which takes about its nominal milliseconds only where the rate was measured.", thousands(u64::from(c))),
                        (Lang::Ko, Some(c)) => format!("여기서 측정한 값: CPU 1 ms = SHA-256 {}회. 이 횟수는 설정(과 링크)에 들어가므로, 같은 링크는 언제 어느 컴퓨터에서 열어도 같은 양의 일을 합니다. 표시된 ms만큼 걸리는 건 그 값을 측정한 컴퓨터에서뿐입니다.", thousands(u64::from(c))),
                        (Lang::En, None) => "Leave the rounds per ms blank and the page measures, in a worker, how much SHA-256 work 1 ms of CPU holds here before the first run, then writes it into the form and the link: from then on the link names the work, so it reproduces anywhere.".to_owned(),
                        (Lang::Ko, None) => "CPU 1 ms당 횟수를 비워 두면 첫 실행 전에 이 컴퓨터에서 워커로 측정해 입력란과 링크에 적어 넣습니다. 그다음부터 링크에는 일의 양이 담기므로 어디서 열어도 같은 일을 합니다.".to_owned(),
                    }
                }</p>
            }
            <label for={Field::Plan.id()}>{ lang.s("Task sizes", "작업 크기") }</label>
            <select id={Field::Plan.id()} name={Field::Plan.id()} data-testid="input-plan" onchange={select_change(Field::Plan)} disabled={props.disabled}>
                { for Plan::ALL.iter().map(|p| html! {
                    <option value={p.id()} selected={form.plan.trim() == p.id()}>{ lang.plan(*p) }</option>
                }) }
            </select>
            { error_line(Field::Plan) }

            <h2>{ lang.s("Model", "모델") }</h2>
            <label for={Field::Model.id()}>{ lang.s("Concurrency model", "동시성 모델") }</label>
            <select id={Field::Model.id()} name={Field::Model.id()} data-testid="input-model" onchange={select_change(Field::Model)} disabled={props.disabled}>
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
            { error_line(Field::Model) }
            <div class="row">
                <div class="field">
                    <label for={Field::Workers.id()}>{ match lang {
                        Lang::En => format!("Workers (cores: {})", props.env.cores()),
                        Lang::Ko => format!("작업자 수 (코어 {}개)", props.env.cores()),
                    } }</label>
                    { text_input(Field::Workers, range((1, MAX_WORKERS)), "numeric") }
                </div>
                <div class="field">
                    <label for={Field::Strategy.id()}>{ lang.s("Allocation", "작업 분배") }</label>
                    <select id={Field::Strategy.id()} name={Field::Strategy.id()} data-testid="input-strategy" onchange={select_change(Field::Strategy)} disabled={props.disabled}>
                        { for [Strategy::Dynamic { chunk: 1 }, Strategy::Static].iter().map(|s| html! {
                            <option value={s.id()} selected={form.strategy.trim() == s.id()}>{ match s {
                                Strategy::Dynamic { .. } => lang.s("Shared queue", "공유 큐"),
                                Strategy::Static => lang.s("Static slices", "정적 분할"),
                            } }</option>
                        }) }
                    </select>
                    { error_line(Field::Strategy) }
                </div>
            </div>
            <div class="row">
                if form.strategy == "dynamic" {
                    <div class="field">
                        <label for={Field::Chunk.id()}>{ lang.s("Queue chunk size", "큐 청크 크기") }</label>
                        { text_input(Field::Chunk, range(CHUNK_BOUNDS), "numeric") }
                    </div>
                }
                <div class={classes!("field", (!gil).then_some("dim"))}>
                    <label for={Field::Interval.id()}>{ lang.s("GIL switch interval (ms)", "GIL 전환 간격 (ms)") }</label>
                    // CPython's default, the value to come back to.
                    { text_input(Field::Interval, DEFAULT_SWITCH_INTERVAL_MS.to_string(), "decimal") }
                </div>
            </div>
            <label class="check">
                <input type="checkbox" id={Field::Crash.id()} name={Field::Crash.id()} data-testid="input-crash"
                    checked={form.crash} aria-invalid={invalid(Field::Crash).to_string()}
                    disabled={props.disabled} onchange={on_crash} />
                { lang.s("Crash one task (the middle one panics)", "작업 하나를 죽이기 (가운데 작업이 패닉)") }
            </label>
            // A link may carry a crash value that is neither on nor off.
            { error_line(Field::Crash) }
            <p class="hint">{ lang.s(
                "Workers and allocation apply to threads and processes; sequential and asyncio always use one. More workers than cores is allowed: try it.",
                "작업자 수와 분배 방식은 스레드와 프로세스에만 적용되고, 순차 실행과 asyncio는 늘 하나입니다. 코어보다 많은 작업자도 허용되니 직접 비교해 보세요.",
            ) }</p>
        </form>
    }
}
