//! Every interleaving, counted: for the form's threads and iterations,
//! each scenario under the GIL's switch points and under free threading —
//! "of N schedules, K lose an update" — counted in a worker with progress
//! and Cancel, each with one bad schedule to replay in the game.

use crate::ui::i18n::{Lang, Words};
use crate::ui::interp::words;
use crate::web::runner::lab;
use engine::python::bytecode::explore::{cells, CountCell, ExploreError};
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::Switching;
use engine::text::thousands;
use engine::{Activity, RunError};
use yew::prelude::*;

/// A bad schedule to replay: the scenario, the rule, the picks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Replay {
    pub(crate) scenario: Scenario,
    pub(crate) switching: Switching,
    pub(crate) threads: usize,
    pub(crate) iterations: i64,
    pub(crate) picks: Vec<usize>,
}

#[derive(Properties, PartialEq)]
pub(crate) struct CountsTableProps {
    /// The form's threads and iterations, when valid.
    pub(crate) size: Option<(usize, i64)>,
    pub(crate) busy: Option<Activity>,
    pub(crate) on_replay: Callback<Replay>,
}

/// The last count: for which size, and its cells (or why it stopped).
type Table = Option<((usize, i64), Result<Vec<CountCell>, RunError>)>;

#[component]
pub(crate) fn CountsTable(props: &CountsTableProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let table = use_state(|| None as Table);
    let done = use_state(|| 0usize);
    let onclick = {
        let (table, done, size) = (table.clone(), done.clone(), props.size);
        Callback::from(move |_: MouseEvent| {
            let Some((threads, iterations)) = size else { return };
            let Ok(mut guard) = lab().begin(Activity::Explore) else { return };
            let (table, done) = (table.clone(), done.clone());
            done.set(0);
            wasm_bindgen_futures::spawn_local(async move {
                let progress = {
                    let done = done.clone();
                    move |n: usize| done.set(n)
                };
                let result = guard.explore(threads, iterations, &progress).await;
                table.set(Some(((threads, iterations), result)));
                drop(guard);
            });
        })
    };
    let counting = props.busy == Some(Activity::Explore);
    let total = cells().count();
    let cell = |(threads, iterations): (usize, i64), c: &CountCell| -> Html {
        let noun = words::what_breaks(lang, c.scenario);
        match &c.counts {
            Ok(n) => {
                let broke = n.bad + n.deadlocks;
                let text = match lang {
                    Lang::En => format!("{} of {} schedules {noun}", words::big(broke), words::big(n.schedules)),
                    Lang::Ko => format!("스케줄 {}개 중 {}개: {noun}", words::big(n.schedules), words::big(broke)),
                };
                let replay = n.example.clone().map(|picks| {
                    let on = props.on_replay.reform({
                        let (scenario, switching) = (c.scenario, c.switching);
                        move |_: MouseEvent| Replay { scenario, switching, threads, iterations, picks: picks.clone() }
                    });
                    html! {
                        <button class="link" data-testid="count-replay" onclick={on}>{ lang.s("play one", "하나 재생") }</button>
                    }
                });
                html! {
                    <td data-testid="count-cell" data-scenario={c.scenario.id()} data-rule={c.switching.id()}
                        data-schedules={n.schedules.to_string()} data-bad={n.bad.to_string()} data-deadlocks={n.deadlocks.to_string()}
                        class={classes!((broke > 0).then_some("bad"))}>
                        { text }
                        <span class="muted">{ match lang {
                            Lang::En => format!(" · {} states", thousands(n.states as u64)),
                            Lang::Ko => format!(" · 상태 {}개", thousands(n.states as u64)),
                        } }</span>
                        { for replay }
                    </td>
                }
            }
            Err(e) => html! {
                <td data-testid="count-cell" data-scenario={c.scenario.id()} data-rule={c.switching.id()} data-error="1" class="muted">
                    { match (lang, e) {
                        (Lang::En, ExploreError::TooManyStates(n)) => format!("more than {} states: too many to count here — fewer threads or iterations", thousands(*n as u64)),
                        (Lang::Ko, ExploreError::TooManyStates(n)) => format!("상태가 {}개를 넘어 여기서 다 셀 수 없습니다 — 스레드나 반복 횟수를 줄이세요", thousands(*n as u64)),
                        (Lang::En, ExploreError::TooManySchedules) => "more schedules than 2^128".into(),
                        (Lang::Ko, ExploreError::TooManySchedules) => "스케줄이 2^128개보다 많습니다".into(),
                        (_, ExploreError::Step(why)) => why.clone(),
                    } }
                </td>
            },
        }
    };
    html! {
        <section class="counts" data-testid="counts" data-busy={counting.to_string()}>
            <h3>{ lang.s("Every interleaving, counted", "모든 인터리빙 세기") }</h3>
            <p>{ lang.s(
                "A schedule is the thread that runs each instruction, from the start to the end. Each scenario's schedules are counted under the GIL (a switch only where CPython 3.11 checks its eval breaker) and with free threads (a switch anywhere), in a worker; equal machine states are counted once.",
                "스케줄이란 처음부터 끝까지 각 명령어를 어느 스레드가 실행하는지를 정한 순서입니다. 시나리오마다 GIL 아래(CPython 3.11이 eval breaker를 확인하는 곳에서만 전환)와 프리 스레딩(어디서나 전환)에서 스케줄을 워커 안에서 셉니다. 같은 기계 상태는 한 번만 셉니다.",
            ) }</p>
            <button data-testid="count-run" onclick={onclick} disabled={props.busy.is_some() || props.size.is_none()}>
                { if counting { lang.s("Counting…", "세는 중…") } else { lang.s("Count every interleaving", "모든 인터리빙 세기") } }
            </button>
            if counting {
                <progress data-testid="count-progress" max={total.to_string()} value={done.to_string()}>{ format!("{}/{total}", *done) }</progress>
                <button data-testid="count-cancel" onclick={Callback::from(|_: MouseEvent| { lab().cancel(); })}>{ lang.s("Cancel", "취소") }</button>
            }
            { match &*table {
                None => html! {},
                Some((_, Err(e))) => html! { <p class="error-cell" role="alert" data-testid="count-error">{ lang.run_error(e) }</p> },
                Some(((threads, iterations), Ok(all))) => html! {
                    <div class="table-wrap">
                        <table data-testid="count-table">
                            <caption>{ match lang {
                                Lang::En => format!("{threads} threads, {iterations} iteration(s) each"),
                                Lang::Ko => format!("스레드 {threads}개, 스레드마다 {iterations}번 반복"),
                            } }</caption>
                            <thead><tr>
                                <th>{ lang.s("Scenario", "시나리오") }</th>
                                <th>{ words::rule(lang, Switching::Gil) }</th>
                                <th>{ words::rule(lang, Switching::Free) }</th>
                            </tr></thead>
                            <tbody>
                                { for Scenario::ALL.iter().map(|s| html! {
                                    <tr data-testid="count-row" data-scenario={s.id()}>
                                        <th scope="row"><code>{ words::name(lang, *s) }</code></th>
                                        { for all.iter().filter(|c| c.scenario == *s).map(|c| cell((*threads, *iterations), c)) }
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                },
            } }
        </section>
    }
}
