//! Drift records: one open row per provider record and field the two sides disagree
//! on, noted each time reconciliation sees it (first seen stays, last seen moves) and
//! cleared when they agree again (by the event that made them agree, where one did).
use chrono::{DateTime, Utc};

use crate::domain::billing::{LinkedRecord, Provider};
use crate::domain::drift::{BillingField, Drift, DriftCount, DriftKind, DriftPage};
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// A disagreement reconciliation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub provider: Provider,
    pub record_type: LinkedRecord,
    /// Our record (`None`: only the provider has it).
    pub record_id: Option<i64>,
    pub provider_id: String,
    pub customer_id: Option<i64>,
    pub field: BillingField,
    pub kind: DriftKind,
    pub console_value: Option<String>,
    pub provider_value: Option<String>,
    pub detail: String,
}

/// One side of a record only one side has: ours (id and how the pages name it) when the
/// provider lacks it, theirs (how the pages name it) when the console does.
pub enum OneSide {
    Ours(i64, String),
    Theirs(String),
}

impl Observed {
    /// A record (`provider_id` at `provider`) only one side has.
    pub fn one_sided(
        provider: Provider,
        record_type: LinkedRecord,
        provider_id: &str,
        customer_id: Option<i64>,
        side: OneSide,
        detail: &str,
    ) -> Observed {
        let (record_id, kind, console_value, provider_value) = match side {
            OneSide::Ours(id, ours) => (Some(id), DriftKind::MissingAtProvider, Some(ours), None),
            OneSide::Theirs(theirs) => (None, DriftKind::OnlyAtProvider, None, Some(theirs)),
        };
        Observed {
            provider,
            record_type,
            record_id,
            provider_id: provider_id.to_string(),
            customer_id,
            field: BillingField::Record,
            kind,
            console_value,
            provider_value,
            detail: detail.to_string(),
        }
    }
}

/// Records `o` as open drift: a new row, or the open one of its record and field
/// brought up to date (its first sighting kept).
pub async fn note(db: &Db, o: &Observed) -> Result<(), AppError> {
    let at = now();
    on_db!(db, |p| {
        sqlx::query(
            "INSERT INTO billing_drift (provider, record_type, record_id, provider_id, customer_id, field, kind,
                                        console_value, provider_value, detail, first_seen, last_seen)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
             ON CONFLICT (provider, provider_id, field) WHERE cleared_at IS NULL
             DO UPDATE SET kind = excluded.kind, record_id = excluded.record_id,
                 customer_id = excluded.customer_id, console_value = excluded.console_value,
                 provider_value = excluded.provider_value, detail = excluded.detail,
                 last_seen = excluded.last_seen",
        )
        .bind(o.provider)
        .bind(o.record_type)
        .bind(o.record_id)
        .bind(&o.provider_id)
        .bind(o.customer_id)
        .bind(o.field)
        .bind(o.kind)
        .bind(&o.console_value)
        .bind(&o.provider_value)
        .bind(&o.detail)
        .bind(at)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Clears the open drift of provider record `provider_id` except on the fields in
/// `still` (which reconciliation has just noted again); `event` made them agree, where
/// a change did. How many it cleared.
pub async fn clear_except(
    db: &Db,
    provider_id: &str,
    still: &[BillingField],
    event: Option<i64>,
) -> Result<u64, AppError> {
    clear_where(db, provider_id, "NOT IN", still, event).await
}

/// Clears the open drift of provider record `provider_id` on `fields`, settled by
/// `event` (a delivery the provider accepted settles every field it owns).
pub async fn clear_fields(
    db: &Db,
    provider_id: &str,
    fields: &[BillingField],
    event: Option<i64>,
) -> Result<u64, AppError> {
    if fields.is_empty() {
        return Ok(0);
    }
    clear_where(db, provider_id, "IN", fields, event).await
}

async fn clear_where(
    db: &Db,
    provider_id: &str,
    test: &str,
    fields: &[BillingField],
    event: Option<i64>,
) -> Result<u64, AppError> {
    // The fields are the enum's own constants, never input.
    let listed = fields.iter().map(|f| format!("'{}'", f.as_str())).collect::<Vec<_>>().join(",");
    let narrow =
        if listed.is_empty() { String::new() } else { format!(" AND field {test} ({listed})") };
    let sql = format!(
        "UPDATE billing_drift SET cleared_at = $1, cleared_by_event = $2
         WHERE provider_id = $3 AND cleared_at IS NULL{narrow}"
    );
    Ok(on_db!(db, |p| {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(now())
            .bind(event)
            .bind(provider_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?)
}

/// Clears drift record `id` (its fix then names itself: [`cleared_by`]).
pub async fn clear(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE billing_drift SET cleared_at = $1 WHERE id = $2 AND cleared_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Names `event` as what cleared drift record `id`.
pub async fn cleared_by(tx: &mut Tx, id: i64, event: i64) -> Result<(), AppError> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE billing_drift SET cleared_by_event = $1 WHERE id = $2")
            .bind(event)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// What the list of open drift is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrow {
    pub field: Option<BillingField>,
    pub kind: Option<DriftKind>,
    pub customer_id: Option<i64>,
    /// Rows after this id.
    pub after: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    customer_id: Option<i64>,
    customer_name: Option<String>,
    number: Option<String>,
    record_type: LinkedRecord,
    record_id: Option<i64>,
    version: Option<i64>,
    provider_id: String,
    field: BillingField,
    kind: DriftKind,
    console_value: Option<String>,
    provider_value: Option<String>,
    detail: String,
    first_seen: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    cleared_at: Option<DateTime<Utc>>,
}

impl From<Row> for Drift {
    fn from(r: Row) -> Drift {
        let record = r.number.clone().unwrap_or_else(|| r.provider_id.clone());
        Drift {
            id: r.id,
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            target_label: record.clone(),
            record,
            record_type: r.record_type,
            record_id: r.record_id,
            record_version: r.version,
            provider_id: r.provider_id,
            field: r.field,
            kind: r.kind,
            console_value: r.console_value,
            provider_value: r.provider_value,
            detail: r.detail,
            first_seen: r.first_seen,
            last_seen: r.last_seen,
            cleared_at: r.cleared_at,
        }
    }
}

const SELECT: &str = "SELECT d.id, d.customer_id, c.name AS customer_name,
        CASE d.record_type WHEN 'subscription' THEN s.number WHEN 'invoice' THEN i.number
            WHEN 'customer' THEN c.name END AS number,
        d.record_type, d.record_id, s.version, d.provider_id, d.field, d.kind, d.console_value,
        d.provider_value, d.detail, d.first_seen, d.last_seen, d.cleared_at
    FROM billing_drift d
    LEFT JOIN customers c ON c.id = d.customer_id
    LEFT JOIN subscriptions s ON d.record_type = 'subscription' AND s.id = d.record_id
    LEFT JOIN invoices i ON d.record_type = 'invoice' AND i.id = d.record_id";

/// Open drift, oldest first, `limit` rows after `n.after`, with the counts by field
/// and kind over the whole narrowing.
pub async fn list(db: &Db, n: &Narrow, limit: i64) -> Result<DriftPage, AppError> {
    let field = n.field.map(|f| f.as_str());
    let kind = n.kind.map(|k| k.as_str());
    let narrow = "d.cleared_at IS NULL AND ($1 IS NULL OR d.field = $1)
        AND ($2 IS NULL OR d.kind = $2) AND ($3 IS NULL OR d.customer_id = $3)";
    let sql = format!("{SELECT} WHERE {narrow} AND d.id > $4 ORDER BY d.id LIMIT $5");
    let mut rows: Vec<Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(field)
            .bind(kind)
            .bind(n.customer_id)
            .bind(n.after.unwrap_or(0))
            .bind(limit + 1)
            .fetch_all(p)
            .await
    })?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more.then(|| rows.last().map(|r| r.id.to_string())).flatten();
    let sql = format!(
        "SELECT d.field, d.kind, COUNT(*) AS count FROM billing_drift d WHERE {narrow}
         GROUP BY d.field, d.kind ORDER BY count DESC, d.field, d.kind"
    );
    let counts: Vec<(BillingField, DriftKind, i64)> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(field)
            .bind(kind)
            .bind(n.customer_id)
            .fetch_all(p)
            .await
    })?;
    Ok(DriftPage {
        drift: rows.into_iter().map(Drift::from).collect(),
        next_cursor,
        counts: counts
            .into_iter()
            .map(|(field, kind, count)| DriftCount { field, kind, count })
            .collect(),
    })
}

/// Drift record `id`, open or cleared.
pub async fn get(tx: &mut Tx, id: i64) -> Result<Drift, AppError> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    let row: Option<Row> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await
    })?;
    row.map(Drift::from).ok_or_else(|| AppError::NotFound(format!("Drift record {id}")))
}

/// Open drift of a customer's records, oldest first.
pub async fn for_customer(db: &Db, customer_id: i64) -> Result<Vec<Drift>, AppError> {
    let sql = format!("{SELECT} WHERE d.customer_id = $1 AND d.cleared_at IS NULL ORDER BY d.id");
    let rows: Vec<Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(customer_id).fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(Drift::from).collect())
}
