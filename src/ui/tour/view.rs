//! The tour of claims: the first thing a new visitor sees. Each claim is a
//! card with its own Run; "Check all claims" runs them in turn with one
//! progress bar and ends in a summary. The results export as JSON, and a
//! JSON export (from another device, or a colleague) is shown beside them.

use crate::ui::i18n::Lang;
use crate::ui::state::{EnvInfo, View};
use crate::ui::tour::check;
use crate::ui::tour::claim_card::ClaimCard;
use crate::ui::tour::claim_texts::import_error;
use crate::ui::tour::machine_compare::MachineCompare;
use crate::ui::tour::state::{CardState, ImportProblem, TourAction, TourState};
use crate::web::lab_code;
use crate::web::page::file_read;
use crate::web::runner::{lab, unless_cancelled};
use engine::settings::RawSettings;
use engine::tour::claims::Claim;
use engine::tour::export::{self, ImportError, Machine, TourExport};
use engine::{Activity, RunError};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct TourProps {
    pub(crate) env: EnvInfo,
    pub(crate) busy: Option<Activity>,
    /// The claim a permalink opened, if any.
    pub(crate) focus: Option<Claim>,
    /// "Open in the lab": the claim's settings.
    /// "Open": the claim's settings, and the view that shows them.
    pub(crate) on_open: Callback<(RawSettings, View)>,
    /// The tour measured the page's cores (before its first claim).
    pub(crate) on_cores: Callback<usize>,
}

fn machine(env: EnvInfo) -> Machine {
    let user_agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    Machine { cores: env.cores(), reported_cores: Some(env.core_count.reported), user_agent, isolated: env.isolated }
}

/// Runs `claims` one after another under one busy guard, once the lab's
/// code is here (`check::run`).
fn start(
    claims: Vec<Claim>,
    check_all: bool,
    state: UseReducerHandle<TourState>,
    env: EnvInfo,
    on_cores: Callback<usize>,
) {
    let Ok(mut guard) = lab().begin(Activity::Tour) else { return };
    let dispatcher = state.dispatcher();
    let known = state.calibration;
    wasm_bindgen_futures::spawn_local(async move {
        // What runs a claim (the runner, the pools) is in the lab's code,
        // the second half of the page's wasm: the tour is drawn without it,
        // and the page fetches it when idle. This function is one of the
        // split's gates (scripts/lab_split.py): it calls into that code
        // only once it is here.
        let first = claims.first().copied();
        if !lab_code::loaded() {
            if let Some(c) = first {
                dispatcher.dispatch(TourAction::LoadingCode(c));
            }
            // Cancel ends the wait at once (the fetch goes on, for later).
            match unless_cancelled(&mut guard, lab_code::load()).await {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    if let Some(c) = first {
                        dispatcher.dispatch(TourAction::CodeFailed(c, e));
                    }
                    return;
                }
                None => {
                    if let Some(c) = first {
                        dispatcher.dispatch(TourAction::Finished(c, Box::new(Err(RunError::Cancelled))));
                    }
                    return;
                }
            }
        }
        let plan = check::Check { claims, check_all, calibration: known, env };
        check::run(plan, guard, dispatcher, on_cores).await;
    });
}

/// Reads a picked export and shows it beside this machine's results. One
/// of the split's gates (scripts/lab_split.py), like `start`: the code that
/// reads an export (`check::import`) is in the lab's code.
async fn import(file: Option<gloo_file::File>, dispatcher: UseReducerDispatcher<TourState>) {
    let action = match file_read::read_text(file).await {
        Err(e) => TourAction::ImportFailed(e.into()),
        Ok(text) => match lab_code::load().await {
            Err(e) => TourAction::ImportFailed(ImportProblem::Code(e)),
            Ok(()) => check::import(text).await,
        },
    };
    dispatcher.dispatch(action);
}

#[component]
pub(crate) fn Tour(props: &TourProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let state = use_reducer(TourState::default);
    let file_input = use_node_ref();
    let env = props.env;

    {
        // A permalink: bring its card into view once it is drawn.
        use_effect_with(props.focus, |focus| {
            if let Some(c) = focus {
                let el = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&format!("claim-{}", c.id())));
                if let Some(el) = el {
                    el.scroll_into_view_with_bool(true);
                }
            }
        });
    }

    let on_run = {
        let state = state.clone();
        let on_cores = props.on_cores.clone();
        Callback::from(move |c: Claim| start(vec![c], false, state.clone(), env, on_cores.clone()))
    };
    let on_check_all = {
        let state = state.clone();
        let on_cores = props.on_cores.clone();
        Callback::from(move |_: MouseEvent| start(Claim::ALL.to_vec(), true, state.clone(), env, on_cores.clone()))
    };
    let on_cancel = Callback::from(|_: MouseEvent| {
        lab().cancel();
    });
    let on_export = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let export = TourExport::new(machine(env), state.calibration, state.results());
            if let Err(e) =
                crate::web::page::download::save("concurrency-lab-tour.json", "application/json", &export.to_json())
            {
                web_sys::console::error_1(&e.into());
            }
        })
    };
    let on_pick = {
        let input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };
    let on_file = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            let Some(target) = e.target() else { return };
            let picked = file_read::picked(&target);
            file_read::reset(&target);
            // Too large to be an export: refused before reading it.
            if let Some((_, size)) = &picked {
                if *size > export::MAX_BYTES as u64 {
                    let bytes = usize::try_from(*size).unwrap_or(usize::MAX);
                    dispatcher.dispatch(TourAction::ImportFailed(ImportError::TooLarge { bytes }.into()));
                    return;
                }
            }
            wasm_bindgen_futures::spawn_local(import(picked.map(|p| p.0), dispatcher.clone()));
        })
    };

    let busy = props.busy.is_some();
    let touring = props.busy == Some(Activity::Tour);
    let tally = state.tally();
    let has_results = !state.results().is_empty();
    // Check all: claims before the current one are done; the current one
    // counts by its steps.
    let progress = state.checking.map(|i| {
        let part = Claim::ALL.get(i).map_or(0.0, |c| match state.card(*c) {
            CardState::Running(done, steps) => done as f64 / steps.max(1) as f64,
            _ => 0.0,
        });
        (i, (i as f64 + part) / Claim::ALL.len() as f64)
    });

    html! {
        <div class="tour" data-testid="tour" data-checking={state.checking.is_some().to_string()}>
            <section class="panel tour-intro">
                <h2>{ lang.s("The claims, checked", "흔히 듣는 설명, 직접 확인하기") }</h2>
                <p>{ lang.s(
                    "Everyone has heard these explanations of Python concurrency. Each card below tests one of them on this machine, in about a second or two, and gives a verdict computed from what it measured — with the rule stated on the card. A short calibration run first sizes the work to this machine's speed.",
                    "파이썬 동시성에 관해 누구나 한 번쯤 들어 본 설명들입니다. 아래 카드마다 그중 하나를 이 컴퓨터에서 1~2초 동안 직접 실험하고, 측정값으로 판정을 내립니다. 판정 기준은 카드에 적혀 있습니다. 처음에 짧은 보정 실행으로 이 컴퓨터의 속도에 맞춰 작업 크기를 정합니다.",
                ) }</p>
                <div class="buttons">
                    <button class="primary" data-testid="check-all" onclick={on_check_all} disabled={busy}>
                        { lang.s("Check all claims", "모든 주장 확인하기") }
                    </button>
                    if touring {
                        <button class="danger" data-testid="tour-cancel" onclick={on_cancel}>{ lang.s("Cancel", "취소") }</button>
                    }
                    <button data-testid="tour-export" onclick={on_export} disabled={!has_results}>
                        { lang.s("Export results (JSON)", "결과 내보내기 (JSON)") }
                    </button>
                    <button data-testid="tour-import" onclick={on_pick}>
                        { lang.s("Compare with an export…", "다른 결과와 비교…") }
                    </button>
                    <input type="file" accept=".json,application/json" class="visually-hidden" tabindex="-1" aria-hidden="true"
                        ref={file_input} onchange={on_file} data-testid="tour-file" />
                </div>
                if let Some((i, fraction)) = progress {
                    <div class="progress" aria-live="polite" data-testid="tour-progress">
                        <div class="progress-label">{ match lang {
                            Lang::En => format!("Checking claim {} of {}…", i + 1, Claim::ALL.len()),
                            Lang::Ko => format!("주장 {}개 중 {}번째 확인 중…", Claim::ALL.len(), i + 1),
                        } }</div>
                        <progress max="1000" value={format!("{:.0}", fraction * 1000.0)} />
                    </div>
                }
                if state.checked {
                    <p class="tour-summary" data-testid="tour-summary" data-holds={tally.holds.to_string()}
                        data-does-not={tally.does_not.to_string()} data-inconclusive={tally.inconclusive.to_string()}>
                        { match lang {
                            Lang::En => format!("Of {} claims, {} hold on this machine, {} do not hold here, and {} are inconclusive.", tally.holds + tally.does_not + tally.inconclusive, tally.holds, tally.does_not, tally.inconclusive),
                            Lang::Ko => format!("주장 {}개 중 이 컴퓨터에서 성립 {}개, 성립하지 않음 {}개, 판단 보류 {}개입니다.", tally.holds + tally.does_not + tally.inconclusive, tally.holds, tally.does_not, tally.inconclusive),
                        } }
                    </p>
                }
                if let Some(p) = &state.import_problem {
                    <p class="field-error" role="alert" data-testid="import-error">{ import_error(lang, p) }</p>
                }
            </section>
            if let Some(other) = &state.other {
                <MachineCompare mine={machine(env)} mine_tally={tally} other={other.clone()} />
            }
            <div class="claims">
                { for Claim::ALL.iter().map(|&c| html! {
                    <ClaimCard key={c.id()} claim={c} state={state.card(c)} comparing={state.other.is_some()}
                        other={state.other.as_ref().and_then(|o| o.results.get(&c).cloned())}
                        cores={env.core_count} disabled={busy} focused={props.focus == Some(c)}
                        on_run={on_run.clone()} on_open={props.on_open.clone()} />
                }) }
            </div>
        </div>
    }
}
