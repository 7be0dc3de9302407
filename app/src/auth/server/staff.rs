//! Staff user queries.
use super::Caller;
use serde_json::json;

use crate::audit::{record, EventBody, FieldChanges};
use crate::auth::StaffMember;
use crate::domain::{Action, EventSource, Role, TargetType};
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// Who changes a staff account (its tokens, password, role), as the change's activity
/// event names them.
#[derive(Debug, Clone)]
pub struct AccountActor {
    pub actor_id: Option<i64>,
    pub email: String,
    pub source: EventSource,
}

impl AccountActor {
    /// The server's command line (`server token …`), run by whoever operates the server.
    pub fn command_line() -> AccountActor {
        AccountActor {
            actor_id: None,
            email: "command line".into(),
            source: EventSource::Scheduled,
        }
    }

    /// The company's identity provider: its groups at a sign-in (`Console`), or its
    /// provisioning (`Api`).
    pub fn identity_provider(source: EventSource) -> AccountActor {
        AccountActor { actor_id: None, email: "identity provider".into(), source }
    }

    /// A signed-in staff member.
    pub fn caller(caller: &Caller) -> AccountActor {
        AccountActor {
            actor_id: Some(caller.user.id),
            email: caller.user.email.clone(),
            source: caller.source(),
        }
    }

    /// The event of a change to staff user `target`.
    pub fn event(
        &self,
        action: Action,
        target: i64,
        reason: String,
        changes: FieldChanges,
    ) -> EventBody {
        EventBody {
            actor_id: self.actor_id,
            actor_email: self.email.clone(),
            action,
            target_type: TargetType::StaffUser,
            target_id: target,
            customer_id: None,
            reason,
            ticket_url: None,
            changes,
            source: self.source,
            approval_id: None,
            requester: None,
            requester_verdict: None,
        }
    }
}

/// The changes of a new staff record, for its `staff.create` event.
pub fn created_changes(email: &str, name: &str, role: Role) -> FieldChanges {
    FieldChanges::from([
        ("email".into(), [json!(null), json!(email)]),
        ("name".into(), [json!(null), json!(name)]),
        ("role".into(), [json!(null), json!(role)]),
        ("active".into(), [json!(null), json!(true)]),
    ])
}

/// Ties staff user `id` to the identity provider's `issuer` and `subject` (single
/// sign-on finds them by these from then on).
pub async fn link_identity(
    tx: &mut Tx,
    id: i64,
    issuer: &str,
    subject: &str,
) -> Result<(), AppError> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_users SET idp_issuer = $1, idp_subject = $2 WHERE id = $3"
    )
    .bind(issuer)
    .bind(subject)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The columns of a [`StaffRow`].
const STAFF_COLUMNS: &str =
    "id, email, name, role, active, break_glass, idp_subject IS NOT NULL AS single_sign_on";

/// A staff user row (server-only: the hash never leaves the server).
#[derive(sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub break_glass: bool,
    pub single_sign_on: bool,
}

impl StaffRow {
    fn into_member(self) -> Result<StaffMember, AppError> {
        let role = Role::parse(&self.role)
            .ok_or_else(|| AppError::internal(format!("unknown role {}", self.role)))?;
        Ok(StaffMember {
            id: self.id,
            email: self.email,
            name: self.name,
            role,
            active: self.active,
            break_glass: self.break_glass,
            single_sign_on: self.single_sign_on,
        })
    }
}

pub async fn list(db: &Db) -> Result<Vec<StaffMember>, AppError> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff_users ORDER BY active DESC, email");
    let rows: Vec<StaffRow> =
        on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await)?;
    rows.into_iter().map(StaffRow::into_member).collect()
}

pub async fn get(tx: &mut Tx, id: i64) -> Result<StaffMember, AppError> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff_users WHERE id = $1");
    let row: Option<StaffRow> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    row.ok_or_else(|| AppError::NotFound("Staff user".into()))?.into_member()
}

/// Inserts a staff user; a taken email is a field error.
pub async fn insert_staff(
    tx: &mut Tx,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
) -> Result<i64, AppError> {
    let taken: Option<i64> =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
            .bind(email)
            .fetch_optional(c)
            .await)?;
    if taken.is_some() {
        return Err(AppError::field("email", "A staff user with this email already exists."));
    }
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO staff_users (email, name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id"
    )
    .bind(email)
    .bind(name)
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now())
    .fetch_one(c)
    .await
    })?;
    Ok(id)
}

/// Changes staff user `id`'s role from `before` to `role`, with the `staff.role_change`
/// event `by` makes, for `reason`.
pub async fn change_role(
    tx: &mut Tx,
    id: i64,
    before: &str,
    role: Role,
    by: &AccountActor,
    reason: String,
) -> Result<(), AppError> {
    on_tx!(tx, |c| sqlx::query("UPDATE staff_users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let changes = FieldChanges::from([("role".into(), [json!(before), json!(role)])]);
    record(tx, by.event(Action::ChangeRole, id, reason, changes)).await?;
    Ok(())
}

/// Activates or deactivates staff user `id` (from `before`), with the event `by` makes,
/// for `reason`; nothing when it does not change.
pub async fn change_active(
    tx: &mut Tx,
    id: i64,
    before: bool,
    active: bool,
    by: &AccountActor,
    reason: String,
) -> Result<(), AppError> {
    if before == active {
        return Ok(());
    }
    update_active(tx, id, active).await?;
    let action = if active { Action::ActivateStaff } else { Action::DeactivateStaff };
    let changes = FieldChanges::from([("active".into(), [json!(before), json!(active)])]);
    record(tx, by.event(action, id, reason, changes)).await?;
    Ok(())
}

/// Sets `active`; deactivation also ends the user's sessions and revokes their API
/// tokens (a reactivated account starts without either).
pub async fn update_active(tx: &mut Tx, id: i64, active: bool) -> Result<(), AppError> {
    on_tx!(tx, |c| sqlx::query("UPDATE staff_users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if !active {
        on_tx!(tx, |c| sqlx::query("DELETE FROM sessions WHERE staff_user_id = $1")
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        on_tx!(tx, |c| sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE staff_user_id = $2 AND revoked_at IS NULL"
        )
        .bind(now())
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Sets whether staff user `id` may sign in with a password while single sign-on is on.
pub async fn update_break_glass(tx: &mut Tx, id: i64, on: bool) -> Result<(), AppError> {
    on_tx!(tx, |c| sqlx::query("UPDATE staff_users SET break_glass = $1 WHERE id = $2")
        .bind(on)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The stored password hash of staff user `id` (server-only).
pub async fn password_hash(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    let hash: Option<String> =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT password_hash FROM staff_users WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await)?;
    hash.ok_or_else(|| AppError::NotFound("Staff user".into()))
}

/// Sets a new password hash and whether it must be changed at the next sign-in, and ends
/// every session of the user but `keep`. Whether a change was required before.
pub async fn set_password(
    tx: &mut Tx,
    id: i64,
    hash: &str,
    must_change: bool,
    keep: Option<&str>,
) -> Result<bool, AppError> {
    let was: Option<bool> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT must_change_password FROM staff_users WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)?;
    let was = was.ok_or_else(|| AppError::NotFound("Staff user".into()))?;
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_users SET password_hash = $1, must_change_password = $2 WHERE id = $3"
    )
    .bind(hash)
    .bind(must_change)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM sessions WHERE staff_user_id = $1 AND ($2 IS NULL OR id_hash <> $2)"
    )
    .bind(id)
    .bind(keep)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(was)
}
