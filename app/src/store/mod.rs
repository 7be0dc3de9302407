//! The one store API over SQLite (default) and PostgreSQL. Queries are written once
//! with `$N` placeholders, which both backends accept, and run through [`on_db!`] or
//! [`on_tx!`], which expand the same code for each backend's pool or connection.

mod by_ids;
pub mod connect;
pub mod dialect;
pub mod documents;
pub mod indexes;
mod tx;

pub use by_ids::{by_ids, by_ids_now, IdRow};
pub use connect::{connect, migrate, Backend};
pub use tx::Tx;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{PgPool, SqlitePool};

/// A connection pool to one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of `$db`.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the concrete connection inside transaction `$tx`.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    /// Which backend this pool talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so concurrent writers queue instead of failing.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Starts a transaction for reading only: on SQLite a deferred `BEGIN`, which takes
    /// no write lock, so previews and reads never queue behind (or hold up) writers.
    pub async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin_with("BEGIN READ ONLY").await?),
        })
    }

    /// Runs one statement without parameters (maintenance, tests); rows affected.
    pub async fn execute(&self, sql: impl sqlx::SqlSafeStr) -> Result<u64, sqlx::Error> {
        on_db!(self, |p| sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()))
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        on_db!(self, |p| sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

/// The current time as stored: UTC, truncated to microseconds (PostgreSQL's precision),
/// so a value reads back exactly as it was written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Today's date (UTC): the day renewals, trials and licenses are counted from.
pub fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}
