//! Billing drift for automation: the open drift records (counted by field and kind) and
//! fixing one through the operations engine; and the provider's webhook.
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{JsonBody, QueryParams};
use super::operations::id_of;
use crate::auth::server::Caller;
use crate::billing::server::drift::{self as records, Narrow};
use crate::domain::drift::{DriftPage, DriftResolve};
use crate::domain::{Outcome, Permission};
use crate::drift::server::{resolve, webhook, Reconciler};
use crate::drift::DriftFilter;
use crate::ops::server::Actor;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::store::today;
use crate::AppError;

/// Narrows the open drift; every part optional.
#[derive(Deserialize, IntoParams, Default)]
pub struct DriftQuery {
    /// `seats`, `end_date`, `auto_renew`, `status`, `product` or `record`.
    pub field: Option<String>,
    /// `delivery_failing`, `rules_refuse`, `console_owned`, `only_at_provider` or
    /// `missing_at_provider`.
    pub kind: Option<String>,
    pub customer_id: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl DriftQuery {
    fn narrow(&self) -> Result<Narrow, AppError> {
        let filter = DriftFilter::from_query(|key| match key {
            "field" => self.field.clone(),
            "kind" => self.kind.clone(),
            "customer_id" => self.customer_id.clone(),
            _ => None,
        })?;
        let after = match self.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(
                c.parse::<i64>()
                    .map_err(|_| AppError::field("cursor", "Cursor must be a whole number."))?,
            ),
        };
        Ok(Narrow {
            field: filter.field,
            kind: filter.kind,
            customer_id: filter.customer_id,
            after,
        })
    }
}

/// Open drift between the console and the billing provider, oldest first, with the
/// counts by field and kind.
#[utoipa::path(
    get, path = "/api/v1/drift", tag = "billing", params(DriftQuery),
    responses(
        (status = 200, description = "A page of open drift and the counts", body = DriftPage),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
        (status = 403, description = "The role does not work on drift", body = crate::status::ErrorBody),
        (status = 422, description = "A malformed filter or cursor, named in `fields`", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<DriftQuery>,
) -> Result<Json<DriftPage>, ErrorResponse> {
    caller.require(Permission::IntegrityFixes, "see billing drift")?;
    Ok(Json(records::list(&state.db, &q.narrow()?, crate::drift::PAGE).await?))
}

/// Fixes an open drift record: `take: "provider"` edits the console's record to the
/// provider's value, through the operations engine (permission, validation, approval
/// where policy says so), and clears the drift by that change.
#[utoipa::path(
    post, path = "/api/v1/drift/{id}/resolve", tag = "billing",
    params(("id" = i64, Path, description = "Drift record id")),
    request_body = DriftResolve,
    responses(
        (status = 200, description = "Applied", body = Outcome),
        (status = 202, description = "Filed for a lead's approval; nothing changed yet", body = Outcome),
        (status = 403, description = "The role may not make this change", body = crate::status::ErrorBody),
        (status = 404, description = "No such drift record", body = crate::status::ErrorBody),
        (status = 409, description = "Cleared already, or the record moved on", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors (`take`, `reason`, `ticket_url`, …)", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn resolve(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DriftResolve>,
) -> Result<Response, ErrorResponse> {
    caller.require(Permission::IntegrityFixes, "fix billing drift")?;
    let id = id_of(&id, "drift record")?;
    let actor = Actor::from(&caller);
    let outcome =
        resolve::resolve(&state.db, &state.config.license_key, &actor, id, &body, today()).await?;
    let status = match outcome {
        Outcome::Applied { .. } => StatusCode::OK,
        Outcome::PendingApproval { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)).into_response())
}

/// What a webhook came to.
#[derive(Serialize, ToSchema)]
pub struct WebhookAnswer {
    /// `applied`, `agreed`, `waiting`, `drift`, `duplicate` or `ignored`.
    pub outcome: String,
}

/// `POST /webhooks/stripe`: an event from the billing provider, signed with
/// `Stripe-Signature`. A missing, wrong or stale signature gets 400 and changes nothing.
pub async fn stripe_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAnswer>, ErrorResponse> {
    let billing =
        state.billing.as_ref().ok_or_else(|| AppError::NotFound("A billing provider".into()))?;
    let r = Reconciler { db: &state.db, key: &state.config.license_key, billing };
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now().timestamp();
    let handled = webhook::receive(&r, signature, &body, now, today()).await?;
    Ok(Json(WebhookAnswer { outcome: handled.word().into() }))
}
