//! The JSON API under `/api/v1/`, for automation. Handlers call the same operation code
//! as the UI; errors use one JSON shape; the OpenAPI document is generated from code.

mod activity;
mod approvals;
mod body;
mod customers;
mod drift;
mod extensions;
mod insights;
mod integrity;
mod invoices;
mod me;
mod notes;
mod openapi;
mod operations;
mod search;
mod tickets;

pub use body::too_large;
pub use drift::stripe_webhook;
pub use openapi::ApiDoc;

use axum::routing::{get, patch, post};
use axum::Router;

use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// The `/api/v1` routes (mounted by the server under that prefix).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me::me))
        .route("/search", get(search::search))
        .route("/customers/{id}", get(customers::customer))
        .route("/customers/{id}/notes", get(notes::list).post(notes::add))
        .route("/notes/{id}/{action}", post(notes::change))
        .route("/subscriptions/{id}", patch(operations::patch_subscription))
        .route("/subscriptions/{id}/send_to_billing", post(operations::send_to_billing))
        .route("/invoices", post(invoices::record_invoice))
        .route("/invoices/{id}", patch(invoices::patch_invoice))
        .route("/namespaces/{id}/{*operation}", post(operations::namespace_operation))
        .route("/activity", get(activity::list))
        .route("/activity.csv", get(activity::export))
        .route("/activity/verify", get(activity::verify))
        .route("/activity/state", get(activity::state_as_of))
        .route("/activity/{id}/undo", post(operations::undo))
        .route("/approvals", get(approvals::list))
        .route("/approvals/{id}/{decision}", post(approvals::decide))
        .route("/extensions", post(extensions::create))
        .route("/renewals", get(extensions::renewals))
        .route("/licenses/verify", post(extensions::verify))
        .route("/licenses/{id}/file", get(extensions::file))
        .route("/tickets", get(tickets::show))
        .route("/insights/repeats", get(insights::repeat_interventions))
        .route("/drift", get(drift::list))
        .route("/drift/{id}/resolve", post(drift::resolve))
        .route("/integrity", get(integrity::list))
        .route("/integrity/fix", post(integrity::fix_one))
        .route("/integrity/fix/bulk", post(integrity::fix_bulk))
        .route("/integrity/flag", post(integrity::flag))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(|| async { ErrorResponse(AppError::NotFound("This API route".into())) })
}
