//! What the axis charts draw alike, on the scales of `scale`: the
//! horizontal grid with its labels, the labels under the x axis and its
//! title, and a vertical marker line with its label. One look (the classes
//! the stylesheet styles) for every chart that has axes.

use crate::ui::charts::scale::{Frame, Scale};
use yew::prelude::*;

/// Horizontal grid lines at each `(value, label)`, labelled at the left.
pub(crate) fn grid_y(frame: &Frame, y: &Scale, ticks: impl IntoIterator<Item = (f64, String)>) -> Html {
    let (x0, x1) = frame.x_range();
    html! {
        <>{ for ticks.into_iter().map(|(v, label)| {
            let at = y.at(v);
            html! {
                <g class="grid">
                    <line x1={x0.to_string()} x2={x1.to_string()} y1={at.to_string()} y2={at.to_string()} />
                    <text x={(x0 - 6.0).to_string()} y={(at + 4.0).to_string()} text-anchor="end">{ label }</text>
                </g>
            }
        }) }</>
    }
}

/// Labels under the x axis at each `(value, label)`.
pub(crate) fn x_labels(frame: &Frame, x: &Scale, ticks: impl IntoIterator<Item = (f64, String)>) -> Html {
    let below = frame.floor() + 16.0;
    html! {
        <>{ for ticks.into_iter().map(|(v, label)| html! {
            <text class="axis" x={x.at(v).to_string()} y={below.to_string()} text-anchor="middle">{ label }</text>
        }) }</>
    }
}

/// The x axis's title, centred under the plot.
pub(crate) fn x_title(frame: &Frame, title: &str) -> Html {
    let (x0, x1) = frame.x_range();
    html! {
        <text class="axis" x={((x0 + x1) / 2.0).to_string()} y={(frame.h - 4.0).to_string()} text-anchor="middle">{ title.to_owned() }</text>
    }
}

/// A vertical line of `class` across the plot at `x` (SVG units), with
/// `label` beside its top.
pub(crate) fn marker(frame: &Frame, class: &'static str, x: f64, label: &str) -> Html {
    html! {
        <>
            <line class={class} x1={x.to_string()} x2={x.to_string()} y1={frame.top.to_string()} y2={frame.floor().to_string()} />
            <text class="axis" x={(x + 4.0).to_string()} y={(frame.top + 10.0).to_string()}>{ label.to_owned() }</text>
        </>
    }
}
