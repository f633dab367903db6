use yew::prelude::*;

use crate::chart::{self, Unit, HEIGHT, WIDTH};

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// "loop p99", "threads": the legend's words.
    pub label: String,
    /// The CSS class that colours it (`line-loop`, `line-threads`, ...).
    pub class: &'static str,
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub title: AttrValue,
    pub test_id: AttrValue,
    pub unit: Unit,
    /// The x axis runs from 0 to this many virtual seconds.
    pub x_max: f64,
    pub lines: Vec<Line>,
    /// A horizontal limit drawn across the chart (the machine's RAM), with its label.
    #[prop_or_default]
    pub limit: Option<(f64, AttrValue)>,
}

/// A line chart over the load's virtual seconds, with its axes, units, legend, and the latest
/// value of each line as text (what a screen reader reads; tests read it too).
#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    let top = props
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max)
        .max(props.limit.as_ref().map_or(0.0, |l| l.0));
    let y_max = chart::axis_max(top, props.unit);
    let x_max = props.x_max.max(1.0);
    let (left, bottom) = (50.0, 16.0);
    let view_box = format!("0 0 {} {}", WIDTH + left + 6.0, HEIGHT + bottom + 6.0);
    let latest: Vec<String> = props
        .lines
        .iter()
        .map(|l| match l.points.last() {
            Some((t, v)) => format!("{}: {} at {} s", l.label, chart::format(*v, props.unit), t),
            None => format!("{}: no second has closed yet", l.label),
        })
        .collect();
    html! {
        <figure class="chart" data-testid={props.test_id.clone()}>
            <figcaption class="chart-title">{ props.title.clone() }</figcaption>
            <svg viewBox={view_box} role="img" aria-label={format!("{}: {}", props.title, latest.join("; "))}>
                <g transform={format!("translate({left} 4)")}>
                    { for chart::ticks(y_max).iter().map(|&v| {
                        let y = HEIGHT - v / y_max * HEIGHT;
                        html! {
                            <g class="tick">
                                <line x1="0" x2={WIDTH.to_string()} y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                                <text x="-4" y={format!("{:.1}", y + 3.0)} text-anchor="end">{ chart::tick(v, props.unit) }</text>
                            </g>
                        }
                    }) }
                    <text class="axis-label" x={WIDTH.to_string()} y={format!("{}", HEIGHT + 13.0)} text-anchor="end">
                        { format!("{} s (virtual)", x_max) }
                    </text>
                    <text class="axis-label" x="0" y={format!("{}", HEIGHT + 13.0)}>{ "0" }</text>
                    if let Some((v, label)) = &props.limit {
                        <g class="limit">
                            <line x1="0" x2={WIDTH.to_string()} y1={format!("{:.1}", HEIGHT - v / y_max * HEIGHT)} y2={format!("{:.1}", HEIGHT - v / y_max * HEIGHT)} />
                            <text x="4" y={format!("{:.1}", HEIGHT - v / y_max * HEIGHT - 3.0)}>{ label.clone() }</text>
                        </g>
                    }
                    { for props.lines.iter().map(|l| html! {
                        <path class={classes!("line", l.class, l.dashed.then_some("dashed"))} d={chart::path(&l.points, x_max, y_max)} />
                    }) }
                </g>
            </svg>
            <ul class="chart-legend">
                { for props.lines.iter().zip(&latest).map(|(l, text)| html! {
                    <li class={classes!("legend", l.class, l.dashed.then_some("dashed"))}>{ text.clone() }</li>
                }) }
            </ul>
        </figure>
    }
}
