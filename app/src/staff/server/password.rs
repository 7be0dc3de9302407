//! Passwords: a staff member changes their own (proving the current one, throttled like
//! a sign-in); an admin resets someone else's, which ends their sessions and makes them
//! choose their own at the next sign-in.
use serde_json::json;

use super::{admin, event};
use crate::audit::{record, FieldChanges};
use crate::auth::server::login::client_address;
use crate::auth::server::{caller, password, staff, throttle, Via};
use crate::auth::StaffMember;
use crate::domain::Action;
use crate::{state, validate, AppError};

pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let caller = caller::require_signed_in()?;
    let state = state::from_context()?;
    let new = validate::new_password(&new).map_err(|m| AppError::field("new", m))?;
    let address = client_address(state.config.client_ip_header.as_deref());
    let attempt = throttle::Attempt::begin(&state.db, &caller.user.email, &address).await?;
    let mut read = state.db.begin_read().await?;
    let stored = staff::password_hash(&mut read, caller.user.id).await?;
    read.rollback().await?;
    if current.is_empty() || !password::verify(current, stored.clone()).await? {
        return Err(AppError::field("current", "This is not your current password."));
    }
    attempt.succeeded(&state.db).await?;
    if password::verify(new.clone(), stored).await? {
        return Err(AppError::field("new", "Choose a password different from the current one."));
    }
    let hash = password::hash(new).await?;
    let mut tx = state.db.begin().await?;
    let keep = match &caller.via {
        Via::Session { id_hash, .. } => Some(id_hash.as_str()),
        Via::Token => None,
    };
    let was_forced = staff::set_password(&mut tx, caller.user.id, &hash, false, keep).await?;
    let mut changes = FieldChanges::from([("password".into(), [json!(null), json!("changed")])]);
    if was_forced {
        changes.insert("must_change_password".into(), [json!(true), json!(false)]);
    }
    record(&mut tx, event(&caller, Action::ChangePassword, caller.user.id, changes)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reset_password(id: i64, new: String) -> Result<StaffMember, AppError> {
    let caller = admin()?;
    if id == caller.user.id {
        return Err(AppError::field("id", "Change your own password on your account page."));
    }
    let new = validate::new_password(&new).map_err(|m| AppError::field("password", m))?;
    let state = state::from_context()?;
    let hash = password::hash(new).await?;
    let mut tx = state.db.begin().await?;
    let member = staff::get(&mut tx, id).await?;
    let was_forced = staff::set_password(&mut tx, id, &hash, true, None).await?;
    let changes = FieldChanges::from([
        ("password".into(), [json!(null), json!("reset")]),
        ("must_change_password".into(), [json!(was_forced), json!(true)]),
    ]);
    record(&mut tx, event(&caller, Action::ResetPassword, id, changes)).await?;
    tx.commit().await?;
    Ok(member)
}
