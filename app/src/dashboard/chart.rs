//! Actions per day: bars drawn in SVG, with a row of ordinary links laid over them so
//! each day opens its timeline (links stay HTML: keyboard, middle-click, screen readers).
use leptos::prelude::*;

use super::DayCount;
use crate::activity::timeline_href;
use crate::audit::ActivityFilter;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 180.0;
const AXIS: f64 = 22.0;

#[component]
pub fn DayChart(days: Vec<DayCount>) -> impl IntoView {
    let max = days.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    let slot = WIDTH / days.len().max(1) as f64;
    let plot = HEIGHT - AXIS;
    let total: i64 = days.iter().map(|d| d.count).sum();
    let links = days.clone();
    view! {
        <div class="chart-wrap" data-testid="per-day-chart">
            <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-label=format!("Actions per day, {total} in total; the busiest day had {max}.")>
                <line x1="0" x2=WIDTH.to_string() y1=plot.to_string() y2=plot.to_string() class="chart-axis"/>
                <text x="2" y="12" class="chart-label">{max}</text>
                {days.into_iter().enumerate().map(|(i, d)| {
                    let h = (d.count as f64 / max as f64 * (plot - 16.0)).max(if d.count > 0 { 1.0 } else { 0.0 });
                    let x = i as f64 * slot;
                    let tick = (i % 7 == 0).then(|| view! {
                        <text x=(x + slot * 0.15).to_string() y=(HEIGHT - 6.0).to_string() class="chart-label">
                            {crate::domain::when::day_month(d.day)}
                        </text>
                    });
                    view! {
                        <rect class="chart-bar" x=(x + slot * 0.15).to_string() y=(plot - h).to_string() width=(slot * 0.7).to_string() height=h.to_string()/>
                        {tick}
                    }
                }).collect_view()}
            </svg>
            <div class="chart-links" style=format!("bottom: {:.2}%", AXIS / HEIGHT * 100.0)>
                {links.into_iter().map(|d| {
                    let text = format!("{}: {} actions", crate::domain::when::day_short(d.day), d.count);
                    let href = timeline_href(&ActivityFilter { from: Some(d.day), to: Some(d.day), ..Default::default() });
                    view! {
                        <a class="chart-slot" href=href aria-label=text.clone() title=text
                            data-testid="day-bar" data-day=d.day.to_string() data-count=d.count></a>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}
