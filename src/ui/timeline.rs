//! The per-worker timeline (Gantt chart) of one run: a lane per worker, a
//! bar per task, coloured by what the worker was doing. Hover a bar for the
//! task's number, size and times.

use crate::engine::report::{RunReport, SegmentState};
use crate::ui::format::{ms, thousands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub report: Option<RunReport>,
}

const LANE_H: f64 = 26.0;
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

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let Some(r) = &props.report else {
        return html! {};
    };
    let lanes = r.lanes().max(1);
    let span = r.outcomes.iter().map(|o| o.end_ms).fold(r.wall_ms, f64::max).max(0.001);
    let plot_w = WIDTH - LABEL_W - 28.0;
    let x = |t: f64| LABEL_W + (t.max(0.0) / span) * plot_w;
    let height = lanes as f64 * LANE_H + AXIS_H + 6.0;
    let lane_word = if r.model.uses_worker_count() || r.workers > 1 { "worker" } else { "loop" };
    let ticks: Vec<f64> = (0..=4).map(|i| span * i as f64 / 4.0).collect();
    html! {
        <div class="timeline" data-testid="timeline">
            <h2>{ format!("Timeline — {} on {} {}", r.model.title(), r.workers, if r.workers == 1 { "worker" } else { "workers" }) }</h2>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label="per-worker timeline" preserveAspectRatio="xMinYMin meet">
                { for (0..lanes).map(|lane| {
                    let y = lane as f64 * LANE_H;
                    html! {
                        <g class="lane" data-testid="lane">
                            <rect class="lane-bg" x={LABEL_W.to_string()} y={y.to_string()} width={plot_w.to_string()} height={(LANE_H - 4.0).to_string()} />
                            <text class="lane-label" x="4" y={(y + LANE_H / 2.0 + 2.0).to_string()}>{ format!("{lane_word} {lane}") }</text>
                        </g>
                    }
                }) }
                { for r.outcomes.iter().map(|o| {
                    let y = o.worker as f64 * LANE_H + 2.0;
                    let title = format!("task {} · size {} · {} → {} ({})", o.task, thousands(o.size), ms(o.start_ms), ms(o.end_ms), ms(o.end_ms - o.start_ms));
                    html! {
                        <g class="bar" data-testid="bar" data-task={o.task.to_string()} data-worker={o.worker.to_string()}>
                            <title>{ title }</title>
                            { for o.segments.iter().map(|s| html! {
                                <rect class={state_class(s.state)} x={x(s.start_ms).to_string()} y={y.to_string()}
                                    width={(x(s.end_ms) - x(s.start_ms)).max(1.0).to_string()} height={(LANE_H - 8.0).to_string()} />
                            }) }
                            <rect class="bar-outline" x={x(o.start_ms).to_string()} y={y.to_string()}
                                width={(x(o.end_ms) - x(o.start_ms)).max(1.0).to_string()} height={(LANE_H - 8.0).to_string()} />
                        </g>
                    }
                }) }
                { for ticks.iter().map(|t| {
                    let tx = x(*t);
                    let y0 = lanes as f64 * LANE_H;
                    html! {
                        <g class="tick">
                            <line x1={tx.to_string()} x2={tx.to_string()} y1="0" y2={(y0 + 4.0).to_string()} />
                            <text x={tx.to_string()} y={(y0 + 16.0).to_string()} text-anchor="middle">{ ms(*t) }</text>
                        </g>
                    }
                }) }
            </svg>
            <div class="legend">
                <span><i class="seg-cpu"></i>{ "computing" }</span>
                <span><i class="seg-io"></i>{ "waiting on I/O" }</span>
                <span><i class="seg-gil"></i>{ "waiting for the GIL" }</span>
            </div>
        </div>
    }
}
