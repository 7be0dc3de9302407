//! The provider's webhook events, each stored once by its id: a duplicate of one that
//! was handled is recognised and answered without doing the work again (one whose
//! handling failed, the provider unreachable, is handled when it comes again).
use chrono::{DateTime, Utc};

use crate::domain::billing::Provider;
use crate::store::{now, Db};
use crate::{on_db, AppError};

/// Stores event `event_id` of `provider` (once); whether it was handled before.
pub async fn store(
    db: &Db,
    provider: Provider,
    event_id: &str,
    event_type: &str,
    object_id: &str,
) -> Result<bool, AppError> {
    let stored = on_db!(db, |p| {
        sqlx::query(
            "INSERT INTO billing_events (provider, event_id, event_type, object_id, received_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider, event_id) DO NOTHING",
        )
        .bind(provider)
        .bind(event_id)
        .bind(event_type)
        .bind(object_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if stored == 1 {
        return Ok(false);
    }
    let handled: Option<DateTime<Utc>> = on_db!(db, |p| {
        sqlx::query_scalar(
            "SELECT processed_at FROM billing_events WHERE provider = $1 AND event_id = $2",
        )
        .bind(provider)
        .bind(event_id)
        .fetch_one(p)
        .await
    })?;
    Ok(handled.is_some())
}

/// Records what handling event `event_id` came to.
pub async fn processed(
    db: &Db,
    provider: Provider,
    event_id: &str,
    outcome: &str,
) -> Result<(), AppError> {
    on_db!(db, |p| {
        sqlx::query(
            "UPDATE billing_events SET processed_at = $1, outcome = $2 WHERE provider = $3 AND event_id = $4",
        )
        .bind(now())
        .bind(outcome)
        .bind(provider)
        .bind(event_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}
