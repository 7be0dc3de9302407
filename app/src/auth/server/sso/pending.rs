//! Sign-ins on their way through the provider (`sso_logins`): what the console keeps of
//! each until the person comes back, under the digest of its `state`, used once.
use crate::auth::server::secret::digest;
use crate::identity::Pending;
use crate::store::{now, Db};
use crate::{on_db, AppError};

/// How long a person has at the provider before the flow is forgotten.
const MINUTES: i64 = 10;

/// The most flows kept at once: anyone may start one, so this bounds what a flood of
/// starts can store (far more than a company's staff start in ten minutes).
pub const MAX_PENDING: i64 = 10_000;

pub async fn keep(db: &Db, flow: &Pending, next: &str) -> Result<(), AppError> {
    let at = now();
    let stale = at - chrono::Duration::minutes(MINUTES);
    on_db!(db, |p| sqlx::query("DELETE FROM sso_logins WHERE created_at < $1")
        .bind(stale)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    let pending: i64 =
        on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM sso_logins").fetch_one(p).await)?;
    if pending >= MAX_PENDING {
        tracing::warn!(pending, "single sign-on: too many sign-ins under way");
        return Err(AppError::TooManyRequests(
            "Too many sign-ins are under way. Try again in a few minutes.".into(),
        ));
    }
    on_db!(db, |p| {
        sqlx::query(
        "INSERT INTO sso_logins (state_hash, nonce, pkce_verifier, next_path, created_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(digest(&flow.state))
    .bind(&flow.nonce)
    .bind(&flow.pkce_verifier)
    .bind(next)
    .bind(at)
    .execute(p)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    nonce: String,
    pkce_verifier: String,
    next_path: String,
}

/// The flow `state` names, removed so it cannot be used again; `None` when unknown,
/// used or stale.
pub async fn take(db: &Db, state: &str) -> Result<Option<(Pending, String)>, AppError> {
    let stale = now() - chrono::Duration::minutes(MINUTES);
    let row: Option<Row> = on_db!(db, |p| {
        sqlx::query_as(
        "DELETE FROM sso_logins WHERE state_hash = $1 AND created_at >= $2 RETURNING nonce, pkce_verifier, next_path"
    )
    .bind(digest(state))
    .bind(stale)
    .fetch_optional(p)
    .await
    })?;
    Ok(row.map(|r| {
        let flow =
            Pending { state: state.to_string(), nonce: r.nonce, pkce_verifier: r.pkce_verifier };
        (flow, r.next_path)
    }))
}
