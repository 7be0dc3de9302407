//! Who is making a request: resolved once per request by the middleware and read by
//! server functions (from the Leptos context) and API handlers (as an extractor).
use axum::extract::FromRequestParts;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::auth::CurrentUser;
use crate::domain::Permission;
use crate::status::ErrorResponse;
use crate::AppError;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session; mutations must carry this CSRF token.
    Session { id_hash: String, csrf_token: String },
    /// A personal API token (`Authorization: Bearer`).
    Token,
}

/// The staff member a session or token belongs to, as its lookup reads them (the
/// columns [`USER_COLUMNS`] names, from `staff_users u`).
#[derive(sqlx::FromRow)]
pub struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    single_sign_on: bool,
}

/// The columns of a [`UserRow`].
pub const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.idp_subject IS NOT NULL AS single_sign_on";

impl UserRow {
    /// The user, unless their stored role is one this version does not know.
    pub fn user(self) -> Option<CurrentUser> {
        let role = crate::domain::Role::parse(&self.role)?;
        Some(CurrentUser {
            id: self.id,
            email: self.email,
            name: self.name,
            role,
            single_sign_on: self.single_sign_on,
        })
    }
}

/// The authenticated staff member behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: CurrentUser,
    pub via: Via,
    /// An admin reset their password: until they choose their own, a session reaches
    /// only the account page (API tokens are separate credentials and unaffected).
    pub must_change_password: bool,
}

impl Caller {
    /// Refuses unless the caller's role holds `permission`.
    pub fn require(&self, permission: Permission, what: &str) -> Result<(), AppError> {
        check(&self.user, permission, what)
    }

    /// The event source for changes made by this caller.
    pub fn source(&self) -> crate::domain::EventSource {
        match self.via {
            Via::Session { .. } => crate::domain::EventSource::Console,
            Via::Token => crate::domain::EventSource::Api,
        }
    }
}

/// Refuses unless `user`'s role holds `permission`; `what` completes "may not …".
pub fn check(user: &CurrentUser, permission: Permission, what: &str) -> Result<(), AppError> {
    if user.can(permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("Your role ({}) may not {what}.", user.role.label())))
    }
}

/// The caller of the current server function or page render, if signed in.
pub fn from_context() -> Option<Caller> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<Caller>().cloned())
}

/// The caller of the current server function, or `Unauthorized`.
pub fn require_signed_in() -> Result<Caller, AppError> {
    from_context().ok_or(AppError::Unauthorized)
}

/// The caller of the current server function if their role holds `permission`.
pub fn require(permission: Permission, what: &str) -> Result<Caller, AppError> {
    let caller = require_signed_in()?;
    caller.require(permission, what)?;
    Ok(caller)
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ErrorResponse;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or(ErrorResponse(AppError::Unauthorized))
    }
}
