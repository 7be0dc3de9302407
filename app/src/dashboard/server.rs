//! The dashboard's figures: one grouped pass over the period's events (found as an id
//! range, like the timeline's dates) and two counts.
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::{Dashboard, DayCount, DAYS};
use crate::audit::{query, ActivityFilter};
use crate::domain::Count;
use crate::store::Db;
use crate::{on_db, AppError};

/// Staff members listed by name.
const TOP_ACTORS: usize = 10;

#[derive(sqlx::FromRow)]
struct Group {
    day: String,
    action: String,
    actor_email: String,
    n: i64,
}

pub async fn dashboard(db: &Db, today: NaiveDate) -> Result<Dashboard, AppError> {
    let from = today - Duration::days(DAYS - 1);
    let period = ActivityFilter { from: Some(from), to: Some(today), ..Default::default() };
    let groups: Vec<Group> = match query::id_bounds(db, &period).await? {
        None => Vec::new(),
        Some((low, high)) => {
            let day = match db {
                Db::Sqlite(_) => "substr(occurred_at, 1, 10)",
                Db::Postgres(_) => "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            };
            let sql = format!(
                "SELECT {day} AS day, action, actor_email, COUNT(*) AS n FROM activity_events
                 WHERE id >= $1 AND id < $2 GROUP BY 1, 2, 3"
            );
            on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(low)
                .bind(high)
                .fetch_all(p)
                .await)?
        }
    };
    let mut per_day: BTreeMap<NaiveDate, i64> =
        (0..DAYS).map(|d| (from + Duration::days(d), 0)).collect();
    let mut by_action: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_actor: BTreeMap<String, i64> = BTreeMap::new();
    for g in groups {
        if let Some(n) =
            NaiveDate::parse_from_str(&g.day, "%Y-%m-%d").ok().and_then(|d| per_day.get_mut(&d))
        {
            *n += g.n;
        }
        *by_action.entry(g.action).or_default() += g.n;
        *by_actor.entry(g.actor_email).or_default() += g.n;
    }
    let pending_approvals: i64 = on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM approval_requests WHERE status = 'pending' AND expires_at > $1"
    )
    .bind(crate::store::now())
    .fetch_one(p)
    .await)?;
    let extensions_issued = by_action.get("extension.issue").copied().unwrap_or(0);
    Ok(Dashboard {
        from,
        to: today,
        total: per_day.values().sum(),
        per_day: per_day.into_iter().map(|(day, count)| DayCount { day, count }).collect(),
        by_action: ranked(by_action, usize::MAX),
        by_actor: ranked(by_actor, TOP_ACTORS),
        pending_approvals,
        extensions_issued,
    })
}

/// Counts most first (ties by name), at most `top`.
fn ranked(counts: BTreeMap<String, i64>, top: usize) -> Vec<Count> {
    let mut list: Vec<Count> =
        counts.into_iter().map(|(key, count)| Count { key, count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list.truncate(top);
    list
}
