//! Sign-in throttling: after [`MAX_FAILURES`] wrong passwords for one email within
//! [`WINDOW_MINUTES`], further sign-ins for it are refused until the oldest of those
//! failures leaves the window. Failures live in the database, so every server instance
//! counts the same ones.
use chrono::{DateTime, Duration, Utc};

use crate::store::{now, Db};
use crate::{on_db, AppError};

/// Wrong passwords allowed for one email within the window.
pub const MAX_FAILURES: usize = 5;
/// Length of the window, in minutes.
pub const WINDOW_MINUTES: i64 = 15;

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

/// Refuses (429) when `email` has used up its failures; says how long to wait.
pub async fn check(db: &Db, email: &str) -> Result<(), AppError> {
    let at = now();
    let recent: Vec<DateTime<Utc>> = on_db!(db, |p| {
        sqlx::query_scalar(
        "SELECT failed_at FROM login_failures WHERE email = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT $3"
    )
    .bind(email)
    .bind(at - window())
    .bind(MAX_FAILURES as i64)
    .fetch_all(p)
    .await
    })?;
    match recent.get(MAX_FAILURES - 1) {
        Some(oldest) => Err(AppError::TooManyRequests(locked_message(*oldest + window() - at))),
        None => Ok(()),
    }
}

/// The refusal's words: how many failures, and the wait in whole minutes.
pub fn locked_message(wait: Duration) -> String {
    let minutes = (wait.num_seconds().max(1) + 59) / 60;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!(
        "Too many failed sign-ins for this email ({MAX_FAILURES} within {WINDOW_MINUTES} minutes). \
         Try again in {minutes} {unit}, or ask an admin to reset the password."
    )
}

/// Counts one wrong password for `email`.
pub async fn record_failure(db: &Db, email: &str) -> Result<(), AppError> {
    on_db!(db, |p| sqlx::query("INSERT INTO login_failures (email, failed_at) VALUES ($1, $2)")
        .bind(email)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets `email`'s failures after a successful sign-in.
pub async fn clear(db: &Db, email: &str) -> Result<(), AppError> {
    on_db!(db, |p| sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes failures older than the window; returns how many.
pub async fn purge(db: &Db) -> Result<u64, AppError> {
    let done = on_db!(db, |p| sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(now() - window())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_rounded_up_to_whole_minutes() {
        assert!(locked_message(Duration::seconds(61)).contains("Try again in 2 minutes"));
        assert!(locked_message(Duration::seconds(30)).contains("Try again in 1 minute,"));
        assert!(locked_message(Duration::seconds(0)).contains("Try again in 1 minute,"));
        assert!(locked_message(Duration::minutes(15)).contains("(5 within 15 minutes)"));
    }
}
