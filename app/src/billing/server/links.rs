//! Which of our records the provider holds, under which id, and whether the console's
//! changes to each have reached it (read from the record's newest outbox entry).
use chrono::{DateTime, Utc};

use crate::domain::billing::{BillingLink, LinkedRecord, Provider, SyncState};
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// Records that `record_type` `record_id` is `provider_id` at `provider`.
pub async fn insert(
    db: &Db,
    record_type: LinkedRecord,
    record_id: i64,
    provider: Provider,
    provider_id: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    insert_in(&mut tx, record_type, record_id, provider, provider_id).await?;
    tx.commit().await?;
    Ok(())
}

/// [`insert`], inside the transaction of the change that makes the record.
pub async fn insert_in(
    tx: &mut Tx,
    record_type: LinkedRecord,
    record_id: i64,
    provider: Provider,
    provider_id: &str,
) -> Result<(), AppError> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO billing_links (record_type, record_id, provider, provider_id, linked_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(record_type)
        .bind(record_id)
        .bind(provider)
        .bind(provider_id)
        .bind(now())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The provider's id of a record, if it is linked.
pub async fn provider_id(
    tx: &mut Tx,
    record_type: LinkedRecord,
    record_id: i64,
) -> Result<Option<String>, AppError> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT provider_id FROM billing_links WHERE record_type = $1 AND record_id = $2",
        )
        .bind(record_type)
        .bind(record_id)
        .fetch_optional(c)
        .await
    })?)
}

/// Our record linked to the provider's `provider_id`, if any.
pub async fn record_of(
    db: &Db,
    provider: Provider,
    provider_id: &str,
) -> Result<Option<(LinkedRecord, i64)>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "SELECT record_type, record_id FROM billing_links WHERE provider = $1 AND provider_id = $2",
        )
        .bind(provider)
        .bind(provider_id)
        .fetch_optional(p)
        .await
    })?)
}

/// Keeps what the provider's record `provider_id` looked like just now.
pub async fn remember(
    db: &Db,
    provider: Provider,
    provider_id: &str,
    state: &impl serde::Serialize,
) -> Result<(), AppError> {
    let text = serde_json::to_string(state).map_err(AppError::internal)?;
    on_db!(db, |p| {
        sqlx::query(
            "UPDATE billing_links SET provider_state = $1, provider_seen_at = $2 WHERE provider = $3 AND provider_id = $4",
        )
        .bind(&text)
        .bind(now())
        .bind(provider)
        .bind(provider_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The provider's side of a customer's linked subscriptions and invoices as last seen:
/// by record, the values (as the reconciliation kept them) and when they were seen.
pub async fn seen_for_customer(db: &Db, customer_id: i64) -> Result<Vec<Seen>, AppError> {
    #[derive(sqlx::FromRow)]
    struct SeenRow {
        record_type: LinkedRecord,
        record_id: i64,
        provider_state: Option<String>,
        provider_seen_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<SeenRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.record_type, l.record_id, l.provider_state, l.provider_seen_at FROM billing_links l
             WHERE (l.record_type = 'subscription'
                    AND l.record_id IN (SELECT id FROM subscriptions WHERE customer_id = $1))
                OR (l.record_type = 'invoice'
                    AND l.record_id IN (SELECT id FROM invoices WHERE customer_id = $1))",
        )
        .bind(customer_id)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Seen {
                record_type: r.record_type,
                record_id: r.record_id,
                state: r.provider_state?,
                at: r.provider_seen_at?,
            })
        })
        .collect())
}

/// A linked record's provider values as last seen.
#[derive(Debug, Clone)]
pub struct Seen {
    pub record_type: LinkedRecord,
    pub record_id: i64,
    /// The values as JSON: a [`crate::domain::drift::ProviderSubscription`] or a
    /// [`crate::domain::drift::invoice::ProviderInvoice`].
    pub state: String,
    pub at: DateTime<Utc>,
}

impl Seen {
    /// The values, read as `T`.
    pub fn read<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.state).ok()
    }
}

/// Every linked record's provider id, by our id.
pub async fn all(db: &Db, record_type: LinkedRecord) -> Result<Vec<(i64, String)>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "SELECT record_id, provider_id FROM billing_links WHERE record_type = $1 ORDER BY record_id",
        )
        .bind(record_type)
        .fetch_all(p)
        .await
    })?)
}

#[derive(sqlx::FromRow)]
struct Row {
    record_type: LinkedRecord,
    record_id: i64,
    provider: Provider,
    provider_id: String,
    linked_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    attempts: Option<i32>,
    last_error: Option<String>,
    next_attempt_at: Option<DateTime<Utc>>,
}

/// A customer's linked records (the customer, its subscriptions and invoices), each with how
/// its newest change stands: `(record type, record id, link)`.
pub async fn for_customer(
    db: &Db,
    customer_id: i64,
) -> Result<Vec<(LinkedRecord, i64, BillingLink)>, AppError> {
    let rows: Vec<Row> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.record_type, l.record_id, l.provider, l.provider_id, l.linked_at,
                    o.delivered_at, o.attempts, o.last_error, o.next_attempt_at
             FROM billing_links l
             LEFT JOIN billing_outbox o ON o.id = (SELECT MAX(x.id) FROM billing_outbox x
                 WHERE x.record_type = l.record_type AND x.record_id = l.record_id)
             WHERE (l.record_type = 'customer' AND l.record_id = $1)
                OR (l.record_type = 'subscription'
                    AND l.record_id IN (SELECT id FROM subscriptions WHERE customer_id = $1))
                OR (l.record_type = 'invoice'
                    AND l.record_id IN (SELECT id FROM invoices WHERE customer_id = $1))
             ORDER BY l.record_type, l.record_id",
        )
        .bind(customer_id)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (sync, synced_at, error, next_retry_at) = match (r.attempts, r.delivered_at) {
                (None, _) => (SyncState::Synced, Some(r.linked_at), None, None),
                (Some(_), Some(at)) => (SyncState::Synced, Some(at), None, None),
                (Some(0), None) => (SyncState::Pending, None, None, None),
                (Some(_), None) => (SyncState::Failed, None, r.last_error, r.next_attempt_at),
            };
            let link = BillingLink {
                provider: r.provider,
                id: r.provider_id,
                sync,
                synced_at,
                error,
                next_retry_at,
            };
            (r.record_type, r.record_id, link)
        })
        .collect())
}
