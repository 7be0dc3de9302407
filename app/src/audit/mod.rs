//! The audit trail: every change to customer or staff data is written in the same
//! transaction as one event, each event hashed and linked to the one before it. Here:
//! the event and its field changes, recording, reading pages of events, and walking
//! the chain. The timeline pages that show it are the `activity` feature.

mod filter;

#[cfg(feature = "ssr")]
pub mod append_only;
#[cfg(feature = "ssr")]
pub mod chain;
#[cfg(feature = "ssr")]
pub mod checkpoint;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
mod record;
#[cfg(feature = "ssr")]
pub mod stored;
#[cfg(feature = "ssr")]
pub mod tally;

pub use filter::ActivityFilter;
#[cfg(feature = "ssr")]
pub use record::record;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Field name → `[old, new]`, as JSON values.
pub type FieldChanges = BTreeMap<String, [serde_json::Value; 2]>;

/// One recorded change: its place in the chain, then what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityEvent {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    #[serde(flatten)]
    pub body: EventBody,
    /// The customer's name (as it is now), for people to read instead of its id.
    #[serde(default)]
    pub customer_name: Option<String>,
    /// The target's own label: a subscription or account number, a namespace path, a
    /// staff member's email.
    #[serde(default)]
    pub target_label: Option<String>,
    /// A change written through to the billing provider: whether it reached it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<crate::domain::billing::ChangeSync>,
}

/// What a change was: who made it, to which record, why, and the fields it changed.
/// Written by `record` (inside the change's transaction), read back inside an
/// [`ActivityEvent`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventBody {
    pub actor_id: Option<i64>,
    pub actor_email: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub action: crate::domain::Action,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub target_type: crate::domain::TargetType,
    pub target_id: i64,
    pub customer_id: Option<i64>,
    pub reason: String,
    pub ticket_url: Option<String>,
    /// Field → `[old, new]`.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub changes: FieldChanges,
    /// `console`, `api` or `scheduled`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub source: crate::domain::EventSource,
    pub approval_id: Option<i64>,
    /// Email of the person who asked for the change, when someone did.
    pub requester: Option<String>,
    /// What the server found the requester to be: `owner`, `billing`, `technical`,
    /// `namespace_owner`, `unverified`, or `proactive` (nobody asked).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub requester_verdict: Option<crate::domain::Verdict>,
}

/// Result of walking the activity chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChainReport {
    /// Whether every event verified.
    pub holds: bool,
    /// Events verified before the first break (or all of them).
    pub checked: u64,
    /// The first event whose stored hash or link does not hold.
    pub first_broken: Option<BrokenLink>,
    /// When the walk finished.
    pub verified_at: chrono::DateTime<chrono::Utc>,
    /// How the database compares with the newest signed checkpoint kept outside it
    /// (absent before the first, or where checkpoints are off).
    #[serde(default)]
    pub checkpoint: Option<CheckpointStatus>,
}

/// How the database compares with the newest checkpoint (the timeline's badge and
/// `server audit verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckpointStatus {
    /// The event the newest checkpoint signed, and when.
    pub event_id: i64,
    pub signed_at: chrono::DateTime<chrono::Utc>,
    /// Whether the database still holds that event with that hash.
    pub holds: bool,
    /// What does not hold, in words.
    pub problem: Option<String>,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BrokenLink {
    pub id: i64,
    pub problem: String,
}

/// One page of the timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    pub events: Vec<ActivityEvent>,
    /// Pass back as `cursor` for the events below these; absent at the end.
    pub next_cursor: Option<String>,
}
