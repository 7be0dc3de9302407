//! The operation endpoints: each builds the same [`Operation`] the UI sends and runs it
//! through the same code.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, IntoResponses, ToSchema};

use super::body::{JsonBody, QueryParams};
use crate::auth::server::Caller;
use crate::domain::{OpRequest, Operation, Outcome, Subscription};
use crate::ops::server::{execute, preview, rows, Actor};
use crate::state::AppState;
use crate::status::{ErrorBody, ErrorResponse};
use crate::store::today;
use crate::AppError;

pub(super) fn id_of(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::BadRequest(format!("A {what} id is a number.")))
}

/// `PATCH /subscriptions/{id}` body.
#[derive(Deserialize, ToSchema)]
pub struct SubscriptionPatch {
    /// The version the change is based on.
    pub version: i64,
    pub reason: String,
    pub ticket_url: Option<String>,
    /// Email of the person at the customer who asked (required of support staff).
    pub requester: Option<String>,
    pub seats: Option<i64>,
    pub end_date: Option<NaiveDate>,
    pub auto_renew: Option<bool>,
    /// `active`, `expired` or `cancelled` (allowed transitions only).
    pub status: Option<String>,
}

/// Edits a subscription's seats, end date, auto-renew or status.
#[utoipa::path(
    patch, path = "/api/v1/subscriptions/{id}", tag = "operations",
    params(("id" = i64, Path, description = "Subscription id")),
    request_body = SubscriptionPatch,
    responses(
        (status = 200, description = "The subscription after the change", body = Subscription),
        (status = 202, description = "Filed for a lead's approval (an unverified requester); nothing changed yet", body = Outcome),
        (status = 403, description = "The role may not make this change", body = crate::status::ErrorBody),
        (status = 404, description = "No such subscription", body = crate::status::ErrorBody),
        (status = 409, description = "The version is stale; nothing was changed", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn patch_subscription(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<SubscriptionPatch>,
) -> Result<Response, ErrorResponse> {
    let subscription_id = id_of(&id, "subscription")?;
    let op = Operation::EditSubscription {
        subscription_id,
        version: body.version,
        seats: body.seats,
        end_date: body.end_date,
        auto_renew: body.auto_renew,
        status: body.status,
    };
    let request = OpRequest::asked(op, body.reason, body.ticket_url, body.requester);
    run_then_read(&state, &caller, &request, |tx| {
        Box::pin(async move { rows::subscription(tx, subscription_id).await })
    })
    .await
}

/// Runs `request` as the caller and answers with the record as it is now (`read`), or
/// 202 with the outcome when it was filed for a lead's approval.
pub(super) async fn run_then_read<T: serde::Serialize>(
    state: &AppState,
    caller: &Caller,
    request: &OpRequest,
    read: impl for<'t> FnOnce(
        &'t mut crate::store::Tx,
    ) -> futures::future::BoxFuture<'t, Result<T, AppError>>,
) -> Result<Response, ErrorResponse> {
    let outcome =
        execute(&state.db, &state.config.license_key, &Actor::from(caller), request, today())
            .await?;
    if let Outcome::PendingApproval { .. } = outcome {
        return Ok((StatusCode::ACCEPTED, Json(outcome)).into_response());
    }
    let mut tx = state.db.begin_read().await?;
    let now = read(&mut tx).await?;
    tx.rollback().await?;
    Ok(Json(now).into_response())
}

/// Body of `POST subscriptions/{id}/send_to_billing`.
#[derive(Deserialize, ToSchema)]
pub struct SendToBillingBody {
    /// `seats`, `end_date`, `auto_renew` or `status`: a field the billing system holds
    /// another value of (an open drift record).
    #[schema(value_type = String)]
    pub field: crate::domain::drift::BillingField,
    pub reason: String,
    pub ticket_url: Option<String>,
    pub requester: Option<String>,
}

/// Sends the console's value of a field to the billing system where the two disagree:
/// the subscription's terms are written through (a lead's approval when it changes
/// what the customer pays).
#[utoipa::path(
    post, path = "/api/v1/subscriptions/{id}/send_to_billing", tag = "billing",
    params(("id" = i64, Path, description = "Subscription id")),
    request_body = SendToBillingBody,
    responses(
        (status = 200, description = "Written to the outbox with its event", body = Outcome),
        (status = 202, description = "Filed for a lead's approval; nothing sent yet", body = Outcome),
        (status = 403, description = "The role may not make this change", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors (not linked, nothing to send, …)", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn send_to_billing(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<SendToBillingBody>,
) -> Result<Response, ErrorResponse> {
    let op = Operation::SendToBilling {
        subscription_id: id_of(&id, "subscription")?,
        field: body.field,
    };
    let request = OpRequest::asked(op, body.reason, body.ticket_url, body.requester);
    let outcome =
        execute(&state.db, &state.config.license_key, &Actor::from(&caller), &request, today())
            .await?;
    let status = match outcome {
        Outcome::Applied { .. } => StatusCode::OK,
        Outcome::PendingApproval { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)).into_response())
}

/// Body of every namespace operation; each uses the fields it needs.
#[derive(Deserialize, ToSchema)]
pub struct NamespaceOpBody {
    pub reason: String,
    pub ticket_url: Option<String>,
    /// Email of the person at the customer who asked (required of support staff).
    pub requester: Option<String>,
    /// The namespace version the change is based on (optional).
    pub version: Option<i64>,
    /// `trial/extend`: days to add (1–30).
    pub days: Option<i64>,
    /// `trial/change_plan` (required), `trial/reactivate` (optional): premium or ultimate.
    pub plan: Option<String>,
    /// `replace_link`: the SaaS subscription to link here.
    pub subscription_id: Option<i64>,
    /// `compute_minutes`: minutes to add (negative takes back).
    pub delta: Option<i64>,
    /// `compute_minutes`: `permanent` (default) or `trial_only`.
    pub kind: Option<String>,
    /// `storage`: MiB to add (negative takes back).
    pub delta_mib: Option<i64>,
}

/// `?preview=true` answers with the exact changes and writes nothing.
#[derive(Deserialize, IntoParams)]
pub struct PreviewQuery {
    #[serde(default)]
    pub preview: bool,
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, AppError> {
    value.ok_or_else(|| AppError::field(field, format!("{field} is required.")))
}

fn namespace_op(name: &str, namespace_id: i64, b: &NamespaceOpBody) -> Result<Operation, AppError> {
    let version = b.version;
    Ok(match name {
        "update_plan" => Operation::UpdatePlan { namespace_id, version },
        "replace_link" => Operation::ReplaceLink {
            namespace_id,
            subscription_id: required(b.subscription_id, "subscription_id")?,
            version,
        },
        "clear_subscription" => Operation::ClearSubscription { namespace_id, version },
        "trial/extend" => {
            Operation::ExtendTrial { namespace_id, days: required(b.days, "days")?, version }
        }
        "trial/reactivate" => {
            Operation::ReactivateTrial { namespace_id, plan: b.plan.clone(), version }
        }
        "trial/change_plan" => Operation::ChangeTrialPlan {
            namespace_id,
            plan: required(b.plan.clone(), "plan")?,
            version,
        },
        "trial/end" => Operation::EndTrial { namespace_id, version },
        "compute_minutes" => Operation::ComputeMinutes {
            namespace_id,
            delta: required(b.delta, "delta")?,
            kind: b.kind.clone().unwrap_or_else(|| "permanent".into()),
            version,
        },
        "storage" => Operation::Storage {
            namespace_id,
            delta_mib: required(b.delta_mib, "delta_mib")?,
            version,
        },
        "reset_max_seats" => Operation::ResetMaxSeats { namespace_id, version },
        _ => return Err(AppError::NotFound("This namespace operation".into())),
    })
}

/// Runs `request`: 200 applied, 202 filed for approval, or with `preview` the changes.
async fn respond(
    state: &AppState,
    caller: &Caller,
    request: OpRequest,
    preview_only: bool,
) -> Result<Response, ErrorResponse> {
    let actor = Actor::from(caller);
    if preview_only {
        return Ok(Json(preview(&state.db, &actor, &request, today()).await?).into_response());
    }
    let outcome = execute(&state.db, &state.config.license_key, &actor, &request, today()).await?;
    let status = match outcome {
        Outcome::Applied { .. } => StatusCode::OK,
        Outcome::PendingApproval { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)).into_response())
}

/// What a namespace or trial operation answers (for the OpenAPI document; `respond`
/// builds the answers).
#[derive(IntoResponses)]
#[allow(dead_code)]
enum NamespaceOpAnswers {
    /// Applied (or, with preview=true, the exact changes)
    #[response(status = 200)]
    Applied(Outcome),
    /// Filed for approval; nothing changed yet
    #[response(status = 202)]
    Filed(Outcome),
    /// The role may not do this
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such namespace or operation
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The namespace changed since `version`
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// Field errors or a state rule refused it
    #[response(status = 422)]
    Refused(ErrorBody),
}

/// Runs a namespace operation: `update_plan`, `replace_link`, `clear_subscription`,
/// `compute_minutes`, `storage`, `reset_max_seats`.
#[utoipa::path(
    post, path = "/api/v1/namespaces/{id}/{operation}", tag = "operations",
    params(
        ("id" = i64, Path, description = "Namespace id"),
        ("operation" = String, Path, description = "update_plan | replace_link | clear_subscription | compute_minutes | storage | reset_max_seats"),
        PreviewQuery,
    ),
    request_body = NamespaceOpBody,
    responses(NamespaceOpAnswers),
    security(("bearer" = []), ("session" = []))
)]
pub async fn namespace_operation(
    caller: Caller,
    State(state): State<AppState>,
    Path((id, operation)): Path<(String, String)>,
    QueryParams(q): QueryParams<PreviewQuery>,
    JsonBody(body): JsonBody<NamespaceOpBody>,
) -> Result<Response, ErrorResponse> {
    run_namespace_op(&state, &caller, &id, &operation, body, q.preview).await
}

/// Runs a trial operation on a namespace: `extend`, `reactivate`, `change_plan`, `end`.
#[utoipa::path(
    post, path = "/api/v1/namespaces/{id}/trial/{operation}", tag = "operations",
    params(
        ("id" = i64, Path, description = "Namespace id"),
        ("operation" = String, Path, description = "extend | reactivate | change_plan | end"),
        PreviewQuery,
    ),
    request_body = NamespaceOpBody,
    responses(NamespaceOpAnswers),
    security(("bearer" = []), ("session" = []))
)]
pub async fn trial_operation(
    caller: Caller,
    State(state): State<AppState>,
    Path((id, operation)): Path<(String, String)>,
    QueryParams(q): QueryParams<PreviewQuery>,
    JsonBody(body): JsonBody<NamespaceOpBody>,
) -> Result<Response, ErrorResponse> {
    run_namespace_op(&state, &caller, &id, &format!("trial/{operation}"), body, q.preview).await
}

async fn run_namespace_op(
    state: &AppState,
    caller: &Caller,
    id: &str,
    operation: &str,
    body: NamespaceOpBody,
    preview: bool,
) -> Result<Response, ErrorResponse> {
    let op = namespace_op(operation, id_of(id, "namespace")?, &body)?;
    respond(
        state,
        caller,
        OpRequest::asked(op, body.reason, body.ticket_url, body.requester),
        preview,
    )
    .await
}

/// Body of an undo.
#[derive(Deserialize, ToSchema)]
pub struct UndoBody {
    pub reason: String,
    pub ticket_url: Option<String>,
    /// Email of the person at the customer who asked (required of support staff).
    pub requester: Option<String>,
}

/// Reverts a reversible operation from its activity event, as a new audited change.
#[utoipa::path(
    post, path = "/api/v1/activity/{id}/undo", tag = "operations",
    params(("id" = i64, Path, description = "Activity event id"), PreviewQuery),
    request_body = UndoBody,
    responses(
        (status = 200, description = "Reverted", body = Outcome),
        (status = 202, description = "Filed for approval (an unverified requester); nothing undone yet", body = Outcome),
        (status = 404, description = "No such event", body = crate::status::ErrorBody),
        (status = 409, description = "The record changed since; nothing was undone", body = crate::status::ErrorBody),
        (status = 422, description = "Not reversible, or already undone", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn undo(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<PreviewQuery>,
    JsonBody(body): JsonBody<UndoBody>,
) -> Result<Response, ErrorResponse> {
    let op = Operation::Undo { event_id: id_of(&id, "event")? };
    respond(
        &state,
        &caller,
        OpRequest::asked(op, body.reason, body.ticket_url, body.requester),
        q.preview,
    )
    .await
}
