//! The English / 한국어 switch.

use crate::ui::i18n::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct LangSwitchProps {
    pub(crate) lang: Lang,
    pub(crate) on_change: Callback<Lang>,
}

#[component]
pub(crate) fn LangSwitch(props: &LangSwitchProps) -> Html {
    let button = |l: Lang, label: &'static str| {
        let on = props.on_change.reform(move |_: MouseEvent| l);
        html! {
            <button class={classes!("lang", (props.lang == l).then_some("active"))} onclick={on}
                aria-pressed={(props.lang == l).to_string()} data-testid={format!("lang-{}", l.id())} lang={l.id()}>
                { label }
            </button>
        }
    };
    html! {
        <div class="lang-switch" role="group" aria-label="Language / 언어">
            { button(Lang::En, "English") }
            { button(Lang::Ko, "한국어") }
        </div>
    }
}
