use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Action, ApprovalStatus, Preview, TargetType, Verdict};

/// One approval request as the queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Approval {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub action: Action,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub target_type: TargetType,
    pub target_id: i64,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub reason: String,
    pub ticket_url: Option<String>,
    pub requested_by: i64,
    pub requested_by_email: String,
    pub requested_at: DateTime<Utc>,
    /// `pending`, `rejected`, `expired` or `executed`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: ApprovalStatus,
    pub decided_by_email: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub expires_at: DateTime<Utc>,
    /// The exact changes, frozen when the request was made.
    pub preview: Preview,
    /// Email of the person at the customer who asked, when someone did.
    pub requester: Option<String>,
    /// What the server found the requester to be when the request was filed.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub requester_verdict: Option<Verdict>,
}
