//! Stored findings: what the last scan (or operation) saw, with first-seen times, and
//! the list and counts the integrity page shows.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::domain::{Finding, Rule, RuleCount, ScanSummary, TargetType};
use crate::store::{Db, Tx};
use crate::{on_db, on_tx, AppError};

/// Findings per page of the list.
pub const PAGE: i64 = 50;

/// The stored findings' columns, with the target's current version.
const COLUMNS: &str =
    "f.id, f.rule, f.target_type, f.target_id, f.customer_id, c.name AS customer_name, f.record,
    f.message, f.first_seen_at, f.related_id, COALESCE(n.version, s.version) AS version, f.flagged_event";
/// What a finding is shown with: its customer's name and its record's version. A page
/// picks its findings first (an index range, newest first) and joins these after:
/// joining every open finding before sorting read thousands of customers per page.
const JOINS: &str = "JOIN customers c ON c.id = f.customer_id
    LEFT JOIN namespaces n ON f.target_type = 'namespace' AND n.id = f.target_id
    LEFT JOIN subscriptions s ON f.target_type = 'subscription' AND s.id = f.target_id";

#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    rule: Rule,
    target_type: TargetType,
    target_id: i64,
    customer_id: i64,
    customer_name: String,
    record: String,
    message: String,
    first_seen_at: DateTime<Utc>,
    related_id: Option<i64>,
    version: Option<i64>,
    flagged_event: Option<i64>,
}

impl From<Stored> for Finding {
    fn from(s: Stored) -> Finding {
        Finding {
            id: Some(s.id),
            rule: s.rule,
            target_type: s.target_type,
            target_id: s.target_id,
            customer_id: s.customer_id,
            customer_name: Some(s.customer_name),
            target_label: s.record.clone(),
            record: s.record,
            message: s.message,
            first_seen_at: Some(s.first_seen_at),
            related_id: s.related_id,
            version: s.version,
            flagged_event: s.flagged_event,
        }
    }
}

/// Whether two findings are about the same rule and record.
pub fn same(a: &Finding, b: &Finding) -> bool {
    key(a) == key(b)
}

/// A finding's rule and record: what makes it the same finding from check to check.
fn key(f: &Finding) -> (Rule, TargetType, i64) {
    (f.rule, f.target_type, f.target_id)
}

/// `live` with what was stored about it (id, first seen, flag), where it was stored.
pub fn with_stored(live: Finding, stored: &Finding) -> Finding {
    Finding {
        id: stored.id,
        customer_name: stored.customer_name.clone(),
        first_seen_at: stored.first_seen_at,
        flagged_event: stored.flagged_event,
        ..live
    }
}

/// One page of open findings, newest first, of one rule and one customer when given;
/// with the cursor of the next page.
pub async fn page(
    db: &Db,
    rule: Option<&str>,
    customer: Option<i64>,
    cursor: Option<i64>,
) -> Result<(Vec<Finding>, Option<i64>), AppError> {
    let mut clauses = vec!["f.resolved_at IS NULL".to_string()];
    let mut params = crate::store::dialect::Params::default();
    let mut param = || params.take();
    if rule.is_some() {
        clauses.push(format!("f.rule = {}", param()));
    }
    if customer.is_some() {
        clauses.push(format!("f.customer_id = {}", param()));
    }
    if cursor.is_some() {
        clauses.push(format!("f.id < {}", param()));
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM (SELECT * FROM integrity_findings f WHERE {} ORDER BY f.id DESC LIMIT {}) f
         {JOINS} ORDER BY f.id DESC",
        clauses.join(" AND "),
        PAGE + 1
    );
    let mut rows: Vec<Stored> = on_db!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).persistent(false);
        if let Some(rule) = rule {
            q = q.bind(rule.to_string());
        }
        if let Some(c) = customer {
            q = q.bind(c);
        }
        if let Some(c) = cursor {
            q = q.bind(c);
        }
        q.fetch_all(p).await
    })?;
    let next_cursor = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok((rows.into_iter().map(Finding::from).collect(), next_cursor))
}

/// Open findings per rule, in rule order, for everyone or one customer.
pub async fn counts(db: &Db, customer: Option<i64>) -> Result<Vec<RuleCount>, AppError> {
    let rows: Vec<(String, i64)> = match customer {
        Some(c) => on_db!(db, |p| {
            sqlx::query_as(
            "SELECT rule, COUNT(*) FROM integrity_findings WHERE resolved_at IS NULL AND customer_id = $1 GROUP BY rule"
        ).bind(c).fetch_all(p).await
        })?,
        None => on_db!(db, |p| {
            sqlx::query_as(
            "SELECT rule, COUNT(*) FROM integrity_findings WHERE resolved_at IS NULL GROUP BY rule"
        ).fetch_all(p).await
        })?,
    };
    Ok(Rule::ALL
        .iter()
        .map(|r| RuleCount {
            rule: *r,
            count: rows.iter().find(|(id, _)| id == r.as_str()).map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// The last finished scan, if any.
pub async fn last_scan(db: &Db) -> Result<Option<ScanSummary>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "SELECT finished_at, duration_ms, found, opened, resolved FROM integrity_scans ORDER BY id DESC LIMIT 1"
    ).fetch_optional(p).await
    })?)
}

/// One stored finding (open or resolved) and whether it is still open.
pub async fn get(tx: &mut Tx, id: i64) -> Result<(Finding, bool), AppError> {
    let sql = format!("SELECT {COLUMNS}, f.resolved_at IS NULL AS open FROM integrity_findings f {JOINS} WHERE f.id = $1");
    #[derive(sqlx::FromRow)]
    struct WithOpen {
        #[sqlx(flatten)]
        stored: Stored,
        open: bool,
    }
    let row: Option<WithOpen> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    let row = row.ok_or_else(|| AppError::NotFound(format!("Integrity finding {id}")))?;
    Ok((row.stored.into(), row.open))
}

/// The open stored findings of one customer, oldest first.
pub async fn open_for_customer(tx: &mut Tx, customer: i64) -> Result<Vec<Finding>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM integrity_findings f {JOINS} WHERE f.resolved_at IS NULL AND f.customer_id = $1 ORDER BY f.id"
    );
    let rows: Vec<Stored> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(customer).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Finding::from).collect())
}

/// What one reconciliation changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub opened: i64,
    pub resolved: i64,
}

/// Makes the stored open findings (of `customer`, or everyone's) match `found`, seen
/// at `at` by a check that started at `started`: new ones open with first-seen `at`,
/// known ones are marked seen, and open ones no longer found are resolved (by
/// `event`, when an operation's check). A finding resolved after `started`, or first
/// seen after it, was settled by someone else meanwhile and is left as it is.
pub async fn reconcile(
    tx: &mut Tx,
    found: &[Finding],
    customer: Option<i64>,
    event: Option<i64>,
    started: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<Reconciled, AppError> {
    let open = match customer {
        Some(c) => open_for_customer(tx, c).await?,
        None => {
            let sql = format!(
                "SELECT {COLUMNS} FROM integrity_findings f {JOINS} WHERE f.resolved_at IS NULL"
            );
            let rows: Vec<Stored> =
                on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)?;
            rows.into_iter().map(Finding::from).collect()
        }
    };
    // Keyed once: a full scan compares thousands of findings with thousands.
    let open_by_key: HashMap<_, &Finding> = open.iter().map(|o| (key(o), o)).collect();
    let found_keys: HashSet<_> = found.iter().map(key).collect();
    let mut done = Reconciled::default();
    for f in found {
        match open_by_key.get(&key(f)) {
            Some(o)
                if o.message == f.message
                    && o.related_id == f.related_id
                    && o.record == f.record => {}
            Some(o) => {
                let id = o.id.unwrap_or_default();
                on_tx!(tx, |c| {
                    sqlx::query("UPDATE integrity_findings SET message = $1, record = $2, related_id = $3 WHERE id = $4")
                    .bind(&f.message).bind(&f.record).bind(f.related_id).bind(id)
                    .execute(c).await.map(|r| r.rows_affected())
                })?;
            }
            None => {
                let inserted = on_tx!(tx, |c| {
                    sqlx::query(
                    "INSERT INTO integrity_findings (rule, target_type, target_id, customer_id, record, message, related_id,
                        first_seen_at, last_seen_at)
                     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8
                     WHERE NOT EXISTS (SELECT 1 FROM integrity_findings
                        WHERE rule = $1 AND target_type = $2 AND target_id = $3 AND resolved_at >= $9)
                     ON CONFLICT (rule, target_type, target_id) WHERE resolved_at IS NULL DO NOTHING"
                )
                .bind(f.rule).bind(f.target_type).bind(f.target_id).bind(f.customer_id).bind(&f.record).bind(&f.message)
                .bind(f.related_id).bind(at).bind(started)
                .execute(c).await.map(|r| r.rows_affected())
                })?;
                done.opened += inserted as i64;
            }
        }
    }
    for o in open.iter().filter(|o| !found_keys.contains(&key(o))) {
        let resolved = on_tx!(tx, |c| sqlx::query(
            "UPDATE integrity_findings SET resolved_at = $1, resolved_by_event = $2
             WHERE id = $3 AND resolved_at IS NULL AND first_seen_at <= $4"
        )
        .bind(at)
        .bind(event)
        .bind(o.id.unwrap_or_default())
        .bind(started)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        done.resolved += resolved as i64;
    }
    match customer {
        Some(c) => on_tx!(tx, |conn| {
            sqlx::query("UPDATE integrity_findings SET last_seen_at = $1 WHERE resolved_at IS NULL AND customer_id = $2")
            .bind(at).bind(c).execute(conn).await.map(|r| r.rows_affected())
        })?,
        None => on_tx!(tx, |conn| sqlx::query(
            "UPDATE integrity_findings SET last_seen_at = $1 WHERE resolved_at IS NULL"
        )
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?,
    };
    Ok(done)
}
