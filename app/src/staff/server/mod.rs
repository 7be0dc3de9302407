//! Staff administration on the server: permission → validation → one transaction with
//! the change and its activity event.
mod password;
pub mod scim;

pub use password::{change_password, reset_password};

use serde_json::json;

use super::{NewStaffForm, StaffMember};
use crate::audit::{record, EventBody, FieldChanges};
use crate::auth::server::staff::AccountActor;
use crate::auth::server::token;
use crate::auth::server::{caller, password as hashing, staff, Caller};
use crate::auth::ApiToken;
use crate::domain::{Action, Permission, Role};
use crate::{state, AppError};

fn admin() -> Result<Caller, AppError> {
    caller::require(Permission::ManageStaff, "manage staff users")
}

fn event(caller: &Caller, action: Action, target_id: i64, changes: FieldChanges) -> EventBody {
    AccountActor::caller(caller).event(action, target_id, String::new(), changes)
}

pub async fn list() -> Result<Vec<StaffMember>, AppError> {
    admin()?;
    let state = state::from_context()?;
    staff::list(&state.db).await
}

pub async fn create(form: NewStaffForm) -> Result<StaffMember, AppError> {
    let caller = admin()?;
    let new = form.validate()?;
    let state = state::from_context()?;
    let hash = hashing::hash(new.password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let id = staff::insert_staff(&mut tx, &new.email, &new.name, new.role, &hash).await?;
    let changes = staff::created_changes(&new.email, &new.name, new.role);
    record(&mut tx, event(&caller, Action::CreateStaff, id, changes)).await?;
    tx.commit().await?;
    Ok(StaffMember {
        id,
        email: new.email,
        name: new.name,
        role: new.role,
        active: true,
        break_glass: false,
        single_sign_on: false,
    })
}

pub async fn set_role(id: i64, role: String) -> Result<StaffMember, AppError> {
    let caller = admin()?;
    let role = Role::parse(&role).ok_or_else(|| AppError::field("role", "Choose a role."))?;
    if id == caller.user.id && role != Role::Admin {
        return Err(AppError::field("role", "You cannot take away your own admin role."));
    }
    let state = state::from_context()?;
    let mut tx = state.db.begin().await?;
    let before = staff::get(&mut tx, id).await?;
    if before.role == role {
        return Ok(before);
    }
    if before.single_sign_on {
        return Err(AppError::field(
            "role",
            "This person's role comes from their groups at the identity provider, set again at each sign-in: change their groups there.",
        ));
    }
    let by = AccountActor::caller(&caller);
    staff::change_role(&mut tx, id, before.role.as_str(), role, &by, String::new()).await?;
    tx.commit().await?;
    Ok(StaffMember { role, ..before })
}

pub async fn set_active(id: i64, active: bool) -> Result<StaffMember, AppError> {
    let caller = admin()?;
    if id == caller.user.id && !active {
        return Err(AppError::field("active", "You cannot deactivate yourself."));
    }
    let state = state::from_context()?;
    let mut tx = state.db.begin().await?;
    let before = staff::get(&mut tx, id).await?;
    if before.active == active {
        return Ok(before);
    }
    let by = AccountActor::caller(&caller);
    staff::change_active(&mut tx, id, before.active, active, &by, String::new()).await?;
    tx.commit().await?;
    Ok(StaffMember { active, ..before })
}

pub async fn set_break_glass(id: i64, on: bool) -> Result<StaffMember, AppError> {
    let caller = admin()?;
    let state = state::from_context()?;
    let mut tx = state.db.begin().await?;
    let before = staff::get(&mut tx, id).await?;
    if before.break_glass == on {
        return Ok(before);
    }
    if on && before.single_sign_on {
        return Err(AppError::field(
            "break_glass",
            "This account signs in through the identity provider and has no password: mark a password account instead.",
        ));
    }
    staff::update_break_glass(&mut tx, id, on).await?;
    let changes =
        FieldChanges::from([("break_glass".into(), [json!(before.break_glass), json!(on)])]);
    record(&mut tx, event(&caller, Action::MarkBreakGlass, id, changes)).await?;
    tx.commit().await?;
    Ok(StaffMember { break_glass: on, ..before })
}

pub async fn list_tokens() -> Result<Vec<ApiToken>, AppError> {
    admin()?;
    let state = state::from_context()?;
    token::list(&state.db).await
}

pub async fn revoke_token(id: i64) -> Result<ApiToken, AppError> {
    let caller = admin()?;
    let state = state::from_context()?;
    token::revoke(&state.db, id, &AccountActor::caller(&caller)).await
}
