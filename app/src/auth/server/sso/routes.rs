//! `GET /auth/oidc/login?next=…` and `GET /auth/oidc/callback` (a contract: the provider
//! and automation use these paths). Without single sign-on configured both are 404.
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use http::header::SET_COOKIE;
use http::StatusCode;

use super::SignIn;
use crate::auth::server::login::start_session;
use crate::state::AppState;
use crate::AppError;

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// Sends the browser to the provider's sign-in page.
pub async fn login(State(state): State<AppState>, Query(q): Query<LoginQuery>) -> Response {
    let Some(sso) = state.sso.clone() else { return StatusCode::NOT_FOUND.into_response() };
    match super::begin(&state.db, &sso, &q.next).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e @ AppError::TooManyRequests(_)) => {
            page(StatusCode::TOO_MANY_REQUESTS, "Sign-in is busy", &e.to_string())
        }
        Err(e) => page(StatusCode::SERVICE_UNAVAILABLE, "Sign-in is unavailable", &e.to_string()),
    }
}

#[derive(serde::Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Where the provider sends the browser back: a session and the page asked for, or a
/// page that says why not.
pub async fn callback(State(state): State<AppState>, Query(q): Query<CallbackQuery>) -> Response {
    let Some(sso) = state.sso.clone() else { return StatusCode::NOT_FOUND.into_response() };
    let failed = || {
        page(
            StatusCode::UNAUTHORIZED,
            "Sign-in did not complete",
            "The identity provider's answer could not be accepted. Start again from the sign-in page.",
        )
    };
    let (Some(code), Some(flow)) = (q.code, q.state) else {
        if let Some(error) = q.error {
            tracing::info!(%error, "single sign-on: the provider refused");
        }
        return failed();
    };
    match super::complete(&state.db, &sso, code, &flow).await {
        Ok(SignIn::Admitted { staff_user_id, next, id_token }) => {
            match start_session(&state, staff_user_id, Some(&id_token), None).await {
                Ok(set) => {
                    tracing::info!(staff_user_id, "signed in through the identity provider");
                    let mut response = Redirect::to(&next).into_response();
                    for c in set {
                        if let Ok(v) = http::HeaderValue::from_str(&c) {
                            response.headers_mut().append(SET_COOKIE, v);
                        }
                    }
                    response
                }
                Err(e) => page(StatusCode::INTERNAL_SERVER_ERROR, "Sign-in failed", &e.to_string()),
            }
        }
        Ok(SignIn::NoRole { email, groups_to_ask }) => {
            let who = email.unwrap_or_else(|| "Your account".into());
            let groups = if groups_to_ask.is_empty() {
                String::new()
            } else {
                format!(" (for example {})", groups_to_ask.join(", "))
            };
            page(
                StatusCode::FORBIDDEN,
                "No access to the console",
                &format!(
                    "{who} is signed in at the identity provider, but none of its groups gives a role here. \
                     Ask your team lead to have you added to a console group{groups} by whoever runs the identity provider."
                ),
            )
        }
        Ok(SignIn::Deactivated) => page(
            StatusCode::FORBIDDEN,
            "Account deactivated",
            "Your console account is deactivated. An admin can reactivate it.",
        ),
        Err(AppError::Unauthorized) => failed(),
        Err(e) => page(StatusCode::FORBIDDEN, "Sign-in refused", &e.to_string()),
    }
}

/// A page of its own (no app shell: the person is not signed in).
fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><main><h1>{t}</h1><p>{x}</p><p><a href=\"/login\">Sign in</a></p></main></body></html>",
        t = esc(title),
        x = esc(text)
    );
    (status, Html(body)).into_response()
}
