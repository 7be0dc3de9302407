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

use axum::http::header;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// The `/api/v1` routes, with `/api/v1/openapi.json` describing them.
pub fn router() -> Router<AppState> {
    let (router, doc) = documented();
    // Written once: the document does not change while the server runs.
    let doc = Bytes::from(doc.to_json().unwrap_or_default());
    let json = [(header::CONTENT_TYPE, "application/json")];
    router
        .route("/api/v1/openapi.json", get(move || async move { (json, doc.clone()) }))
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
}

/// The OpenAPI document of `/api/v1`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

/// The one list of the API's handlers: each one's `#[utoipa::path]` gives the method
/// and path it is routed by and described under.
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(me::me))
        .routes(routes!(search::search))
        .routes(routes!(customers::customer))
        .routes(routes!(notes::list, notes::add))
        .routes(routes!(notes::change))
        .routes(routes!(operations::patch_subscription))
        .routes(routes!(operations::send_to_billing))
        .routes(routes!(invoices::record_invoice))
        .routes(routes!(invoices::patch_invoice))
        .routes(routes!(operations::namespace_operation))
        .routes(routes!(operations::trial_operation))
        .routes(routes!(activity::list))
        .routes(routes!(activity::export))
        .routes(routes!(activity::verify))
        .routes(routes!(activity::state_as_of))
        .routes(routes!(operations::undo))
        .routes(routes!(approvals::list))
        .routes(routes!(approvals::decide))
        .routes(routes!(extensions::create))
        .routes(routes!(extensions::renewals))
        .routes(routes!(extensions::verify))
        .routes(routes!(extensions::file))
        .routes(routes!(tickets::show))
        .routes(routes!(insights::repeat_interventions))
        .routes(routes!(drift::list))
        .routes(routes!(drift::resolve))
        .routes(routes!(integrity::list))
        .routes(routes!(integrity::fix_one))
        .routes(routes!(integrity::fix_bulk))
        .routes(routes!(integrity::flag))
        .split_for_parts();
    openapi::add_refusals(&mut doc);
    (router, doc)
}

async fn not_found() -> ErrorResponse {
    ErrorResponse(AppError::NotFound("This API route".into()))
}
