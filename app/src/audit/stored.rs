//! An activity event as stored: the typed event, plus the stored text of its changes
//! and source and its two hashes, which the chain is checked against as they are (a
//! tampered row must fail its hash, not be tidied up by parsing). An action or target
//! type this version does not know fails to decode: the walk stops with an error rather
//! than passing the row.
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::audit::chain::Canonical;
use crate::audit::{ActivityEvent, EventBody};
use crate::domain::{EventSource, Verdict};

/// Every column of `activity_events`.
pub const COLUMNS: &str =
    "id, occurred_at, actor_id, actor_email, action, target_type, target_id, customer_id, \
    reason, ticket_url, changes, source, approval_id, prev_hash, hash, requester, requester_verdict";

#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub event: ActivityEvent,
    /// `changes` as stored (JSON text).
    pub changes_text: String,
    /// `source` as stored.
    pub source_text: String,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEvent {
    /// What the event's hash covers, as stored.
    pub fn canonical(&self) -> Canonical<'_> {
        let e = &self.event;
        Canonical::of(
            e.id,
            e.occurred_at,
            &e.body,
            &self.changes_text,
            &self.source_text,
            &self.prev_hash,
        )
    }
}

impl<'r, R: Row> sqlx::FromRow<'r, R> for StoredEvent
where
    &'static str: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        let changes_text: String = row.try_get("changes")?;
        let source_text: String = row.try_get("source")?;
        let body = EventBody {
            actor_id: row.try_get("actor_id")?,
            actor_email: row.try_get("actor_email")?,
            action: row.try_get("action")?,
            target_type: row.try_get("target_type")?,
            target_id: row.try_get("target_id")?,
            customer_id: row.try_get("customer_id")?,
            reason: row.try_get("reason")?,
            ticket_url: row.try_get("ticket_url")?,
            changes: serde_json::from_str(&changes_text).unwrap_or_default(),
            source: EventSource::parse(&source_text).unwrap_or(EventSource::Console),
            approval_id: row.try_get("approval_id")?,
            requester: row.try_get("requester")?,
            requester_verdict: row
                .try_get::<Option<String>, _>("requester_verdict")?
                .and_then(|v| Verdict::parse(&v)),
        };
        Ok(StoredEvent {
            event: ActivityEvent {
                id: row.try_get("id")?,
                occurred_at: row.try_get("occurred_at")?,
                body,
                customer_name: None,
                target_label: None,
                billing: None,
            },
            changes_text,
            source_text,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        })
    }
}
