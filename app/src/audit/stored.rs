//! An activity event as stored: the row every reader of `activity_events` uses.
use chrono::{DateTime, Utc};

use crate::audit::ActivityEvent;
use crate::domain::EventSource;

/// Every column of `activity_events`, in `StoredEvent`'s order.
pub const COLUMNS: &str =
    "id, occurred_at, actor_id, actor_email, action, target_type, target_id, customer_id, \
    reason, ticket_url, changes, source, approval_id, prev_hash, hash";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_email: String,
    pub action: String,
    pub target_type: String,
    pub target_id: i64,
    pub customer_id: Option<i64>,
    pub reason: String,
    pub ticket_url: Option<String>,
    pub changes: String,
    pub source: String,
    pub approval_id: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEvent {
    /// The event as the timeline shows it.
    pub fn into_event(self) -> ActivityEvent {
        ActivityEvent {
            id: self.id,
            occurred_at: self.occurred_at,
            actor_id: self.actor_id,
            actor_email: self.actor_email,
            action: self.action,
            target_type: self.target_type,
            target_id: self.target_id,
            customer_id: self.customer_id,
            reason: self.reason,
            ticket_url: self.ticket_url,
            changes: serde_json::from_str(&self.changes).unwrap_or_default(),
            source: EventSource::parse(&self.source).unwrap_or(EventSource::Console),
            approval_id: self.approval_id,
        }
    }
}
