use chrono::{DateTime, Utc};

use crate::audit::chain::{Canonical, GENESIS};
use crate::audit::EventBody;
use crate::store::dialect::Lock;
use crate::store::{now, Tx};
use crate::{on_tx, AppError};

#[derive(sqlx::FromRow)]
struct Head {
    id: i64,
    hash: String,
    occurred_at: DateTime<Utc>,
}

/// Appends `event` to the chain and returns its id. Writers are serialised: SQLite by
/// its write lock (`BEGIN IMMEDIATE`), PostgreSQL by a transaction-scoped advisory lock,
/// so concurrent server instances still build one chain. Time never runs backwards
/// along the chain (an event is stamped no earlier than its predecessor), which lets
/// the timeline turn a date range into an id range.
pub async fn record(tx: &mut Tx, event: EventBody) -> Result<i64, AppError> {
    let changes = serde_json::to_string(&event.changes).map_err(AppError::internal)?;
    tx.lock(Lock::AuditChain, None).await?;
    let head: Option<Head> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, hash, occurred_at FROM activity_events ORDER BY id DESC LIMIT 1"
    )
    .fetch_optional(c)
    .await)?;
    let (id, prev_hash, occurred_at) = match head {
        Some(h) => (h.id + 1, h.hash, now().max(h.occurred_at)),
        None => (1, GENESIS.to_string(), now()),
    };
    let hash =
        Canonical::of(id, occurred_at, &event, &changes, event.source.as_str(), &prev_hash).hash();
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO activity_events (id, occurred_at, actor_id, actor_email, action, target_type, target_id,
            customer_id, reason, ticket_url, changes, source, approval_id, prev_hash, hash, requester, requester_verdict)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    )
    .bind(id)
    .bind(occurred_at)
    .bind(event.actor_id)
    .bind(&event.actor_email)
    .bind(event.action)
    .bind(event.target_type)
    .bind(event.target_id)
    .bind(event.customer_id)
    .bind(&event.reason)
    .bind(&event.ticket_url)
    .bind(&changes)
    .bind(event.source.as_str())
    .bind(event.approval_id)
    .bind(&prev_hash)
    .bind(&hash)
    .bind(&event.requester)
    .bind(event.requester_verdict.map(|v| v.as_str()))
    .execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(id)
}
