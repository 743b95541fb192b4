//! The verdict after Run-all: which model won, by how much, and why.

use crate::ui::i18n::{verdict, Lang};
use engine::analysis::summary::RunAllVerdict;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct VerdictPanelProps {
    pub(crate) verdict: Option<RunAllVerdict>,
}

#[component]
pub(crate) fn VerdictPanel(props: &VerdictPanelProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let Some(v) = &props.verdict else {
        return html! {};
    };
    html! {
        <div class="verdict" data-testid="verdict" data-winner={v.winner.id()}>
            <strong>{ lang.s("Verdict", "결론") }</strong>
            <p>{ verdict(lang, v) }</p>
        </div>
    }
}
