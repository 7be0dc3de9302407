//! Staff administration: admins create staff users, change their role, deactivate
//! them, reset their passwords and revoke API tokens; every staff member changes their
//! own password (`/account`). Every change is an activity event.

mod page;
mod password;
#[cfg(feature = "ssr")]
pub mod server;
mod tokens;

pub use page::StaffAdminPage;
pub use password::AccountPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::{ApiToken, StaffMember};
use crate::client::CsrfClient;
use crate::domain::Role;
use crate::{validate, AppError, FieldErrors};

/// The form to create a staff user, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaffForm {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password: String,
}

/// A validated new staff user.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

impl NewStaffForm {
    /// Checks every field; the same messages in the browser and on the server.
    pub fn validate(&self) -> Result<NewStaff, AppError> {
        let mut errors = FieldErrors::new();
        let email = validate::email(&self.email).map_err(|m| errors.insert("email".into(), m)).ok();
        let name =
            validate::person_name(&self.name).map_err(|m| errors.insert("name".into(), m)).ok();
        let role = Role::parse(&self.role);
        if role.is_none() {
            errors.insert("role".into(), "Choose a role.".into());
        }
        let password = validate::new_password(&self.password)
            .map_err(|m| errors.insert("password".into(), m))
            .ok();
        match (email, name, role, password) {
            (Some(email), Some(name), Some(role), Some(password)) if errors.is_empty() => {
                Ok(NewStaff { email, name, role, password })
            }
            _ => Err(AppError::from_fields(errors)
                .unwrap_or_else(|| AppError::field("form", "Invalid input."))),
        }
    }
}

/// Every staff user, active first.
#[server(client = CsrfClient)]
pub async fn list_staff() -> Result<Vec<StaffMember>, AppError> {
    server::list().await
}

/// Creates a staff user.
#[server(client = CsrfClient)]
pub async fn create_staff(form: NewStaffForm) -> Result<StaffMember, AppError> {
    server::create(form).await
}

/// Changes a staff user's role.
#[server(client = CsrfClient)]
pub async fn set_staff_role(id: i64, role: String) -> Result<StaffMember, AppError> {
    server::set_role(id, role).await
}

/// Activates or deactivates a staff user; deactivation ends their sessions and tokens at once.
#[server(client = CsrfClient)]
pub async fn set_staff_active(id: i64, active: bool) -> Result<StaffMember, AppError> {
    server::set_active(id, active).await
}

/// Marks or unmarks a staff user as break-glass: they keep password sign-in while single
/// sign-on is on (admins; an activity event).
#[server(client = CsrfClient)]
pub async fn set_staff_break_glass(id: i64, on: bool) -> Result<StaffMember, AppError> {
    server::set_break_glass(id, on).await
}

/// Every API token, newest first (admins).
#[server(client = CsrfClient)]
pub async fn list_tokens() -> Result<Vec<ApiToken>, AppError> {
    server::list_tokens().await
}

/// Revokes one API token (admins), with its activity event.
#[server(client = CsrfClient)]
pub async fn revoke_token(id: i64) -> Result<ApiToken, AppError> {
    server::revoke_token(id).await
}

/// Sets a new password for a staff member (admins); they must choose their own at their
/// next sign-in, and their sessions end now.
#[server(client = CsrfClient)]
pub async fn reset_password(id: i64, password: String) -> Result<StaffMember, AppError> {
    server::reset_password(id, password).await
}

/// Changes the signed-in staff member's own password; their other sessions end.
#[server(client = CsrfClient, endpoint = "account/password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    server::change_password(current, new).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_staff_names_each_bad_field() {
        let form = NewStaffForm {
            email: "nope".into(),
            name: "".into(),
            role: "boss".into(),
            password: "short".into(),
        };
        let err = form.validate().unwrap_err();
        for field in ["email", "name", "role", "password"] {
            assert!(err.field_message(field).is_some(), "{field} should be named");
        }
        let ok = NewStaffForm {
            email: "New.Person@Example.com".into(),
            name: "New Person".into(),
            role: "billing".into(),
            password: "a long enough password".into(),
        };
        let staff = ok.validate().unwrap();
        assert_eq!(staff.email, "new.person@example.com");
        assert_eq!(staff.role, Role::Billing);
    }
}
