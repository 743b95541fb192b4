//! Per-worker timelines (Gantt charts): a lane per worker, a bar per task,
//! coloured by what the worker was doing. Several runs are drawn on one
//! time scale so they can be compared. Hover a bar for its task, size and
//! times.

use crate::ui::charts::scale::Scale;
use crate::ui::i18n::{Lang, Words};
use crate::ui::state::Shared;
use engine::analysis::report::{RunReport, SegmentState};
use engine::text::{ms, thousands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct TimelinesProps {
    /// The compared runs, oldest first (shared, compared by pointer).
    pub(crate) reports: Vec<Shared<RunReport>>,
}

const LANE_H: f64 = 24.0;
const LABEL_W: f64 = 86.0;
const WIDTH: f64 = 900.0;
const AXIS_H: f64 = 22.0;

fn state_class(s: SegmentState) -> &'static str {
    match s {
        SegmentState::Computing => "seg-cpu",
        SegmentState::WaitingIo => "seg-io",
        SegmentState::WaitingGil => "seg-gil",
    }
}

fn chart(lang: Lang, r: &RunReport, span: f64) -> Html {
    let lanes = r.lanes().max(1);
    let plot_w = WIDTH - LABEL_W - 28.0;
    let scale = Scale::linear(0.0, span, (LABEL_W, LABEL_W + plot_w));
    let x = |t: f64| scale.at(t.max(0.0));
    let height = lanes as f64 * LANE_H + AXIS_H + 4.0;
    let lane_word = match (lang, r.model) {
        (Lang::En, engine::Model::Asyncio) => "loop",
        (Lang::Ko, engine::Model::Asyncio) => "루프",
        (Lang::En, engine::Model::Processes) => "process",
        (Lang::Ko, engine::Model::Processes) => "프로세스",
        (Lang::En, engine::Model::Sequential) => "worker",
        (Lang::Ko, engine::Model::Sequential) => "작업자",
        (Lang::En, _) => "thread",
        (Lang::Ko, _) => "스레드",
    };
    let ticks: Vec<f64> = (0..=4).map(|i| span * i as f64 / 4.0).collect();
    let summary = summary(lang, r, lanes, lane_word);
    let title = match lang {
        Lang::En => format!(
            "{} · {} {} · {}",
            lang.model(r.model),
            r.workers,
            if r.workers == 1 { "worker" } else { "workers" },
            ms(r.wall_ms)
        ),
        Lang::Ko => format!("{} · 작업자 {} · {}", lang.model(r.model), r.workers, ms(r.wall_ms)),
    };
    html! {
        <figure class="timeline" data-testid="timeline" data-model={r.model.id()} data-lanes={lanes.to_string()} data-bars={r.outcomes.len().to_string()}>
            <figcaption>{ title }</figcaption>
            // Focusable: on a phone the chart scrolls sideways inside this frame.
            <div class="chart-scroll" tabindex="0">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label={summary}>
                { for (0..lanes).map(|lane| {
                    let y = lane as f64 * LANE_H;
                    html! {
                        <g class="lane" data-testid="lane">
                            <rect class="lane-bg" x={LABEL_W.to_string()} y={y.to_string()} width={plot_w.to_string()} height={(LANE_H - 4.0).to_string()} />
                            <text class="lane-label" x="4" y={(y + LANE_H / 2.0).to_string()}>{ format!("{lane_word} {lane}") }</text>
                        </g>
                    }
                }) }
                { for r.outcomes.iter().map(|o| {
                    let y = o.worker as f64 * LANE_H + 2.0;
                    let tip = match lang {
                        Lang::En => format!("task {} · size {} · {} → {} ({})", o.task, thousands(o.size), ms(o.start_ms), ms(o.end_ms), ms(o.end_ms - o.start_ms)),
                        Lang::Ko => format!("작업 {} · 크기 {} · {} → {} ({})", o.task, thousands(o.size), ms(o.start_ms), ms(o.end_ms), ms(o.end_ms - o.start_ms)),
                    };
                    html! {
                        <g class="bar" data-testid="bar" data-task={o.task.to_string()} data-worker={o.worker.to_string()}>
                            <title>{ tip }</title>
                            { for o.segments.iter().map(|s| html! {
                                <rect class={state_class(s.state)} x={x(s.start_ms).to_string()} y={y.to_string()}
                                    width={(x(s.end_ms) - x(s.start_ms)).max(0.8).to_string()} height={(LANE_H - 8.0).to_string()} />
                            }) }
                            <rect class="bar-outline" x={x(o.start_ms).to_string()} y={y.to_string()}
                                width={(x(o.end_ms) - x(o.start_ms)).max(0.8).to_string()} height={(LANE_H - 8.0).to_string()} />
                        </g>
                    }
                }) }
                { for ticks.iter().map(|t| {
                    let tx = x(*t);
                    let y0 = lanes as f64 * LANE_H;
                    html! {
                        <g class="tick">
                            <line x1={tx.to_string()} x2={tx.to_string()} y1="0" y2={(y0 + 2.0).to_string()} />
                            <text x={tx.to_string()} y={(y0 + 14.0).to_string()} text-anchor="middle">{ ms(*t) }</text>
                        </g>
                    }
                }) }
            </svg>
            </div>
        </figure>
    }
}

/// The chart in words, for screen readers: how many tasks on how many
/// lanes, and how the workers' time split between computing and waiting.
fn summary(lang: Lang, r: &RunReport, lanes: usize, lane_word: &str) -> String {
    let mut time = [0.0f64; 3];
    for s in r.outcomes.iter().flat_map(|o| o.segments.iter()) {
        let i = match s.state {
            SegmentState::Computing => 0,
            SegmentState::WaitingIo => 1,
            SegmentState::WaitingGil => 2,
        };
        time[i] += (s.end_ms - s.start_ms).max(0.0);
    }
    let total = time.iter().sum::<f64>().max(1e-9);
    let pct = |t: f64| (t / total * 100.0).round();
    let busy_until = r.outcomes.iter().map(|o| o.end_ms).fold(0.0, f64::max);
    match lang {
        Lang::En => format!(
            "Timeline of {}: {} tasks on {lanes} {lane_word} lanes, the last ending at {} of {}; computing {}%, waiting on I/O {}%, waiting for the GIL {}% of the workers' time",
            lang.model(r.model), r.outcomes.len(), ms(busy_until), ms(r.wall_ms), pct(time[0]), pct(time[1]), pct(time[2])
        ),
        Lang::Ko => format!(
            "{} 타임라인: 작업 {}개, {lane_word} 레인 {lanes}개, 마지막 작업은 전체 {} 중 {}에 끝남. 작업자 시간 중 계산 {}%, I/O 대기 {}%, GIL 대기 {}%",
            lang.model(r.model), r.outcomes.len(), ms(r.wall_ms), ms(busy_until), pct(time[0]), pct(time[1]), pct(time[2])
        ),
    }
}

#[component]
pub(crate) fn Timelines(props: &TimelinesProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    if props.reports.is_empty() {
        return html! {};
    }
    // One time scale for every chart, so bar lengths compare across runs.
    let span = props
        .reports
        .iter()
        .flat_map(|r| r.outcomes.iter().map(|o| o.end_ms).chain(std::iter::once(r.wall_ms)))
        .fold(0.001, f64::max);
    html! {
        <div class="timelines" data-testid="timelines">
            <h2>{ lang.s("Timelines (one time scale)", "타임라인 (같은 시간 축)") }</h2>
            { for props.reports.iter().map(|r| chart(lang, r, span)) }
            <div class="legend">
                <span><i class="seg-cpu"></i>{ lang.s("computing", "계산 중") }</span>
                <span><i class="seg-io"></i>{ lang.s("waiting on I/O", "I/O 대기") }</span>
                <span><i class="seg-gil"></i>{ lang.s("waiting for the GIL", "GIL 대기") }</span>
            </div>
        </div>
    }
}
