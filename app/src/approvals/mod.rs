//! Approvals (DESIGN.md "Operations" 9): an operation that policy marks becomes a
//! request with its payload frozen; a lead or admin other than the requester approves
//! (it then runs once, re-validated) or rejects it. Requests expire after 72 hours.

mod page;
#[cfg(feature = "ssr")]
pub mod server;

pub use page::ApprovalsPage;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::client::CsrfClient;
use crate::ops::Preview;
use crate::AppError;

/// One approval request as the queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Approval {
    pub id: i64,
    pub action: String,
    pub target_type: String,
    pub target_id: i64,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub reason: String,
    pub ticket_url: Option<String>,
    pub requested_by: i64,
    pub requested_by_email: String,
    pub requested_at: DateTime<Utc>,
    /// `pending`, `rejected`, `expired` or `executed`.
    pub status: String,
    pub decided_by_email: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub expires_at: DateTime<Utc>,
    /// The exact changes, frozen when the request was made.
    pub preview: Preview,
}

/// Requests with `status` (all when `None`), newest first.
#[server(client = CsrfClient, endpoint = "approvals/list")]
pub async fn list_approvals(status: Option<String>) -> Result<Vec<Approval>, AppError> {
    crate::error::with_status(server::list_for_caller(status).await)
}

/// Approves (and so runs) or rejects request `id`, with a note.
#[server(client = CsrfClient, endpoint = "approvals/decide")]
pub async fn decide_approval(id: i64, approve: bool, note: String) -> Result<Approval, AppError> {
    crate::error::with_status(server::decide_for_caller(id, approve, note).await)
}
