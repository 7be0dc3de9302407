//! The approvals queue (docs/PRODUCT.md "Operations" 12): an operation that policy marks
//! becomes a request with its payload frozen; a lead or admin other than the requester
//! approves (it then runs once, re-validated) or rejects it. Requests expire after 72
//! hours. Filing, deciding and expiring are the engine's (`ops::server::approvals`).

mod page;

pub use page::ApprovalsPage;

use leptos::prelude::*;

use crate::client::CsrfClient;
use crate::domain::Approval;
use crate::AppError;

/// Requests with `status` (all when `None`), newest first.
#[server(client = CsrfClient, endpoint = "approvals/list")]
pub async fn list_approvals(status: Option<String>) -> Result<Vec<Approval>, AppError> {
    crate::ops::server::approvals::list_for_caller(status).await
}

/// Approves (and so runs) or rejects request `id`, with a note.
#[server(client = CsrfClient, endpoint = "approvals/decide")]
pub async fn decide_approval(id: i64, approve: bool, note: String) -> Result<Approval, AppError> {
    crate::ops::server::approvals::decide_for_caller(id, approve, note).await
}
