//! What this browser allows: cross-origin isolation (shared memory) and
//! the core count, with the reason when threads are unavailable.

use crate::ui::i18n::Lang;
use crate::ui::state::{CoiStatus, EnvInfo};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct EnvBannerProps {
    pub(crate) env: EnvInfo,
}

/// Why isolation failed, in a sentence.
fn reason(lang: Lang, coi: CoiStatus) -> &'static str {
    match coi {
        CoiStatus::Isolated => "",
        CoiStatus::Pending => lang.s(
            "Setting up isolation: the page reloads once when its service worker is ready.",
            "격리를 준비하고 있습니다. 서비스 워커가 준비되면 페이지가 한 번 새로 고쳐집니다.",
        ),
        CoiStatus::Disabled => lang.s(
            "The isolating service worker is switched off (?nosw in the address).",
            "주소에 ?nosw가 있어 격리용 서비스 워커를 꺼 두었습니다.",
        ),
        CoiStatus::Insecure => lang.s(
            "The page is not served over HTTPS, so it cannot use a service worker.",
            "페이지가 HTTPS로 제공되지 않아 서비스 워커를 쓸 수 없습니다.",
        ),
        CoiStatus::Unsupported => {
            lang.s("This browser has no service workers.", "이 브라우저는 서비스 워커를 지원하지 않습니다.")
        }
        CoiStatus::Blocked => lang.s(
            "The browser blocked the service worker (private mode or a site setting).",
            "브라우저가 서비스 워커를 막았습니다 (시크릿 모드나 사이트 설정 때문일 수 있습니다).",
        ),
        CoiStatus::Refused => lang.s(
            "The browser refused isolation even through the service worker (it may be too old).",
            "서비스 워커를 거쳐도 브라우저가 격리를 거부했습니다 (오래된 브라우저일 수 있습니다).",
        ),
        CoiStatus::Unknown => {
            lang.s("The server sends no COOP/COEP headers.", "서버가 COOP/COEP 헤더를 보내지 않습니다.")
        }
    }
}

#[component]
pub(crate) fn EnvBanner(props: &EnvBannerProps) -> Html {
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
                <span class="chip warn" data-testid="isolation" data-reason={format!("{:?}", env.coi)}>
                    <strong>{ lang.s("Threads are off on this page. ", "이 페이지에서는 스레드 모델을 쓸 수 없습니다. ") }</strong>
                    { reason(lang, env.coi) }
                    { lang.s(
                        " Without cross-origin isolation the browser forbids shared memory, so both thread models are disabled; sequential, processes and asyncio still work.",
                        " 교차 출처 격리가 없으면 브라우저가 공유 메모리를 막기 때문에 두 스레드 모델은 꺼 두었습니다. 순차 실행, 프로세스, asyncio는 그대로 쓸 수 있습니다.",
                    ) }
                </span>
            }
        </div>
    }
}
