//! What this browser allows: cross-origin isolation (shared memory) and
//! the core count — measured beside the browser's figure — with the reason
//! when threads are unavailable.

use crate::ui::i18n::Lang;
use crate::ui::state::{CoiStatus, EnvInfo, MemoryGap};
use engine::cores::Cores;
use engine::text::cores_en;
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

/// The core count, measured or the browser's, and the other figure beside it.
fn cores_text(lang: Lang, c: Cores) -> String {
    match (lang, c.measured) {
        (Lang::En, Some(n)) if n == c.reported => format!("{} measured (the browser says {n} too)", cores_en(n)),
        (Lang::Ko, Some(n)) if n == c.reported => format!("측정한 코어 {n}개 (브라우저 값과 같음)"),
        (Lang::En, Some(n)) => format!("{} measured; the browser says {}", cores_en(n), c.reported),
        (Lang::Ko, Some(n)) => format!("측정한 코어 {n}개 · 브라우저가 알려 준 값은 {}개", c.reported),
        (Lang::En, None) => format!("the browser says {} (measured at the first run)", cores_en(c.reported)),
        (Lang::Ko, None) => format!("브라우저가 알려 준 논리 코어 {}개 (첫 실행 때 실제로 측정)", c.reported),
    }
}

/// Why an isolated page has no shared memory, in a sentence.
fn gap_reason(lang: Lang, gap: MemoryGap) -> &'static str {
    match gap {
        MemoryGap::NoSharedArrayBuffer => lang.s(
            "The page is cross-origin isolated, but this browser offers no SharedArrayBuffer here (Safari's engine can be set up so).",
            "페이지는 교차 출처 격리되었지만 이 브라우저가 여기서 SharedArrayBuffer를 제공하지 않습니다 (사파리 엔진은 그렇게 설정될 수 있습니다).",
        ),
        MemoryGap::NoSharedWasmMemory => lang.s(
            "The page is cross-origin isolated, but this browser refused to make a shared WebAssembly memory.",
            "페이지는 교차 출처 격리되었지만 이 브라우저가 공유 WebAssembly 메모리를 만들어 주지 않습니다.",
        ),
    }
}

#[component]
pub(crate) fn EnvBanner(props: &EnvBannerProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let env = props.env;
    html! {
        <div class={classes!("env", (!env.isolated).then_some("env-warn"))} data-testid="env">
            <span class="chip" data-testid="cores" data-reported={env.core_count.reported.to_string()}
                data-measured={env.core_count.measured.map(|n| n.to_string()).unwrap_or_default()}>
                { cores_text(lang, env.core_count) }
            </span>
            if env.isolated {
                <span class="chip ok" data-testid="isolation">{ lang.s(
                    "cross-origin isolated: shared-memory threads available",
                    "교차 출처 격리됨: 메모리를 공유하는 스레드 사용 가능",
                ) }</span>
            } else {
                <span class="chip warn" data-testid="isolation"
                    data-reason={env.memory_gap.map_or(env.coi.word(), MemoryGap::word)}>
                    <strong>{ lang.s("Threads are off on this page. ", "이 페이지에서는 스레드 모델을 쓸 수 없습니다. ") }</strong>
                    { env.memory_gap.map_or_else(|| reason(lang, env.coi), |g| gap_reason(lang, g)) }
                    if env.memory_gap.is_some() {
                        { lang.s(
                            " Threads need shared memory, so both thread models are disabled; sequential, processes and asyncio still work (processes are fed by messages).",
                            " 스레드에는 공유 메모리가 필요해서 두 스레드 모델은 꺼 두었습니다. 순차 실행, 프로세스, asyncio는 그대로 쓸 수 있습니다 (프로세스에는 메시지로 작업을 보냅니다).",
                        ) }
                    } else {
                        { lang.s(
                            " Without cross-origin isolation the browser forbids shared memory, so both thread models are disabled; sequential, processes and asyncio still work.",
                            " 교차 출처 격리가 없으면 브라우저가 공유 메모리를 막기 때문에 두 스레드 모델은 꺼 두었습니다. 순차 실행, 프로세스, asyncio는 그대로 쓸 수 있습니다.",
                        ) }
                    }
                </span>
            }
        </div>
    }
}
