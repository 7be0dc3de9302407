//! `POST /invoices` and `PATCH /invoices/{id}`: recording an invoice, changing its
//! status or amount, through the operations engine.
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::body::JsonBody;
use super::operations::{id_of, run_then_read};
use crate::auth::server::Caller;
use crate::domain::{Invoice, OpRequest, Operation, Outcome};
use crate::ops::server::rows;
use crate::state::AppState;
use crate::status::ErrorResponse;

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
    run_then_read(&state, &caller, &request, |tx| {
        Box::pin(async move { rows::invoice(tx, invoice_id).await })
    })
    .await
}

/// `POST /invoices` body.
#[derive(Deserialize, ToSchema)]
pub struct NewInvoiceBody {
    pub billing_account_id: i64,
    pub number: String,
    pub amount_cents: i64,
    /// `USD`, `EUR`, `GBP`, `JPY`, `AUD` or `CAD`.
    pub currency: String,
    /// `paid`, `open`, `overdue` or `void`.
    pub status: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub reason: String,
    pub ticket_url: Option<String>,
    pub requester: Option<String>,
}

/// Records an invoice issued outside the console on a billing account (a lead's
/// approval unless a lead or admin records it: it changes what the customer owes).
#[utoipa::path(
    post, path = "/api/v1/invoices", tag = "operations",
    request_body = NewInvoiceBody,
    responses(
        (status = 200, description = "The invoice as recorded", body = Invoice),
        (status = 202, description = "Filed for a lead's approval; nothing recorded yet", body = Outcome),
        (status = 403, description = "The role may not record invoices", body = crate::status::ErrorBody),
        (status = 422, description = "Field errors (no such account, a number already recorded, …)", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn record_invoice(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewInvoiceBody>,
) -> Result<Response, ErrorResponse> {
    let number = body.number.clone();
    let op = Operation::RecordInvoice {
        billing_account_id: body.billing_account_id,
        number: body.number,
        amount_cents: body.amount_cents,
        currency: body.currency,
        status: body.status,
        issued_on: body.issued_on,
        due_on: body.due_on,
        provider_id: None,
    };
    let request = OpRequest::asked(op, body.reason, body.ticket_url, body.requester);
    run_then_read(&state, &caller, &request, |tx| {
        Box::pin(async move { rows::invoice_numbered(tx, &number).await })
    })
    .await
}
