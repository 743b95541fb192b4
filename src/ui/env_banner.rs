//! What this browser allows: cross-origin isolation (shared memory) and
//! the core count, with the reason when threads are unavailable.

use crate::ui::i18n::Lang;
use crate::ui::state::EnvInfo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EnvBannerProps {
    pub env: EnvInfo,
}

#[component]
pub fn EnvBanner(props: &EnvBannerProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let env = props.env;
    html! {
        <div class={classes!("env", (!env.isolated).then_some("env-warn"))} data-testid="env">
            <span class="chip" data-testid="cores">{ match lang {
                Lang::En => format!("{} logical cores", env.cores),
                Lang::Ko => format!("논리 코어 {}개", env.cores),
            } }</span>
            if env.isolated {
                <span class="chip ok" data-testid="isolation">{ lang.s(
                    "cross-origin isolated: shared-memory threads available",
                    "교차 출처 격리됨: 메모리를 공유하는 스레드 사용 가능",
                ) }</span>
            } else {
                <span class="chip warn" data-testid="isolation">{ lang.s(
                    "Not cross-origin isolated: the browser forbids shared memory on this page, so both thread models are off. Processes, sequential and asyncio still work.",
                    "교차 출처 격리가 되지 않았습니다: 브라우저가 이 페이지에서 공유 메모리를 막아서 두 스레드 모델은 꺼져 있습니다. 프로세스, 순차 실행, asyncio는 그대로 쓸 수 있습니다.",
                ) }</span>
            }
        </div>
    }
}
