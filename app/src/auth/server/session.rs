//! Browser sessions, stored in the database so any server instance can serve any
//! request. Only a digest of the session token is stored.
use chrono::Duration;

use super::caller::{UserRow, USER_COLUMNS};
use super::secret::{digest, random_token};
use super::{Caller, Via};
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, AppError};

/// A new session's secrets, to be sent to the browser once.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

/// Starts a session for a staff user, in the transaction that records how they signed
/// in. `id_token` is the provider's, for a single sign-on (sign-out hands it back).
pub async fn create(
    tx: &mut Tx,
    staff_user_id: i64,
    ttl: Duration,
    id_token: Option<&str>,
) -> Result<NewSession, AppError> {
    let token = random_token();
    let csrf_token = random_token();
    let created = now();
    let expires = created + ttl;
    let id_hash = digest(&token);
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO sessions (id_hash, staff_user_id, csrf_token, created_at, expires_at, last_seen_at, id_token) VALUES ($1, $2, $3, $4, $5, $4, $6)"
    )
    .bind(&id_hash)
    .bind(staff_user_id)
    .bind(&csrf_token)
    .bind(created)
    .bind(expires)
    .bind(id_token)
    .execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(NewSession { token, csrf_token })
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    must_change_password: bool,
    last_seen_at: chrono::DateTime<chrono::Utc>,
}

/// How stale `last_seen_at` may get before a use writes it again.
const SEEN_EVERY: Duration = Duration::minutes(1);

/// The caller behind a session token: only a session of an active user that has not
/// expired and was used within `idle`. The use counts (written at most once a minute).
pub async fn lookup(db: &Db, token: &str, idle: Duration) -> Result<Option<Caller>, AppError> {
    let id_hash = digest(token);
    let at = now();
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.csrf_token, u.must_change_password, s.last_seen_at
         FROM sessions s JOIN staff_users u ON u.id = s.staff_user_id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active"
    );
    let row: Option<SessionRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&id_hash)
            .bind(at)
            .bind(at - idle)
            .fetch_optional(p)
            .await
    })?;
    if row.as_ref().is_some_and(|r| r.last_seen_at < at - SEEN_EVERY) {
        on_db!(db, |p| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(at)
            .bind(&id_hash)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(row.and_then(|r| {
        Some(Caller {
            user: r.user.user()?,
            via: Via::Session { id_hash, csrf_token: r.csrf_token },
            must_change_password: r.must_change_password,
        })
    }))
}

/// Ends one session: the provider's ID token it began with, if any (for the provider's
/// own sign-out).
pub async fn delete(db: &Db, id_hash: &str) -> Result<Option<String>, AppError> {
    let id_token: Option<Option<String>> = on_db!(db, |p| sqlx::query_scalar(
        "DELETE FROM sessions WHERE id_hash = $1 RETURNING id_token"
    )
    .bind(id_hash)
    .fetch_optional(p)
    .await)?;
    Ok(id_token.flatten())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64, AppError> {
    let done = on_db!(db, |p| sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done)
}
