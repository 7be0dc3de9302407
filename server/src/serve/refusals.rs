//! Refusals made outside our handlers answer like every other refusal: on the API,
//! those of the tower layers (a body over the limit, a request that took too long) and
//! of extractors in its JSON error shape; a server function's arguments that do not
//! parse with that error's own status instead of the framework's 500.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};

use app::status::{ErrorBody, ErrorDetail, ErrorResponse};
use app::AppError;

/// Largest error body read back to find its status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The API's middleware; it sits outside the layers whose plain-text refusals it
/// rewrites. Any other plain-text refusal (an extractor's) becomes a JSON error with
/// the same status and words.
pub async fn as_json(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let status = response.status();
    if is_json || !status.is_client_error() {
        return response;
    }
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorResponse(app::api::too_large()).into_response(),
        StatusCode::REQUEST_TIMEOUT => error(status, "timeout", "The request took longer than 30 seconds and was stopped. Check the activity timeline before retrying a change."),
        StatusCode::METHOD_NOT_ALLOWED => error(status, "method_not_allowed", "This route does not take that method."),
        _ => {
            let bytes = axum::body::to_bytes(response.into_body(), ERROR_BODY_LIMIT).await.unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            let message = if text.is_empty() { status.canonical_reason().unwrap_or("Refused").to_string() } else { text };
            error(status, "bad_request", &message)
        }
    }
}

/// A refusal in the API's one error shape, for statuses no [`AppError`] answers with.
fn error(status: StatusCode, code: &'static str, message: &str) -> Response {
    let body =
        ErrorBody { error: ErrorDetail { code, message: message.to_string(), fields: None } };
    (status, axum::Json(body)).into_response()
}

/// The server functions' middleware: gives a server function's error the status of
/// the [`AppError`] it carries. Errors raised before the function body runs (arguments
/// that do not parse) would otherwise answer 500 although nothing failed on the server.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
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

/// A handler that panicked: the panic is logged with a reference and the client gets the
/// usual internal error carrying it, instead of a dropped connection.
pub fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    ErrorResponse(AppError::internal(format!("a handler panicked: {what}"))).into_response()
}
