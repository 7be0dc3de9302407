//! Refusals made outside our handlers answer like every other refusal: those of the
//! tower layers (a body over the limit, a request that took too long) in the API's JSON
//! error shape, and a server function's arguments that do not parse with that error's
//! own status instead of the framework's 500.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};

use app::AppError;

/// Largest error body read back to find its status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The axum middleware; it sits outside the layers whose plain-text refusals it rewrites.
pub async fn as_json(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => app::api::too_large().into_response(),
        StatusCode::REQUEST_TIMEOUT => {
            let message = "The request took longer than 30 seconds and was stopped. Check the activity timeline before retrying a change.";
            let body = serde_json::json!({"error": {"code": "timeout", "message": message}});
            (StatusCode::REQUEST_TIMEOUT, axum::Json(body)).into_response()
        }
        _ => response,
    }
}

/// Gives a server function's error the status of the [`AppError`] it carries. Errors
/// raised before the function body runs (arguments that do not parse) would otherwise
/// answer 500 although nothing failed on the server.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let is_server_fn = req.uri().path().starts_with("/api/") && !req.uri().path().starts_with("/api/v1/");
    let response = next.run(req).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
