//! Bodies of the sign-in and sign-out server functions.
use http::{header::SET_COOKIE, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::{redirect, ResponseOptions};

use super::{caller, cookies, password, session, throttle, Via};
use crate::state::AppState;
use crate::store::Db;
use crate::{on_db, state, validate, AppError};

/// The one message for any wrong credential: it never says which part was wrong.
pub const WRONG_CREDENTIALS: &str = "Wrong email or password.";

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    password_hash: String,
    must_change_password: bool,
}

/// Checks email and password from a client at `address`; the staff user's id, and
/// whether they must choose a new password, when they match an active account. The
/// attempt takes its place in the throttle first, so no more passwords are checked
/// than it allows, however many arrive at once.
pub async fn check_credentials(
    db: &Db,
    email: &str,
    password_text: &str,
    address: &str,
) -> Result<(i64, bool), AppError> {
    let wrong =
        || AppError::Validation { message: WRONG_CREDENTIALS.into(), fields: Default::default() };
    let email = validate::email(email).map_err(|m| AppError::field("email", m))?;
    let attempt = throttle::Attempt::begin(db, &email, address).await?;
    if password_text.is_empty() || password_text.len() > 1024 {
        return Err(wrong());
    }
    let found: Option<Credentials> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, password_hash, must_change_password FROM staff_users WHERE email = $1 AND active"
    )
    .bind(&email)
    .fetch_optional(p)
    .await
    })?;
    let (id, stored, must_change) = match found {
        Some(c) => (Some(c.id), c.password_hash, c.must_change_password),
        None => (None, password::decoy_hash().to_string(), false),
    };
    match (id, password::verify(password_text.to_string(), stored).await?) {
        (Some(id), true) => {
            attempt.succeeded(db).await?;
            Ok((id, must_change))
        }
        _ => Err(wrong()),
    }
}

/// The client's address: the peer of the connection, or the last entry of the header a
/// trusted reverse proxy sets (`client_ip_header`).
pub fn client_address(client_ip_header: Option<&str>) -> String {
    let Some(parts) = use_context::<http::request::Parts>() else { return String::new() };
    if let Some(name) = client_ip_header {
        let forwarded =
            parts.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).next_back();
        if let Some(ip) = forwarded
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
        {
            return ip.to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// Signs in: on success sets the session cookies and redirects to `next`.
pub async fn login(email: String, password_text: String, next: String) -> Result<(), AppError> {
    let state = state::from_context()?;
    let address = client_address(state.config.client_ip_header.as_deref());
    let (user_id, must_change) =
        check_credentials(&state.db, &email, &password_text, &address).await?;
    set_cookies(start_session(&state, user_id).await?)?;
    tracing::info!(staff_user_id = user_id, "signed in");
    if must_change {
        redirect(super::middleware::ACCOUNT_PAGE_FORCED);
    } else {
        redirect(&validate::next_path(&next));
    }
    Ok(())
}

/// Starts a session for staff user `staff_user_id` (however they signed in): the
/// `Set-Cookie` values that hand it to the browser.
pub async fn start_session(state: &AppState, staff_user_id: i64) -> Result<[String; 2], AppError> {
    let new = session::create(&state.db, staff_user_id, state.config.session_ttl).await?;
    let max_age = state.config.session_ttl.num_seconds();
    Ok(cookies::session_cookies(&new.token, &new.csrf_token, max_age, state.config.secure_cookies))
}

/// Signs out: deletes the session server-side, clears the cookies, goes to sign-in.
pub async fn logout() -> Result<(), AppError> {
    let state = state::from_context()?;
    if let Some(caller) = caller::from_context() {
        if let Via::Session { id_hash, .. } = &caller.via {
            session::delete(&state.db, id_hash).await?;
        }
    }
    set_cookies(cookies::clearing_cookies())?;
    redirect("/login");
    Ok(())
}

/// Adds `Set-Cookie` headers to the response of the current server function.
fn set_cookies(values: [String; 2]) -> Result<(), AppError> {
    if let Some(response) = use_context::<ResponseOptions>() {
        for cookie in values {
            response.append_header(
                SET_COOKIE,
                HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
            );
        }
    }
    Ok(())
}
