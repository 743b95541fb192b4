//! Run, Run all models, Scaling sweep, Cancel, and what the lab is busy
//! with: the progress of the run in progress, or the race demo.

use crate::ui::i18n::{Lang, Words};
use crate::ui::plan::RunKind;
use crate::ui::state::Running;
use engine::Activity;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct RunControlsProps {
    /// What the lab is busy with: every button but Cancel is off meanwhile.
    pub(crate) busy: Option<Activity>,
    pub(crate) running: Option<Running>,
    /// The page is measuring its cores before the batch's first run.
    pub(crate) probing: bool,
    pub(crate) on_run: Callback<RunKind>,
    pub(crate) on_cancel: Callback<()>,
}

#[component]
pub(crate) fn RunControls(props: &RunControlsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let busy = props.busy.is_some();
    let button = |kind: RunKind, class: &'static str, id: &'static str, label: &'static str| {
        let on = props.on_run.reform(move |_: MouseEvent| kind);
        html! { <button class={class} data-testid={id} onclick={on} disabled={busy}>{ label }</button> }
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="controls" data-busy={props.busy.map(|a| a.id()).unwrap_or("")}>
            <div class="buttons">
                { button(RunKind::One, "primary", "run", lang.s("Run", "실행")) }
                { button(RunKind::All, "", "run-all", lang.s("Run all models", "모든 모델 실행")) }
                { button(RunKind::Sweep, "", "sweep", lang.s("Scaling sweep", "확장성 측정")) }
                { button(RunKind::Crossover, "", "crossover-run", lang.s("CPU-share map", "CPU 비율 지도")) }
                <button class="danger" data-testid="cancel" onclick={cancel} disabled={!busy}>{ lang.s("Cancel", "취소") }</button>
            </div>
            if props.busy == Some(Activity::Race) {
                <div class="progress" data-testid="busy-race" aria-live="polite">
                    { lang.s("The race demo is running…", "경쟁 상태 데모를 실행하고 있습니다…") }
                </div>
            }
            if props.busy == Some(Activity::Convoy) {
                <div class="progress" data-testid="busy-convoy" aria-live="polite">
                    { lang.s("Measuring the convoy effect…", "호송 효과를 측정하고 있습니다…") }
                </div>
            }
            if props.probing {
                <div class="progress" data-testid="busy-cores" aria-live="polite">
                    { lang.s("Measuring how many cores this page really gets…", "이 페이지가 실제로 쓸 수 있는 코어 수를 재고 있습니다…") }
                </div>
            }
            if let Some(r) = &props.running {
                <div class="progress" data-testid="progress" aria-live="polite" data-done={r.done.to_string()} data-total={r.total.to_string()}>
                    <div class="progress-label">
                        { match lang {
                            Lang::En => format!("{} on {} — {} of {} tasks", lang.model(r.model), r.workers, r.done, r.total),
                            Lang::Ko => format!("{} · 작업자 {} — 작업 {}개 중 {}개 완료", lang.model(r.model), r.workers, r.total, r.done),
                        } }
                        if r.queued > 0 {
                            <span class="muted">{ match lang {
                                Lang::En => format!(" · {} more queued", r.queued),
                                Lang::Ko => format!(" · 대기 중 {}개", r.queued),
                            } }</span>
                        }
                    </div>
                    <progress max={r.total.max(1).to_string()} value={r.done.to_string()} />
                </div>
            }
        </div>
    }
}
