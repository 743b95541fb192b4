//! The deadlock demo: two threads take two locks in opposite orders and
//! hang; a watchdog finds the cycle in the wait-for graph, draws who holds
//! which lock and waits for which, and recovers the pool; then the two
//! classic fixes run and finish. The Python of each beside it.

use crate::ui::i18n::{Lang, Words};
use crate::ui::lab::number_field::NumberField;
use crate::web::runner::lab;
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::Switching;
use engine::python::deadlock::{Outcome, Variant, WaitFor, ACQUIRE_TIMEOUT_MS, LOCK_NAMES};
use engine::settings::{DeadlockForm, Field, WATCHDOG_BOUNDS};
use engine::text::ms;
use engine::{Activity, FieldError, RunError};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct DeadlockDemoProps {
    /// The watchdog field as typed.
    pub(crate) form: DeadlockForm,
    pub(crate) isolated: bool,
    /// What the lab is busy with: the button is off meanwhile.
    pub(crate) busy: Option<Activity>,
    pub(crate) on_edit: Callback<(Field, String)>,
    /// Opens a scenario in "Inside the interpreter".
    pub(crate) on_scenario: Callback<(Scenario, Switching)>,
}

/// One line of the demo's table.
type Row = (Variant, Result<Outcome, RunError>);

const PYTHON: &str = "import threading, time\n\na, b = threading.Lock(), threading.Lock()\n\ndef transfer_1():            # A, then B\n    with a:\n        time.sleep(0.01)\n        with b: ...\n\ndef transfer_2():            # B, then A: deadlock\n    with b:\n        time.sleep(0.01)\n        with a: ...\n\n# Fix 1: one global order — both take a, then b.\n# Fix 2: a timeout, let go, back off, retry:\ndef transfer_2_fixed():\n    while True:\n        with b:\n            time.sleep(0.01)\n            if a.acquire(timeout=0.03):\n                a.release()\n                return\n        time.sleep(0.005)    # back off";

fn label(lang: Lang, v: Variant) -> &'static str {
    match v {
        Variant::OppositeOrders => lang.s("opposite orders (A→B and B→A)", "반대 순서 (A→B, B→A)"),
        Variant::GlobalOrder => lang.s("fix 1: one global order (A→B twice)", "해결 1: 전역 순서 하나 (둘 다 A→B)"),
        Variant::TimeoutRetry => lang.s("fix 2: acquire(timeout=…) and retry", "해결 2: acquire(timeout=…) 후 재시도"),
    }
}

/// The sentence for one outcome.
fn describe(lang: Lang, o: &Outcome) -> String {
    match (lang, o) {
        (Lang::En, Outcome::Finished { ms: t, retries }) => {
            let tries: u32 = retries.iter().sum();
            format!("finished in {} ({} retr{})", ms(*t), tries, if tries == 1 { "y" } else { "ies" })
        }
        (Lang::Ko, Outcome::Finished { ms: t, retries }) => {
            format!("{} 만에 끝남 (재시도 {}번)", ms(*t), retries.iter().sum::<u32>())
        }
        (lang, Outcome::Deadlocked { after_ms, wait_for, .. }) => {
            let who = holds_and_waits(lang, wait_for);
            match lang {
                Lang::En => format!("deadlock detected after {}: {who}. The watchdog cancelled both waits and kept the pool.", ms(*after_ms)),
                Lang::Ko => format!("{} 만에 교착 상태(데드락)를 감지했습니다: {who}. 감시자가 두 대기를 모두 취소했고 풀은 그대로 씁니다.", ms(*after_ms)),
            }
        }
    }
}

/// "thread 1 holds lock A and waits for lock B; …"
fn holds_and_waits(lang: Lang, w: &WaitFor) -> String {
    let name = |l: usize| LOCK_NAMES.get(l).copied().unwrap_or("?");
    (0..w.waiting.len())
        .map(|t| {
            let held: Vec<&str> =
                w.holders.iter().enumerate().filter(|(_, h)| **h == Some(t)).map(|(l, _)| name(l)).collect();
            let held = if held.is_empty() { "—".to_owned() } else { held.join(", ") };
            let waits = w.waiting[t].map(name).unwrap_or("—");
            match lang {
                Lang::En => format!("thread {} holds lock {held} and waits for lock {waits}", t + 1),
                Lang::Ko => format!("스레드 {}은(는) 락 {held}을(를) 쥐고 락 {waits}을(를) 기다립니다", t + 1),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The wait-for picture: threads as circles, locks as squares; a solid
/// arrow from a lock to the thread holding it, a dashed red one from a
/// thread to the lock it waits for.
fn picture(lang: Lang, w: &WaitFor) -> Html {
    let thread_at = [(60.0, 60.0), (260.0, 60.0)];
    let lock_at = [(160.0, 20.0), (160.0, 100.0)];
    let arrow = |from: (f64, f64), to: (f64, f64), class: &'static str| {
        // Stop short of the target's edge.
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        let (x1, y1, x2, y2) = (from.0 + ux * 20.0, from.1 + uy * 20.0, to.0 - ux * 22.0, to.1 - uy * 22.0);
        html! { <line class={class} x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} marker-end={format!("url(#{class})")} /> }
    };
    html! {
        <svg class="waitfor" viewBox="0 0 320 120" role="img" aria-label={holds_and_waits(lang, w)} data-testid="wait-for">
            <defs>
                <marker id="holds" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" /></marker>
                <marker id="waits" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" /></marker>
            </defs>
            { for w.holders.iter().enumerate().filter_map(|(l, h)| Some((l, (*h)?))).map(|(l, t)| arrow(lock_at[l % 2], thread_at[t % 2], "holds")) }
            { for w.waiting.iter().enumerate().filter_map(|(t, l)| Some((t, (*l)?))).map(|(t, l)| arrow(thread_at[t % 2], lock_at[l % 2], "waits")) }
            { for thread_at.iter().enumerate().map(|(t, (x, y))| html! {
                <g class="node thread"><circle cx={x.to_string()} cy={y.to_string()} r="18" />
                    <text x={x.to_string()} y={(y + 4.0).to_string()} text-anchor="middle">{ format!("T{}", t + 1) }</text></g>
            }) }
            { for lock_at.iter().enumerate().map(|(l, (x, y))| html! {
                <g class="node lock"><rect x={(x - 16.0).to_string()} y={(y - 14.0).to_string()} width="32" height="28" rx="4" />
                    <text x={x.to_string()} y={(y + 4.0).to_string()} text-anchor="middle">{ LOCK_NAMES[l] }</text></g>
            }) }
        </svg>
    }
}

#[component]
pub(crate) fn DeadlockDemo(props: &DeadlockDemoProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let rows = use_state(Vec::<Row>::new);
    let errors = use_state(Vec::<FieldError>::new);
    let onclick = {
        let (rows, errors, form) = (rows.clone(), errors.clone(), props.form.clone());
        Callback::from(move |_: MouseEvent| {
            let watchdog_ms = match form.validate() {
                Ok(v) => v,
                Err(e) => {
                    errors.set(e);
                    return;
                }
            };
            errors.set(Vec::new());
            let Ok(mut guard) = lab().begin(Activity::Deadlock) else { return };
            let rows = rows.clone();
            rows.set(Vec::new());
            wasm_bindgen_futures::spawn_local(async move {
                let mut done = Vec::new();
                for variant in Variant::ALL {
                    let result = guard.deadlock(variant, watchdog_ms).await;
                    let stop = matches!(result, Err(RunError::Cancelled));
                    done.push((variant, result));
                    rows.set(done.clone());
                    if stop {
                        break;
                    }
                }
                drop(guard);
            });
        })
    };
    let error = errors.iter().find(|e| e.field == Field::Watchdog).map(|e| lang.field_error(e));
    let running = props.busy == Some(Activity::Deadlock);
    let (lo, hi) = WATCHDOG_BOUNDS;
    html! {
        <section class="panel deadlock" data-testid="deadlock" data-busy={running.to_string()}>
            <h2>{ lang.s("Deadlock: two threads, two locks, opposite orders", "교착 상태(데드락): 스레드 둘, 락 둘, 반대 순서") }</h2>
            <div class="view-guide">
                <div>
                    <p>{ lang.s(
                        "Thread 1 takes lock A, then B; thread 2 takes B, then A. Each gets its first lock and then waits for the other's — forever. A watchdog looks at who holds which lock and who waits for which; when the same cycle stands for its whole timeout it calls it a deadlock, draws it, and cancels both waits so the pool can be used again (a deadlocked CPython process has no such way out: it must be killed). Then the two classic fixes run: one global order for every lock, and acquire(timeout=…) that lets go, backs off and retries.",
                        "스레드 1은 락 A를 잡은 뒤 B를, 스레드 2는 B를 잡은 뒤 A를 잡으려 합니다. 둘 다 첫 번째 락은 잡지만 상대가 쥔 락을 영원히 기다리게 됩니다. 감시자는 누가 어떤 락을 쥐고 어떤 락을 기다리는지 지켜보다가, 같은 순환이 제한 시간 내내 풀리지 않으면 데드락으로 판단해 그림으로 보여 주고 두 대기를 취소해 풀을 다시 쓸 수 있게 합니다(실제 CPython 프로세스가 데드락에 빠지면 이런 탈출구가 없어 프로세스를 죽여야 합니다). 이어서 고전적인 해결책 두 가지를 실행합니다. 모든 락을 하나의 전역 순서로 잡기, 그리고 acquire(timeout=…)으로 기다리다 놓고, 잠시 물러났다가 다시 시도하기입니다.",
                    ) }</p>
                </div>
                <div>
                    <h3>{ lang.s("The Python it mirrors", "대응하는 파이썬 코드") }</h3>
                    <pre><code>{ PYTHON }</code></pre>
                    <button class="link" data-testid="deadlock-scenario"
                        onclick={props.on_scenario.reform(|_: MouseEvent| (Scenario::OppositeOrdersCall, Switching::Gil))}>
                        { lang.s("Step through it instruction by instruction, inside the interpreter →", "인터프리터 속에서 명령어 단위로 따라가 보기 →") }
                    </button>
                </div>
            </div>
            <div class="deadlock-form">
                <label for={Field::Watchdog.id()}>{ lang.s("Watchdog timeout (ms)", "감시 제한 시간 (ms)") }</label>
                <NumberField field={Field::Watchdog} value={props.form.watchdog.clone()}
                    hint={format!("{lo} – {hi}")} error={error} disabled={props.busy.is_some()} on_edit={props.on_edit.clone()} />
                <button data-testid="deadlock-run" onclick={onclick} disabled={props.busy.is_some() || !props.isolated}>
                    { if running { lang.s("Running…", "실행 중…") } else { lang.s("Run the deadlock and both fixes", "데드락과 해결책 두 가지 실행") } }
                </button>
            </div>
            if !props.isolated {
                <p class="hint">{ lang.s("Threads need a cross-origin isolated page (see the banner above).", "스레드는 교차 출처 격리된 페이지에서만 돌릴 수 있습니다 (위 안내 참고).") }</p>
            }
            <p class="hint">{ match lang {
                Lang::En => format!("Fix 2 gives up on its second lock after {ACQUIRE_TIMEOUT_MS} ms."),
                Lang::Ko => format!("해결 2는 두 번째 락을 {ACQUIRE_TIMEOUT_MS} ms 기다린 뒤 포기합니다."),
            } }</p>
            if !rows.is_empty() {
                <div class="table-wrap">
                    <table>
                        <tbody>
                            { for rows.iter().map(|(v, r)| match r {
                                Ok(o) => html! {
                                    <tr data-testid="deadlock-row" data-variant={v.id()}
                                        data-outcome={if matches!(o, Outcome::Deadlocked { .. }) { "deadlock" } else { "finished" }}
                                        data-after={match o { Outcome::Deadlocked { after_ms, .. } => format!("{after_ms:.1}"), _ => String::new() }}>
                                        <td>{ label(lang, *v) }</td>
                                        <td class={classes!(matches!(o, Outcome::Deadlocked { .. }).then_some("bad"))}>{ describe(lang, o) }</td>
                                        <td>{ match o {
                                            Outcome::Deadlocked { wait_for, .. } => html! {
                                                <>
                                                    { picture(lang, wait_for) }
                                                    <div class="legend">{ lang.s("solid: holds · dashed: waits for", "실선: 쥐고 있음 · 점선: 기다림") }</div>
                                                </>
                                            },
                                            _ => html! {},
                                        } }</td>
                                    </tr>
                                },
                                Err(e) => html! {
                                    <tr data-testid="deadlock-row" data-variant={v.id()} data-outcome="error">
                                        <td>{ label(lang, *v) }</td>
                                        <td colspan="2" class="error-cell">{ lang.run_error(e) }</td>
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
