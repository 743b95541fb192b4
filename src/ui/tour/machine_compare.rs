//! The two machines side by side (cores, browser, isolation) and how many
//! claims hold on each, above the cards once a file was imported.

use crate::ui::i18n::Lang;
use crate::ui::state::Shared;
use crate::ui::tour::state::{Other, Tally};
use engine::tour::claims::Verdict;
use engine::tour::export::Machine;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct MachineCompareProps {
    pub(crate) mine: Machine,
    pub(crate) mine_tally: Tally,
    pub(crate) other: Shared<Other>,
}

fn describe(lang: Lang, m: &Machine) -> String {
    let iso = if m.isolated { lang.s("isolated", "격리됨") } else { lang.s("not isolated", "격리 안 됨") };
    match lang {
        Lang::En => format!("{} cores · {} · {iso}", m.cores, m.browser()),
        Lang::Ko => format!("코어 {}개 · {} · {iso}", m.cores, m.browser()),
    }
}

fn tally_text(lang: Lang, t: Tally) -> String {
    match lang {
        Lang::En => format!("{} hold, {} do not, {} inconclusive", t.holds, t.does_not, t.inconclusive),
        Lang::Ko => format!("성립 {}, 성립 안 함 {}, 판단 보류 {}", t.holds, t.does_not, t.inconclusive),
    }
}

#[component]
pub(crate) fn MachineCompare(props: &MachineCompareProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let o = &props.other;
    let mut theirs = Tally::default();
    for r in o.results.values() {
        match r.verdict {
            Verdict::Holds => theirs.holds += 1,
            Verdict::DoesNotHold => theirs.does_not += 1,
            Verdict::Inconclusive { .. } => theirs.inconclusive += 1,
        }
    }
    html! {
        <section class="panel compare" data-testid="compare" data-other-cores={o.machine.cores.to_string()}
            data-other-claims={o.results.len().to_string()}>
            <h2>{ lang.s("Comparing two machines", "두 컴퓨터 비교") }</h2>
            <div class="table-wrap">
                <table>
                    <tbody>
                        <tr>
                            <th><span class="swatch mine"></span>{ lang.s("This machine", "이 컴퓨터") }</th>
                            <td>{ describe(lang, &props.mine) }</td>
                            <td>{ tally_text(lang, props.mine_tally) }</td>
                        </tr>
                        <tr>
                            <th><span class="swatch theirs"></span>{ lang.s("Other machine", "다른 컴퓨터") }</th>
                            <td data-testid="other-machine">{ describe(lang, &o.machine) }</td>
                            <td>{ tally_text(lang, theirs) }</td>
                        </tr>
                    </tbody>
                </table>
            </div>
            if o.skipped > 0 {
                <p class="hint">{ match lang {
                    Lang::En => format!("{} claim(s) of the file are unknown to this page and were left out.", o.skipped),
                    Lang::Ko => format!("파일에 이 페이지가 모르는 주장이 {}개 있어 빼고 비교합니다.", o.skipped),
                } }</p>
            }
        </section>
    }
}
