use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::JsonBody;
use crate::approvals::{server, Approval};
use crate::auth::server::Caller;
use crate::auth::Permission;
use crate::domain::ApprovalStatus;
use crate::ops::server::Actor;
use crate::state::AppState;
use crate::AppError;

#[derive(Deserialize, IntoParams)]
pub struct ApprovalsQuery {
    /// pending | executed | rejected | expired (all when absent)
    pub status: Option<String>,
}

/// Approval requests, newest first.
#[derive(Serialize, ToSchema)]
pub struct ApprovalList {
    pub approvals: Vec<Approval>,
}

/// The approvals queue (leads and admins).
#[utoipa::path(
    get, path = "/api/v1/approvals", tag = "approvals", params(ApprovalsQuery),
    responses(
        (status = 200, description = "Requests, newest first", body = ApprovalList),
        (status = 403, description = "Only leads and admins see the queue", body = super::ErrorBody),
        (status = 422, description = "Unknown status", body = super::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(caller: Caller, State(state): State<AppState>, Query(q): Query<ApprovalsQuery>) -> Result<Json<ApprovalList>, AppError> {
    caller.require(Permission::Approve, "see the approvals queue")?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(ApprovalStatus::parse(s).ok_or_else(|| AppError::field("status", "Status must be pending, executed, rejected or expired."))?),
        None => None,
    };
    server::expire_due(&state.db).await?;
    Ok(Json(ApprovalList { approvals: server::list(&state.db, status).await? }))
}

/// Body of a decision.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// Why (required to reject).
    #[serde(default)]
    pub note: String,
}

async fn decide(caller: Caller, state: AppState, id: String, approve: bool, note: String) -> Result<Json<Approval>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::BadRequest("An approval id is a number.".into()))?;
    let today = chrono::Utc::now().date_naive();
    Ok(Json(server::decide(&state.db, &Actor::from(&caller), id, approve, &note, today).await?))
}

/// Approves a request: its operation runs once, re-validated against the current state.
#[utoipa::path(
    post, path = "/api/v1/approvals/{id}/approve", tag = "approvals",
    params(("id" = i64, Path, description = "Approval request id")), request_body = DecisionBody,
    responses(
        (status = 200, description = "Approved and executed", body = Approval),
        (status = 403, description = "Not an approver, or the caller's own request", body = super::ErrorBody),
        (status = 404, description = "No such request", body = super::ErrorBody),
        (status = 409, description = "Already decided, expired, or the records moved on; nothing changed", body = super::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn approve(caller: Caller, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<DecisionBody>) -> Result<Json<Approval>, AppError> {
    decide(caller, state, id, true, body.note).await
}

/// Rejects a request with a note.
#[utoipa::path(
    post, path = "/api/v1/approvals/{id}/reject", tag = "approvals",
    params(("id" = i64, Path, description = "Approval request id")), request_body = DecisionBody,
    responses(
        (status = 200, description = "Rejected", body = Approval),
        (status = 403, description = "Not an approver, or the caller's own request", body = super::ErrorBody),
        (status = 409, description = "Already decided or expired", body = super::ErrorBody),
        (status = 422, description = "The note is missing", body = super::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn reject(caller: Caller, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<DecisionBody>) -> Result<Json<Approval>, AppError> {
    decide(caller, state, id, false, body.note).await
}
