//! Per-request authentication: resolves the caller from a bearer token or the session
//! cookie, enforces CSRF on session mutations, and sends signed-out page views to the
//! sign-in page.
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{header::AUTHORIZATION, HeaderMap, Method};

use super::{cookies, session, token, Caller, Via};
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::store::Db;
use crate::AppError;

/// Server function that signs in: it runs before there is a session to protect.
pub const LOGIN_PATH: &str = "/api/login";

/// Resolves who is calling: a bearer token when the request carries one (and then only
/// that), otherwise the session cookie (a session unused for `idle` has ended).
pub async fn resolve(
    db: &Db,
    headers: &HeaderMap,
    idle: chrono::Duration,
) -> Result<Option<Caller>, AppError> {
    if headers.contains_key(AUTHORIZATION) {
        return match bearer(headers) {
            Some(t) => token::lookup(db, t).await,
            None => Ok(None),
        };
    }
    match cookies::read(headers, cookies::SESSION_COOKIE) {
        Some(t) if !t.is_empty() => session::lookup(db, &t, idle).await,
        _ => Ok(None),
    }
}

/// Which door a request came through: pages send whoever may not see them to the page
/// they should see; server functions and the API refuse.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Door {
    Page,
    Call,
}

/// The axum middleware of server functions and the API: the caller, if any, for the
/// handler (which refuses strangers itself); a session's change needs its CSRF token.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    check(&state, req, next, Door::Call).await
}

/// The axum middleware of pages: a signed-out visitor is sent to sign in, and back
/// here afterwards.
pub async fn authenticate_page(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    check(&state, req, next, Door::Page).await
}

async fn check(state: &AppState, mut req: Request, next: Next, door: Door) -> Response {
    let caller = match resolve(&state.db, req.headers(), state.config.session_idle).await {
        Ok(c) => c,
        Err(e) => return ErrorResponse(e).into_response(),
    };
    let path = req.uri().path().to_string();
    if let Some(Caller { via: Via::Session { csrf_token, .. }, .. }) = &caller {
        let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && path != LOGIN_PATH && !signs_out_from_here(&path, req.headers()) {
            let sent =
                req.headers().get(cookies::CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), csrf_token.as_bytes()) {
                return ErrorResponse(AppError::Forbidden(
                    "This change was refused: its CSRF token is missing or wrong. Reload the page and try again.".into(),
                ))
                .into_response();
            }
        }
    }
    let page_view = door == Door::Page && req.method() == Method::GET;
    if caller.as_ref().is_some_and(|c| c.must_change_password) && !reaches_when_forced(&path) {
        if page_view {
            return Redirect::to(ACCOUNT_PAGE_FORCED).into_response();
        }
        return ErrorResponse(AppError::Forbidden(
            "An admin reset your password: choose your own on the account page (/account) first."
                .into(),
        ))
        .into_response();
    }
    match caller {
        Some(c) => {
            req.extensions_mut().insert(c);
        }
        None if page_view && !SIGNED_OUT_PAGES.contains(&path.as_str()) => {
            let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            return Redirect::to(&format!(
                "/login?next={}",
                crate::url::percent_encode(target, crate::url::PATH)
            ))
            .into_response();
        }
        None => {}
    }
    next.run(req).await
}

/// A sign-out posted from one of this site's own pages. The sign-out form carries no
/// CSRF token (a click before the page hydrates posts it as a plain form), so for this
/// one change the browser's word that the post comes from this site stands for the
/// token: browsers mark a post from elsewhere `cross-site`, and a forged sign-out
/// could at worst end a session.
fn signs_out_from_here(path: &str, headers: &HeaderMap) -> bool {
    path == <crate::auth::Logout as leptos::server_fn::ServerFn>::PATH
        && headers.get("sec-fetch-site").is_some_and(|v| v == "same-origin")
}

/// The token of an `Authorization: Bearer …` header, trimmed.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Where a staff member whose password an admin reset is sent.
pub const ACCOUNT_PAGE_FORCED: &str = "/account?forced=1";

/// What a session that must change its password may still reach: the account page and
/// what it calls, and signing out.
fn reaches_when_forced(path: &str) -> bool {
    const OPEN: [&str; 4] = ["/account", "/api/account/", "/api/logout", "/api/get_current_user"];
    OPEN.iter().any(|p| path.starts_with(p))
}

/// The pages a signed-out visitor may see.
const SIGNED_OUT_PAGES: [&str; 1] = ["/login"];

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    subtle::ConstantTimeEq::ct_eq(a, b).into()
}
