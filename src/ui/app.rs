//! The root component: owns the reducer, provides the language, and starts
//! runs on the `Lab` (one model, every model, or a scaling sweep).

use crate::ui::charts::crossover_chart::CrossoverChart;
use crate::ui::charts::scaling_chart::ScalingChart;
use crate::ui::charts::timeline::Timelines;
use crate::ui::demos::convoy_view::ConvoyView;
use crate::ui::demos::deadlock_demo::DeadlockDemo;
use crate::ui::demos::process_costs::ProcessCosts;
use crate::ui::demos::race_demo::RaceDemo;
use crate::ui::env_banner::EnvBanner;
use crate::ui::i18n::Lang;
use crate::ui::interp::view::InterpView;
use crate::ui::lab::model_guide::ModelGuide;
use crate::ui::lab::pool_status::PoolStatus;
use crate::ui::lab::results_table::ResultsTable;
use crate::ui::lab::run_controls::RunControls;
use crate::ui::lab::settings_form::SettingsForm;
use crate::ui::lab::verdict_panel::VerdictPanel;
use crate::ui::lab_code_status::LabCodeStatus;
use crate::ui::lang_switch::LangSwitch;
use crate::ui::plan::{plan_for, RunKind};
use crate::ui::state::{
    Action, CodeEvent, CoiStatus, EnvInfo, LabCode, LabState, MemoryGap, RunFailure, Running, View,
};
use crate::ui::tour::view::Tour;
use crate::ui::view_tabs::ViewTabs;
use crate::web::clock::{hardware_concurrency, isolation_status};
use crate::web::features::{shared_memory, SharedMemory};
use crate::web::lab_code;
use crate::web::page::location::{read_hash, read_query, write_query};
use crate::web::page::storage;
use crate::web::runner::lab;
use engine::cores::Cores;
use engine::error::Unavailable;
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::Switching;
use engine::settings::{default_workers, Field, RawSettings};
use engine::tour::claims::Claim;
use engine::{Model, RunError, Settings};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The `localStorage` key of the view the reader last chose.
const VIEW_KEY: &str = "concurrency-lab.view";

/// Minimum time between two progress re-renders.
const PROGRESS_EVERY_MS: f64 = 120.0;

/// Runs what `kind` asks for with `settings` — each run one after another —
/// holding the lab's busy guard for the whole batch. The page's first batch
/// measures the cores first (`engine::cores`): the default worker count
/// and the sweep are sized from them, and that is when they are first
/// needed (not in the first view's path).
fn start_batch(
    kind: RunKind,
    settings: Settings,
    env: EnvInfo,
    workers_chosen: bool,
    dispatcher: UseReducerDispatcher<LabState>,
    progress: UseStateSetter<Option<Running>>,
    probing: UseStateSetter<bool>,
) {
    let (batch, plan) = plan_for(kind, settings, env);
    let mut guard = match lab().begin(batch.activity()) {
        Ok(guard) => guard,
        // Something else holds the lab (the buttons are disabled then, so
        // only a double click gets here): nothing to do.
        Err(_) => return,
    };
    dispatcher.dispatch(Action::BatchStarted(batch));
    wasm_bindgen_futures::spawn_local(async move {
        // Set when the probe found that process workers cannot start: the
        // runs that need them get that error at once instead of waiting out
        // the same start deadline again.
        let mut no_processes = None;
        // `None`: measured before. The page says what it is doing while it
        // measures: the probe takes a second or two before the first run.
        let probe = match env.core_count.measured {
            Some(_) => None,
            None => {
                probing.set(true);
                let measured = guard.measure_cores(env.core_count.reported).await;
                probing.set(false);
                Some(measured)
            }
        };
        let plan = match probe {
            None => plan,
            Some(probe) => match probe {
                Ok(None) => plan,
                Ok(Some(n)) => {
                    dispatcher.dispatch(Action::CoresMeasured(n));
                    let env = EnvInfo { core_count: Cores { measured: Some(n), ..env.core_count }, ..env };
                    // A worker count left at the browser's figure follows
                    // the measurement (as the form's does, see the reducer).
                    let settings =
                        if !workers_chosen { Settings { workers: default_workers(n), ..settings } } else { settings };
                    plan_for(kind, settings, env).1
                }
                Err(RunError::Cancelled) => Vec::new(),
                Err(e @ RunError::Unavailable(_)) => {
                    no_processes = Some(e);
                    plan
                }
                // Anything else: the runs will say what is wrong.
                Err(_) => plan,
            },
        };
        let n = plan.len();
        for (i, s) in plan.into_iter().enumerate() {
            let running = Running {
                model: s.model,
                workers: s.effective_workers(),
                done: 0,
                total: s.workload.tasks,
                queued: n - i - 1,
            };
            progress.set(Some(running.clone()));
            // At most ~8 re-renders a second: the page's own work competes
            // with the workers for the same cores and would skew timings.
            let last = std::cell::Cell::new(0.0f64);
            let setter = progress.clone();
            let on_progress = move |done: usize, total: usize| {
                let now = crate::web::clock::now_ms();
                if done == total || now - last.get() >= PROGRESS_EVERY_MS {
                    last.set(now);
                    setter.set(Some(Running { done, total, ..running.clone() }));
                }
            };
            let result = match &no_processes {
                Some(e) if s.uses_process_workers() => Err(e.clone()),
                _ => guard.run(s, &on_progress).await,
            };
            let cancelled = matches!(result, Err(RunError::Cancelled));
            let failure = |error| RunFailure { model: s.model, workload: s.workload, error };
            dispatcher.dispatch(Action::Finished(Box::new(result.map_err(failure))));
            if cancelled {
                break;
            }
            // The next run waits for the page to draw this one (its table
            // row, timeline, charts) before its clock starts: `after_paint`.
        }
        progress.set(None);
        dispatcher.dispatch(Action::BatchDone);
        // Dropping the guard tells the reducer the lab is idle.
        drop(guard);
    });
}

#[component]
pub fn App() -> Html {
    // Progress of the run in progress, apart from the page state so its
    // frequent updates copy nothing else.
    let running = use_state(|| None::<Running>);
    // The page's first batch measures the cores before it runs anything.
    let probing = use_state(|| false);
    let state = use_reducer(|| {
        let shared = shared_memory();
        let memory_gap = match shared {
            SharedMemory::Missing(Unavailable::NoSharedArrayBuffer) => Some(MemoryGap::NoSharedArrayBuffer),
            SharedMemory::Missing(Unavailable::NoSharedWasmMemory { .. }) => Some(MemoryGap::NoSharedWasmMemory),
            _ => None,
        };
        let env = EnvInfo {
            isolated: shared.available(),
            core_count: Cores::reported(hardware_concurrency()),
            coi: CoiStatus::parse(isolation_status().as_deref()),
            memory_gap,
        };
        // A shared link restores its settings and language.
        let query = read_query();
        let lang = query.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::from_id(v)).unwrap_or(Lang::En);
        let mut s = LabState::new(env, lang);
        s.raw = s.raw.clone().with_query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        // The page writes every field into the address, so a reload (the
        // service worker's one reload on GitHub Pages too) carries the
        // default count back: only a count other than the browser's figure
        // was chosen.
        s.workers_chosen = s.raw.lab.workers.trim() != default_workers(env.cores()).to_string();
        // A claim's permalink opens the tour, `?view=` the view it names,
        // else the view last chosen here; a first visit gets the tour.
        let asked = query.iter().find(|(k, _)| k == "view").and_then(|(_, v)| View::from_id(v));
        if let Some(v) = asked {
            storage::set(VIEW_KEY, v.id());
        }
        let permalink = Claim::from_fragment(&read_hash()).is_some();
        // A release build loads the code of the views but the tour (and of
        // what runs a model) apart.
        s.code = if lab_code::split() { LabCode::new() } else { LabCode::Ready };
        s.show(View::choose(permalink, asked.map(View::id), storage::get(VIEW_KEY).as_deref()));
        s
    });
    {
        // The lab's code: each load the state asks for is started once…
        let dispatcher = state.dispatcher();
        use_effect_with(state.code.to_load(), move |load| {
            if load.is_some() {
                wasm_bindgen_futures::spawn_local(async move {
                    let event = match lab_code::load().await {
                        Ok(()) => CodeEvent::Loaded,
                        Err(e) => CodeEvent::LoadFailed(e),
                    };
                    dispatcher.dispatch(Action::Code(event));
                });
            }
        });
    }
    {
        // …and it is fetched ahead once the first view is drawn and the
        // page is idle, so opening another view rarely waits.
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                lab_code::idle(3000).await;
                dispatcher.dispatch(Action::Code(CodeEvent::Idle));
            });
        });
    }
    {
        // The tour loads the lab's code too, to check a claim or read an
        // export: a view opened after that is drawn at once, even if this
        // state's own load had failed.
        let dispatcher = state.dispatcher();
        use_effect_with((state.view, state.code.ready()), move |(_, ready)| {
            if !*ready && lab_code::loaded() {
                dispatcher.dispatch(Action::Code(CodeEvent::Loaded));
            }
        });
    }
    // The claim a permalink points at (highlighted and scrolled to).
    let focus = use_state(|| Claim::from_fragment(&read_hash()));
    {
        // Following a permalink inside the page (or pasting one) opens it.
        let (state, focus) = (state.clone(), focus.setter());
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "hashchange", move |_| {
                    if let Some(c) = Claim::from_fragment(&read_hash()) {
                        focus.set(Some(c));
                        state.dispatch(Action::SetView(View::Tour));
                    }
                })
            });
            move || drop(listener)
        });
    }
    {
        // …and every change is written back to the address.
        use_effect_with((state.raw.clone(), state.lang, state.view), |(raw, lang, view)| {
            let mut pairs = raw.to_query();
            pairs.push(("view", view.id().to_owned()));
            pairs.push(("lang", lang.id().to_owned()));
            write_query(&pairs);
        });
    }
    let lang = state.lang;
    {
        // Keep <html lang> right for screen readers and fonts.
        use_effect_with(lang, |lang| {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = el.set_attribute("lang", lang.id());
            }
        });
    }

    {
        // coi.js may answer after the page started (a slow or hung
        // service-worker registration): follow its event.
        let state = state.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "coistatus", move |e| {
                    let status = e.dyn_ref::<web_sys::CustomEvent>().and_then(|c| c.detail().as_string());
                    state.dispatch(Action::SetCoi(CoiStatus::parse(status.as_deref())));
                })
            });
            move || drop(listener)
        });
    }
    {
        // The lab owns "busy"; the reducer mirrors it for the buttons.
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            lab().observe(std::rc::Rc::new(move |busy| dispatcher.dispatch(Action::Busy(busy))));
        });
    }
    // Every callback is kept across renders (`use_callback`): a new one on
    // each render would make every component it is given render again, and
    // the page renders at every progress tick of a run, on cores the run
    // is using (a page with a few runs drew for ~5 ms a tick).
    let dispatcher = state.dispatcher();
    let on_run = use_callback(
        (state.clone(), running.setter(), probing.setter()),
        |kind: RunKind, (state, progress, probing)| {
            if state.busy.is_some() {
                return;
            }
            match state.raw.validate() {
                Err(errors) => state.dispatch(Action::Invalid(errors)),
                Ok(settings) => start_batch(
                    kind,
                    settings,
                    state.env,
                    state.workers_chosen,
                    state.dispatcher(),
                    progress.clone(),
                    probing.clone(),
                ),
            }
        },
    );
    let on_cancel = use_callback((), |_, _| {
        lab().cancel();
    });
    let on_edit =
        use_callback(dispatcher.clone(), |(field, value): (Field, String), d| d.dispatch(Action::Edit(field, value)));
    let on_edit_interp = on_edit.clone();
    let on_crash = use_callback(dispatcher.clone(), |on, d| d.dispatch(Action::SetCrash(on)));
    let on_workload = use_callback(dispatcher.clone(), |kind, d| d.dispatch(Action::SetWorkload(kind)));
    let on_toggle = use_callback(dispatcher.clone(), |id, d| d.dispatch(Action::Toggle(id)));
    let on_clear = use_callback(dispatcher.clone(), |_, d| d.dispatch(Action::Clear));
    let on_view = use_callback(dispatcher.clone(), |v: View, d| {
        storage::set(VIEW_KEY, v.id());
        d.dispatch(Action::SetView(v));
    });
    let on_open = use_callback(dispatcher.clone(), |(raw, view): (RawSettings, View), d| {
        storage::set(VIEW_KEY, view.id());
        d.dispatch(Action::OpenInLab(Box::new(raw), view));
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let on_cores = use_callback(dispatcher.clone(), |n, d| d.dispatch(Action::CoresMeasured(n)));
    // The race and deadlock demos open their scenario inside the interpreter.
    let on_scenario = use_callback(dispatcher.clone(), |(scenario, rule): (Scenario, Switching), d| {
        d.dispatch(Action::Edit(Field::Scenario, scenario.id().to_owned()));
        d.dispatch(Action::Edit(Field::Rule, rule.id().to_owned()));
        storage::set(VIEW_KEY, View::Interp.id());
        d.dispatch(Action::SetView(View::Interp));
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let on_retry = use_callback(dispatcher.clone(), |_, d| d.dispatch(Action::Code(CodeEvent::Retry)));
    let on_reload = use_callback((), |_, _| crate::web::page::location::reload());
    let on_lang = use_callback(dispatcher, |l, d| d.dispatch(Action::SetLang(l)));
    // The views but the tour are drawn once their code is here (never
    // before: their functions are in the part loaded apart). Once drawn
    // they stay, hidden when another view is shown, so they keep their state.
    let code_ready = state.code.ready();
    let code_status = html! { <LabCodeStatus code={state.code.clone()} on_retry={on_retry} on_reload={on_reload} /> };
    let busy = state.busy.is_some();
    let model = Model::from_id(&state.raw.lab.model).unwrap_or(Model::Sequential);
    // Validated once per render, for the guide and the race demo.
    let valid = state.raw.validate().ok();
    let strategy = valid.map(|s| s.strategy);
    let race_workers = valid.map_or(state.env.cores(), |s| s.workers);

    html! {
        <ContextProvider<Lang> context={lang}>
            <div class="page" data-build={engine::pools::protocol::build_id()}>
                <header class="masthead">
                    <div class="title-row">
                        <h1>{ "Concurrency Lab" }</h1>
                        <LangSwitch lang={lang} on_change={on_lang} />
                    </div>
                    <p class="tagline">{ lang.s(
                        "Run Python's concurrency models on your own cores — sequential, threads with and without a GIL, processes, asyncio — and watch why “threads for I/O, processes for CPU” holds.",
                        "파이썬의 동시성 모델 — 순차 실행, GIL이 있거나 없는 스레드, 프로세스, asyncio — 을 내 컴퓨터의 코어에서 직접 돌려 보고, 왜 “I/O에는 스레드, CPU에는 프로세스”인지 눈으로 확인하세요.",
                    ) }</p>
                    <EnvBanner env={state.env} />
                </header>
                // Everything but the masthead and the footer is in <main>, so no
                // content is outside a landmark (axe: region).
                <main>
                <ViewTabs view={state.view} on_change={on_view} />
                <div id="view-tour" role="tabpanel" hidden={state.view != View::Tour}>
                    <Tour env={state.env} busy={state.busy} focus={*focus} on_open={on_open} on_cores={on_cores} />
                </div>
                <div id="view-lab" role="tabpanel" hidden={state.view != View::Lab}>
                if !code_ready { { code_status.clone() } } else {
                <div class="layout">
                    <section class="panel settings-panel">
                        <SettingsForm form={state.raw.lab.clone()} errors={state.errors.clone()} env={state.env}
                            disabled={busy} on_edit={on_edit.clone()} on_crash={on_crash} on_workload={on_workload}
                            calibration={state.calibration()} />
                        <RunControls busy={state.busy} running={(*running).clone()} probing={*probing} on_run={on_run} on_cancel={on_cancel} />
                    </section>
                    <section class="panel results-panel">
                        <VerdictPanel verdict={state.verdict()} />
                        <ResultsTable history={state.history.clone()} shown={state.shown.clone()}
                            on_toggle={on_toggle} on_clear={on_clear} />
                        <ScalingChart sweep={state.sweep()} cores={state.env.cores()} />
                        <CrossoverChart map={state.crossover()} />
                        <Timelines reports={state.shown_reports()} />
                        <PoolStatus runs={state.history.rows.len()} busy={busy} />
                    </section>
                </div>
                <ModelGuide model={model} strategy={strategy} />
                <ConvoyView form={state.raw.convoy.clone()} interval={state.raw.lab.interval.clone()} isolated={state.env.isolated} busy={state.busy} on_edit={on_edit.clone()} />
                <ProcessCosts form={state.raw.data.clone()} isolated={state.env.isolated} cores={state.env.cores()}
                    workers={race_workers} busy={state.busy} on_edit={on_edit.clone()} />
                <DeadlockDemo form={state.raw.deadlock.clone()} isolated={state.env.isolated} busy={state.busy} on_edit={on_edit}
                    on_scenario={on_scenario.clone()} />
                <RaceDemo workers={race_workers} isolated={state.env.isolated} busy={state.busy} on_scenario={on_scenario} />
                }
                </div>
                <div id="view-interpreter" role="tabpanel" hidden={state.view != View::Interp}>
                    if !code_ready { { code_status } } else {
                    <InterpView form={state.raw.interp.clone()} interval={state.raw.lab.interval.clone()} isolated={state.env.isolated}
                        busy={state.busy} on_edit={on_edit_interp} />
                    }
                </div>
                </main>
                <footer class="footer">{ lang.s(
                    "Everything runs in this tab: threads are Web Workers sharing one WebAssembly memory (rayon), processes are Web Workers with separate memories, asyncio is one event loop — the page's own for I/O waits, a worker's when it is given CPU work, so a blocked loop never freezes the page. Nothing leaves your machine.",
                    "모든 것이 이 탭 안에서 돌아갑니다. 스레드는 WebAssembly 메모리 하나를 공유하는 웹 워커(rayon)이고, 프로세스는 메모리가 분리된 웹 워커입니다. asyncio는 이벤트 루프 하나로, I/O 대기는 페이지 자신의 루프에서, CPU 작업은 워커 안의 루프에서 돌립니다. 그래서 루프가 막혀도 페이지는 멈추지 않습니다. 어떤 데이터도 내 컴퓨터 밖으로 나가지 않습니다.",
                ) }</footer>
            </div>
        </ContextProvider<Lang>>
    }
}
