//! `PATCH /invoices/{id}`: an invoice's status or amount, through the operations engine.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::body::JsonBody;
use super::operations::id_of;
use crate::auth::server::Caller;
use crate::domain::{Invoice, OpRequest, Operation, Outcome};
use crate::ops::server::{execute, rows, Actor};
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::store::today;

/// `PATCH /invoices/{id}` body.
#[derive(Deserialize, ToSchema)]
pub struct InvoicePatch {
    pub reason: String,
    pub ticket_url: Option<String>,
    /// Email of the person at the customer who asked (required of support staff).
    pub requester: Option<String>,
    /// `paid`, `open`, `overdue` or `void`.
    pub status: Option<String>,
    /// The amount in cents.
    pub amount_cents: Option<i64>,
}

/// Sets an invoice's status or amount (one the billing system keeps changes there).
#[utoipa::path(
    patch, path = "/api/v1/invoices/{id}", tag = "operations",
    params(("id" = i64, Path, description = "Invoice id")),
    request_body = InvoicePatch,
    responses(
        (status = 200, description = "The invoice after the change", body = Invoice),
        (status = 202, description = "Filed for a lead's approval (a changed amount, a void); nothing changed yet", body = Outcome),
        (status = 403, description = "The role may not change invoices", body = crate::status::ErrorBody),
        (status = 409, description = "The invoice changed meanwhile; nothing was changed", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors (no such invoice, kept by the billing system, …)", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn patch_invoice(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<InvoicePatch>,
) -> Result<Response, ErrorResponse> {
    let invoice_id = id_of(&id, "invoice")?;
    let op =
        Operation::EditInvoice { invoice_id, status: body.status, amount_cents: body.amount_cents };
    let request = OpRequest::asked(op, body.reason, body.ticket_url, body.requester);
    let outcome =
        execute(&state.db, &state.config.license_key, &Actor::from(&caller), &request, today())
            .await?;
    if let Outcome::PendingApproval { .. } = outcome {
        return Ok((StatusCode::ACCEPTED, Json(outcome)).into_response());
    }
    let mut tx = state.db.begin_read().await?;
    let now = rows::invoice(&mut tx, invoice_id).await?;
    tx.rollback().await?;
    Ok(Json(now).into_response())
}
