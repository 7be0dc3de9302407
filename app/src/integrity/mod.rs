//! The integrity page: the open findings the checks (`crate::checks`) stored, filtered by
//! rule and customer, and fixing them: one at a time, in bulk, or flagged to sales.
//! Each finding names the audited operation that fixes it.

mod filter;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use filter::IntegrityFilter;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::client::CsrfClient;
use crate::domain::{Finding, FixStatus, Preview, RuleCount, ScanSummary};
use crate::AppError;

/// Counts per rule and one page of open findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrityReport {
    pub counts: Vec<RuleCount>,
    pub findings: Vec<Finding>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<i64>,
    pub last_scan: Option<ScanSummary>,
}

/// What happened to one finding of a fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FixItem {
    pub finding_id: i64,
    /// `planned` (dry run), `fixed`, `pending_approval`, `skipped` (changed since the
    /// dry run, or already gone) or `refused` (the fix's rules or permissions).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: FixStatus,
    pub record: String,
    pub message: String,
    pub preview: Option<Preview>,
    /// Dry run: the fingerprint of exactly this plan, to send back when confirming.
    pub plan_digest: Option<String>,
    pub event_id: Option<i64>,
    pub approval_id: Option<i64>,
}

/// A bulk fix: a dry run (no `confirm`), or the confirmation of one, where `confirm`
/// holds each finding's `plan_digest` from the dry run — the frozen target set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkFixRequest {
    pub finding_ids: Vec<i64>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub ticket_url: Option<String>,
    /// `{finding_id: plan_digest}` as the dry run returned them.
    #[serde(default)]
    pub confirm: Option<std::collections::BTreeMap<i64, String>>,
}

/// Most findings one bulk fix takes.
pub const BULK_LIMIT: usize = 200;

/// Counts and a page of open findings.
#[server(client = CsrfClient, endpoint = "integrity/report", input = Json)]
pub async fn load_integrity(
    filter: IntegrityFilter,
    cursor: Option<i64>,
) -> Result<IntegrityReport, AppError> {
    crate::auth::server::caller::require(
        crate::domain::Permission::IntegrityFixes,
        "see integrity findings",
    )?;
    let state = crate::state::from_context()?;
    server::report(&state.db, &filter, cursor).await
}

/// Dry run or confirmation of a bulk fix.
#[server(client = CsrfClient, endpoint = "integrity/bulk", input = Json)]
pub async fn bulk_fix(request: BulkFixRequest) -> Result<Vec<FixItem>, AppError> {
    let caller = crate::auth::server::caller::require(
        crate::domain::Permission::IntegrityFixes,
        "fix integrity findings",
    )?;
    let state = crate::state::from_context()?;
    server::fix::bulk(&state, &(&caller).into(), &request, crate::store::today()).await
}

/// Flags a seat overage to sales: an activity event on the namespace; the finding
/// stays open until the seats are trued up.
#[server(client = CsrfClient, endpoint = "integrity/flag", input = Json)]
pub async fn flag_to_sales(finding_id: i64, reason: String) -> Result<i64, AppError> {
    let caller = crate::auth::server::caller::require(
        crate::domain::Permission::IntegrityFixes,
        "flag findings to sales",
    )?;
    let state = crate::state::from_context()?;
    server::fix::flag(&state.db, &(&caller).into(), finding_id, &reason).await
}
