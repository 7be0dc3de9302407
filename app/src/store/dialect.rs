//! Where SQLite's SQL and PostgreSQL's differ, in one place: numbered placeholders,
//! LIKE patterns, day keys of timestamps, case-insensitive matching, and the advisory
//! locks that let several servers on one PostgreSQL take turns (SQLite has one writer
//! at a time already). Everything else is written once, in the SQL both accept.
use super::{Backend, Db, Tx};

/// `$from, $from+1, …`: `count` numbered placeholders (both backends take `$N`).
pub fn placeholders(from: usize, count: usize) -> String {
    (from..from + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// Hands out numbered placeholders in order: `$1`, `$2`, …
#[derive(Debug, Default)]
pub struct Params(usize);

impl Params {
    pub fn take(&mut self) -> String {
        self.0 += 1;
        format!("${}", self.0)
    }
}

/// A LIKE pattern matching `text` anywhere, its wildcards escaped with `\` (write
/// `ESCAPE '\'` after the pattern; PostgreSQL's default escape character is `\` too).
pub fn contains(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

impl Db {
    /// `LIKE` matching regardless of case (SQLite's `LIKE` already is, for ASCII).
    pub fn like_any_case(&self) -> &'static str {
        match self.backend() {
            Backend::Sqlite => "LIKE",
            Backend::Postgres => "ILIKE",
        }
    }

    /// The UTC day (`YYYY-MM-DD`) of timestamp column `column`.
    pub fn utc_day(&self, column: &str) -> String {
        match self.backend() {
            Backend::Sqlite => format!("substr({column}, 1, 10)"),
            Backend::Postgres => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
        }
    }
}

/// An advisory lock on PostgreSQL: what several servers on one database do one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Appending to the activity log's hash chain.
    AuditChain,
    /// Counting failed sign-ins of one email (with the email's hash as second key).
    LoginThrottle,
    /// The integrity scan.
    IntegrityScan,
    /// The billing sweep.
    BillingSweep,
}

impl Lock {
    /// The lock's key (the first of two keys for [`Lock::LoginThrottle`]).
    pub fn key(self) -> i64 {
        match self {
            Lock::AuditChain => 7_300_001,
            Lock::LoginThrottle => 7_300_002,
            // "integr" and "fc-sweep" in ASCII.
            Lock::IntegrityScan => 0x696E_7465_6772,
            Lock::BillingSweep => 0x6663_2d73_7765_6570,
        }
    }
}

impl Tx {
    /// Waits for `lock` and holds it until this transaction ends, on PostgreSQL (on
    /// SQLite a write transaction is alone already). With `on`, the lock is taken for
    /// that text only (its hash is the second key).
    pub async fn lock(&mut self, lock: Lock, on: Option<&str>) -> Result<(), sqlx::Error> {
        let Tx::Postgres(t) = self else { return Ok(()) };
        match on {
            None => {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(lock.key())
                    .execute(&mut **t)
                    .await?
            }
            Some(text) => {
                sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                    .bind(lock.key() as i32)
                    .bind(text)
                    .execute(&mut **t)
                    .await?
            }
        };
        Ok(())
    }

    /// Takes `lock` until this transaction ends if no one holds it (always, on SQLite).
    pub async fn try_lock(&mut self, lock: Lock) -> Result<bool, sqlx::Error> {
        let Tx::Postgres(t) = self else { return Ok(true) };
        sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(lock.key())
            .fetch_one(&mut **t)
            .await
    }
}

/// A lock held by one pooled connection beyond any transaction (a billing sweep
/// commits many), released by [`Held::release`].
pub struct Held(Option<sqlx::pool::PoolConnection<sqlx::Postgres>>, Lock);

impl Db {
    /// Takes `lock` if no one holds it (`None` when someone does); on SQLite there is
    /// nothing to take.
    pub async fn try_hold(&self, lock: Lock) -> Result<Option<Held>, sqlx::Error> {
        let Db::Postgres(pool) = self else { return Ok(Some(Held(None, lock))) };
        let mut conn = pool.acquire().await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(lock.key())
            .fetch_one(&mut *conn)
            .await?;
        Ok(got.then_some(Held(Some(conn), lock)))
    }
}

impl Held {
    pub async fn release(self) -> Result<(), sqlx::Error> {
        if let Some(mut conn) = self.0 {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.1.key())
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_from_where_they_start() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        assert_eq!(placeholders(1, 0), "");
        let mut p = Params::default();
        assert_eq!((p.take(), p.take()), ("$1".to_string(), "$2".to_string()));
    }

    #[test]
    fn a_pattern_escapes_every_wildcard() {
        assert_eq!(contains(r"50%_off\now"), r"%50\%\_off\\now%");
    }

    #[test]
    fn each_lock_has_its_own_key() {
        let keys = [Lock::AuditChain, Lock::LoginThrottle, Lock::IntegrityScan, Lock::BillingSweep]
            .map(Lock::key);
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k));
        }
    }
}
