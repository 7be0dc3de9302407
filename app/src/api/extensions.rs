//! Temporary extensions, the renewal watchlist and license checks.
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::body::{JsonBody, QueryParams};
use crate::auth::server::caller::{self, Caller};
use crate::domain::{ExtensionOutcome, ExtensionRequest, LicenseFields, Permission, Watchlist};
use crate::extensions::server;
use crate::ops::server::Actor;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::store::today;
use crate::AppError;

/// Issues a temporary extension: a signed temporary license (self-managed) or a later
/// end date (SaaS); over 21 days it becomes a request for a lead's approval.
#[utoipa::path(
    post, path = "/api/v1/extensions", tag = "extensions",
    request_body = ExtensionRequest,
    responses(
        (status = 201, description = "Issued; `license.certificate` holds the signed license (self-managed)", body = ExtensionOutcome),
        (status = 202, description = "Filed for a lead's approval (`approval_id`); nothing issued yet", body = ExtensionOutcome),
        (status = 403, description = "The role may not issue extensions", body = crate::status::ErrorBody),
        (status = 404, description = "No such subscription", body = crate::status::ErrorBody),
        (status = 409, description = "Another extension was issued meanwhile", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors, or the failing eligibility rules as `fields[\"rules.<rule>\"]`", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ExtensionRequest>,
) -> Result<Response, ErrorResponse> {
    let outcome =
        server::submit(&state.db, &state.config.license_key, &Actor::from(&caller), &body, today())
            .await?;
    let status = match outcome {
        ExtensionOutcome::Issued { .. } => StatusCode::CREATED,
        ExtensionOutcome::PendingApproval { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct RenewalsQuery {
    /// Subscriptions ending within this many days (default 15, at most 90).
    pub within_days: Option<i64>,
    /// `ends_on` (default), `customer`, `seats` or `kind`; `-` before it for descending.
    pub sort: Option<String>,
}

/// The renewal watchlist: active subscriptions ending within `within_days`, and
/// temporary extensions running out within 7 days.
#[utoipa::path(
    get, path = "/api/v1/renewals", tag = "extensions", params(RenewalsQuery),
    responses(
        (status = 200, description = "The most urgent first (up to 200; `more` counts the rest)", body = Watchlist),
        (status = 403, description = "Only sales, leads and admins see the watchlist", body = crate::status::ErrorBody),
        (status = 422, description = "Bad `within_days` or `sort`", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn renewals(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<RenewalsQuery>,
) -> Result<Json<Watchlist>, ErrorResponse> {
    Ok(Json(
        server::watchlist(&state.db, &caller.user, q.within_days, q.sort.as_deref(), today())
            .await?,
    ))
}

/// Body of a license check.
#[derive(Deserialize, ToSchema)]
pub struct VerifyBody {
    /// The whole license file.
    pub license: String,
}

/// Checks a license file: its signature against this server's key, and that the license
/// is in force today (not revoked, started, not expired); its signed fields.
#[utoipa::path(
    post, path = "/api/v1/licenses/verify", tag = "extensions",
    request_body = VerifyBody,
    responses(
        (status = 200, description = "The signature holds: the signed fields", body = LicenseFields),
        (status = 422, description = "Not valid (changed, not signed by this server, revoked, expired or not started yet): `fields.license` says why", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn verify(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<VerifyBody>,
) -> Result<Json<LicenseFields>, ErrorResponse> {
    caller::check(&caller.user, Permission::ViewAll, "check licenses")?;
    let today = crate::store::today();
    Ok(Json(server::verify(&state.db, &state.config.license_key, &body.license, today).await?))
}

/// Downloads a signed license file.
#[utoipa::path(
    get, path = "/api/v1/licenses/{id}/file", tag = "extensions",
    params(("id" = i64, Path, description = "License id")),
    responses(
        (status = 200, description = "The signed license file", content_type = "text/plain"),
        (status = 404, description = "No signed license with this id", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn file(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ErrorResponse> {
    caller::check(&caller.user, Permission::ViewAll, "download licenses")?;
    let id: i64 =
        id.parse().map_err(|_| AppError::BadRequest("A license id is a number.".into()))?;
    let license = server::issued_license(&state.db, id).await?;
    let disposition = format!("attachment; filename=\"{}\"", crate::domain::file_name(&license));
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        license.certificate,
    )
        .into_response())
}
