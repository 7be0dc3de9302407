use std::time::Duration;

use app::auth::server::middleware::authenticate;
use app::state::AppState;
use app::{shell, App};
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use http::Request;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::headers::REQUEST_ID;
use super::{assets, headers, metrics, ops, refusals, Metrics};

/// Largest request body accepted (JSON and forms are far smaller).
const BODY_LIMIT: usize = 1024 * 1024;

/// The whole HTTP application over `state`; `/metrics` answers only with
/// `metrics_token`.
pub fn build_router(state: AppState, metrics: Metrics, metrics_token: Option<String>) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    Router::new()
        .nest("/api/v1", app::api::router())
        .route("/webhooks/stripe", axum::routing::post(app::api::stripe_webhook))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics).with_state((metrics.clone(), metrics_token)))
        .merge(assets::pkg(&state.leptos_options.site_root))
        .leptos_routes(&state, routes, move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(refusals::server_fn_status))
        .layer(from_fn_with_state(state.clone(), authenticate))
        .layer(from_fn_with_state(metrics, metrics::track))
        .layer(axum::middleware::from_fn(headers::secure))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(axum::middleware::from_fn(refusals::as_json))
        // A panic in any handler becomes a logged 500 with a reference, not a dropped
        // connection (inside the trace span, so the log line carries the request id).
        .layer(CatchPanicLayer::custom(refusals::panicked))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost: it sees every header the layers above added (see assets::caching).
        .layer(axum::middleware::from_fn(assets::caching))
        .with_state(state)
}
