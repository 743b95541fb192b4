//! The race-condition demo: one shared counter, several threads, with and
//! without synchronization, next to processes that share nothing.

use crate::ui::i18n::{Lang, Words};
use crate::web::runner::lab;
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::Switching;
use engine::python::race::{RaceMode, RaceResult};
use engine::text::{ms, thousands};
use engine::{Activity, RunError};
use yew::prelude::*;

/// Increments per worker: enough that the threads overlap for a while
/// (tens of ms) even when a busy machine starts one of them late.
const PER_WORKER: u64 = 10_000_000;

#[derive(Properties, PartialEq)]
pub(crate) struct RaceDemoProps {
    /// Threads / processes to use (the form's worker count, at least 2).
    pub(crate) workers: usize,
    pub(crate) isolated: bool,
    /// What the lab is busy with (this demo included): the button is off.
    pub(crate) busy: Option<Activity>,
    /// Opens a scenario in "Inside the interpreter".
    pub(crate) on_scenario: Callback<(Scenario, Switching)>,
}

/// One line of the race table.
type RaceRow = Result<RaceResult, (Option<RaceMode>, RunError)>;

fn label(lang: Lang, mode: Option<RaceMode>) -> &'static str {
    match mode {
        Some(RaceMode::Unsynchronized) => lang.s("threads, no lock: counter += 1", "스레드, 락 없음: counter += 1"),
        Some(RaceMode::Atomic) => lang.s("threads, atomic add", "스레드, 원자적 더하기"),
        Some(RaceMode::Mutex) => lang.s("threads, with lock: counter += 1", "스레드, 락 사용: counter += 1"),
        None => lang.s("processes: count apart, send, sum", "프로세스: 따로 세고, 보내고, 더하기"),
    }
}

#[component]
pub(crate) fn RaceDemo(props: &RaceDemoProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let results = use_state(Vec::<RaceRow>::new);
    // Races finished so far (the tests wait for it to grow).
    let races = use_state(|| 0usize);
    let onclick = {
        let (results, races) = (results.clone(), races.clone());
        let (workers, isolated) = (props.workers.max(2), props.isolated);
        Callback::from(move |_: MouseEvent| {
            // The lab's guard, held for the whole demo: no run can start
            // meanwhile, and Cancel stops the demo.
            let Ok(mut guard) = lab().begin(Activity::Race) else { return };
            let (results, races) = (results.clone(), races.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::new();
                let mut modes: Vec<Option<RaceMode>> = Vec::new();
                if isolated {
                    modes.extend(RaceMode::ALL.iter().map(|m| Some(*m)));
                }
                modes.push(None);
                for mode in modes {
                    let result = guard.race(mode, workers, PER_WORKER).await;
                    let cancelled = matches!(result, Err(RunError::Cancelled));
                    out.push(result.map_err(|e| (mode, e)));
                    if cancelled {
                        break;
                    }
                }
                results.set(out);
                races.set(*races + 1);
                drop(guard);
            });
        })
    };
    let racing = props.busy == Some(Activity::Race);
    html! {
        <section class="panel race" data-testid="race" data-races={races.to_string()}>
            <h2>{ lang.s("Race condition: one counter, many threads", "경쟁 상태: 카운터 하나, 스레드 여럿") }</h2>
            <p>{ match lang {
                Lang::En => format!("Each of {} workers adds 1 to a shared counter {} times. Without a lock, two threads read the same value and both write value + 1: one update is lost. Processes have no shared counter; each counts in its own memory and the parts are summed.", props.workers.max(2), thousands(PER_WORKER)),
                Lang::Ko => format!("작업자 {}개가 각각 공유 카운터에 1을 {}번 더합니다. 락이 없으면 두 스레드가 같은 값을 읽고 둘 다 값 + 1을 써서 한 번의 증가가 사라집니다. 프로세스에는 공유 카운터가 없어서 각자 자기 메모리에서 센 뒤 결과를 더합니다.", props.workers.max(2), thousands(PER_WORKER)),
            } }</p>
            <p>
                <button class="link" data-testid="race-scenario"
                    onclick={props.on_scenario.reform(|_: MouseEvent| (Scenario::Increment, Switching::Free))}>
                    { lang.s("Why? counter += 1 is four bytecode instructions — step through them inside the interpreter →", "왜일까? counter += 1은 바이트코드 명령어 네 개입니다 — 인터프리터 속에서 따라가 보기 →") }
                </button>
            </p>
            <button data-testid="race-run" onclick={onclick} disabled={props.busy.is_some()}>
                { if racing { lang.s("Racing…", "실행 중…") } else { lang.s("Run the race", "경쟁 실행") } }
            </button>
            if !results.is_empty() {
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th>{ lang.s("Variant", "방식") }</th>
                            <th class="num">{ lang.s("Expected", "기대값") }</th>
                            <th class="num">{ lang.s("Counted", "실제 값") }</th>
                            <th class="num">{ lang.s("Lost updates", "사라진 증가") }</th>
                            <th class="num">{ lang.s("Time", "시간") }</th>
                        </tr></thead>
                        <tbody>
                            { for results.iter().map(|r| match r {
                                Ok(r) => html! {
                                    <tr data-testid="race-row" data-mode={r.mode.map(|m| m.id()).unwrap_or("processes")}
                                        data-expected={r.expected.to_string()} data-counted={r.counted.to_string()}>
                                        <td>{ label(lang, r.mode) }</td>
                                        <td class="num">{ thousands(r.expected) }</td>
                                        <td class="num strong">{ thousands(r.counted) }</td>
                                        <td class={classes!("num", (r.lost() > 0).then_some("bad"))}>{ thousands(r.lost()) }</td>
                                        <td class="num muted">{ ms(r.ms) }</td>
                                    </tr>
                                },
                                Err((mode, e)) => html! {
                                    <tr data-testid="race-row" data-mode={mode.map(|m| m.id()).unwrap_or("processes")} data-error="1">
                                        <td>{ label(lang, *mode) }</td>
                                        <td colspan="4" class="error-cell">{ lang.run_error(e) }</td>
                                    </tr>
                                },
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
