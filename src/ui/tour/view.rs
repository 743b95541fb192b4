//! The tour of claims: the first thing a new visitor sees. Each claim is a
//! card with its own Run; "Check all claims" runs them in turn with one
//! progress bar and ends in a summary. The results export as JSON, and a
//! JSON export (from another device, or a colleague) is shown beside them.

use crate::ui::i18n::Lang;
use crate::ui::state::{EnvInfo, View};
use crate::ui::tour::claim_card::ClaimCard;
use crate::ui::tour::claim_texts::import_error;
use crate::ui::tour::machine_compare::MachineCompare;
use crate::ui::tour::state::{CardState, TourAction, TourState};
use crate::web::experiments::{calibrate, run_claim, TourEnv};
use crate::web::lab_code;
use crate::web::page::file_read;
use crate::web::runner::lab;
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

/// Runs `claims` one after another under one busy guard, measuring the
/// cores and calibrating first if this page has not yet.
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
        let first = claims.first().copied();
        // What runs a claim (the runner, the pools) is in the lab's code,
        // the second half of the page's wasm: the tour is drawn without it,
        // and the page fetches it when idle. Nothing below may run before
        // it is here: scripts/lab_split.py moves what this function calls
        // after this point (it is one of the split's gates).
        if !lab_code::loaded() {
            if let Some(c) = first {
                dispatcher.dispatch(TourAction::LoadingCode(c));
            }
            if let Err(e) = lab_code::load().await {
                if let Some(c) = first {
                    dispatcher.dispatch(TourAction::CodeFailed(c, e));
                }
                return;
            }
        }
        if let Some(c) = first {
            dispatcher.dispatch(TourAction::Progress(c, 0, 1));
        }
        if check_all {
            dispatcher.dispatch(TourAction::CheckAll(Some(0)));
        }
        // Claims are sized from the cores the page really gets, not from
        // the browser's figure (WebKit says 4 on a 2-core machine). If the
        // probe cannot run, the processes it needs cannot either: the
        // claims will say so themselves.
        let cores = match guard.measure_cores(env.core_count.reported).await {
            Ok(Some(n)) => {
                on_cores.emit(n);
                n
            }
            Err(RunError::Cancelled) => {
                if let Some(c) = first {
                    dispatcher.dispatch(TourAction::Finished(c, Box::new(Err(RunError::Cancelled))));
                }
                dispatcher.dispatch(TourAction::CheckAll(None));
                return;
            }
            Ok(None) | Err(_) => env.cores(),
        };
        let tour_env = TourEnv { cores, isolated: env.isolated };
        let cal = match known {
            Some(c) => Ok(c),
            None => calibrate(&mut guard).await,
        };
        let cal = match cal {
            Ok(c) => {
                dispatcher.dispatch(TourAction::Calibrated(c));
                c
            }
            Err(e) => {
                if let Some(c) = first {
                    dispatcher.dispatch(TourAction::Finished(c, Box::new(Err(e))));
                }
                dispatcher.dispatch(TourAction::CheckAll(None));
                return;
            }
        };
        for (i, claim) in claims.into_iter().enumerate() {
            if check_all {
                dispatcher.dispatch(TourAction::CheckAll(Some(i)));
            }
            let d = dispatcher.clone();
            let progress = move |done: usize, steps: usize| d.dispatch(TourAction::Progress(claim, done, steps));
            let result = run_claim(claim, &mut guard, tour_env, &cal, &progress).await;
            let cancelled = matches!(result, Err(RunError::Cancelled));
            dispatcher.dispatch(TourAction::Finished(claim, Box::new(result)));
            if cancelled {
                break;
            }
        }
        if check_all {
            dispatcher.dispatch(TourAction::CheckDone);
        }
        drop(guard);
    });
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
                    dispatcher.dispatch(TourAction::ImportFailed(ImportError::TooLarge { bytes }));
                    return;
                }
            }
            let dispatcher = dispatcher.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let action = match file_read::read_text(picked.map(|p| p.0)).await {
                    Err(e) => TourAction::ImportFailed(e),
                    Ok(text) => match export::parse(&text) {
                        Ok(imported) => TourAction::Imported(imported),
                        Err(e) => TourAction::ImportFailed(e),
                    },
                };
                dispatcher.dispatch(action);
            });
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
