//! Next to the numbers: what the selected model is, the Python it mirrors,
//! the kitchen analogy, and the Python of the chosen allocation strategy.

use crate::ui::i18n::{guide, strategy_code, Lang, Words};
use engine::{Model, Strategy};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ModelGuideProps {
    pub(crate) model: Model,
    pub(crate) strategy: Option<Strategy>,
}

#[component]
pub(crate) fn ModelGuide(props: &ModelGuideProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let g = guide(lang, props.model);
    html! {
        <section class="panel guide" data-testid="guide">
            <div class="guide-text">
                <h2>{ lang.model(props.model) }</h2>
                <p>{ g.what }</p>
                <p class="kitchen"><span class="kitchen-label">{ lang.s("Kitchen analogy", "주방 비유") }</span>{ g.kitchen }</p>
            </div>
            <div class="guide-code">
                <h3>{ lang.s("The Python it mirrors", "대응하는 파이썬 코드") }</h3>
                <pre><code>{ g.code }</code></pre>
                if let (true, Some(s)) = (props.model.uses_strategy(), props.strategy) {
                    <h3>{ lang.s("Allocation: ", "작업 분배: ") }{ lang.strategy(s) }</h3>
                    <pre><code>{ strategy_code(lang, s) }</code></pre>
                }
            </div>
        </section>
    }
}
