//! Run, Run all, Cancel, and the progress of the run in progress.

use crate::ui::state::Running;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    pub running: Option<Running>,
    /// `true` for Run all.
    pub on_run: Callback<bool>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn RunControls(props: &RunControlsProps) -> Html {
    let busy = props.running.is_some();
    let run = props.on_run.reform(|_: MouseEvent| false);
    let run_all = props.on_run.reform(|_: MouseEvent| true);
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="controls">
            <div class="buttons">
                <button class="primary" data-testid="run" onclick={run} disabled={busy}>{ "Run" }</button>
                <button data-testid="run-all" onclick={run_all} disabled={busy}>{ "Run all models" }</button>
                <button class="danger" data-testid="cancel" onclick={cancel} disabled={!busy}>{ "Cancel" }</button>
            </div>
            if let Some(r) = &props.running {
                <div class="progress" data-testid="progress" aria-live="polite">
                    <div class="progress-label">
                        { format!("Running {} — {} of {} tasks", r.model.title(), r.done, r.total) }
                        if !r.queued.is_empty() {
                            <span class="muted">{ format!(" · then {}", r.queued.iter().map(|m| m.id()).collect::<Vec<_>>().join(", ")) }</span>
                        }
                    </div>
                    <progress max={r.total.max(1).to_string()} value={r.done.to_string()} />
                </div>
            }
        </div>
    }
}
