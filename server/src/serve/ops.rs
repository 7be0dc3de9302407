//! Operations endpoints: liveness, readiness, Prometheus metrics.
use app::auth::server::middleware::{bearer, constant_time_eq};
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Metrics;
use app::state::AppState;

/// `/healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `/robots.txt`: an internal console is indexed by no one (and a crawler asking is not
/// sent to the sign-in page).
pub async fn robots() -> &'static str {
    "User-agent: *\nDisallow: /\n"
}

/// `/readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// `/metrics`: request counts and latency by route, in Prometheus text format, for a
/// scraper that sends the configured bearer token. Without a token configured the route
/// does not exist (404); with a wrong or missing one it is 401.
pub async fn metrics(
    State((metrics, token)): State<(Metrics, Option<String>)>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = token else { return StatusCode::NOT_FOUND.into_response() };
    let sent = bearer(&headers).unwrap_or("");
    if !constant_time_eq(sent.as_bytes(), token.as_bytes()) {
        return (StatusCode::UNAUTHORIZED, [(WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], metrics.render()).into_response()
}
