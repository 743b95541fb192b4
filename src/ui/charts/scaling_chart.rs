//! The scaling sweep chart: measured speedup against worker count, the
//! ideal line (speedup = workers) and Amdahl's law fitted to the points,
//! with the serial fraction it implies.

use crate::ui::charts::kit::{grid_y, marker, x_labels, x_title};
use crate::ui::charts::scale::{points, Frame, Scale};
use crate::ui::i18n::{Lang, Words};
use crate::ui::state::SweepView;
use engine::analysis::scaling::amdahl_speedup;
use engine::text::{ms, times};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ScalingChartProps {
    pub(crate) sweep: Option<SweepView>,
    pub(crate) cores: usize,
}

const FRAME: Frame = Frame { w: 560.0, h: 300.0, left: 46.0, bottom: 36.0, top: 12.0, right: 16.0 };

#[component]
pub(crate) fn ScalingChart(props: &ScalingChartProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let Some(sw) = &props.sweep else {
        return html! {};
    };
    if sw.points.is_empty() {
        return html! {};
    }
    let max_n = sw.points.iter().map(|p| p.0).max().unwrap_or(1).max(2) as f64;
    let max_s = sw.points.iter().map(|p| p.2).fold(max_n, f64::max).ceil();
    let x = Scale::linear(0.0, max_n, FRAME.x_range());
    let y = Scale::linear(0.0, max_s, FRAME.y_range());
    let curve = |f: &dyn Fn(f64) -> f64| -> String {
        points((0..=60).map(|i| {
            let n = 1.0 + (max_n - 1.0) * i as f64 / 60.0;
            (x.at(n), y.at(f(n)))
        }))
    };
    let ideal = curve(&|n| n);
    let fit = sw.serial_fraction.map(|f| curve(&|n| amdahl_speedup(f, n)));
    let ticks_x = sw.points.iter().map(|p| (p.0 as f64, p.0.to_string()));
    let ticks_y = (0..=max_s as usize).map(|v| (v as f64, format!("{v}×")));
    // The chart in words, for screen readers.
    let points = sw
        .points
        .iter()
        .map(|(n, wall, s)| format!("{n}: {} ({})", times(*s), ms(*wall)))
        .collect::<Vec<_>>()
        .join(", ");
    let label = match (lang, sw.serial_fraction) {
        (Lang::En, Some(f)) => {
            format!("Speedup against workers — {points}; Amdahl fit: serial fraction {:.0}%", f * 100.0)
        }
        (Lang::En, None) => format!("Speedup against workers — {points}"),
        (Lang::Ko, Some(f)) => {
            format!("작업자 수에 따른 속도 향상 — {points}; 암달의 법칙 추정: 직렬 비율 {:.0}%", f * 100.0)
        }
        (Lang::Ko, None) => format!("작업자 수에 따른 속도 향상 — {points}"),
    };
    html! {
        <div class="scaling" data-testid="scaling">
            <h2>{ match lang {
                Lang::En => format!("Scaling — {}", lang.model(sw.model)),
                Lang::Ko => format!("확장성 — {}", lang.model(sw.model)),
            } }</h2>
            <div class="chart-scroll" tabindex="0">
            <svg viewBox={FRAME.view_box()} role="img" aria-label={label}>
                { grid_y(&FRAME, &y, ticks_y) }
                { x_labels(&FRAME, &x, ticks_x) }
                { marker(&FRAME, "cores", x.at(props.cores as f64), lang.s("cores", "코어 수")) }
                { x_title(&FRAME, lang.s("workers", "작업자 수")) }
                <polyline class="ideal" points={ideal} />
                if let Some(fit) = fit {
                    <polyline class="fit" points={fit} />
                }
                { for sw.points.iter().map(|(n, wall, s)| html! {
                    <g class="point" data-testid="sweep-point" data-workers={n.to_string()} data-speedup={format!("{s:.3}")}>
                        <title>{ format!("{n}: {} ({})", times(*s), ms(*wall)) }</title>
                        <circle cx={x.at(*n as f64).to_string()} cy={y.at(*s).to_string()} r="5" />
                        <text x={(x.at(*n as f64) + 7.0).to_string()} y={(y.at(*s) - 7.0).to_string()}>{ times(*s) }</text>
                    </g>
                }) }
            </svg>
            </div>
            <div class="legend">
                <span><i class="ideal-key"></i>{ lang.s("ideal (speedup = workers)", "이상적 (속도 향상 = 작업자 수)") }</span>
                if let Some(f) = sw.serial_fraction {
                    <span data-testid="serial-fraction" data-value={format!("{f:.4}")}><i class="fit-key"></i>{ match lang {
                        Lang::En => format!("Amdahl fit: serial fraction {:.0}%", f * 100.0),
                        Lang::Ko => format!("암달의 법칙 추정: 직렬 비율 {:.0}%", f * 100.0),
                    } }</span>
                }
                <span><i class="point-key"></i>{ lang.s("measured", "측정값") }</span>
            </div>
        </div>
    }
}
