use std::sync::OnceLock;
use std::time::Duration;

use app::auth::server::middleware::{authenticate, authenticate_page};
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, on, post, MethodFilter};
use axum::Router;
use http::{Method, Request};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list_with_exclusions, AxumRouteListing, LeptosRoutes};
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
/// Longest a request may take.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// The whole HTTP application over `state`; `/metrics` answers only with
/// `metrics_token`. Five routers, each with the layers its requests need
/// (docs/ARCHITECTURE.md, "The HTTP application"): no layer looks at the path.
pub fn build_router(state: AppState, metrics: Metrics, metrics_token: Option<String>) -> Router {
    let served = Router::new()
        .merge(pages(&state))
        .merge(server_functions(&state))
        .merge(api(&state))
        .merge(unauthenticated(metrics.clone(), metrics_token))
        .layer(from_fn(assets::no_store))
        .layer(from_fn(headers::secure))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid));
    Router::new()
        .merge(served)
        .merge(assets::files(&state.leptos_options.site_root))
        .layer(from_fn_with_state(metrics, metrics::track))
        // A panic in any handler becomes a logged 500 with a reference, not a dropped
        // connection.
        .layer(CatchPanicLayer::custom(refusals::panicked))
        .with_state(state)
}

/// The pages and the not-found page: a signed-out visitor is sent to sign in.
fn pages(state: &AppState) -> Router<AppState> {
    let routes = page_routes();
    let leptos_options = state.leptos_options.clone();
    let router = Router::new()
        .leptos_routes(state, routes, move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));
    limited(router.layer(from_fn_with_state(state.clone(), authenticate_page)))
}

/// The page routes, found once per process. Finding them runs the whole application
/// with data loading held back, and Leptos holds it back process-wide: a page whose
/// resource first ran meanwhile, in a router already serving, would wait forever.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES
        .get_or_init(|| {
            // Server functions are routed on their own (below), so the pages exclude them.
            let server_functions = leptos::server_fn::axum::server_fn_paths()
                .map(|(path, _)| path.to_string())
                .collect();
            generate_route_list_with_exclusions(App, Some(server_functions))
        })
        .clone()
}

/// The server functions the pages call (`/api/<name>`): for signed-in staff, a refusal
/// with the status of the error it carries.
fn server_functions(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let state = state.clone();
        let handler = move |req: Request<Body>| {
            let state = state.clone();
            leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req)
        };
        router = router.route(path, on(method_filter(&method), handler));
    }
    let router = router
        .layer(from_fn(refusals::server_fn_status))
        .layer(from_fn_with_state(state.clone(), authenticate));
    limited(router)
}

/// The JSON API under `/api/v1`: callers by token or session, every refusal as JSON.
fn api(state: &AppState) -> Router<AppState> {
    let router = app::api::router().layer(from_fn_with_state(state.clone(), authenticate));
    limited(router).layer(from_fn(refusals::as_json))
}

/// What answers without a staff member: the billing provider's webhook (signed),
/// single sign-on's two steps, provisioning (its own token), the robots' policy, the
/// probes, and the metrics (their own token).
fn unauthenticated(metrics: Metrics, metrics_token: Option<String>) -> Router<AppState> {
    let router = Router::new()
        .route("/webhooks/stripe", post(app::api::stripe_webhook))
        .route("/auth/oidc/login", get(app::auth::server::sso::routes::login))
        .route("/auth/oidc/callback", get(app::auth::server::sso::routes::callback))
        .merge(app::staff::server::scim::router())
        .route("/robots.txt", get(ops::robots))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics).with_state((metrics, metrics_token)));
    limited(router)
}

/// Bounds every request a handler reads: its body's size and its time.
fn limited(router: Router<AppState>) -> Router<AppState> {
    router
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(http::StatusCode::REQUEST_TIMEOUT, TIME_LIMIT))
}

fn method_filter(method: &Method) -> MethodFilter {
    match *method {
        Method::GET => MethodFilter::GET,
        Method::PUT => MethodFilter::PUT,
        Method::DELETE => MethodFilter::DELETE,
        Method::PATCH => MethodFilter::PATCH,
        _ => MethodFilter::POST,
    }
}
