//! Every scenario, four ways: under the GIL and with free threads, each
//! counted (every interleaving of the form's threads and iterations, in a
//! worker, with progress and Cancel; "play one" replays a bad schedule in
//! the game) and run for real (a million iterations on real threads in the
//! thread host, the GIL switching every switch interval, only at
//! eval-breaker points). The counts say what can happen; the real runs,
//! what does.

use crate::ui::i18n::{Lang, Words};
use crate::ui::interp::words;
use crate::web::runner::lab;
use engine::python::bytecode::explore::{cells, CountCell, ExploreError};
use engine::python::bytecode::real::{RealResult, RealRun};
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::Switching;
use engine::text::{ms, pct, thousands};
use engine::{Activity, RunError};
use yew::prelude::*;

/// A bad schedule to replay: the game it belongs to, and its picks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Replay {
    pub(crate) scenario: Scenario,
    pub(crate) switching: Switching,
    pub(crate) threads: usize,
    pub(crate) iterations: i64,
    pub(crate) picks: Vec<usize>,
}

#[derive(Properties, PartialEq)]
pub(crate) struct ScenarioTableProps {
    /// The form's threads and iterations, when valid.
    pub(crate) size: Option<(usize, i64)>,
    /// The lab's switch interval (ms), when valid: the real runs' GIL.
    pub(crate) interval: Option<f64>,
    /// Shared memory works here (the thread host can run).
    pub(crate) isolated: bool,
    pub(crate) busy: Option<Activity>,
    pub(crate) on_replay: Callback<Replay>,
}

/// The last count: for which size, and its cells (or why it stopped).
type Counted = Option<((usize, i64), Result<Vec<CountCell>, RunError>)>;
/// The real runs so far, each with what it counted or why it did not.
type Real = Vec<(RealRun, Result<RealResult, RunError>)>;

#[component]
pub(crate) fn ScenarioTable(props: &ScenarioTableProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let counted = use_state(|| None as Counted);
    let real = use_state(Real::new);
    let done = use_state(|| 0usize);
    let count = {
        let (counted, done, size) = (counted.clone(), done.clone(), props.size);
        Callback::from(move |_: MouseEvent| {
            let Some((threads, iterations)) = size else { return };
            let Ok(mut guard) = lab().begin(Activity::Explore) else { return };
            let (counted, done) = (counted.clone(), done.clone());
            done.set(0);
            wasm_bindgen_futures::spawn_local(async move {
                let progress = move |n: usize| done.set(n);
                let result = guard.explore(threads, iterations, &progress).await;
                counted.set(Some(((threads, iterations), result)));
                drop(guard);
            });
        })
    };
    let run_real = {
        let (real, size, interval) = (real.clone(), props.size, props.interval);
        Callback::from(move |_: MouseEvent| {
            let (Some((threads, _)), Some(interval_ms)) = (size, interval) else { return };
            let Ok(mut guard) = lab().begin(Activity::RealRace) else { return };
            let real = real.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Real::new();
                let runs = Scenario::ALL.into_iter().filter(|s| s.runs_for_real()).flat_map(|scenario| {
                    Switching::ALL.map(|switching| RealRun { scenario, switching, threads, interval_ms })
                });
                for run in runs {
                    let result = guard.real_race(run).await;
                    let stop = matches!(result, Err(RunError::Cancelled));
                    out.push((run, result));
                    real.set(out.clone());
                    if stop {
                        break;
                    }
                }
                drop(guard);
            });
        })
    };
    let counting = props.busy == Some(Activity::Explore);
    let running = props.busy == Some(Activity::RealRace);
    let total = cells().count();
    let counted_cell = |s: Scenario, w: Switching| -> Html {
        let Some(((threads, iterations), Ok(all))) = &*counted else {
            return html! { <td class="muted">{ "—" }</td> };
        };
        let Some(c) = all.iter().find(|c| c.scenario == s && c.switching == w) else { return html! { <td /> } };
        let label = format!("{} · {}", words::rule(lang, w), lang.s("counted", "셈"));
        match &c.counts {
            Ok(n) => {
                let broke = n.bad + n.deadlocks;
                let replay = n.example.clone().map(|picks| {
                    let (threads, iterations) = (*threads, *iterations);
                    let on = props.on_replay.reform(move |_: MouseEvent| Replay {
                        scenario: s,
                        switching: w,
                        threads,
                        iterations,
                        picks: picks.clone(),
                    });
                    html! { <button class="link" data-testid="count-replay" onclick={on}>{ lang.s("play one", "하나 재생") }</button> }
                });
                html! {
                    <td data-testid="count-cell" data-scenario={s.id()} data-rule={w.id()} data-label={label}
                        data-schedules={n.schedules.to_string()} data-bad={n.bad.to_string()} data-deadlocks={n.deadlocks.to_string()}
                        class={classes!((broke > 0).then_some("bad"))}>
                        { match lang {
                            Lang::En => format!("{} of {} schedules {}", words::big(broke), words::big(n.schedules), words::what_breaks(lang, s)),
                            Lang::Ko => format!("스케줄 {}개 중 {}개: {}", words::big(n.schedules), words::big(broke), words::what_breaks(lang, s)),
                        } }
                        { " " }{ for replay }
                    </td>
                }
            }
            Err(e) => html! {
                <td data-testid="count-cell" data-scenario={s.id()} data-rule={w.id()} data-label={label} data-error="1" class="muted">
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
    let real_cell = |s: Scenario, w: Switching| -> Html {
        let label = format!("{} · {}", words::rule(lang, w), lang.s("real threads", "진짜 스레드"));
        match real.iter().find(|(r, _)| r.scenario == s && r.switching == w) {
            None => html! { <td class="muted" data-label={label}>{ "—" }</td> },
            Some((_, Ok(r))) => html! {
                <td data-testid="real-cell" data-scenario={s.id()} data-rule={w.id()} data-label={label}
                    data-expected={r.tally.expected.to_string()} data-got={r.tally.got.to_string()}
                    class={classes!((r.off() > 0).then_some("bad"))}>
                    { match lang {
                        Lang::En => format!("off by {} of {} ({})", thousands(r.off()), thousands(r.tally.expected), pct(r.off_share())),
                        Lang::Ko => format!("{} 중 {} 차이 ({})", thousands(r.tally.expected), thousands(r.off()), pct(r.off_share())),
                    } }
                    <span class="muted">{ format!(" · {}", ms(r.ms)) }</span>
                </td>
            },
            Some((_, Err(e))) => html! {
                <td data-testid="real-cell" data-scenario={s.id()} data-rule={w.id()} data-label={label} data-error="1" class="error-cell">
                    { lang.run_error(e) }
                </td>
            },
        }
    };
    let count_error = match &*counted {
        Some((_, Err(e))) => Some(lang.run_error(e)),
        _ => None,
    };
    html! {
        <section class="counts" data-testid="counts" data-busy={(counting || running).to_string()} data-runs={real.len().to_string()}>
            <h3>{ lang.s("Every interleaving, counted — and the real race", "모든 인터리빙 세기, 그리고 진짜 경쟁") }</h3>
            <p>{ lang.s(
                "Counted: every schedule (which thread runs each instruction) of each scenario, under the GIL's switch points and with free threads, in a worker. Real: nobody picks — each loop runs a million times on real threads, the GIL model handing over only at eval-breaker points after the switch interval.",
                "셈: 시나리오마다 모든 스케줄(명령어마다 어느 스레드가 실행하는지)을 GIL의 전환 지점 기준과 프리 스레딩 기준으로 워커에서 셉니다. 진짜: 아무도 고르지 않고, 루프마다 진짜 스레드에서 백만 번 돌립니다. GIL 모델은 전환 간격이 지난 뒤 eval breaker 확인 지점에서만 GIL을 넘깁니다.",
            ) }</p>
            <div class="buttons">
                <button data-testid="count-run" onclick={count} disabled={props.busy.is_some() || props.size.is_none()}>
                    { if counting { lang.s("Counting…", "세는 중…") } else { lang.s("Count every interleaving", "모든 인터리빙 세기") } }
                </button>
                <button data-testid="real-run" onclick={run_real} disabled={props.busy.is_some() || props.size.is_none() || props.interval.is_none() || !props.isolated}>
                    { if running { lang.s("Running…", "실행 중…") } else { lang.s("Run them for real", "진짜로 실행") } }
                </button>
                if counting || running {
                    <button data-testid="count-cancel" onclick={Callback::from(|_: MouseEvent| { lab().cancel(); })}>{ lang.s("Cancel", "취소") }</button>
                }
            </div>
            if counting {
                <progress data-testid="count-progress" max={total.to_string()} value={done.to_string()}>{ format!("{}/{total}", *done) }</progress>
            }
            if !props.isolated {
                <p class="hint" data-testid="real-unavailable">{ lang.s(
                    "This page has no shared memory here, so the real runs cannot use threads (see the note at the top); the counts still work.",
                    "이 페이지에는 공유 메모리가 없어서 진짜 실행에 스레드를 쓸 수 없습니다 (위쪽 안내 참고). 세기는 그대로 됩니다.",
                ) }</p>
            }
            if let Some(msg) = count_error {
                <p class="error-cell" role="alert" data-testid="count-error">{ msg }</p>
            }
            <div class="table-wrap">
                <table data-testid="count-table">
                    <caption>{ match (&*counted, lang) {
                        (Some(((t, i), _)), Lang::En) => format!("Counted for {t} threads × {i} iteration(s); real runs on {} threads", props.size.map_or(*t, |s| s.0)),
                        (Some(((t, i), _)), Lang::Ko) => format!("셈: 스레드 {t}개 × {i}번 반복, 진짜 실행: 스레드 {}개", props.size.map_or(*t, |s| s.0)),
                        (None, _) => lang.s("Press a button above", "위의 버튼을 누르세요").to_owned(),
                    } }</caption>
                    <thead><tr>
                        <th>{ lang.s("Scenario", "시나리오") }</th>
                        { for Switching::ALL.iter().map(|w| html! { <>
                            <th>{ format!("{} · {}", words::rule(lang, *w), lang.s("counted", "셈")) }</th>
                            <th>{ format!("{} · {}", words::rule(lang, *w), lang.s("real threads", "진짜 스레드")) }</th>
                        </> }) }
                    </tr></thead>
                    <tbody>
                        { for Scenario::ALL.iter().map(|s| html! {
                            <tr data-testid="count-row" data-scenario={s.id()}>
                                <th scope="row"><code>{ words::name(lang, *s) }</code></th>
                                { for Switching::ALL.iter().map(|w| html! { <>{ counted_cell(*s, *w) }{ real_cell(*s, *w) }</> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
