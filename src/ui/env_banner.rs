//! What this browser allows: cross-origin isolation (shared memory) and
//! the core count, with the reason when threads are unavailable.

use crate::ui::state::EnvInfo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EnvBannerProps {
    pub env: EnvInfo,
}

#[component]
pub fn EnvBanner(props: &EnvBannerProps) -> Html {
    let env = props.env;
    html! {
        <div class={classes!("env", (!env.isolated).then_some("env-warn"))} data-testid="env">
            <span class="chip" data-testid="cores">{ format!("{} logical cores", env.cores) }</span>
            if env.isolated {
                <span class="chip ok" data-testid="isolation">{ "cross-origin isolated: shared-memory threads available" }</span>
            } else {
                <span class="chip warn" data-testid="isolation">
                    { "not cross-origin isolated: the browser forbids shared memory here, so the threads model is off. Processes and asyncio still work." }
                </span>
            }
        </div>
    }
}
