//! Integrity findings for automation: counts per rule and the open findings, the fix of
//! one finding, a bulk fix (dry run, then confirmation), and flagging to sales.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::body::{JsonBody, QueryParams};
use crate::auth::server::Caller;
use crate::domain::{FixStatus, Permission};
use crate::integrity::server::fix;
use crate::integrity::{BulkFixRequest, FixItem, IntegrityFilter, IntegrityReport};
use crate::ops::server::Actor;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::store::today;
use crate::AppError;

/// Narrows the findings; every part optional.
#[derive(Deserialize, IntoParams, Default)]
pub struct IntegrityQuery {
    /// A rule id: `plan_mismatch`, `orphan_subscription`, `stale_paid_plan`, `double_link`,
    /// `expired_trial`, `missing_license`, `seat_overage`, `trial_on_paid`.
    pub rule: Option<String>,
    pub customer_id: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Open findings: counts per rule (all rules, for the customer when given) and a page
/// of findings, newest first.
#[utoipa::path(
    get, path = "/api/v1/integrity", tag = "integrity", params(IntegrityQuery),
    responses(
        (status = 200, description = "Counts per rule and a page of open findings", body = IntegrityReport),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
        (status = 403, description = "The role does not work on integrity findings", body = crate::status::ErrorBody),
        (status = 422, description = "A malformed filter or cursor, named in `fields`", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<IntegrityQuery>,
) -> Result<Json<IntegrityReport>, ErrorResponse> {
    caller.require(Permission::IntegrityFixes, "see integrity findings")?;
    let filter = IntegrityFilter::from_query(|key| match key {
        "rule" => q.rule.clone(),
        "customer_id" => q.customer_id.clone(),
        _ => None,
    })?;
    let cursor = q
        .cursor
        .as_deref()
        .map(|c| {
            c.trim()
                .parse::<i64>()
                .map_err(|_| AppError::field("cursor", "Cursor must be a whole number."))
        })
        .transpose()?;
    Ok(Json(crate::integrity::server::report(&state.db, &filter, cursor).await?))
}

/// Body of `POST integrity/fix`.
#[derive(Deserialize, ToSchema)]
pub struct FixBody {
    pub finding_id: i64,
    pub reason: String,
    /// Required for support staff.
    pub ticket_url: Option<String>,
}

/// Fixes one finding with its operation (`plan_mismatch` → update plan,
/// `stale_paid_plan` → clear subscription, `expired_trial` / `trial_on_paid` → end
/// trial, `missing_license` → issue license, `orphan_subscription` / `double_link` →
/// replace link, which waits for a lead's approval). `seat_overage` has no fix: flag it.
#[utoipa::path(
    post, path = "/api/v1/integrity/fix", tag = "integrity", request_body = FixBody,
    responses(
        (status = 200, description = "Fixed: `event_id` is the change's activity event", body = FixItem),
        (status = 202, description = "Filed for approval (`approval_id`); nothing changed yet", body = FixItem),
        (status = 403, description = "The role may not run this fix", body = crate::status::ErrorBody),
        (status = 404, description = "No such finding", body = crate::status::ErrorBody),
        (status = 409, description = "Already resolved, or the records changed so the finding no longer holds", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors, or the fix's own rules refused it", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn fix_one(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<FixBody>,
) -> Result<Response, ErrorResponse> {
    caller.require(Permission::IntegrityFixes, "fix integrity findings")?;
    let item = fix::one(
        &state,
        &Actor::from(&caller),
        body.finding_id,
        &body.reason,
        body.ticket_url,
        today(),
    )
    .await?;
    let status = if item.status == FixStatus::PendingApproval {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(item)).into_response())
}

/// Bulk fix. Without `confirm`: the dry run — every finding's exact changes (status
/// `planned`, with its `plan_digest`), or why it cannot be fixed; nothing is written.
/// With `confirm` (`{finding_id: plan_digest}` from the dry run) and a `reason`: each
/// finding is fixed in its own transaction only if its plan is still exactly the one
/// shown; otherwise it is `skipped` and reported.
#[utoipa::path(
    post, path = "/api/v1/integrity/fix/bulk", tag = "integrity", request_body = BulkFixRequest,
    responses(
        (status = 200, description = "One item per finding, in the order given", body = [FixItem]),
        (status = 403, description = "The role may not fix findings", body = crate::status::ErrorBody),
        (status = 422, description = "No findings, too many, a missing reason, or findings not in the dry run", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn fix_bulk(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<BulkFixRequest>,
) -> Result<Json<Vec<FixItem>>, ErrorResponse> {
    caller.require(Permission::IntegrityFixes, "fix integrity findings")?;
    Ok(Json(fix::bulk(&state, &Actor::from(&caller), &body, today()).await?))
}

/// Body of `POST integrity/flag`.
#[derive(Deserialize, ToSchema)]
pub struct FlagBody {
    pub finding_id: i64,
    pub reason: String,
}

/// The event recorded by a flag.
#[derive(serde::Serialize, ToSchema)]
pub struct Flagged {
    pub event_id: i64,
}

/// Flags a `seat_overage` finding to sales: one activity event; the finding stays open
/// until the seats are trued up.
#[utoipa::path(
    post, path = "/api/v1/integrity/flag", tag = "integrity", request_body = FlagBody,
    responses(
        (status = 201, description = "Flagged", body = Flagged),
        (status = 404, description = "No such finding", body = crate::status::ErrorBody),
        (status = 409, description = "Already flagged or resolved", body = crate::status::ErrorBody),
        (status = 422, description = "Not a seat overage, or no reason", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn flag(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<FlagBody>,
) -> Result<Response, ErrorResponse> {
    caller.require(Permission::IntegrityFixes, "flag findings to sales")?;
    let event_id =
        fix::flag(&state.db, &Actor::from(&caller), body.finding_id, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(Flagged { event_id })).into_response())
}
