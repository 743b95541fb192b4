//! The convoy effect: one I/O thread's time per short wait beside 0, 1, …
//! N CPU-bound threads, under the GIL, with free threads, and with the I/O
//! loop in a process of its own — median, p95, slowdown against alone, and
//! a small histogram of every wait.

use crate::ui::i18n::{convoy_guide, Lang, Words};
use crate::ui::lab::number_field::NumberField;
use crate::web::runner::lab;
use engine::python::convoy::{histogram, slowdown, ConvoyModel, ConvoyRun};
use engine::settings::{ConvoyForm, Field, CONVOY_THREADS_BOUNDS, WAITS_BOUNDS, WAIT_MS_BOUNDS};
use engine::text::ms;
use engine::{Activity, FieldError, RunError};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ConvoyViewProps {
    /// The convoy fields (and the GIL switch interval) as typed.
    pub(crate) form: ConvoyForm,
    /// The lab form's GIL switch interval, as typed: the convoy runs with it.
    pub(crate) interval: String,
    pub(crate) isolated: bool,
    /// What the lab is busy with: the button is off meanwhile.
    pub(crate) busy: Option<Activity>,
    pub(crate) on_edit: Callback<(Field, String)>,
}

/// Bins of the little histogram of each measurement.
const BINS: usize = 24;

fn model_label(lang: Lang, m: ConvoyModel) -> &'static str {
    match m {
        ConvoyModel::GilThreads => lang.s("threads under a GIL", "GIL 아래의 스레드"),
        ConvoyModel::FreeThreads => lang.s("free threads", "자유 스레드"),
        ConvoyModel::Processes => lang.s("I/O loop in its own process", "I/O 루프를 별도 프로세스로"),
    }
}

/// A strip of `samples` binned from 0 to `top` ms, as small bars.
fn strip(samples: &[f64], top: f64) -> Html {
    let counts = histogram(samples, BINS, top);
    let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let w = 3.0;
    html! {
        <svg class="strip" viewBox={format!("0 0 {} 20", BINS as f64 * w)} aria-hidden="true" preserveAspectRatio="none">
            { for counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| {
                let h = (*c as f64 / most * 18.0).max(1.5);
                html! { <rect x={(i as f64 * w).to_string()} y={(20.0 - h).to_string()} width={(w - 0.6).to_string()} height={h.to_string()} /> }
            }) }
        </svg>
    }
}

#[component]
pub(crate) fn ConvoyView(props: &ConvoyViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let runs = use_state(Vec::<ConvoyRun>::new);
    let failure = use_state(|| None::<RunError>);
    let errors = use_state(Vec::<FieldError>::new);
    let onclick = {
        let (runs, failure, errors) = (runs.clone(), failure.clone(), errors.clone());
        let (form, interval, isolated) = (props.form.clone(), props.interval.clone(), props.isolated);
        Callback::from(move |_: MouseEvent| {
            let settings = match form.validate(&interval) {
                Ok(s) => s,
                Err(e) => {
                    errors.set(e);
                    return;
                }
            };
            errors.set(Vec::new());
            let Ok(mut guard) = lab().begin(Activity::Convoy) else { return };
            let (runs, failure) = (runs.clone(), failure.clone());
            failure.set(None);
            runs.set(Vec::new());
            wasm_bindgen_futures::spawn_local(async move {
                let models: Vec<ConvoyModel> =
                    ConvoyModel::ALL.into_iter().filter(|m| isolated || *m == ConvoyModel::Processes).collect();
                let mut done = Vec::new();
                'all: for n in settings.counts() {
                    for &model in &models {
                        match guard.convoy(model, n, settings).await {
                            Ok(run) => {
                                done.push(run);
                                runs.set(done.clone());
                            }
                            Err(e) => {
                                failure.set(Some(e));
                                break 'all;
                            }
                        }
                    }
                }
                drop(guard);
            });
        })
    };
    let input = |field: Field, hint: String| {
        let error = errors.iter().find(|e| e.field == field).map(|e| lang.field_error(e));
        html! {
            <NumberField field={field} value={props.form.text(field).unwrap_or_default().to_owned()} hint={hint} error={error}
                disabled={props.busy.is_some()} on_edit={props.on_edit.clone()} />
        }
    };
    let bounds = |(lo, hi): (u64, u64)| format!("{lo} – {hi}");
    let measuring = props.busy == Some(Activity::Convoy);
    let top = runs.iter().filter_map(|r| r.stats()).map(|s| s.p95_ms).fold(1.0, f64::max) * 1.15;
    let timers = runs.iter().any(|r| !r.blocking);
    let g = convoy_guide(lang);
    html! {
        <section class="panel convoy" data-testid="convoy" data-busy={measuring.to_string()}>
            <h2>{ lang.s("The GIL convoy effect: an I/O thread beside CPU-bound threads", "GIL 호송 효과: CPU 스레드 옆의 I/O 스레드") }</h2>
            <div class="view-guide">
                <div><p>{ g.what }</p></div>
                <div>
                    <h3>{ lang.s("The Python it mirrors", "대응하는 파이썬 코드") }</h3>
                    <pre><code>{ g.code }</code></pre>
                </div>
            </div>
            <div class="convoy-form">
                <label for={Field::CpuThreads.id()}>{ lang.s("CPU-bound threads, up to", "CPU 스레드 수 (최대)") }</label>
                { input(Field::CpuThreads, bounds(CONVOY_THREADS_BOUNDS)) }
                <label for={Field::Waits.id()}>{ lang.s("Waits of the I/O thread", "I/O 스레드의 대기 횟수") }</label>
                { input(Field::Waits, bounds(WAITS_BOUNDS)) }
                <label for={Field::Wait.id()}>{ lang.s("Each wait (ms)", "대기 한 번 (ms)") }</label>
                { input(Field::Wait, bounds(WAIT_MS_BOUNDS)) }
                <button data-testid="convoy-run" onclick={onclick} disabled={props.busy.is_some()}>
                    { if measuring { lang.s("Measuring…", "측정 중…") } else { lang.s("Measure the convoy", "호송 효과 측정") } }
                </button>
            </div>
            <p class="hint">{ match lang {
                Lang::En => format!("The GIL's switch interval comes from the form above (now {} ms); CPython's default is 5 ms.", props.interval),
                Lang::Ko => format!("GIL 전환 간격은 위 설정값을 씁니다 (지금 {} ms). CPython의 기본값은 5 ms입니다.", props.interval),
            } }</p>
            if let Some(e) = &*failure {
                <p class="field-error" role="alert" data-testid="convoy-error">{ lang.run_error(e) }</p>
            }
            if timers {
                <p class="warning">{ lang.s(
                    "This page is not cross-origin isolated, so a process can only wait on timers, which the browser stretches to at least 4 ms: the process rows measure that, not the GIL.",
                    "이 페이지는 교차 출처 격리가 안 되어 프로세스가 타이머로만 기다릴 수 있고, 브라우저는 이를 최소 4 ms로 늘립니다. 프로세스 행은 GIL이 아니라 그 영향을 잰 값입니다.",
                ) }</p>
            }
            if !runs.is_empty() {
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th>{ lang.s("Where", "실행 방식") }</th>
                            <th class="num">{ lang.s("CPU threads", "CPU 스레드") }</th>
                            <th class="num">{ lang.s("Median per wait", "대기당 중앙값") }</th>
                            <th class="num">{ "p95" }</th>
                            <th class="num">{ lang.s("vs alone", "혼자일 때 대비") }</th>
                            <th>{ match lang {
                                Lang::En => format!("Every wait, 0 – {}", ms(top)),
                                Lang::Ko => format!("모든 대기, 0 – {}", ms(top)),
                            } }</th>
                        </tr></thead>
                        <tbody>
                            { for runs.iter().map(|r| {
                                let st = r.stats();
                                let median = st.as_ref().map(|s| s.median_ms).unwrap_or(f64::NAN);
                                let p95 = st.as_ref().map(|s| s.p95_ms).unwrap_or(f64::NAN);
                                let slow = slowdown(&runs, r);
                                html! {
                                    <tr data-testid="convoy-row" data-model={r.model.id()} data-cpu-threads={r.cpu_threads.to_string()}
                                        data-median={format!("{median:.4}")} data-p95={format!("{p95:.4}")} data-blocking={r.blocking.to_string()}
                                        data-slowdown={slow.map(|s| format!("{s:.3}")).unwrap_or_default()}>
                                        <td>{ model_label(lang, r.model) }</td>
                                        <td class="num">{ r.cpu_threads }</td>
                                        <td class="num strong">{ ms(median) }</td>
                                        <td class="num muted">{ ms(p95) }</td>
                                        <td class={classes!("num", slow.filter(|s| *s >= 2.0).map(|_| "bad"))}>
                                            { slow.map(|s| format!("{s:.1}×")).unwrap_or_else(|| "—".into()) }
                                        </td>
                                        <td>{ strip(&r.samples, top) }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
