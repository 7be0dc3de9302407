//! The outbox: a change to a provider-owned field of a linked record is written here in
//! the transaction that makes the change and records its event, so it cannot be lost
//! between the two systems; [`super::deliver`] takes it to the provider. Entries of one
//! record are delivered in order; each is claimed for a while before it is sent, so
//! several servers on one database deliver each entry once.
use chrono::{DateTime, Duration, Utc};

use super::links;
use crate::domain::billing::{ChangeSync, LinkedRecord, SubscriptionTerms, SyncState};
use crate::domain::Subscription;
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// How long a claimed entry is left to its claimant before another server may take it.
pub const CLAIM_SECS: i64 = 60;
/// The longest wait between two attempts.
pub const MAX_BACKOFF_SECS: i64 = 300;

/// The provider-owned terms of a subscription.
pub fn terms(s: &Subscription) -> SubscriptionTerms {
    SubscriptionTerms {
        seats: s.seats,
        end_date: s.end_date,
        auto_renew: s.auto_renew,
        status: s.status,
    }
}

/// Writes the terms of `after` to the outbox, inside `tx`, when the subscription is
/// linked and a provider-owned field changed from `before`. The idempotency key names
/// the change's event, so the same change is never two deliveries.
pub async fn enqueue_subscription(
    tx: &mut Tx,
    before: &Subscription,
    after: &Subscription,
    event_id: i64,
) -> Result<(), AppError> {
    let terms = terms(after);
    if terms == self::terms(before) {
        return Ok(());
    }
    if links::provider_id(tx, LinkedRecord::Subscription, after.id).await?.is_none() {
        return Ok(());
    }
    enqueue_terms(tx, after, event_id).await
}

/// Writes the terms of `sub` to the outbox, inside `tx`, as they are (sending the
/// console's values where the provider disagrees). The idempotency key names the
/// change's event, so the same change is never two deliveries. Older entries of the
/// record the provider refused are dropped: retrying one changes nothing, it would hold
/// back every later change of the record, and the new entry carries the whole terms.
pub async fn enqueue_terms(tx: &mut Tx, sub: &Subscription, event_id: i64) -> Result<(), AppError> {
    let terms = terms(sub);
    let payload = serde_json::to_string(&terms).map_err(|e| AppError::Internal(e.to_string()))?;
    let key = format!("fc-subscription-{}-event-{event_id}", sub.id);
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM billing_outbox WHERE record_type = $1 AND record_id = $2
               AND delivered_at IS NULL AND refused AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(LinkedRecord::Subscription)
        .bind(sub.id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO billing_outbox (record_type, record_id, event_id, payload, idempotency_key, created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(LinkedRecord::Subscription)
        .bind(sub.id)
        .bind(event_id)
        .bind(&payload)
        .bind(&key)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// An entry taken for delivery, with the provider's id of its record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub record_type: LinkedRecord,
    pub record_id: i64,
    /// `None` when the record is no longer linked.
    pub provider_id: Option<String>,
    pub payload: String,
    pub idempotency_key: String,
    pub attempts: i32,
    /// The change's event.
    pub event_id: Option<i64>,
}

/// Claims up to `limit` entries that are due, the oldest undelivered one of each record
/// only, for [`CLAIM_SECS`].
pub async fn claim(db: &Db, limit: i64) -> Result<Vec<Entry>, AppError> {
    let at = now();
    let due: Vec<Entry> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT o.id, o.record_type, o.record_id, l.provider_id, o.payload, o.idempotency_key, o.attempts, o.event_id
             FROM billing_outbox o
             LEFT JOIN billing_links l ON l.record_type = o.record_type AND l.record_id = o.record_id
             WHERE o.delivered_at IS NULL AND o.next_attempt_at <= $1
               AND (o.claimed_until IS NULL OR o.claimed_until < $1)
               AND NOT EXISTS (SELECT 1 FROM billing_outbox e WHERE e.record_type = o.record_type
                   AND e.record_id = o.record_id AND e.id < o.id AND e.delivered_at IS NULL)
             ORDER BY o.id LIMIT $2",
        )
        .bind(at)
        .bind(limit)
        .fetch_all(p)
        .await
    })?;
    let until = at + Duration::seconds(CLAIM_SECS);
    let mut claimed = Vec::new();
    for entry in due {
        let taken = on_db!(db, |p| {
            sqlx::query(
                "UPDATE billing_outbox SET claimed_until = $1
                 WHERE id = $2 AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)",
            )
            .bind(until)
            .bind(entry.id)
            .bind(at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if taken == 1 {
            claimed.push(entry);
        }
    }
    Ok(claimed)
}

/// Marks entry `id` delivered.
pub async fn delivered(db: &Db, id: i64) -> Result<(), AppError> {
    on_db!(db, |p| {
        sqlx::query(
            "UPDATE billing_outbox SET delivered_at = $1, claimed_until = NULL, last_error = NULL, attempts = attempts + 1 WHERE id = $2",
        )
        .bind(now())
        .bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Hands a claimed entry back untried.
pub async fn release(db: &Db, id: i64) -> Result<(), AppError> {
    on_db!(db, |p| {
        sqlx::query(
            "UPDATE billing_outbox SET claimed_until = NULL WHERE id = $1 AND delivered_at IS NULL",
        )
        .bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Records a failed attempt of `entry`; the next comes after a backoff that doubles with
/// each attempt, up to [`MAX_BACKOFF_SECS`].
pub async fn failed(
    db: &Db,
    entry: &Entry,
    error: &str,
    refused: bool,
) -> Result<DateTime<Utc>, AppError> {
    let wait = 2i64.saturating_pow(entry.attempts.clamp(0, 16) as u32).min(MAX_BACKOFF_SECS);
    let next = now() + Duration::seconds(wait);
    on_db!(db, |p| {
        sqlx::query(
            "UPDATE billing_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_until = NULL, refused = $4 WHERE id = $3",
        )
        .bind(error)
        .bind(next)
        .bind(entry.id)
        .bind(refused)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(next)
}

/// The oldest undelivered entry of a record: how often it was tried and why it
/// failed last.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Waiting {
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The provider refused the last attempt (rather than not answering).
    pub refused: bool,
}

/// The record's oldest undelivered entry, if one waits.
pub async fn waiting_for(
    db: &Db,
    record_type: LinkedRecord,
    record_id: i64,
) -> Result<Option<Waiting>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "SELECT attempts, last_error, refused FROM billing_outbox
             WHERE record_type = $1 AND record_id = $2 AND delivered_at IS NULL ORDER BY id LIMIT 1",
        )
        .bind(record_type)
        .bind(record_id)
        .fetch_optional(p)
        .await
    })?)
}

/// Drops the record's undelivered entries older than the one `event` wrote and not in
/// delivery now: each entry carries the whole terms, so the newest says everything the
/// older ones would.
pub async fn supersede(
    tx: &mut Tx,
    record_type: LinkedRecord,
    record_id: i64,
    event: i64,
) -> Result<u64, AppError> {
    Ok(on_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM billing_outbox WHERE record_type = $1 AND record_id = $2
               AND delivered_at IS NULL AND (event_id IS NULL OR event_id < $3)
               AND (claimed_until IS NULL OR claimed_until < $4)",
        )
        .bind(record_type)
        .bind(record_id)
        .bind(event)
        .bind(now())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?)
}

/// Marks each of `events` that was written through to the provider with how its
/// delivery stands (one query for the page).
pub async fn annotate(db: &Db, events: &mut [crate::audit::ActivityEvent]) -> Result<(), AppError> {
    if events.is_empty() {
        return Ok(());
    }
    let ids = events.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT event_id, delivered_at, attempts, last_error, next_attempt_at FROM billing_outbox WHERE event_id IN ({ids})"
    );
    type Row = (i64, Option<DateTime<Utc>>, i32, Option<String>, DateTime<Utc>);
    let rows: Vec<Row> =
        on_db!(db, |p| { sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await })?;
    for (event_id, delivered, attempts, error, next) in rows {
        let sync = match (delivered, attempts) {
            (Some(_), _) => {
                ChangeSync { sync: SyncState::Synced, error: None, next_retry_at: None }
            }
            (None, 0) => ChangeSync { sync: SyncState::Pending, error: None, next_retry_at: None },
            (None, _) => ChangeSync { sync: SyncState::Failed, error, next_retry_at: Some(next) },
        };
        if let Some(e) = events.iter_mut().find(|e| e.id == event_id) {
            e.billing = Some(sync);
        }
    }
    Ok(())
}

/// Entries not yet delivered.
pub async fn waiting(db: &Db) -> Result<i64, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT COUNT(*) FROM billing_outbox WHERE delivered_at IS NULL")
            .fetch_one(p)
            .await
    })?)
}
