//! Turns candidates into displayable records: one query per kind present (ids in an
//! `IN` list), plus one for customer names and one for overdue invoices.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::candidates::Candidate;
use crate::search::HitKind;
use crate::store::Db;
use crate::{on_db, AppError};

/// A candidate with everything ranking and display need.
#[derive(Debug, Clone)]
pub struct Described {
    pub kind: HitKind,
    pub id: i64,
    pub customer_id: i64,
    pub title: String,
    pub subtitle: String,
    pub field: &'static str,
    pub text: String,
    pub badges: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    name: String,
    email: String,
    company: String,
    crm_account_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    /// The identifier: number, path or key.
    ident: String,
    /// Secondary searchable text (namespace name), else empty.
    alt: String,
    /// What it is, for the subtitle.
    what: String,
    /// Status-like value: subscription status, namespace trial end, license expiry.
    state: Option<String>,
}

/// Rows of `sql_head IN (…ids)`: one query, whatever the number of ids.
async fn fetch_by_ids<T>(db: &Db, sql_head: &str, ids: &[i64]) -> Result<Vec<T>, AppError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("{sql_head} IN ({list})");
    let rows = on_db!(db, |p| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(*id);
        }
        query.fetch_all(p).await
    })?;
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct OverdueRow {
    customer_id: i64,
}

const RECORD_SQL: [(HitKind, &str); 4] = [
    (HitKind::BillingAccount, "SELECT id, number AS ident, '' AS alt, currency || ' · ' || payment_terms AS what, NULL AS state FROM billing_accounts WHERE id"),
    (HitKind::Subscription, "SELECT id, number AS ident, '' AS alt, product || ' ' || deployment || ' · ' || seats || ' seats' AS what, status AS state FROM subscriptions WHERE id"),
    (HitKind::Namespace, "SELECT id, path AS ident, name AS alt, plan AS what, CASE WHEN trial_plan IS NOT NULL THEN CAST(trial_ends_on AS TEXT) END AS state FROM namespaces WHERE id"),
    (HitKind::License, "SELECT id, key AS ident, '' AS alt, kind AS what, CAST(expires_on AS TEXT) AS state FROM licenses WHERE id"),
];

/// Describes each distinct candidate; drops those whose record no longer matches.
pub async fn describe(db: &Db, q: &str, candidates: Vec<Candidate>, today: NaiveDate) -> Result<Vec<Described>, AppError> {
    let mut seen = HashSet::new();
    let candidates: Vec<Candidate> = candidates.into_iter().filter(|c| seen.insert((c.kind, c.id))).collect();
    let customer_ids: Vec<i64> = candidates.iter().map(|c| c.customer_id).collect::<HashSet<_>>().into_iter().collect();
    let customers: HashMap<i64, CustomerRow> =
        fetch_by_ids::<CustomerRow>(db, "SELECT id, name, email, company, crm_account_id FROM customers WHERE id", &customer_ids)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    let overdue: HashSet<i64> =
        fetch_by_ids::<OverdueRow>(db, "SELECT DISTINCT customer_id FROM invoices WHERE status = 'overdue' AND customer_id", &customer_ids)
            .await?
            .into_iter()
            .map(|r| r.customer_id)
            .collect();

    let mut records: HashMap<(HitKind, i64), RecordRow> = HashMap::new();
    for (kind, head) in RECORD_SQL {
        let ids: Vec<i64> = candidates.iter().filter(|c| c.kind == kind).map(|c| c.id).collect();
        for row in fetch_by_ids::<RecordRow>(db, head, &ids).await? {
            records.insert((kind, row.id), row);
        }
    }

    let mut out = Vec::new();
    for c in candidates {
        let Some(owner) = customers.get(&c.customer_id) else { continue };
        let mut badges = Vec::new();
        let (title, subtitle, fields): (String, String, Vec<(&'static str, String)>) = if c.kind == HitKind::Customer {
            let fields = vec![
                ("name", owner.name.clone()),
                ("email", owner.email.clone()),
                ("company", owner.company.clone()),
                ("crm_account_id", owner.crm_account_id.clone().unwrap_or_default()),
                ("id", owner.id.to_string()),
            ];
            (owner.name.clone(), format!("{} · {}", owner.email, owner.company), fields)
        } else {
            let Some(r) = records.get(&(c.kind, c.id)) else { continue };
            badges.extend(record_badges(c.kind, r.state.as_deref(), today));
            let mut fields = vec![(ident_field(c.kind), r.ident.clone())];
            if c.kind == HitKind::Namespace {
                fields.push(("name", r.alt.clone()));
                fields.push(("id", r.id.to_string()));
            }
            (r.ident.clone(), format!("{} · {}", r.what.replace('_', " "), owner.name), fields)
        };
        if overdue.contains(&c.customer_id) {
            badges.push("overdue".into());
        }
        let matched = match c.field {
            Some(f) => fields.iter().find(|(name, _)| *name == f).cloned(),
            None => fields.iter().filter(|(name, _)| *name != "id").find(|(_, v)| v.to_lowercase().contains(q)).cloned(),
        };
        let Some((field, text)) = matched else { continue };
        out.push(Described { kind: c.kind, id: c.id, customer_id: c.customer_id, title, subtitle, field, text, badges });
    }
    Ok(out)
}

fn ident_field(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Namespace => "path",
        HitKind::License => "key",
        _ => "number",
    }
}

/// Flags from a record's state: subscription status, trial end, license expiry.
fn record_badges(kind: HitKind, state: Option<&str>, today: NaiveDate) -> Vec<String> {
    let date = || state.and_then(|s| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok());
    match kind {
        HitKind::Subscription => match state {
            Some(s @ ("expired" | "cancelled")) => vec![s.to_string()],
            _ => vec![],
        },
        HitKind::Namespace => match date() {
            Some(end) if end >= today => vec!["trial".into()],
            Some(_) => vec!["trial ended".into()],
            None => vec![],
        },
        HitKind::License => match date() {
            Some(end) if end < today => vec!["expired".into()],
            _ => vec![],
        },
        _ => vec![],
    }
}
