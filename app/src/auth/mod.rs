//! Staff accounts, sign-in, sessions and API tokens.

mod login_page;
#[cfg(feature = "ssr")]
pub mod server;

pub use login_page::LoginPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::client::CsrfClient;
use crate::domain::{Permission, Role};
use crate::AppError;

/// The signed-in staff member, as the UI and the API see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "support"))]
    pub role: Role,
    /// Signs in through the identity provider (no password of the console's).
    pub single_sign_on: bool,
}

impl CurrentUser {
    /// Whether this user's role holds `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }
}

/// Who is signed in, or `None`.
/// A staff user as the admin page shows them (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// May sign in with a password while single sign-on is on (an admin's choice).
    pub break_glass: bool,
    /// Signs in through the identity provider (linked to its issuer and subject).
    pub single_sign_on: bool,
}

/// A personal API token as lists show it (never its text, which is shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiToken {
    pub id: i64,
    pub staff_user_id: i64,
    pub owner_email: String,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `active`, `expired` or `revoked`, as the server found it when listing.
    pub state: String,
}

#[server(client = CsrfClient)]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(server::caller::from_context().map(|c| c.user))
}

/// Checks the credentials, starts a session and redirects to `next`.
#[server(client = CsrfClient, endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    server::login::login(email, password, next.unwrap_or_default()).await
}

/// How staff sign in here: the identity provider's name when single sign-on is on
/// (password sign-in is then for break-glass accounts only).
#[server(client = CsrfClient)]
pub async fn sign_in_provider() -> Result<Option<String>, AppError> {
    Ok(crate::state::from_context()?.sso.as_ref().map(|s| s.settings.provider_name.clone()))
}

/// Ends the current session everywhere it is used and returns to the sign-in page.
#[server(client = CsrfClient)]
pub async fn logout() -> Result<(), AppError> {
    server::login::logout().await
}
