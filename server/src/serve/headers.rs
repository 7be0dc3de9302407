//! Security headers on every response but the front end's files (`assets::files`).
//! Pages carry their own Content Security Policy (with the nonce of their inline
//! scripts, set while rendering); every other response gets one that allows nothing.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{self, HeaderValue};
use http::HeaderName;

/// Each request's id: set on the way in, echoed in the response and the request's log span.
pub(super) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Policy for responses that are not pages (JSON, CSV, files).
const NOTHING: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers for documents and data: framing, referrers, window openers, browser features.
const DOCUMENT: [(HeaderName, &str); 4] = [
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
];

/// The axum middleware.
pub async fn secure(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    for (name, value) in DOCUMENT {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(NOTHING));
    }
    response
}
