//! Bodies of the sign-in and sign-out server functions.
use http::{header::SET_COOKIE, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::{redirect, ResponseOptions};

use super::staff::AccountActor;
use super::{caller, cookies, password, session, throttle, Via};
use crate::audit::{record, EventBody};
use crate::domain::{Action, EventSource};
use crate::state::AppState;
use crate::store::Db;
use crate::{on_db, state, validate, AppError};

/// The one message for any wrong credential: it never says which part was wrong.
pub const WRONG_CREDENTIALS: &str = "Wrong email or password.";

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    email: String,
    password_hash: String,
    must_change_password: bool,
    break_glass: bool,
}

/// An active account whose password matched.
#[derive(Debug)]
pub struct Checked {
    pub staff_user_id: i64,
    pub email: String,
    /// An admin reset the password: they choose their own before anything else.
    pub must_change_password: bool,
    /// Marked by an admin to sign in with a password while single sign-on is on.
    pub break_glass: bool,
}

/// Checks email and password from a client at `address`: the account, when they match
/// an active one. The attempt takes its place in the throttle first, so no more
/// passwords are checked than it allows, however many arrive at once.
pub async fn check_credentials(
    db: &Db,
    email: &str,
    password_text: &str,
    address: &str,
) -> Result<Checked, AppError> {
    let wrong =
        || AppError::Validation { message: WRONG_CREDENTIALS.into(), fields: Default::default() };
    let email = validate::email(email).map_err(|m| AppError::field("email", m))?;
    let attempt = throttle::Attempt::begin(db, &email, address).await?;
    if password_text.is_empty() || password_text.len() > 1024 {
        return Err(wrong());
    }
    let found: Option<Credentials> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, email, password_hash, must_change_password, break_glass FROM staff_users WHERE email = $1 AND active"
    )
    .bind(&email)
    .fetch_optional(p)
    .await
    })?;
    // An account without a password (it signs in through the provider) is checked
    // against the decoy too: the time taken does not tell it apart.
    let (account, stored) = match found {
        Some(c) if !c.password_hash.is_empty() => {
            let checked = Checked {
                staff_user_id: c.id,
                email: c.email,
                must_change_password: c.must_change_password,
                break_glass: c.break_glass,
            };
            (Some(checked), c.password_hash)
        }
        _ => (None, password::decoy_hash().to_string()),
    };
    match (account, password::verify(password_text.to_string(), stored).await?) {
        (Some(account), true) => {
            attempt.succeeded(db).await?;
            Ok(account)
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

/// What a person sees when their password is right but single sign-on is how they sign in.
pub fn use_single_sign_on(provider: &str) -> String {
    format!(
        "Password sign-in is off: sign in with {provider}. Only break-glass accounts an admin marks keep their password."
    )
}

/// Signs in: on success sets the session cookies and redirects to `next`. While single
/// sign-on is on only break-glass accounts get this far; each of their sign-ins is an
/// activity event.
pub async fn login(email: String, password_text: String, next: String) -> Result<(), AppError> {
    let state = state::from_context()?;
    let address = client_address(state.config.client_ip_header.as_deref());
    let account = check_credentials(&state.db, &email, &password_text, &address).await?;
    if let Some(sso) = &state.sso {
        if !account.break_glass {
            return Err(AppError::Forbidden(use_single_sign_on(&sso.settings.provider_name)));
        }
    }
    let id = account.staff_user_id;
    let event = account.break_glass.then(|| break_glass_event(id, &account.email, &address));
    set_cookies(start_session(&state, id, None, event).await?)?;
    tracing::info!(staff_user_id = id, break_glass = account.break_glass, "signed in");
    if account.must_change_password {
        redirect(super::middleware::ACCOUNT_PAGE_FORCED);
    } else {
        redirect(&validate::next_path(&next));
    }
    Ok(())
}

/// The `staff.break_glass_sign_in` event of a password sign-in by a break-glass account.
fn break_glass_event(id: i64, email: &str, address: &str) -> EventBody {
    let by =
        AccountActor { actor_id: Some(id), email: email.to_string(), source: EventSource::Console };
    let reason = match address {
        "" => "Password sign-in".to_string(),
        from => format!("Password sign-in from {from}"),
    };
    by.event(Action::BreakGlassSignIn, id, reason, Default::default())
}

/// Starts a session for staff user `staff_user_id` (however they signed in), in one
/// transaction with `event` (what the sign-in records, if anything): the `Set-Cookie`
/// values that hand it to the browser. `id_token` is the provider's, for single sign-on.
pub async fn start_session(
    state: &AppState,
    staff_user_id: i64,
    id_token: Option<&str>,
    event: Option<EventBody>,
) -> Result<[String; 2], AppError> {
    let mut tx = state.db.begin().await?;
    let new = session::create(&mut tx, staff_user_id, state.config.session_ttl, id_token).await?;
    if let Some(event) = event {
        record(&mut tx, event).await?;
    }
    tx.commit().await?;
    let max_age = state.config.session_ttl.num_seconds();
    Ok(cookies::session_cookies(&new.token, &new.csrf_token, max_age, state.config.secure_cookies))
}

/// Signs out: deletes the session server-side, clears the cookies, goes to sign-in; a
/// session begun through the identity provider goes by the provider's end-session
/// endpoint (where it has one) to end the provider's session too.
pub async fn logout() -> Result<(), AppError> {
    let state = state::from_context()?;
    let mut id_token = None;
    if let Some(caller) = caller::from_context() {
        if let Via::Session { id_hash, .. } = &caller.via {
            id_token = session::delete(&state.db, id_hash).await?;
        }
    }
    set_cookies(cookies::clearing_cookies())?;
    let provider = id_token.zip(state.sso.as_ref()).and_then(|(t, sso)| sso.end_session_url(&t));
    redirect(provider.as_deref().unwrap_or("/login"));
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
