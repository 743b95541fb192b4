//! The root component: owns the reducer and starts runs on the `Lab`.

use crate::engine::{Model, RunError, Settings};
use crate::ui::env_banner::EnvBanner;
use crate::ui::results_table::ResultsTable;
use crate::ui::run_controls::RunControls;
use crate::ui::settings_form::SettingsForm;
use crate::ui::state::{Action, EnvInfo, LabState};
use crate::ui::timeline::Timeline;
use crate::web::clock::{cross_origin_isolated, hardware_concurrency};
use crate::web::runner::lab;
use yew::prelude::*;

/// Runs `models` one after another with the same settings, reporting each.
fn start_runs(settings: Settings, models: Vec<Model>, dispatcher: UseReducerDispatcher<LabState>) {
    wasm_bindgen_futures::spawn_local(async move {
        let lab = lab();
        for (i, model) in models.iter().copied().enumerate() {
            let s = settings.for_model(model);
            let total = s.workload.tasks;
            dispatcher.dispatch(Action::Started { model, total, queued: models[i + 1..].to_vec() });
            let d = dispatcher.clone();
            let progress = move |done: usize, total: usize| d.dispatch(Action::Progress { done, total });
            let result = lab.run(s, &progress).await;
            let cancelled = matches!(result, Err(RunError::Cancelled));
            dispatcher.dispatch(Action::Finished(result.map_err(|e| (model, s.workload, e))));
            if cancelled {
                break;
            }
        }
        dispatcher.dispatch(Action::Idle);
    });
}

#[component]
pub fn App() -> Html {
    let state =
        use_reducer(|| LabState::new(EnvInfo { isolated: cross_origin_isolated(), cores: hardware_concurrency() }));

    let on_run = {
        let state = state.clone();
        Callback::from(move |all: bool| {
            if state.running.is_some() {
                return;
            }
            match state.raw.validate() {
                Err(errors) => state.dispatch(Action::Invalid(errors)),
                Ok(settings) => {
                    let models = if all { Model::ALL.to_vec() } else { vec![settings.model] };
                    start_runs(settings, models, state.dispatcher());
                }
            }
        })
    };
    let on_cancel = Callback::from(|_| {
        lab().cancel();
    });
    let on_edit = {
        let state = state.clone();
        Callback::from(move |(field, value): (String, String)| state.dispatch(Action::Edit(field, value)))
    };
    let on_workload = {
        let state = state.clone();
        Callback::from(move |kind| state.dispatch(Action::SetWorkload(kind)))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |id| state.dispatch(Action::Select(id)))
    };
    let on_clear = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Clear))
    };

    html! {
        <div class="page">
            <header class="masthead">
                <h1>{ "Concurrency Lab" }</h1>
                <p class="tagline">{ "Run Python's concurrency models on your own cores — sequential, threads, processes, asyncio — and watch why “threads for I/O, processes for CPU” holds." }</p>
            </header>
            <EnvBanner env={state.env} />
            <main class="layout">
                <section class="panel settings-panel">
                    <SettingsForm raw={state.raw.clone()} errors={state.errors.clone()} env={state.env}
                        disabled={state.running.is_some()} on_edit={on_edit} on_workload={on_workload} />
                    <RunControls running={state.running.clone()} on_run={on_run} on_cancel={on_cancel} />
                </section>
                <section class="panel results-panel">
                    <ResultsTable state={(*state).clone()} on_select={on_select} on_clear={on_clear} />
                    <Timeline report={state.selected_report().cloned()} />
                </section>
            </main>
            <footer class="footer">
                { "Everything runs in this tab: threads are Web Workers sharing one WebAssembly memory (rayon), processes are Web Workers with separate memories, asyncio is the page's own event loop." }
            </footer>
        </div>
    }
}
