//! A claim's times as horizontal bars (SVG), this machine's and, when a
//! file was imported, the other machine's under each, on one scale.

use crate::ui::charts::scale::Scale;
use crate::ui::i18n::Lang;
use crate::ui::tour::claim_texts::{figure_label, figure_value};
use engine::tour::claims::{Claim, Figure};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ClaimChartProps {
    pub(crate) claim: Claim,
    /// This machine's numbers (only the times are drawn).
    pub(crate) mine: Vec<Figure>,
    /// The other machine's, when one was imported.
    pub(crate) theirs: Option<Vec<Figure>>,
}

const ROW: f64 = 22.0;
const LABEL: f64 = 0.0;
/// The longest bar, in % of the chart's width.
const BAR_MAX: f64 = 78.0;

#[component]
pub(crate) fn ClaimChart(props: &ClaimChartProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let times: Vec<&Figure> = props.mine.iter().filter(|f| f.quantity.is_time()).collect();
    if times.is_empty() {
        return html! {};
    }
    let other = |slot: &str| props.theirs.as_ref().and_then(|t| t.iter().find(|f| f.slot == slot));
    let top = times
        .iter()
        .flat_map(|f| [Some(f.value), other(&f.slot).map(|o| o.value)])
        .flatten()
        .fold(0.0f64, f64::max)
        .max(1e-9);
    // Bars in % of the chart's width; the rest is room for the value.
    let width = Scale::linear(0.0, top, (0.0, BAR_MAX));
    let per = if props.theirs.is_some() { 2.0 } else { 1.0 };
    let height = times.len() as f64 * (ROW * per + 18.0);
    let mut y = 0.0;
    let mut bars = Vec::new();
    for f in &times {
        let label = figure_label(lang, props.claim, f);
        bars.push(html! {
            <text x={LABEL.to_string()} y={(y + 11.0).to_string()} class="bar-label">{ label }</text>
        });
        y += 14.0;
        let mut bar = |v: f64, class: &'static str, text: String| {
            let w = width.at(v).clamp(BAR_MAX * 0.005, BAR_MAX);
            let html = html! {
                <g>
                    <rect x="0" y={y.to_string()} width={format!("{w:.2}%")} height={(ROW - 6.0).to_string()} class={class} rx="3" />
                    <text x={format!("{:.2}%", w + 1.0)} y={(y + 12.0).to_string()} class="bar-value">{ text }</text>
                </g>
            };
            y += ROW;
            html
        };
        bars.push(bar(f.value, "bar-mine", figure_value(lang, f)));
        if props.theirs.is_some() {
            match other(&f.slot) {
                Some(o) => bars.push(bar(o.value, "bar-theirs", figure_value(lang, o))),
                None => y += ROW,
            }
        }
        y += 4.0;
    }
    html! {
        <svg class="claim-chart" width="100%" height={height.to_string()} role="img"
            aria-label={lang.s("Measured times", "측정한 시간")} data-testid="claim-chart">
            { for bars }
        </svg>
    }
}
