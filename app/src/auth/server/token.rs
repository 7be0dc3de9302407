//! Personal API tokens for automation. Shown once at creation; only a digest is stored.
//! Each expires ([`DEFAULT_DAYS`] unless chosen otherwise), dies with its owner's
//! account, can be revoked on its own, and its creation and revocation are activity
//! events on the owner's timeline.
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::caller::{UserRow, USER_COLUMNS};
use super::secret::{digest, random_token};
use super::staff::AccountActor;
use super::{Caller, Via};
use crate::audit::{record, FieldChanges};
use crate::auth::ApiToken;
use crate::domain::Action;
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// Prefix that makes a console token recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "fct_";
/// Days a token lasts unless its creator chooses otherwise.
pub const DEFAULT_DAYS: i64 = 90;
/// The longest a token may last.
pub const MAX_DAYS: i64 = 366;

/// How a token is named on the timeline.
fn described(id: i64, label: &str) -> String {
    format!("#{id} “{label}”")
}

/// Creates a token lasting `days` for the active staff user with `email`, with its
/// `token.create` event; returns the token text (shown once) and the token.
pub async fn create(
    db: &Db,
    email: &str,
    label: &str,
    days: i64,
    by: &AccountActor,
) -> Result<(String, ApiToken), AppError> {
    let email = crate::validate::email(email).map_err(|m| AppError::field("email", m))?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::field("label", "Give the token a label of 1–100 characters."));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::field("days", format!("A token lasts 1–{MAX_DAYS} days.")));
    }
    let mut tx = db.begin().await?;
    // Not for a record provisioned ahead of its first sign-in: its role is not yet the
    // one the provider's groups give.
    let owner: Option<i64> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM staff_users WHERE email = $1 AND active AND (password_hash <> '' OR idp_subject IS NOT NULL)"
    )
    .bind(&email)
    .fetch_optional(c)
    .await
    })?;
    let owner = owner.ok_or_else(|| AppError::NotFound(format!("An active staff user {email}")))?;
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let (created, expires) = (now(), now() + Duration::days(days));
    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO api_tokens (staff_user_id, token_hash, label, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(owner)
    .bind(digest(&token))
    .bind(label)
    .bind(created)
    .bind(expires)
    .fetch_one(c)
    .await)?;
    let changes = FieldChanges::from([
        ("api_token".into(), [json!(null), json!(described(id, label))]),
        ("expires_on".into(), [json!(null), json!(expires.date_naive())]),
    ]);
    let reason = format!("API token for {email}");
    record(&mut tx, by.event(Action::CreateToken, owner, reason, changes)).await?;
    let made = get(&mut tx, id).await?;
    tx.commit().await?;
    Ok((token, made))
}

/// Revokes token `id`, with its `token.revoke` event.
pub async fn revoke(db: &Db, id: i64, by: &AccountActor) -> Result<ApiToken, AppError> {
    let mut tx = db.begin().await?;
    let token = get(&mut tx, id).await?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    on_tx!(&mut tx, |c| sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let changes = FieldChanges::from([(
        "api_token".into(),
        [json!(described(id, &token.label)), json!("revoked")],
    )]);
    let reason = format!("API token of {}", token.owner_email);
    record(&mut tx, by.event(Action::RevokeToken, token.staff_user_id, reason, changes)).await?;
    let revoked = get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(revoked)
}

/// A token's columns; `$1` is the moment its state is judged at.
const TOKEN_COLUMNS: &str = "t.id, t.staff_user_id, u.email AS owner_email, t.label, t.created_at, t.expires_at, t.revoked_at,
    CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' WHEN t.expires_at <= $1 THEN 'expired' ELSE 'active' END AS state";

async fn get(tx: &mut Tx, id: i64) -> Result<ApiToken, AppError> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN staff_users u ON u.id = t.staff_user_id WHERE t.id = $2"
    );
    let row: Option<ApiToken> = on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now())
        .bind(id)
        .fetch_optional(c)
        .await)?;
    row.ok_or_else(|| AppError::NotFound(format!("API token {id}")))
}

/// Every token, newest first. Never the token text.
pub async fn list(db: &Db) -> Result<Vec<ApiToken>, AppError> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN staff_users u ON u.id = t.staff_user_id ORDER BY t.id DESC"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now()).fetch_all(p).await)?)
}

/// The caller behind a bearer token: only an unrevoked, unexpired token of an active
/// user.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Caller>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let at: DateTime<Utc> = now();
    let sql = format!(
        "SELECT {USER_COLUMNS}
         FROM api_tokens t JOIN staff_users u ON u.id = t.staff_user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active"
    );
    let row: Option<UserRow> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(digest(token))
        .bind(at)
        .fetch_optional(p)
        .await)?;
    Ok(row.and_then(|r| {
        Some(Caller { user: r.user()?, via: Via::Token, must_change_password: false })
    }))
}
