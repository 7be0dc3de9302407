//! The JSON API under `/api/v1/`, for automation. Handlers call the same operation code
//! as the UI; errors use one JSON shape; the OpenAPI document is generated from code.

mod customers;
mod error;
mod me;
mod openapi;
mod search;

pub use error::{ErrorBody, ErrorDetail};
pub use openapi::ApiDoc;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;
use crate::AppError;

/// The `/api/v1` routes (mounted by the server under that prefix).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me::me))
        .route("/search", get(search::search))
        .route("/customers/{id}", get(customers::customer))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(|| async { AppError::NotFound("This API route".into()) })
}
