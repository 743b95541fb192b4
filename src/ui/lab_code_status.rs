//! What an opened view shows while the lab's code is fetched, or why it
//! could not be (with a way to try again). See `ui::state::LabCode`.

use crate::ui::i18n::{Lang, Words};
use crate::ui::state::{LabCode, LoadError};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct LabCodeStatusProps {
    pub(crate) code: LabCode,
    /// Try loading again.
    pub(crate) on_retry: Callback<()>,
    /// Reload the page: the server no longer has this build's code.
    pub(crate) on_reload: Callback<()>,
}

#[component]
pub(crate) fn LabCodeStatus(props: &LabCodeStatusProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    match &props.code {
        LabCode::Failed { error, .. } => {
            // Trying again cannot bring back a build the server no longer has.
            let button = if *error == LoadError::Gone {
                html! {
                    <button data-testid="lab-code-reload" onclick={props.on_reload.reform(|_: MouseEvent| ())}>
                        { lang.reload_page() }
                    </button>
                }
            } else {
                html! {
                    <button data-testid="lab-code-retry" onclick={props.on_retry.reform(|_: MouseEvent| ())}>
                        { lang.s("Try again", "다시 시도") }
                    </button>
                }
            };
            html! {
                <section class="panel lab-code" data-testid="lab-code" data-state="failed">
                    <p class="field-error" role="alert">{ lang.load_error(error) }</p>
                    { button }
                </section>
            }
        }
        LabCode::Ready => Html::default(),
        LabCode::Missing { .. } | LabCode::Loading { .. } => html! {
            <section class="panel lab-code" data-testid="lab-code" data-state="loading" aria-busy="true">
                <p role="status">{ lang.code_loading() }</p>
            </section>
        },
    }
}
