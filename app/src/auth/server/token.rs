//! Personal API tokens for automation. Shown once at creation; only a digest is stored.
use super::secret::{digest, random_token};
use super::{Caller, Via};
use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::store::{now, Db};
use crate::{on_db, AppError};

/// Prefix that makes a console token recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "fct_";

/// Creates a token for the active staff user with `email`; returns the token text.
pub async fn create(db: &Db, email: &str, label: &str) -> Result<String, AppError> {
    let email = crate::validate::email(email).map_err(|m| AppError::field("email", m))?;
    let user_id: Option<i64> = on_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM staff_users WHERE email = $1 AND active"
    )
    .bind(&email)
    .fetch_optional(p)
    .await)?;
    let user_id =
        user_id.ok_or_else(|| AppError::NotFound(format!("An active staff user {email}")))?;
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    on_db!(db, |p| {
        sqlx::query(
        "INSERT INTO api_tokens (staff_user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(user_id)
    .bind(digest(&token))
    .bind(label)
    .bind(now())
    .execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    email: String,
    name: String,
    role: String,
}

/// The caller behind a bearer token: only an unrevoked token of an active user.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Caller>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let row: Option<TokenRow> = on_db!(db, |p| sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.role
         FROM api_tokens t JOIN staff_users u ON u.id = t.staff_user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active"
    )
    .bind(digest(token))
    .fetch_optional(p)
    .await)?;
    Ok(row.and_then(|r| {
        let role = Role::parse(&r.role)?;
        Some(Caller {
            user: CurrentUser { id: r.id, email: r.email, name: r.name, role },
            via: Via::Token,
        })
    }))
}
