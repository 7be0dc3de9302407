//! "State as of": a subscription's or namespace's fields at a past moment, rebuilt by
//! walking its events back from today's record and restoring each change's old value.
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::activity::{FieldThen, StateAsOf};
use crate::audit::FieldChanges;
use crate::ops::server::rows;
use crate::store::{Db, Tx};
use crate::{on_tx, AppError};

/// Fields that are bookkeeping, not state a person asks about.
const SKIPPED: [&str; 2] = ["id", "version"];

/// `target_type` record `target_id` as it was at `at`.
pub async fn state_as_of(
    db: &Db,
    target_type: &str,
    target_id: i64,
    at: DateTime<Utc>,
) -> Result<StateAsOf, AppError> {
    // One snapshot: the record and the events after `at` agree with each other.
    let mut tx = db.begin_read().await?;
    let current = current(&mut tx, target_type, target_id).await?;
    let changes: Vec<String> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
        "SELECT changes FROM activity_events WHERE target_type = $1 AND target_id = $2 AND occurred_at > $3 ORDER BY id DESC"
    )
    .bind(target_type)
    .bind(target_id)
    .bind(at)
    .fetch_all(c)
    .await
    })?;
    tx.rollback().await?;
    let mut then = current.clone();
    for text in &changes {
        let changes: FieldChanges = serde_json::from_str(text).unwrap_or_default();
        for (field, [old, _]) in changes {
            if then.contains_key(&field) {
                then.insert(field, old);
            }
        }
    }
    let fields = current
        .into_iter()
        .filter(|(name, _)| !SKIPPED.contains(&name.as_str()))
        .map(|(name, now)| {
            let was = then.get(&name).cloned().unwrap_or(Value::Null);
            FieldThen { name, then: was, now }
        })
        .collect();
    Ok(StateAsOf {
        target_type: target_type.to_string(),
        target_id,
        at,
        fields,
        events_after: changes.len() as u64,
    })
}

/// Today's record as field → value.
async fn current(tx: &mut Tx, target_type: &str, id: i64) -> Result<Map<String, Value>, AppError> {
    let value = match target_type {
        "subscription" => serde_json::to_value(rows::subscription(tx, id).await?),
        "namespace" => serde_json::to_value(rows::namespace(tx, id).await?),
        _ => {
            return Err(AppError::field(
                "target_type",
                "State as of is kept for subscriptions and namespaces.",
            ))
        }
    };
    match value.map_err(AppError::internal)? {
        Value::Object(map) => Ok(map),
        _ => Err(AppError::internal("a record did not encode as an object")),
    }
}
