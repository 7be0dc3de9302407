//! The dashboard's figures: the last 30 days' counts (`audit::tally`, kept up to date
//! in memory), the repeat interventions among them with the customers' names, the
//! findings that came back, and the approvals waiting.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::{CameBack, Dashboard, DayCount, Repeat, MIN_REPEATS};
use crate::audit::tally::{Counts, Tally};
use crate::domain::Count;
use crate::store::{by_ids_now, Db};
use crate::{on_db, AppError};

/// Staff members listed by name.
const TOP_ACTORS: usize = 10;
/// Rows of each dashboard list.
const TOP_LIST: usize = 10;

pub async fn dashboard(db: &Db, tally: &Tally, today: NaiveDate) -> Result<Dashboard, AppError> {
    let counts = tally.current(db, today).await?;
    let pending_approvals: i64 = on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM approval_requests WHERE status = 'pending' AND expires_at > $1"
    )
    .bind(crate::store::now())
    .fetch_one(p)
    .await)?;
    let by_action: BTreeMap<String, i64> =
        counts.by_action.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let by_actor: BTreeMap<String, i64> =
        counts.by_actor.iter().map(|(k, v)| (k.clone(), *v)).collect();
    Ok(Dashboard {
        from: counts.from,
        to: counts.today,
        total: counts.per_day.values().sum(),
        per_day: counts
            .per_day
            .iter()
            .map(|(day, count)| DayCount { day: *day, count: *count })
            .collect(),
        extensions_issued: by_action
            .get(crate::domain::Action::IssueExtension.as_str())
            .copied()
            .unwrap_or(0),
        by_action: ranked(by_action, usize::MAX),
        by_actor: ranked(by_actor, TOP_ACTORS),
        pending_approvals,
        repeats: repeats(db, &counts, MIN_REPEATS, TOP_LIST).await?,
        came_back: came_back(db, counts.from, TOP_LIST as i64).await?,
    })
}

#[derive(sqlx::FromRow)]
struct Name {
    id: i64,
    name: String,
}

/// The customers with at least `min` changes in `counts`, most first, at most `top`,
/// with their names (one statement).
pub async fn repeats(
    db: &Db,
    counts: &Counts,
    min: i64,
    top: usize,
) -> Result<Vec<Repeat>, AppError> {
    let list: Vec<_> = counts.repeats(min).into_iter().take(top).collect();
    let ids: Vec<i64> = list.iter().map(|(id, _, _)| *id).collect();
    let names: HashMap<i64, String> =
        by_ids_now::<Name>(db, &[("SELECT id, name FROM customers WHERE id", ids)])
            .await?
            .into_iter()
            .map(|n| (n.id, n.name))
            .collect();
    Ok(list
        .into_iter()
        .map(|(id, count, actions)| Repeat {
            customer_id: id,
            customer_name: names.get(&id).cloned().unwrap_or_else(|| format!("Customer {id}")),
            count,
            actions: ranked(actions.clone(), usize::MAX),
        })
        .collect())
}

/// Open findings found again after a finding of the same rule on the same record was
/// resolved on or after `since`, newest first.
async fn came_back(db: &Db, since: NaiveDate, limit: i64) -> Result<Vec<CameBack>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "SELECT f.id, f.rule, f.customer_id, c.name AS customer_name, f.record, f.first_seen_at,
                COUNT(*) AS times_resolved
         FROM integrity_findings r
         JOIN integrity_findings f ON f.rule = r.rule AND f.target_type = r.target_type
              AND f.target_id = r.target_id AND f.resolved_at IS NULL AND f.first_seen_at >= r.resolved_at
         JOIN customers c ON c.id = f.customer_id
         WHERE r.resolved_at IS NOT NULL AND r.resolved_at >= $1
         GROUP BY f.id, f.rule, f.customer_id, c.name, f.record, f.first_seen_at
         ORDER BY f.first_seen_at DESC, f.id DESC LIMIT $2"
    )
    .bind(crate::audit::query::start_of(since))
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}

/// Counts most first (ties by name), at most `top`.
fn ranked(counts: BTreeMap<String, i64>, top: usize) -> Vec<Count> {
    let mut list: Vec<Count> =
        counts.into_iter().map(|(key, count)| Count { key, count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list.truncate(top);
    list
}
