//! Sign-in throttling. Each attempt counts the failures in the window and takes its
//! place there (a row in `login_failures`) in one locked step, before any password is
//! checked: at most [`MAX_FAILURES`] wrong passwords for one email from one client
//! address within [`WINDOW_MINUTES`], and at most [`ADDRESS_FAILURES`] from one address
//! for any emails. An attempt over either limit is refused (429) unchecked, so however
//! many arrive at once, no more than the limit are checked. Counting per address means
//! a stranger cannot lock a staff member out by failing from elsewhere. Rows live in
//! the database, so every server instance counts the same ones; a success clears that
//! email's rows for that address.
use chrono::{DateTime, Duration, Utc};

use crate::store::dialect::Lock;
use crate::store::{now, Db};
use crate::{on_db, on_tx, AppError};

/// Wrong passwords allowed for one email from one address within the window.
pub const MAX_FAILURES: usize = 5;
/// Wrong passwords allowed from one address, for any emails, within the window.
pub const ADDRESS_FAILURES: i64 = 100;
/// Length of the window, in minutes.
pub const WINDOW_MINUTES: i64 = 15;

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

/// A sign-in attempt holding its place in the window. Unless [`Attempt::succeeded`] is
/// called it stays counted as a failure.
#[must_use]
pub struct Attempt {
    email: String,
    address: String,
}

impl Attempt {
    /// Takes a place for `email` from `address`, or refuses (429) when either is over its
    /// limit; says how long to wait. Counting and taking the place are one transaction
    /// under a lock on the email (SQLite's write lock; a PostgreSQL advisory lock keyed
    /// by the email), so concurrent attempts count each other exactly.
    pub async fn begin(db: &Db, email: &str, address: &str) -> Result<Attempt, AppError> {
        let at = now();
        let since = at - window();
        let mut tx = db.begin().await?;
        tx.lock(Lock::LoginThrottle, Some(email)).await?;
        let mine: Vec<DateTime<Utc>> = on_tx!(&mut tx, |c| {
            sqlx::query_scalar(
            "SELECT failed_at FROM login_failures WHERE email = $1 AND address = $2 AND failed_at > $3
             ORDER BY failed_at DESC LIMIT $4"
        )
        .bind(email)
        .bind(address)
        .bind(since)
        .bind(MAX_FAILURES as i64)
        .fetch_all(c)
        .await
        })?;
        let from_address: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE address = $1 AND failed_at > $2"
        )
        .bind(address)
        .bind(since)
        .fetch_one(c)
        .await)?;
        if mine.len() >= MAX_FAILURES {
            return Err(AppError::TooManyRequests(locked_message(
                mine[MAX_FAILURES - 1] + window() - at,
            )));
        }
        if from_address >= ADDRESS_FAILURES {
            return Err(AppError::TooManyRequests(format!(
                "Too many failed sign-ins from your network address ({ADDRESS_FAILURES} within {WINDOW_MINUTES} minutes). Try again later."
            )));
        }
        on_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)"
        )
        .bind(email)
        .bind(address)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(Attempt { email: email.to_string(), address: address.to_string() })
    }

    /// The password was right: this email's failures from this address are forgotten.
    pub async fn succeeded(self, db: &Db) -> Result<(), AppError> {
        on_db!(db, |p| sqlx::query(
            "DELETE FROM login_failures WHERE email = $1 AND address = $2"
        )
        .bind(&self.email)
        .bind(&self.address)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
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
