//! One thread of the game: its code with its program counter, the points
//! where CPython 3.11 could switch (under the GIL), its stack and locals,
//! and why it cannot run now, if it cannot. (The buttons that run a thread
//! are the view's, in one bar that stays in sight on a phone.) A plain
//! function of the view's game rather than a component: it has no state of
//! its own, and the game re-renders every column on each pick anyway.

use crate::ui::i18n::Lang;
use crate::ui::interp::words;
use engine::python::bytecode::play::Replayed;
use engine::python::bytecode::Switching;
use yew::prelude::*;

/// Thread `t` of game `g`; `over`: the game has ended (finished or
/// deadlocked), so no thread is said to be blocked.
pub(crate) fn thread_column(lang: Lang, g: &Replayed, t: usize, switching: Switching, over: bool) -> Html {
    let Some(th) = g.machine.threads.get(t) else { return html! {} };
    let blocked = g.blocked(t);
    let last = g.steps.last().filter(|s| s.thread == t).map(|s| s.instr);
    let values = |vs: &[engine::python::bytecode::Value]| {
        vs.iter().map(|v| words::repr(v, &g.machine)).collect::<Vec<_>>().join(", ")
    };
    html! {
        <div class={classes!("thread", blocked.is_none().then_some("can-run"))} data-testid="thread" data-thread={(t + 1).to_string()}
            data-pc={th.pc.to_string()} data-done={th.done.to_string()}>
            <h3>{ match lang { Lang::En => format!("Thread {}", t + 1), Lang::Ko => format!("스레드 {}", t + 1) } }</h3>
            if let Some(b) = blocked.filter(|_| !over) {
                <p class="hint why" data-testid="why">{ words::blocked(lang, b) }</p>
            }
            <ol class="listing" aria-label={lang.s("Bytecode", "바이트코드")}>
                { for g.code.instrs.iter().enumerate().map(|(i, ins)| {
                    let here = i == th.pc && !th.done;
                    let switch = switching == Switching::Gil && ins.op.checks_eval_breaker();
                    html! {
                        <li class={classes!(here.then_some("pc"), (last == Some(i)).then_some("ran"), switch.then_some("switch"))}
                            aria-current={here.then_some("step")}>
                            <span class="mark" aria-hidden="true">{ if here { "▶" } else { "" } }</span>
                            <code>{ &ins.text }</code>
                            if switch {
                                <span class="switch-mark" title={lang.s("CPython checks its eval breaker here: the GIL can change hands after this instruction", "CPython이 여기서 eval breaker를 확인합니다: 이 명령어 뒤에 GIL이 넘어갈 수 있습니다")}>{ "⇄" }</span>
                            }
                        </li>
                    }
                }) }
            </ol>
            <dl class="frame">
                <dt>{ lang.s("stack", "스택") }</dt><dd data-testid="stack"><code>{ format!("[{}]", values(&th.stack)) }</code></dd>
                <dt>{ lang.s("locals", "지역 변수") }</dt>
                <dd><code>{ th.locals.iter().enumerate().map(|(i, v)| {
                    let name = g.code.local_names.get(i).map_or("", String::as_str);
                    format!("{name}={}", words::repr(v, &g.machine))
                }).collect::<Vec<_>>().join(", ") }</code></dd>
            </dl>
        </div>
    }
}
