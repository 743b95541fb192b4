//! A one-line health report of the page's pools: live workers and the wasm
//! memory of each kind of instance, so leaks would show.

use crate::ui::i18n::Lang;
use crate::web::runner::lab;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct PoolStatusProps {
    /// Changes after every run, so the line is read afresh.
    pub(crate) runs: usize,
    /// Changes when an activity starts or ends (a race adds workers too).
    pub(crate) busy: bool,
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[component]
pub(crate) fn PoolStatus(props: &PoolStatusProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    // The props only say when to look again; the numbers come from the lab.
    let _ = (props.runs, props.busy);
    let s = lab().stats();
    html! {
        <p class="pool-status muted" data-testid="pool-status" data-processes={s.process_workers.to_string()}
            data-threads={s.thread_pool_threads.to_string()} data-page-memory={s.page_memory.to_string()}
            data-host-memory={s.host_memory.to_string()} data-process-memory={s.process_memory.to_string()}>
            { match lang {
                Lang::En => format!(
                    "Pools: {} process workers, {} pool threads · wasm memory: page {}, thread host {}, largest process {}",
                    s.process_workers, s.thread_pool_threads, mib(s.page_memory), mib(s.host_memory), mib(s.process_memory)
                ),
                Lang::Ko => format!(
                    "풀 상태: 프로세스 작업자 {}개, 풀 스레드 {}개 · wasm 메모리: 페이지 {}, 스레드 호스트 {}, 가장 큰 프로세스 {}",
                    s.process_workers, s.thread_pool_threads, mib(s.page_memory), mib(s.host_memory), mib(s.process_memory)
                ),
            } }
        </p>
    }
}
