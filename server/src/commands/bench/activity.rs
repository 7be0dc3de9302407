//! `server bench activity`: timeline pages of 50 under a mix of filter combinations
//! (first pages and the page after), the dashboard, the CSV export and the chain walk.
use std::collections::BTreeMap;
use std::time::Instant;

use app::activity::server::csv;
use app::audit::{chain, query, ActivityFilter};
use app::store::{today, Db};
use app::{on_db, AppError};
use chrono::Duration;

use super::percentiles;
use crate::startup::CmdResult;

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Values to filter by, drawn from the data.
struct Values {
    actors: Vec<String>,
    actions: Vec<String>,
    customers: Vec<i64>,
    targets: Vec<(String, i64)>,
    words: [&'static str; 3],
}

async fn values(db: &Db, samples: i64) -> Result<Values, AppError> {
    let actors: Vec<String> =
        on_db!(db, |p| sqlx::query_scalar("SELECT email FROM staff_users ORDER BY id")
            .fetch_all(p)
            .await)?;
    let max: i64 =
        on_db!(db, |p| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM activity_events")
            .fetch_one(p)
            .await)?;
    if max == 0 {
        return Err(AppError::BadRequest("no activity events: seed the database first".into()));
    }
    // Events spread evenly over the chain give customers and targets with history.
    let step = (max / samples.max(1)).max(1);
    let rows: Vec<(Option<i64>, String, i64)> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT customer_id, target_type, target_id FROM activity_events WHERE id % $1 = 0 ORDER BY id LIMIT $2"
    ).bind(step).bind(samples).fetch_all(p).await
    })?;
    Ok(Values {
        actors,
        actions: app::domain::Action::ALL.iter().map(|a| a.to_string()).collect(),
        customers: rows.iter().filter_map(|r| r.0).collect(),
        targets: rows.into_iter().map(|r| (r.1, r.2)).collect(),
        // A common word, a rarer one, and one no reason holds.
        words: ["customer", "pipeline", "zebra"],
    })
}

/// The filter combinations measured, by name; `i` varies the values.
fn combination(name: &str, v: &Values, i: usize) -> ActivityFilter {
    let pick = |list: &[String]| Some(list[i % list.len()].clone());
    let day = today() - Duration::days((i * 37 % 360) as i64);
    let mut f = ActivityFilter::default();
    for part in name.split('+') {
        match part {
            "none" => {}
            "actor" => f.actor = pick(&v.actors),
            "action" => f.action = pick(&v.actions),
            "customer" => f.customer_id = Some(v.customers[i % v.customers.len()]),
            "target" => {
                let (kind, id) = &v.targets[i % v.targets.len()];
                f.target_type = Some(kind.clone());
                f.target_id = Some(*id);
            }
            "week" => {
                f.from = Some(day - Duration::days(6));
                f.to = Some(day);
            }
            "text" => f.q = Some(v.words[i % v.words.len()].to_string()),
            other => unreachable!("unknown part {other}"),
        }
    }
    f
}

const COMBINATIONS: [&str; 14] = [
    "none",
    "actor",
    "action",
    "customer",
    "target",
    "week",
    "text",
    "actor+action",
    "action+week",
    "actor+week",
    "customer+action",
    "actor+text",
    "actor+action+week",
    "action+week+text",
];

pub async fn activity(db: &Db, samples: i64, rounds: usize) -> CmdResult {
    let backend = format!("{:?}", db.backend()).to_lowercase();
    let v = values(db, samples).await?;
    let mut all = Vec::new();
    let mut by_name: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut next_pages = Vec::new();
    for round in 0..=rounds {
        for i in 0..samples as usize {
            for name in COMBINATIONS {
                let f = combination(name, &v, i);
                let started = Instant::now();
                let page = query::page(db, &f, None, None).await?;
                let first = ms(started);
                let next = match &page.next_cursor {
                    Some(cursor) => {
                        let started = Instant::now();
                        query::page(db, &f, Some(cursor), None).await?;
                        Some(ms(started))
                    }
                    None => None,
                };
                if round > 0 {
                    all.push(first);
                    by_name.entry(name).or_default().push(first);
                    next_pages.extend(next);
                }
            }
        }
    }
    for (name, timings) in by_name {
        println!("timeline page of 50, filter {name} ({backend}): {}", percentiles(timings));
    }
    println!("timeline page of 50, every combination ({backend}): {}", percentiles(all));
    println!("timeline next page via cursor ({backend}): {}", percentiles(next_pages));

    // Counting the 30 days from scratch (at start and when the day changes), then the
    // dashboard as requests find it: the counts kept, new events added.
    let tally = app::audit::tally::Tally::default();
    let started = Instant::now();
    app::dashboard::server::dashboard(db, &tally, today()).await?;
    println!(
        "dashboard, counting the last 30 days from scratch ({backend}): {:.1} ms",
        ms(started)
    );
    let mut dashboards = Vec::new();
    for _ in 0..rounds * 20 {
        let started = Instant::now();
        app::dashboard::server::dashboard(db, &tally, today()).await?;
        dashboards.push(ms(started));
    }
    println!("dashboard, last 30 days, counts kept ({backend}): {}", percentiles(dashboards));

    // The CSV export of one week, through the same writer the API streams.
    let week = ActivityFilter {
        from: Some(today() - Duration::days(7)),
        to: Some(today()),
        ..Default::default()
    };
    let (sender, mut receiver) = tokio::sync::mpsc::channel(4);
    let started = Instant::now();
    tokio::spawn(csv::export(db.clone(), week, sender));
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = receiver.recv().await {
        let chunk = chunk?;
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "csv export, last 7 days ({backend}): {} rows, {:.1} MB in {secs:.2}s ({:.0} rows/s)",
        lines - 1,
        bytes as f64 / 1e6,
        (lines - 1) as f64 / secs
    );

    let started = Instant::now();
    let report = chain::verify(db).await?;
    println!(
        "chain verify ({backend}): {} events in {:.1}s, holds: {}",
        report.checked,
        started.elapsed().as_secs_f64(),
        report.holds
    );
    Ok(())
}
