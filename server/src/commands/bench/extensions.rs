//! `server bench extensions`: the renewal watchlist in each order, the eligibility
//! check, and issuing extensions (license signing, the extension's row and event,
//! commit). Issuing changes data: run it on a benchmark database.
use std::time::Instant;

use app::domain::ExtensionRequest;
use app::extensions::server::{eligibility, submit, watchlist};
use app::state::LicenseKey;
use app::store::{today, Db};
use app::{on_db, AppError};

use super::edit::bench_actor;
use super::percentiles;
use crate::startup::CmdResult;

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

pub async fn extensions(db: &Db, key: &LicenseKey, samples: i64, rounds: usize) -> CmdResult {
    let actor = bench_actor(db).await?;
    let on = today();
    let backend = format!("{:?}", db.backend()).to_lowercase();

    for sort in ["ends_on", "-seats", "customer"] {
        let mut timings = Vec::new();
        let mut rows = 0;
        for round in 0..=rounds * 10 {
            let started = Instant::now();
            let list = watchlist(db, &actor.user, None, Some(sort), on).await?;
            if round > 0 {
                timings.push(ms(started));
            }
            rows = list.renewals.len() as i64 + list.more;
        }
        println!(
            "renewal watchlist, sort {sort} ({backend}, {rows} rows in the window): {}",
            percentiles(timings)
        );
    }

    // Subscriptions in the window, spread over the data set (the watchlist's own query
    // would only give the soonest).
    let ids: Vec<i64> = on_db!(db, |p| {
        sqlx::query_scalar(
        "SELECT id FROM subscriptions WHERE status = 'active' AND end_date >= $1 AND end_date <= $2 ORDER BY id LIMIT $3"
    )
    .bind(on)
    .bind(on + chrono::Duration::days(13))
    .bind(samples)
    .fetch_all(p)
    .await
    })?;
    if ids.is_empty() {
        return Err(AppError::BadRequest(
            "no subscription ends within 13 days: seed the database first".into(),
        )
        .into());
    }
    let mut checks = Vec::new();
    let mut eligible = Vec::new();
    for round in 0..=rounds {
        for id in &ids {
            let started = Instant::now();
            let e = eligibility(db, &actor, *id, on).await?;
            if round > 0 {
                checks.push(ms(started));
            } else if e.eligible {
                eligible.push((*id, e.suggested_users));
            }
        }
    }
    println!("eligibility check ({backend}): {}", percentiles(checks));

    let mut issues = Vec::new();
    for (id, users) in eligible {
        let request = ExtensionRequest {
            subscription_id: id,
            days: 7,
            users_count: users,
            reason: "benchmark: temporary extension".into(),
            opportunity_id: format!("BENCH-{id}"),
            ticket_url: None,
            requester: None,
        };
        let started = Instant::now();
        submit(db, key, &actor, &request, on).await?;
        issues.push(ms(started));
    }
    println!(
        "issue extension incl. signing and activity event ({backend}): {}",
        percentiles(issues)
    );
    Ok(())
}
