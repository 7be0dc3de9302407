//! Actions per day as an SVG bar chart; each bar links to that day's timeline.
use leptos::prelude::*;

use super::DayCount;
use crate::activity::{timeline_href, ActivityFilter};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 180.0;
const AXIS: f64 = 22.0;

#[component]
pub fn DayChart(days: Vec<DayCount>) -> impl IntoView {
    let max = days.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    let slot = WIDTH / days.len().max(1) as f64;
    let plot = HEIGHT - AXIS;
    let total: i64 = days.iter().map(|d| d.count).sum();
    let label = format!("Actions per day, {} in total; the busiest day had {max}.", total);
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="group" aria-label=label data-testid="per-day-chart">
            <line x1="0" x2=WIDTH.to_string() y1=plot.to_string() y2=plot.to_string() class="chart-axis"/>
            <text x="2" y="12" class="chart-label">{format!("{max}")}</text>
            {days.into_iter().enumerate().map(|(i, d)| {
                let h = (d.count as f64 / max as f64 * (plot - 16.0)).max(if d.count > 0 { 1.0 } else { 0.0 });
                let x = i as f64 * slot;
                let href = timeline_href(&ActivityFilter { from: Some(d.day), to: Some(d.day), ..Default::default() });
                let text = format!("{}: {} actions", d.day.format("%a %-d %b"), d.count);
                let tick = (i % 7 == 0).then(|| view! {
                    <text x=(x + slot / 2.0).to_string() y=(HEIGHT - 6.0).to_string() text-anchor="middle" class="chart-label">
                        {d.day.format("%-d %b").to_string()}
                    </text>
                });
                view! {
                    <a href=href aria-label=text.clone() data-testid="day-bar" data-day=d.day.to_string()>
                        <title>{text.clone()}</title>
                        <rect class="chart-hit" x=x.to_string() y="0" width=slot.to_string() height=plot.to_string()/>
                        <rect class="chart-bar" x=(x + slot * 0.15).to_string() y=(plot - h).to_string() width=(slot * 0.7).to_string() height=h.to_string()/>
                    </a>
                    {tick}
                }
            }).collect_view()}
        </svg>
    }
}
