use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{JsonBody, QueryParams};
use crate::auth::server::Caller;
use crate::domain::{Approval, Permission};
use crate::ops::server::approvals as server;
use crate::ops::server::Actor;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

#[derive(Deserialize, IntoParams)]
pub struct ApprovalsQuery {
    /// pending | executed | rejected | expired | all (all when absent)
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
        (status = 403, description = "Only leads and admins see the queue", body = crate::status::ErrorBody),
        (status = 422, description = "Unknown status", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<ApprovalsQuery>,
) -> Result<Json<ApprovalList>, ErrorResponse> {
    caller.require(Permission::Approve, "see the approvals queue")?;
    Ok(Json(ApprovalList { approvals: server::queue(&state.db, q.status.as_deref()).await? }))
}

/// Body of a decision.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// Why (required to reject).
    #[serde(default)]
    pub note: String,
}

/// Approves a request (its operation then runs once, re-validated against the current
/// records) or rejects it with a note. Nobody decides their own request.
#[utoipa::path(
    post, path = "/api/v1/approvals/{id}/{decision}", tag = "approvals",
    params(
        ("id" = i64, Path, description = "Approval request id"),
        ("decision" = String, Path, description = "approve | reject"),
    ),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "Executed (approve) or rejected", body = Approval),
        (status = 403, description = "Not an approver, or the caller's own request", body = crate::status::ErrorBody),
        (status = 404, description = "No such request or decision", body = crate::status::ErrorBody),
        (status = 409, description = "Already decided, expired, or the records moved on; nothing changed", body = crate::status::ErrorBody),
        (status = 422, description = "A rejection without a note", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn decide(
    caller: Caller,
    State(state): State<AppState>,
    Path((id, decision)): Path<(String, String)>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<Approval>, ErrorResponse> {
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::NotFound("This approval route".into()).into()),
    };
    let id: i64 =
        id.parse().map_err(|_| AppError::BadRequest("An approval id is a number.".into()))?;
    let today = crate::store::today();
    Ok(Json(
        server::decide(
            &state.db,
            &state.config.license_key,
            &Actor::from(&caller),
            id,
            approve,
            &body.note,
            today,
        )
        .await?,
    ))
}
