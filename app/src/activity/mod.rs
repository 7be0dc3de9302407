//! The activity timeline: every change to customer or staff data is written together
//! with one event here, in the same transaction.

#[cfg(feature = "ssr")]
pub mod server;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Field name → `[old, new]`, as JSON values.
pub type FieldChanges = BTreeMap<String, [serde_json::Value; 2]>;

/// One recorded change, as shown on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityEvent {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<i64>,
    pub actor_email: String,
    pub action: String,
    pub target_type: String,
    pub target_id: i64,
    pub customer_id: Option<i64>,
    pub reason: String,
    pub ticket_url: Option<String>,
    pub changes: FieldChanges,
    pub source: crate::domain::EventSource,
    pub approval_id: Option<i64>,
}

/// Result of walking the activity chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// Events verified before the first break (or all of them).
    pub checked: u64,
    /// The first event whose stored hash or link does not hold.
    pub first_broken: Option<BrokenLink>,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    pub id: i64,
    pub problem: String,
}
