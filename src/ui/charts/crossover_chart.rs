//! The crossover map: speedup over sequential against the CPU share of
//! mixed tasks, one curve per model, with where processes overtake threads
//! under the GIL and where asyncio stops being the fastest, a verdict in a
//! sentence, the same numbers as a table, and the Python it mirrors.

use crate::ui::charts::kit::{grid_y, marker, x_labels, x_title};
use crate::ui::charts::scale::{points, Frame, Scale};
use crate::ui::i18n::{crossover_guide, Lang, Words};
use engine::analysis::crossover::{Crossover, SHARES};
use engine::text::times;
use engine::Model;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct CrossoverChartProps {
    pub(crate) map: Option<Crossover>,
}

const FRAME: Frame = Frame { w: 620.0, h: 320.0, left: 46.0, bottom: 38.0, top: 14.0, right: 18.0 };

/// The verdict, from the numbers.
fn verdict(lang: Lang, c: &Crossover) -> String {
    let n = c.workers;
    let over = c.processes_overtake.map(|x| format!("{:.0}", x));
    let asy = c.asyncio_best_until;
    let first = match (lang, over) {
        (Lang::En, Some(x)) if x == "0" => format!("On this machine, with {n} workers, processes beat threads under the GIL at every CPU share measured."),
        (Lang::En, Some(x)) => format!("On this machine, with {n} workers, above about {x} % CPU per task, processes win over threads under the GIL."),
        (Lang::En, None) => format!("On this machine, with {n} workers, processes never clearly beat threads under the GIL (by more than 5 %)."),
        (Lang::Ko, Some(x)) if x == "0" => format!("이 컴퓨터에서 작업자 {n}개로는 측정한 모든 CPU 비율에서 프로세스가 GIL 아래의 스레드보다 빨랐습니다."),
        (Lang::Ko, Some(x)) => format!("이 컴퓨터에서 작업자 {n}개로는 작업당 CPU 비율이 약 {x}%를 넘으면 프로세스가 GIL 아래의 스레드를 이깁니다."),
        (Lang::Ko, None) => format!("이 컴퓨터에서 작업자 {n}개로는 프로세스가 GIL 아래의 스레드를 뚜렷하게(5% 넘게) 이긴 적이 없습니다."),
    };
    let second = match (lang, asy) {
        (Lang::En, Some(s)) => format!(
            " asyncio, which overlaps every wait on one thread, is the fastest up to {s} % CPU and no longer above it."
        ),
        (Lang::En, None) => " asyncio was never the fastest here.".to_owned(),
        (Lang::Ko, Some(s)) => {
            format!(" 모든 대기를 스레드 하나로 겹치는 asyncio는 CPU {s}%까지 가장 빠르고, 그 위로는 아닙니다.")
        }
        (Lang::Ko, None) => " 여기서는 asyncio가 가장 빠른 적이 없었습니다.".to_owned(),
    };
    first + &second
}

#[component]
pub(crate) fn CrossoverChart(props: &CrossoverChartProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let Some(c) = &props.map else {
        return html! {};
    };
    // A log scale: asyncio's 10–20× at low CPU shares and the threads'
    // 0.9–2× must both stay readable. Powers of two from ½× up.
    let hi = c.curves.iter().flat_map(|k| k.points.iter().map(|p| p.1)).fold(2.0, f64::max).log2().ceil();
    let lo = c.curves.iter().flat_map(|k| k.points.iter().map(|p| p.1)).fold(1.0, f64::min).log2().floor().max(-3.0);
    let x = Scale::linear(0.0, 100.0, FRAME.x_range());
    let y = Scale::log(2.0, lo, hi, FRAME.y_range());
    let ticks_y = y.powers().into_iter().map(|s| (s, if s < 1.0 { format!("{s:.2}×") } else { format!("{s}×") }));
    let ticks_x = SHARES.iter().map(|s| (f64::from(*s), format!("{s}%")));
    let g = crossover_guide(lang);
    html! {
        <div class="crossover" data-testid="crossover" data-workers={c.workers.to_string()}
            data-overtake={c.processes_overtake.map(|v| format!("{v:.2}")).unwrap_or_default()}
            data-asyncio-best={c.asyncio_best_until.map(|v| v.to_string()).unwrap_or_default()}>
            <h2>{ match lang {
                Lang::En => format!("Crossover map — mixed tasks, {} workers", c.workers),
                Lang::Ko => format!("교차 지도 — 혼합 작업, 작업자 {}개", c.workers),
            } }</h2>
            <p class="verdict-line" data-testid="crossover-verdict">{ verdict(lang, c) }</p>
            <div class="chart-scroll" tabindex="0">
                <svg viewBox={FRAME.view_box()} role="img"
                    aria-label={lang.s("speedup over sequential against the CPU share of each task, one curve per model (the table below has the numbers)", "작업당 CPU 비율에 따른 순차 실행 대비 속도 향상, 모델마다 곡선 하나 (숫자는 아래 표)")}>
                    if let Some(a) = c.asyncio_best_until {
                        <rect class="asyncio-zone" x={FRAME.left.to_string()} y={FRAME.top.to_string()} width={(x.at(f64::from(a)) - FRAME.left).max(2.0).to_string()} height={(FRAME.floor() - FRAME.top).to_string()} />
                    }
                    { grid_y(&FRAME, &y, ticks_y) }
                    { x_labels(&FRAME, &x, ticks_x) }
                    { x_title(&FRAME, lang.s("CPU share of each task", "작업당 CPU 비율")) }
                    if let Some(o) = c.processes_overtake {
                        { marker(&FRAME, "overtake", x.at(o), lang.s("processes overtake", "프로세스 역전")) }
                    }
                    { for c.curves.iter().map(|k| {
                        let pts = points(k.points.iter().map(|(s, v)| (x.at(f64::from(*s)), y.at(*v))));
                        html! {
                            <g class={classes!("curve", format!("m-{}", k.model.id()))} data-testid="crossover-curve" data-model={k.model.id()}>
                                <polyline points={pts} />
                                { for k.points.iter().map(|(s, v)| html! {
                                    <circle cx={x.at(f64::from(*s)).to_string()} cy={y.at(*v).to_string()} r="3.5"
                                        data-testid="crossover-point" data-model={k.model.id()} data-share={s.to_string()} data-speedup={format!("{v:.3}")}>
                                        <title>{ format!("{} · {s}% · {}", lang.model_short(k.model), times(*v)) }</title>
                                    </circle>
                                }) }
                            </g>
                        }
                    }) }
                </svg>
            </div>
            <div class="legend">
                { for c.curves.iter().map(|k| html! {
                    <span><i class={classes!("curve-key", format!("m-{}", k.model.id()))}></i>{ lang.model_short(k.model) }</span>
                }) }
                if c.asyncio_best_until.is_some() {
                    <span><i class="zone-key"></i>{ lang.s("asyncio fastest", "asyncio가 가장 빠름") }</span>
                }
            </div>
            <details class="numbers">
                <summary>{ lang.s("The numbers", "숫자로 보기") }</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th>{ lang.s("Model", "모델") }</th>
                            { for SHARES.iter().map(|s| html! { <th class="num">{ format!("{s}%") }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for c.curves.iter().filter(|k| k.model != Model::Sequential).map(|k| html! {
                                <tr>
                                    <td>{ lang.model_short(k.model) }</td>
                                    { for SHARES.iter().map(|s| html! {
                                        <td class="num">{ k.points.iter().find(|p| p.0 == *s).map(|p| times(p.1)).unwrap_or_else(|| "—".into()) }</td>
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </details>
            <div class="view-guide">
                <div>
                    <p>{ g.what }</p>
                    if let Some(k) = g.kitchen {
                        <p class="kitchen"><span class="kitchen-label">{ lang.s("Kitchen analogy", "주방 비유") }</span>{ k }</p>
                    }
                </div>
                <div>
                    <h3>{ lang.s("The Python it mirrors", "대응하는 파이썬 코드") }</h3>
                    <pre><code>{ g.code }</code></pre>
                </div>
            </div>
        </div>
    }
}
