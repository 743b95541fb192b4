//! The tabs at the top: the tour of claims, the lab, inside the interpreter.

use crate::ui::i18n::Lang;
use crate::ui::state::View;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ViewTabsProps {
    pub(crate) view: View,
    pub(crate) on_change: Callback<View>,
}

#[component]
pub(crate) fn ViewTabs(props: &ViewTabsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let tab = |v: View, label: &'static str| {
        let selected = props.view == v;
        let on = props.on_change.reform(move |_: MouseEvent| v);
        html! {
            <button role="tab" class={classes!("tab", selected.then_some("active"))} aria-selected={selected.to_string()}
                aria-controls={format!("view-{}", v.id())} data-testid={format!("tab-{}", v.id())} onclick={on}>
                { label }
            </button>
        }
    };
    html! {
        <nav class="tabs" role="tablist" aria-label={lang.s("Views", "보기")}>
            { tab(View::Tour, lang.s("Claims", "주장 확인")) }
            { tab(View::Lab, lang.s("Lab", "실험실")) }
            { tab(View::Interp, lang.s("Inside the interpreter", "인터프리터 속으로")) }
        </nav>
    }
}
