//! One claim of the tour: the claim, what runs, the rule of its verdict,
//! a Run button, and after the run the numbers, a small chart and the
//! verdict — next to another machine's when a file was imported.

use crate::ui::charts::claim_chart::ClaimChart;
use crate::ui::i18n::{Lang, Words};
use crate::ui::state::{LoadError, Shared, View};
use crate::ui::tour::claim_texts::{cores_note, doubt, figure_label, figure_value, rule, verdict_label, verdict_short};
use crate::ui::tour::state::CardState;
use engine::cores::Cores;
use engine::settings::{Field, RawSettings};
use engine::text::ms;
use engine::tour::claims::{Claim, Verdict};
use engine::tour::export::ClaimResult;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ClaimCardProps {
    pub(crate) claim: Claim,
    pub(crate) state: CardState,
    /// Whether a machine was imported to compare with.
    pub(crate) comparing: bool,
    /// That machine's result for this claim, if it has one.
    pub(crate) other: Option<Shared<ClaimResult>>,
    /// The page's cores: what the claim is sized from, and whether that
    /// count was measured or is the browser's word.
    pub(crate) cores: Cores,
    /// The lab is busy: no new run.
    pub(crate) disabled: bool,
    /// Opened by its permalink: highlighted.
    pub(crate) focused: bool,
    pub(crate) on_run: Callback<Claim>,
    pub(crate) on_open: Callback<(RawSettings, View)>,
}

/// Whether the two machines ran the same work for this claim: the tour
/// sizes each card to the machine's speed, so their figures compare as
/// rates and verdicts, not as like-for-like times, unless the work agrees.
fn work_row(lang: Lang, differs: &[Field]) -> Html {
    let same = differs.is_empty();
    let ids = differs.iter().map(|f| f.id()).collect::<Vec<_>>().join(", ");
    let labels = differs.iter().map(|&f| work_label(lang, f)).collect::<Vec<_>>().join(", ");
    html! {
        <tr data-testid="compare-work" data-same={same.to_string()} data-differs={ids}>
            <td>{ lang.s("Work", "작업") }</td>
            <td class="num" colspan="2">{ match (lang, same) {
                (Lang::En, true) => "the same work on both machines".to_owned(),
                (Lang::Ko, true) => "두 컴퓨터가 같은 작업을 했습니다".to_owned(),
                (Lang::En, false) => format!("different work (each sized to its machine): {labels}"),
                (Lang::Ko, false) => format!("두 컴퓨터가 한 작업이 다릅니다 (컴퓨터마다 크기를 맞춤): {labels}"),
            } }</td>
        </tr>
    }
}

/// The name of a field that sets the work, as the lab form calls it.
fn work_label(lang: Lang, f: Field) -> &'static str {
    match f {
        Field::Workload => lang.s("job", "할 일"),
        Field::Size => lang.s("size", "크기"),
        Field::Tasks => lang.s("tasks", "작업 개수"),
        Field::Plan => lang.s("task sizes", "작업 크기"),
        Field::Cpu => lang.s("CPU share", "CPU 비율"),
        Field::Rate => lang.s("SHA-256 rounds per CPU ms", "CPU 1 ms당 SHA-256 횟수"),
        other => other.id(),
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "v-holds",
        Verdict::DoesNotHold => "v-not",
        Verdict::Inconclusive { .. } => "v-unsure",
    }
}

#[component]
pub(crate) fn ClaimCard(props: &ClaimCardProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let c = props.claim;
    let id = c.id();
    let result = match &props.state {
        CardState::Done(r) => Some(r.clone()),
        _ => None,
    };
    let (state_id, verdict_id) = match &props.state {
        CardState::Idle => ("idle", ""),
        CardState::LoadingCode => ("loading-code", ""),
        CardState::NoCode(_) => ("no-code", ""),
        CardState::Running(..) => ("running", ""),
        CardState::Done(r) => ("done", r.verdict.id()),
        CardState::Failed(_) => ("failed", "inconclusive"),
    };
    // The settings "Open in the lab" loads, as the link would carry them.
    let settings_query = result
        .as_ref()
        .map(|r| r.settings.to_query().into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"));
    let on_run = props.on_run.reform(move |_: MouseEvent| c);
    let on_open = {
        let cb = props.on_open.clone();
        let settings = result.as_ref().map(|r| r.settings.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = &settings {
                cb.emit((s.clone(), if c.interpreter() { View::Interp } else { View::Lab }));
            }
        })
    };
    let body = match &props.state {
        CardState::Idle => html! {},
        CardState::Running(done, steps) => html! {
            <div class="progress" aria-live="polite">
                <div class="progress-label">{ match lang {
                    Lang::En => format!("Running… step {} of {steps}", (done + 1).min(*steps)),
                    Lang::Ko => format!("실행 중… {steps}단계 중 {}단계", (done + 1).min(*steps)),
                } }</div>
                <progress max={steps.max(&1).to_string()} value={done.to_string()} />
            </div>
        },
        CardState::LoadingCode => html! {
            <div class="progress" aria-live="polite">
                <div class="progress-label">{ lang.code_loading() }</div>
                <progress />
            </div>
        },
        CardState::NoCode(e) => html! {
            <div data-testid="claim-no-code">
                <p class="field-error" role="alert">{ lang.load_error(e) }</p>
                // The server no longer has this build's code: running again
                // cannot help, a reload can (the card's Run tries again otherwise).
                if *e == LoadError::Gone {
                    <button data-testid="claim-reload" onclick={|_: MouseEvent| crate::web::page::location::reload()}>
                        { lang.reload_page() }
                    </button>
                }
            </div>
        },
        CardState::Failed(e) => html! {
            <div class="claim-verdict v-unsure" data-testid="claim-verdict" data-verdict="inconclusive">
                <strong>{ verdict_label(lang, Verdict::Inconclusive { doubt: engine::tour::claims::Doubt::Unexpected }) }</strong>
                <p>{ match lang {
                    Lang::En => format!("The experiment could not run: {}", lang.run_error(e)),
                    Lang::Ko => format!("실험을 돌리지 못했습니다: {}", lang.run_error(e)),
                } }</p>
            </div>
        },
        CardState::Done(r) => {
            let mine = r.measured.figures();
            let theirs = props.other.as_ref().map(|o| o.measured.figures());
            let other_value = |slot: &str| -> Html {
                match theirs.as_ref().and_then(|t| t.iter().find(|f| f.slot == slot)) {
                    Some(f) => html! { <td class="num theirs">{ figure_value(lang, f) }</td> },
                    None => html! { <td class="num theirs muted">{ "—" }</td> },
                }
            };
            html! {
                <>
                    <div class={classes!("claim-verdict", verdict_class(r.verdict))} data-testid="claim-verdict" data-verdict={r.verdict.id()}>
                        <strong>{ verdict_label(lang, r.verdict) }</strong>
                        if let Verdict::Inconclusive { doubt: d } = r.verdict {
                            <p>{ doubt(lang, d) }</p>
                        }
                        <span class="muted took">{ match lang {
                            Lang::En => format!("took {}", ms(r.duration_ms)),
                            Lang::Ko => format!("걸린 시간 {}", ms(r.duration_ms)),
                        } }</span>
                    </div>
                    <div class="table-wrap">
                        <table class="figures">
                            if props.comparing {
                                <thead><tr>
                                    <th></th>
                                    <th class="num">{ lang.s("This machine", "이 컴퓨터") }</th>
                                    <th class="num">{ lang.s("Other machine", "다른 컴퓨터") }</th>
                                </tr></thead>
                            }
                            <tbody>
                                { for mine.iter().map(|f| html! {
                                    <tr data-testid="figure" data-slot={f.slot.clone()} data-value={format!("{:.4}", f.value)}>
                                        <td>{ figure_label(lang, c, f) }</td>
                                        <td class="num strong">{ figure_value(lang, f) }</td>
                                        if props.comparing { { other_value(&f.slot) } }
                                    </tr>
                                }) }
                                if props.comparing {
                                    <tr data-testid="compare-verdict">
                                        <td>{ lang.s("Verdict", "판정") }</td>
                                        <td class="num">{ verdict_short(lang, r.verdict) }</td>
                                        <td class="num theirs" data-verdict={props.other.as_ref().map(|o| o.verdict.id()).unwrap_or("none")}>{
                                            props.other.as_ref().map_or(lang.s("not run", "실행 안 함"), |o| verdict_short(lang, o.verdict))
                                        }</td>
                                    </tr>
                                    if let Some(o) = &props.other {
                                        { work_row(lang, &r.settings.work_differences(&o.settings)) }
                                    }
                                }
                            </tbody>
                        </table>
                    </div>
                    <ClaimChart claim={c} mine={mine.clone()} theirs={theirs.clone()} />
                </>
            }
        }
    };
    html! {
        <article id={format!("claim-{id}")} data-testid="claim" data-claim={id} data-state={state_id} data-verdict={verdict_id}
            data-settings={settings_query}
            class={classes!("panel", "claim-card", props.focused.then_some("focused"))} aria-labelledby={format!("claim-{id}-title")}>
            <div class="claim-head">
                <h3 id={format!("claim-{id}-title")}>{ c.sentence(lang) }</h3>
                <a class="permalink" href={format!("#claim-{id}")} data-testid="permalink"
                    title={lang.s("Link to this claim", "이 주장으로 가는 링크")}>{ "#" }</a>
            </div>
            <p class="what"><span class="tag">{ lang.s("Runs", "실행") }</span>{ c.what_runs(lang, props.cores.usable()) }{ cores_note(lang, c, props.cores) }</p>
            <p class="rule"><span class="tag">{ lang.s("Rule", "판정 기준") }</span>{ rule(lang, c, props.cores.usable()) }</p>
            <div class="buttons">
                <button class="primary" data-testid="claim-run" onclick={on_run} disabled={props.disabled}>
                    { if result.is_some() { lang.s("Run again", "다시 실행") } else { lang.s("Run", "실행") } }
                </button>
                <button data-testid="open-in-lab" onclick={on_open} disabled={result.is_none()}>
                    { if c.interpreter() {
                        lang.s("Open in the interpreter", "인터프리터에서 열기")
                    } else {
                        lang.s("Open in the lab", "실험실에서 열기")
                    } }
                </button>
            </div>
            { body }
        </article>
    }
}
