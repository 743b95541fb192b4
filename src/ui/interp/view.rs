//! Play the scheduler: the scenario's Python and each thread's bytecode
//! side by side; the reader picks the thread that runs the next
//! instruction. Under the GIL only the points where CPython 3.11 could
//! switch are offered. The game is its schedule, kept in the form (and so
//! in the address): undo drops the last pick, restart drops them all, and
//! the address reopens the same game. A schedule that does not fit is
//! refused with the step and the reason, and the game shows its start.

use crate::ui::i18n::{Lang, Words};
use crate::ui::interp::scenario_table::{Replay, ScenarioTable};
use crate::ui::interp::thread_column::thread_column;
use crate::ui::interp::words;
use crate::ui::lab::number_field::NumberField;
use crate::ui::state::Shared;
use engine::python::bytecode::play::{schedule_text, End, Play, Replayed};
use engine::python::bytecode::scenarios::Scenario;
use engine::python::bytecode::Switching;
use engine::settings::{Field, InterpForm, INTERP_ITERATIONS_BOUNDS, INTERP_THREADS_BOUNDS};
use engine::{Activity, FieldError};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct InterpViewProps {
    pub(crate) form: InterpForm,
    /// The lab form's switch interval, as typed (the real runs' GIL).
    pub(crate) interval: String,
    /// Shared memory works here: the real runs can use threads.
    pub(crate) isolated: bool,
    pub(crate) busy: Option<Activity>,
    pub(crate) on_edit: Callback<(Field, String)>,
}

/// The form read and its game replayed; a schedule the game refuses is
/// reported and the game shown from its start.
struct Game {
    play: Play,
    replayed: Shared<Replayed>,
    refused: Option<FieldError>,
}

fn game(form: &InterpForm) -> Result<Game, Vec<FieldError>> {
    let play = form.validate()?;
    match play.replay() {
        Ok(r) => Ok(Game { replayed: Shared::new(r), play, refused: None }),
        Err(e) => {
            let refused = Some(FieldError::new(Field::Schedule, e.problem()));
            let start = Play { picks: Vec::new(), ..play };
            let r = start.replay().map_err(|e| vec![FieldError::new(Field::Scenario, e.problem())])?;
            Ok(Game { replayed: Shared::new(r), play: start, refused })
        }
    }
}

#[component]
pub(crate) fn InterpView(props: &InterpViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let game = use_memo(props.form.clone(), game);
    let on_edit = props.on_edit.clone();
    let select = |field: Field| {
        let on_edit = on_edit.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            on_edit.emit((field, el.value()));
        })
    };
    let errors: Vec<FieldError> = match &*game {
        Err(errors) => errors.clone(),
        Ok(g) => g.refused.iter().cloned().collect(),
    };
    let error_of = |f: Field| errors.iter().find(|e| e.field == f).map(|e| lang.field_error(e));
    let form = &props.form;
    let on_replay = {
        let on_edit = on_edit.clone();
        Callback::from(move |r: Replay| {
            // The game's fields first (each starts a new game), the schedule last.
            on_edit.emit((Field::Scenario, r.scenario.id().to_owned()));
            on_edit.emit((Field::Rule, r.switching.id().to_owned()));
            on_edit.emit((Field::Threads, r.threads.to_string()));
            on_edit.emit((Field::Iterations, r.iterations.to_string()));
            on_edit.emit((Field::Schedule, schedule_text(&r.picks)));
            if let Some(el) =
                web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("interp-game"))
            {
                el.scroll_into_view();
            }
        })
    };
    let size = match &*game {
        Ok(g) => Some((g.play.threads, g.play.iterations)),
        Err(_) => None,
    };
    let scenario = Scenario::from_id(form.scenario.trim());
    let interval = InterpForm::validate_interval(&props.interval).ok();

    let board = match &*game {
        Err(_) => html! {},
        Ok(g) => {
            let r = &g.replayed;
            let picks = g.play.picks.clone();
            let set_schedule = |picks: Vec<usize>| {
                let on_edit = on_edit.clone();
                move || on_edit.emit((Field::Schedule, schedule_text(&picks)))
            };
            let on_pick = {
                let (on_edit, picks) = (on_edit.clone(), picks.clone());
                Callback::from(move |t: usize| {
                    let mut next = picks.clone();
                    next.push(t);
                    on_edit.emit((Field::Schedule, schedule_text(&next)));
                })
            };
            // One pick fewer: the Undo button and Backspace.
            let undo = {
                let f = set_schedule(picks[..picks.len().saturating_sub(1)].to_vec());
                Callback::from(move |()| f())
            };
            let restart = {
                let f = set_schedule(Vec::new());
                Callback::from(move |_: MouseEvent| f())
            };
            let end = r.end(&g.play);
            let threads = r.machine.threads.len();
            // Digits pick a thread, Backspace undoes: the game by keyboard.
            let onkeydown = {
                let (on_pick, undo, r, over) = (on_pick.clone(), undo.clone(), r.clone(), end.is_some());
                Callback::from(move |e: KeyboardEvent| {
                    let key = e.key();
                    if let Some(t) = key.parse::<usize>().ok().filter(|t| (1..=threads).contains(t)) {
                        if r.blocked(t - 1).is_none() && !over {
                            e.prevent_default();
                            on_pick.emit(t - 1);
                        }
                    } else if key == "Backspace" {
                        e.prevent_default();
                        undo.emit(());
                    }
                })
            };
            let status = match (end, lang) {
                (None, Lang::En) => format!(
                    "Step {}: pick the thread that runs the next instruction (or press its number).",
                    picks.len() + 1
                ),
                (None, Lang::Ko) => {
                    format!("{}단계: 다음 명령어를 실행할 스레드를 고르세요 (숫자 키도 됩니다).", picks.len() + 1)
                }
                (Some(End::Kept), Lang::En) => "Every thread finished and the invariant held.".into(),
                (Some(End::Kept), Lang::Ko) => "모든 스레드가 끝났고 불변식이 지켜졌습니다.".into(),
                (Some(End::Broken), Lang::En) => format!(
                    "Every thread finished — and the invariant broke: they {}.",
                    words::what_breaks(lang, g.play.scenario)
                ),
                (Some(End::Broken), Lang::Ko) => format!(
                    "모든 스레드가 끝났지만 불변식이 깨졌습니다: {}.",
                    words::what_breaks(lang, g.play.scenario)
                ),
                (Some(End::Deadlock), Lang::En) => "Deadlock: every thread waits for a lock another one holds.".into(),
                (Some(End::Deadlock), Lang::Ko) => "교착 상태: 모든 스레드가 다른 스레드가 쥔 락을 기다립니다.".into(),
            };
            let end_id = match end {
                None => "running",
                Some(End::Kept) => "kept",
                Some(End::Broken) => "broken",
                Some(End::Deadlock) => "deadlock",
            };
            let link = format!(
                "?view=interpreter&scenario={}&rule={}&threads={}&iterations={}&schedule={}&lang={}",
                g.play.scenario.id(),
                g.play.switching.id(),
                g.play.threads,
                g.play.iterations,
                schedule_text(&picks),
                lang.id()
            );
            html! {
                <div id="interp-game" class="game" data-testid="game" data-end={end_id} data-steps={picks.len().to_string()}
                    data-schedule={schedule_text(&picks)} onkeydown={onkeydown}>
                    <p class={classes!("game-status", matches!(end, Some(End::Broken | End::Deadlock)).then_some("bad"), (end == Some(End::Kept)).then_some("good"))}
                        role="status" aria-live="polite" data-testid="game-status">{ status }</p>
                    <div class="game-controls pick-bar">
                        { for (0..threads).map(|t| {
                            let why = r.blocked(t).map(|b| words::blocked(lang, b));
                            let label = match lang {
                                Lang::En => format!("Run thread {}", t + 1),
                                Lang::Ko => format!("스레드 {} 실행", t + 1),
                            };
                            html! {
                                <button class="pick" data-testid={format!("pick-{}", t + 1)} onclick={on_pick.reform(move |_: MouseEvent| t)}
                                    disabled={why.is_some() || end.is_some()} title={why.clone().unwrap_or_default()}
                                    aria-keyshortcuts={(t + 1).to_string()}>{ label }</button>
                            }
                        }) }
                        <button data-testid="undo" onclick={undo.reform(|_: MouseEvent| ())} disabled={picks.is_empty()} aria-keyshortcuts="Backspace">{ lang.s("Undo", "되돌리기") }</button>
                        <button data-testid="restart" onclick={restart} disabled={picks.is_empty() && g.refused.is_none()}>{ lang.s("Restart", "처음부터") }</button>
                    </div>
                    <p class="schedule-line">
                        <a data-testid="schedule-link" href={link}>{ lang.s("Link to this schedule", "이 스케줄 링크") }</a>
                        { " " }
                        <span class="muted" data-testid="schedule-text">{ match lang {
                            Lang::En => format!("schedule: {}", if picks.is_empty() { "—".into() } else { schedule_text(&picks) }),
                            Lang::Ko => format!("스케줄: {}", if picks.is_empty() { "—".into() } else { schedule_text(&picks) }),
                        } }</span>
                    </p>
                    <div class="shared-state" data-testid="shared">
                        <h3>{ lang.s("Shared state", "공유 상태") }</h3>
                        <dl>
                            { for r.machine.shared.globals.iter().map(|(name, v)| html! {
                                <>
                                    <dt><code>{ name }</code></dt>
                                    <dd data-testid="global" data-name={name.clone()}><code>{ words::repr(v, &r.machine) }</code></dd>
                                </>
                            }) }
                        </dl>
                    </div>
                    <div class="threads">
                        { for (0..threads).map(|t| html! {
                            { thread_column(lang, r, t, g.play.switching, end.is_some()) }
                        }) }
                    </div>
                </div>
            }
        }
    };

    html! {
        <section class="panel interp" data-testid="interp">
            <h2>{ lang.s("Inside the interpreter: play the scheduler", "인터프리터 속으로: 스케줄러가 되어 보기") }</h2>
            <p>{ lang.s(
                "“If only one thread runs Python at a time, how can counter += 1 go wrong?” A line of Python is several bytecode instructions, and a thread switch can fall between them — only where the interpreter checks whether to switch. Pick the thread that runs each instruction, as CPython 3.11 compiles it, and try to break the invariant.",
                "“한 번에 한 스레드만 파이썬을 실행하는데 counter += 1이 어떻게 틀리지?” 파이썬 한 줄은 바이트코드 명령어 여러 개이고, 그 사이에서 스레드가 바뀔 수 있습니다 — 인터프리터가 전환 여부를 확인하는 곳에서만요. CPython 3.11이 컴파일한 명령어마다 실행할 스레드를 골라 불변식을 깨 보세요.",
            ) }</p>
            <div class="interp-form">
                <div class="field">
                    <label for={Field::Scenario.id()}>{ lang.s("Scenario", "시나리오") }</label>
                    <select id={Field::Scenario.id()} name={Field::Scenario.id()} data-testid="input-scenario" onchange={select(Field::Scenario)}>
                        { for Scenario::ALL.iter().map(|s| html! {
                            <option value={s.id()} selected={Some(*s) == scenario}>{ words::name(lang, *s) }</option>
                        }) }
                    </select>
                    if let Some(msg) = error_of(Field::Scenario) { <p class="field-error" role="alert" data-testid="error-scenario">{ msg }</p> }
                </div>
                <div class="field">
                    <label for={Field::Rule.id()}>{ lang.s("Where a switch may fall", "전환이 일어날 수 있는 곳") }</label>
                    <select id={Field::Rule.id()} name={Field::Rule.id()} data-testid="input-rule" onchange={select(Field::Rule)}>
                        { for Switching::ALL.iter().map(|w| html! {
                            <option value={w.id()} selected={form.rule.trim() == w.id()}>{ words::rule(lang, *w) }</option>
                        }) }
                    </select>
                    if let Some(msg) = error_of(Field::Rule) { <p class="field-error" role="alert" data-testid="error-rule">{ msg }</p> }
                </div>
                <div class="field">
                    <label for={Field::Threads.id()}>{ lang.s("Threads", "스레드 수") }</label>
                    <NumberField field={Field::Threads} value={form.threads.clone()} error={error_of(Field::Threads)}
                        hint={format!("{}–{}", INTERP_THREADS_BOUNDS.0, INTERP_THREADS_BOUNDS.1)} disabled={false} on_edit={on_edit.clone()} />
                </div>
                <div class="field">
                    <label for={Field::Iterations.id()}>{ lang.s("Iterations per thread", "스레드당 반복 횟수") }</label>
                    <NumberField field={Field::Iterations} value={form.iterations.clone()} error={error_of(Field::Iterations)}
                        hint={format!("{}–{}", INTERP_ITERATIONS_BOUNDS.0, INTERP_ITERATIONS_BOUNDS.1)} disabled={false} on_edit={on_edit.clone()} />
                </div>
            </div>
            if let Some(msg) = error_of(Field::Schedule) {
                <p class="field-error" role="alert" data-testid="error-schedule">{ msg }</p>
            }
            if let Some(s) = scenario {
                <p class="scenario-about" data-testid="scenario-about">{ words::about(lang, s) }</p>
                <pre class="source" data-testid="source"><code>{ s.source() }</code></pre>
            }
            { board }
            <ScenarioTable size={size} interval={interval} isolated={props.isolated} busy={props.busy} on_replay={on_replay} />
        </section>
    }
}
