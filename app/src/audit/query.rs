//! Reading the timeline: filtered pages newest first, keyset-paginated by event id.
//!
//! Event ids follow the chain, and `record` never lets time run backwards along it, so
//! a date range is the id range between its first and last event: every filter then
//! becomes an index seek on `(column, id)` read backwards from the cursor.
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::audit::stored::{StoredEvent, COLUMNS};
use std::collections::HashMap;

use crate::audit::{ActivityEvent, ActivityFilter, ActivityPage};
use crate::store::{by_ids_now, dialect, Db};
use crate::{on_db, AppError};

/// Events in a page unless the caller asks otherwise, and at most.
pub const PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 1_000;
/// A reason search with nothing narrower looks through this many ids per page, so a
/// rare word answers quickly; the cursor then continues below them.
const TEXT_WINDOW: i64 = 10_000;

/// A bound value of a filter clause.
enum Arg {
    Int(i64),
    Text(String),
}

/// `WHERE` clauses with their arguments, numbered `$1…` in order.
#[derive(Default)]
struct Clauses {
    sql: Vec<String>,
    args: Vec<Arg>,
}

impl Clauses {
    /// Adds `template` with `?` replaced by the next placeholder.
    fn push(&mut self, template: &str, arg: Arg) {
        self.args.push(arg);
        self.sql.push(template.replace('?', &dialect::placeholders(self.args.len(), 1)));
    }

    fn where_sql(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }
}

/// One page of `filter`, newest first, below `cursor` (an id, exclusive), with the
/// customers' names and the targets' labels.
pub async fn page(
    db: &Db,
    filter: &ActivityFilter,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<ActivityPage, AppError> {
    let page = bare_page(db, filter, cursor, limit).await?;
    Ok(ActivityPage { events: labelled(db, page.events).await?, ..page })
}

/// [`page`] without names and labels (the CSV export, which has no column for them).
pub async fn bare_page(
    db: &Db,
    filter: &ActivityFilter,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<ActivityPage, AppError> {
    checked(filter)?;
    let limit = limit.unwrap_or(PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::field("limit", format!("Limit must be between 1 and {MAX_PAGE}.")));
    }
    let cursor = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(c.parse::<i64>().ok().filter(|c| *c > 0).ok_or_else(|| {
            AppError::field("cursor", "Cursor must be a next_cursor from an earlier page.")
        })?),
    };
    let Some((first, end)) = id_bounds(db, filter).await? else {
        return Ok(ActivityPage { events: Vec::new(), next_cursor: None });
    };
    let high = cursor.map_or(end, |c| c.min(end));
    if high <= first {
        return Ok(ActivityPage { events: Vec::new(), next_cursor: None });
    }
    // A reason search over the whole timeline reads one window of ids per page.
    let narrow = filter.customer_id.is_some() || filter.target_id.is_some();
    let low = if filter.q.is_some() && !narrow { first.max(high - TEXT_WINDOW) } else { first };

    let mut clauses = narrowing(db, filter).await?;
    clauses.push("id < ?", Arg::Int(high));
    clauses.push("id >= ?", Arg::Int(low));
    let sql = format!(
        "SELECT {COLUMNS} FROM activity_events {} ORDER BY id DESC LIMIT {}",
        clauses.where_sql(),
        limit + 1
    );
    let mut rows = fetch(db, sql, clauses.args).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|e| e.event.id.to_string())
    } else if low > first {
        Some(low.to_string())
    } else {
        None
    };
    Ok(ActivityPage { events: rows.into_iter().map(|s| s.event).collect(), next_cursor })
}

/// Events of `filter` newer than `after`, newest first (at most [`MAX_PAGE`]): what a
/// timeline already showing up to `after` is missing.
pub async fn since(
    db: &Db,
    filter: &ActivityFilter,
    after: i64,
) -> Result<Vec<crate::audit::ActivityEvent>, AppError> {
    checked(filter)?;
    let Some((first, end)) = id_bounds(db, filter).await? else { return Ok(Vec::new()) };
    let mut clauses = narrowing(db, filter).await?;
    clauses.push("id > ?", Arg::Int(after.max(first - 1)));
    clauses.push("id < ?", Arg::Int(end));
    let sql = format!(
        "SELECT {COLUMNS} FROM activity_events {} ORDER BY id DESC LIMIT {MAX_PAGE}",
        clauses.where_sql()
    );
    labelled(db, fetch(db, sql, clauses.args).await?.into_iter().map(|s| s.event).collect()).await
}

/// Refuses a filter whose values are wrong, whoever built it (URL, API, JSON body).
fn checked(filter: &ActivityFilter) -> Result<(), AppError> {
    match AppError::from_fields(filter.field_errors()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The clauses for everything but the date range.
async fn narrowing(db: &Db, filter: &ActivityFilter) -> Result<Clauses, AppError> {
    let mut c = Clauses::default();
    if let Some(actor) = &filter.actor {
        match actor_id(db, actor).await? {
            Some(id) => c.push("actor_id = ?", Arg::Int(id)),
            // Not a staff member: the scheduler, which acts without an id.
            None => {
                c.sql.push("actor_id IS NULL".into());
                c.push("actor_email = ?", Arg::Text(actor.clone()));
            }
        }
    }
    if let Some(action) = &filter.action {
        c.push("action = ?", Arg::Text(action.clone()));
    }
    if let Some(requester) = &filter.requester {
        c.push("requester = ?", Arg::Text(requester.trim().to_lowercase()));
    }
    if let Some(ticket) = &filter.ticket {
        c.push("ticket_url = ?", Arg::Text(ticket.trim().to_string()));
    }
    if let Some(customer) = filter.customer_id {
        c.push("customer_id = ?", Arg::Int(customer));
    }
    if let Some(kind) = &filter.target_type {
        c.push("target_type = ?", Arg::Text(kind.clone()));
    }
    if let Some(target) = filter.target_id {
        c.push("target_id = ?", Arg::Int(target));
    }
    if let Some(q) = &filter.q {
        let like = format!("reason {} ? ESCAPE '\\'", db.like_any_case());
        c.push(&like, Arg::Text(crate::store::dialect::contains(q)));
    }
    Ok(c)
}

/// A staff member's id from an e-mail address or a number.
async fn actor_id(db: &Db, actor: &str) -> Result<Option<i64>, AppError> {
    if let Ok(id) = actor.parse::<i64>() {
        return Ok(Some(id));
    }
    let id: Option<i64> =
        on_db!(db, |p| sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
            .bind(actor.to_lowercase())
            .fetch_optional(p)
            .await)?;
    Ok(id)
}

/// The ids `[low, high)` of the events inside the filter's dates; `None` when no event
/// falls inside them.
pub async fn id_bounds(db: &Db, filter: &ActivityFilter) -> Result<Option<(i64, i64)>, AppError> {
    let low = match filter.from {
        None => 1,
        Some(day) => {
            let first: Option<i64> = on_db!(db, |p| {
                sqlx::query_scalar(
                "SELECT id FROM activity_events WHERE occurred_at >= $1 ORDER BY occurred_at, id LIMIT 1"
            ).bind(start_of(day)).fetch_optional(p).await
            })?;
            match first {
                Some(id) => id,
                None => return Ok(None),
            }
        }
    };
    let last: Option<i64> = match filter.to {
        None => on_db!(db, |p| sqlx::query_scalar("SELECT MAX(id) FROM activity_events")
            .fetch_one(p)
            .await)?,
        Some(day) => on_db!(db, |p| {
            sqlx::query_scalar(
            "SELECT id FROM activity_events WHERE occurred_at < $1 ORDER BY occurred_at DESC, id DESC LIMIT 1"
        ).bind(start_of(day + Duration::days(1))).fetch_optional(p).await
        })?,
    };
    Ok(last.filter(|last| *last >= low).map(|last| (low, last + 1)))
}

/// Midnight UTC at the start of `day`.
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

async fn fetch(db: &Db, sql: String, args: Vec<Arg>) -> Result<Vec<StoredEvent>, AppError> {
    let rows = on_db!(db, |p| {
        // Not a cached prepared statement: PostgreSQL then plans with the actual values
        // (a generic plan cannot tell a rare action from a common one and may read the
        // whole table backwards looking for it).
        let mut query =
            sqlx::query_as::<_, StoredEvent>(sqlx::AssertSqlSafe(sql)).persistent(false);
        for arg in args {
            query = match arg {
                Arg::Int(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
            };
        }
        query.fetch_all(p).await
    })?;
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct Label {
    kind: String,
    id: i64,
    label: String,
}

/// What a label is read from, per kind of record. Each branch names its columns: any
/// of them may be the first of the union.
const LABELS: [(&str, &str); 7] = [
    ("customer", "SELECT 'customer' AS kind, id, name AS label FROM customers WHERE id"),
    (
        "subscription",
        "SELECT 'subscription' AS kind, id, number AS label FROM subscriptions WHERE id",
    ),
    ("namespace", "SELECT 'namespace' AS kind, id, path AS label FROM namespaces WHERE id"),
    (
        "billing_account",
        "SELECT 'billing_account' AS kind, id, number AS label FROM billing_accounts WHERE id",
    ),
    ("invoice", "SELECT 'invoice' AS kind, id, number AS label FROM invoices WHERE id"),
    ("staff_user", "SELECT 'staff_user' AS kind, id, email AS label FROM staff_users WHERE id"),
    (
        "note",
        "SELECT 'note' AS kind, id, substr(body, 1, 60) AS label FROM customer_notes WHERE id",
    ),
];

/// Fills in each event's customer name and target label: one statement for a page.
async fn labelled(db: &Db, mut events: Vec<ActivityEvent>) -> Result<Vec<ActivityEvent>, AppError> {
    if events.is_empty() {
        return Ok(events);
    }
    let ids = |kind: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = events
            .iter()
            .flat_map(|e| {
                let customer = (kind == "customer").then_some(e.body.customer_id).flatten();
                let target = (e.body.target_type.as_str() == kind).then_some(e.body.target_id);
                customer.into_iter().chain(target)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let parts: Vec<(&str, Vec<i64>)> =
        LABELS.iter().map(|(kind, head)| (*head, ids(kind))).collect();
    let rows: Vec<Label> = by_ids_now(db, &parts).await?;
    let labels: HashMap<(String, i64), String> =
        rows.into_iter().map(|r| ((r.kind, r.id), r.label)).collect();
    for e in &mut events {
        let b = &e.body;
        e.customer_name = b.customer_id.and_then(|c| labels.get(&("customer".into(), c)).cloned());
        e.target_label = labels.get(&(b.target_type.to_string(), b.target_id)).cloned();
    }
    Ok(events)
}
