//! Provisioned staff records: read, created, replaced and deleted by the identity
//! provider. Each change is one transaction with its activity events, by the actor
//! "identity provider". A created record has no password and the fewest permissions
//! (sales) until its first sign-in, which sets the role from the person's groups.
use serde_json::json;

use super::error::ScimError;
use super::filter::{Attribute, Filter};
use super::user::{Person, Provisioned};
use crate::audit::{record, FieldChanges};
use crate::auth::server::staff::{
    change_active, created_changes, insert_staff, update_active, AccountActor,
};
use crate::domain::{Action, EventSource, Role};
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// The role a provisioned record holds before its first sign-in.
const UNTIL_FIRST_SIGN_IN: Role = Role::Sales;

const COLUMNS: &str = "id, scim_user_name, scim_external_id, email, name, active, created_at";
/// Records the provider provisioned and has not deleted.
const PROVISIONED: &str = "scim_user_name IS NOT NULL AND scim_deleted_at IS NULL";

/// Why each change here is made.
const REASON: &str = "Provisioning by the identity provider (SCIM)";

async fn event(
    tx: &mut Tx,
    action: Action,
    id: i64,
    changes: FieldChanges,
) -> Result<(), AppError> {
    let by = AccountActor::identity_provider(EventSource::Api);
    record(tx, by.event(action, id, REASON.into(), changes)).await?;
    Ok(())
}

/// One page of provisioned records (`start` counts from 1) and how many match.
pub async fn list(
    db: &Db,
    filter: Option<&Filter>,
    start: i64,
    count: i64,
) -> Result<(i64, Vec<Provisioned>), AppError> {
    let condition = match filter.map(|f| f.attribute) {
        None => "TRUE",
        Some(Attribute::UserName) => "LOWER(scim_user_name) = LOWER($1)",
        Some(Attribute::ExternalId) => "scim_external_id = $1",
        Some(Attribute::Email) => "email = LOWER($1)",
    };
    let value = filter.map(|f| f.value.clone()).unwrap_or_default();
    // `$1` is bound in every form; without a filter it is compared with nothing.
    let total_sql =
        format!("SELECT COUNT(*) FROM staff_users WHERE {PROVISIONED} AND {condition} AND $1 = $1");
    let total: i64 = on_db!(db, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(total_sql.clone()))
        .bind(&value)
        .fetch_one(p)
        .await)?;
    let page_sql = format!(
        "SELECT {COLUMNS} FROM staff_users WHERE {PROVISIONED} AND {condition} AND $1 = $1
         ORDER BY id LIMIT $2 OFFSET $3"
    );
    let rows: Vec<Provisioned> =
        on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(page_sql.clone()))
            .bind(&value)
            .bind(count)
            .bind(start - 1)
            .fetch_all(p)
            .await)?;
    Ok((total, rows))
}

async fn find(tx: &mut Tx, id: i64) -> Result<Provisioned, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM staff_users WHERE id = $1 AND {PROVISIONED}");
    let row: Option<Provisioned> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    row.ok_or_else(|| AppError::NotFound(format!("User {id}")))
}

pub async fn get(db: &Db, id: i64) -> Result<Provisioned, AppError> {
    let mut tx = db.begin().await?;
    let found = find(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// Refuses a user name or email another record holds.
async fn check_unique(tx: &mut Tx, person: &Person, except: Option<i64>) -> Result<(), AppError> {
    let taken: Option<String> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT CASE WHEN LOWER(scim_user_name) = LOWER($1) THEN 'userName' ELSE 'email' END
         FROM staff_users WHERE (LOWER(scim_user_name) = LOWER($1) OR email = $2) AND id <> $3"
    )
    .bind(&person.user_name)
    .bind(&person.email)
    .bind(except.unwrap_or(0))
    .fetch_optional(c)
    .await)?;
    match taken.as_deref() {
        None => Ok(()),
        Some("userName") => {
            Err(AppError::Conflict(format!("userName {} is taken", person.user_name)))
        }
        Some(_) => Err(AppError::Conflict(format!(
            "A staff account with email {} exists already; an admin can deactivate or rename it",
            person.email
        ))),
    }
}

async fn write(tx: &mut Tx, id: i64, person: &Person) -> Result<(), AppError> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE staff_users SET scim_user_name = $1, scim_external_id = $2, email = $3, name = $4 WHERE id = $5"
    )
    .bind(&person.user_name)
    .bind(&person.external_id)
    .bind(&person.email)
    .bind(&person.name)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Sets `active`, with its event, when it changes.
async fn set_active(tx: &mut Tx, id: i64, before: bool, active: bool) -> Result<(), AppError> {
    let by = AccountActor::identity_provider(EventSource::Api);
    change_active(tx, id, before, active, &by, REASON.into()).await
}

pub async fn create(db: &Db, person: &Person) -> Result<Provisioned, AppError> {
    let mut tx = db.begin().await?;
    let deleted: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT id FROM staff_users WHERE email = $1 AND scim_deleted_at IS NOT NULL"
    )
    .bind(&person.email)
    .fetch_optional(c)
    .await)?;
    if let Some(id) = deleted {
        let back = restore(&mut tx, id, person).await?;
        tx.commit().await?;
        return Ok(back);
    }
    check_unique(&mut tx, person, None).await?;
    let id = insert_staff(&mut tx, &person.email, &person.name, UNTIL_FIRST_SIGN_IN, "").await?;
    write(&mut tx, id, person).await?;
    let changes = created_changes(&person.email, &person.name, UNTIL_FIRST_SIGN_IN);
    event(&mut tx, Action::CreateStaff, id, changes).await?;
    set_active(&mut tx, id, true, person.active).await?;
    let made = find(&mut tx, id).await?;
    tx.commit().await?;
    Ok(made)
}

/// Provisions again a person the provider deleted (their record, with its history).
async fn restore(tx: &mut Tx, id: i64, person: &Person) -> Result<Provisioned, AppError> {
    check_unique(tx, person, Some(id)).await?;
    on_tx!(tx, |c| sqlx::query("UPDATE staff_users SET scim_deleted_at = NULL WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    write(tx, id, person).await?;
    let changes =
        FieldChanges::from([("provisioned".into(), [json!(null), json!(person.user_name)])]);
    event(tx, Action::UpdateStaff, id, changes).await?;
    set_active(tx, id, false, person.active).await?;
    find(tx, id).await
}

/// Changes record `id` to what `change` makes of it (a PUT's replacement, or a PATCH's
/// operations applied), in one transaction with the record read.
pub async fn update(
    db: &Db,
    id: i64,
    change: impl FnOnce(Person) -> Result<Person, ScimError>,
) -> Result<Provisioned, ScimError> {
    let mut tx = db.begin().await.map_err(AppError::from)?;
    let before = find(&mut tx, id).await?.person();
    let person = &change(before.clone())?;
    check_unique(&mut tx, person, Some(id)).await?;
    let mut changes = FieldChanges::new();
    let mut note = |field: &str, old: serde_json::Value, new: serde_json::Value| {
        if old != new {
            changes.insert(field.into(), [old, new]);
        }
    };
    note("user_name", json!(before.user_name), json!(person.user_name));
    note("external_id", json!(before.external_id), json!(person.external_id));
    note("email", json!(before.email), json!(person.email));
    note("name", json!(before.name), json!(person.name));
    if !changes.is_empty() {
        write(&mut tx, id, person).await?;
        event(&mut tx, Action::UpdateStaff, id, changes).await?;
    }
    set_active(&mut tx, id, before.active, person.active).await?;
    let after = find(&mut tx, id).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(after)
}

/// Deletes record `id` for the provider: deactivated (sessions ended, tokens revoked)
/// and no longer listed; the record stays for the timeline.
pub async fn delete(db: &Db, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let before = find(&mut tx, id).await?;
    if before.active {
        update_active(&mut tx, id, false).await?;
    }
    on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE staff_users SET scim_user_name = NULL, scim_deleted_at = $1 WHERE id = $2"
    )
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    let changes = FieldChanges::from([
        ("active".into(), [json!(before.active), json!(false)]),
        ("provisioned".into(), [json!(before.scim_user_name), json!(null)]),
    ]);
    event(&mut tx, Action::DeactivateStaff, id, changes).await?;
    tx.commit().await?;
    Ok(())
}
